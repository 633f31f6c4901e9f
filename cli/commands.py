"""The non-interactive subcommands: check, template, score."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from bilan.common.errors import UserError
from bilan.dsl.summary import summary
from bilan.exports.template import blank_answers


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
    from bilan.cli.batch import score_files

    campaign = load_campaign(args.questionnaire)
    text, failures = score_files(campaign, list(args.files), args.format)
    _write(text, args.output)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        print(f"{len(failures)} fichier(s) refusé(s) sur {len(args.files)}", file=sys.stderr)
        return 1
    return 0
