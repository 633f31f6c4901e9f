"""`bilan paper`, `bilan recap`, `bilan checklist`: choose the format, render, write.

Every failure a user can cause (missing file, broken TOML, unwritable output) becomes a
UserError with a one-paragraph message; cli.main prints it without a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from bilan.cli.resources import campaign_path, load_campaign
from bilan.common.errors import UserError
from bilan.common.outputs import emit
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration

Document = TypeVar("Document", bound=Mapping[str, object])  # the data of a recap or a checklist


def output_format(args: argparse.Namespace) -> str:
    """--format wins; otherwise pdf when -o ends with .pdf, text for everything else."""
    if args.format:
        return str(args.format)
    output: Path | None = args.output
    return "pdf" if output is not None and output.suffix.lower() == ".pdf" else "text"


def render(
    fmt: str, template: str, data: Mapping[str, object], text: str | None, args: argparse.Namespace, *inputs: Path
) -> int:
    """One document in the chosen format (Typst-made PDF, its Typst source, or plain text),
    written to -o (never over one of `inputs`) or to standard output."""
    from bilan.exports.typst_render import render_pdf, typst_source

    content: str | bytes
    if fmt == "pdf":
        content = render_pdf(template, data)
    elif fmt == "typst":
        content = typst_source(template, data)
    else:
        content = text or ""
    emit(content, args.output, inputs)
    return 0


def read_declaration(path: Path, campaign: Campaign) -> Declaration:
    """One declaration from an answers file; AnswersError becomes a UserError."""
    from bilan.exports.answers_toml import AnswersError, read_declarations

    try:
        declarations = read_declarations(path, campaign)
    except AnswersError as exc:
        raise UserError(exc.render()) from None
    if len(declarations) != 1:
        raise UserError(
            f"{path}: {len(declarations)} déclarations dans ce fichier ; "
            "le récapitulatif et la liste de validation portent sur une seule déclaration"
        )
    return declarations[0][1]


def paper(args: argparse.Namespace) -> int:
    from bilan.exports.paper_form import paper_form
    from bilan.exports.paper_text import paper_text

    source = campaign_path(args)
    form = paper_form(load_campaign(source), consignes=not args.no_consignes)
    fmt = output_format(args)
    return render(fmt, "paper.typ", form, paper_text(form) if fmt == "text" else None, args, source)


def _declaration_document(
    args: argparse.Namespace,
    template: str,
    build: Callable[[Campaign, str, Declaration], Document],
    text: Callable[[Document], str],
) -> int:
    """A document about one declaration (recap, checklist), in the format asked for."""
    source = campaign_path(args)
    campaign = load_campaign(source)
    data = build(campaign, str(args.file), read_declaration(args.file, campaign))
    fmt = output_format(args)
    return render(fmt, template, data, text(data) if fmt == "text" else None, args, args.file, source)


def recap(args: argparse.Namespace) -> int:
    from bilan.exports.recap import recap_data, recap_text

    return _declaration_document(args, "recap.typ", recap_data, recap_text)


def checklist(args: argparse.Namespace) -> int:
    from bilan.exports.checklist import checklist_data, checklist_text

    return _declaration_document(args, "checklist.typ", checklist_data, checklist_text)
