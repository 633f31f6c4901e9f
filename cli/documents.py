"""`bilan paper`, `bilan recap`, `bilan checklist`: choose the format, render, write.

Every failure a user can cause (missing file, broken TOML, unwritable output) becomes a
UserError with a one-paragraph message; cli.main prints it without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.common.errors import UserError
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration


def output_format(args: argparse.Namespace) -> str:
    """--format wins; otherwise pdf when -o ends with .pdf, text for everything else."""
    if args.format:
        return str(args.format)
    output: Path | None = args.output
    return "pdf" if output is not None and output.suffix.lower() == ".pdf" else "text"


def write(content: str | bytes, output: Path | None) -> None:
    """Write to the file, or to standard output (PDF bytes only if stdout is not a terminal)."""
    if output is None:
        if isinstance(content, bytes):
            if sys.stdout.isatty():
                raise UserError("un PDF ne s’affiche pas dans un terminal : indiquer un fichier avec -o FICHIER.pdf")
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{output}: écriture impossible ({exc.strerror})") from None


def emit(fmt: str, template: str, data: dict[str, Any], text: str | None, output: Path | None) -> int:
    """One document in the chosen format: Typst-made PDF, its Typst source, or plain text."""
    from bilan.exports.typst_render import render_pdf, typst_source

    if fmt == "pdf":
        write(render_pdf(template, data), output)
    elif fmt == "typst":
        write(typst_source(template, data), output)
    else:
        write(text or "", output)
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

    campaign = load_campaign(args.source or args.questionnaire or DEFAULT_QUESTIONNAIRE)
    form = paper_form(campaign, consignes=not args.no_consignes)
    fmt = output_format(args)
    return emit(fmt, "paper.typ", form, paper_text(form) if fmt == "text" else None, args.output)


def recap(args: argparse.Namespace) -> int:
    from bilan.exports.recap import recap_data, recap_text

    campaign = load_campaign(args.questionnaire or DEFAULT_QUESTIONNAIRE)
    data = recap_data(campaign, str(args.file), read_declaration(args.file, campaign))
    fmt = output_format(args)
    return emit(fmt, "recap.typ", data, recap_text(data) if fmt == "text" else None, args.output)


def checklist(args: argparse.Namespace) -> int:
    from bilan.exports.checklist import checklist_data, checklist_text

    campaign = load_campaign(args.questionnaire or DEFAULT_QUESTIONNAIRE)
    data = checklist_data(campaign, str(args.file), read_declaration(args.file, campaign))
    fmt = output_format(args)
    return emit(fmt, "checklist.typ", data, checklist_text(data) if fmt == "text" else None, args.output)
