"""The non-interactive subcommands: check, template, score."""

from __future__ import annotations

import argparse
import sys

from bilan.cli.resources import campaign_path, load_campaign
from bilan.common.outputs import emit
from bilan.common.terminal import neutralise, show
from bilan.dsl.summary import summary


def check(args: argparse.Namespace) -> int:
    source = campaign_path(args)
    campaign = load_campaign(source, analyse=True)
    show(summary(campaign, str(source)), sys.stdout)
    return 0


def template(args: argparse.Namespace) -> int:
    from bilan.exports.template import blank_answers

    emit(blank_answers(load_campaign(campaign_path(args))), None)
    return 0


def score(args: argparse.Namespace) -> int:
    from bilan.cli.batch import distinct, score_files  # multiprocessing and the TOML writer: only to score

    source = campaign_path(args)
    campaign = load_campaign(source)
    paths = distinct(list(args.files))  # a file named twice is scored once, as import reads it once
    text, failures = score_files(campaign, paths, args.format)
    emit(text, args.output, inputs=[*paths, source])
    if failures:
        print(neutralise("\n".join(failures)), file=sys.stderr)
        print(f"{len(failures)} fichier(s) refusé(s) sur {len(paths)}", file=sys.stderr)
        return 1
    return 0
