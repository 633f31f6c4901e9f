"""The non-interactive subcommands: check, template, score."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import tomli_w

from bilan.dsl.summary import summary
from bilan.engine.evaluate import Engine
from bilan.errors import UserError
from bilan.exports.answers_toml import AnswersError, declaration_to_dict, read_declarations
from bilan.exports.report_text import score_report
from bilan.exports.results import questionnaire_identity, results_dict
from bilan.exports.template import blank_answers
from bilan.resources import DEFAULT_QUESTIONNAIRE, load_campaign


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{output}: écriture impossible ({exc.strerror})") from None


def check(args: argparse.Namespace) -> int:
    source = args.source or args.questionnaire or DEFAULT_QUESTIONNAIRE
    campaign = load_campaign(source, analyse=True)
    sys.stdout.write(summary(campaign, str(source)))
    return 0


def template(args: argparse.Namespace) -> int:
    sys.stdout.write(blank_answers(load_campaign(args.questionnaire)))
    return 0


def score(args: argparse.Namespace) -> int:
    campaign = load_campaign(args.questionnaire)
    engine = Engine(campaign)
    declarations: list[tuple[str, Any]] = []
    failures: list[str] = []
    for path in args.files:
        try:
            declarations.extend(read_declarations(path, campaign))
        except AnswersError as exc:
            failures.append(exc.render())
    if args.format == "toml":
        out: dict[str, Any] = {"questionnaire": questionnaire_identity(campaign), "declaration": []}
        for name, declaration in declarations:
            entry = {"fichier": name, **declaration_to_dict(declaration, campaign)}
            entry.pop("bilan", None)
            entry["resultats"] = results_dict(campaign, engine.score(declaration))
            out["declaration"].append(entry)
        _write(tomli_w.dumps(out), args.output)
    else:
        parts = [score_report(campaign, name, d, engine.score(d)) for name, d in declarations]
        _write("\n".join(parts), args.output)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        print(f"{len(failures)} fichier(s) refusé(s) sur {len(args.files)}", file=sys.stderr)
        return 1
    return 0
