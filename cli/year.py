"""The year change: `bilan diff`, `bilan migrate` (files, or a whole store) and `bilan impact`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bilan.cli.batch import distinct, parallel_map
from bilan.cli.progress import Progress
from bilan.cli.resources import campaign_path, load_campaign, refuse_questionnaire
from bilan.common.errors import UserError
from bilan.common.outputs import emit
from bilan.common.terminal import neutralise
from bilan.engine.model import Campaign
from bilan.yearchange.correspondence import Correspondence, correspond
from bilan.yearchange.diff import diff as campaign_diff
from bilan.yearchange.diff_report import diff_text, diff_toml
from bilan.yearchange.impact import ImpactRunner, declarations_of
from bilan.yearchange.impact_report import impact_text, impact_toml


def _pair(old_path: Path, new_path: Path) -> Correspondence:
    """Both campaigns, each as `bilan check` accepts it: a campaign whose maxima it cannot prove
    must not be compared, migrated into or rescored (the analysis is cached with the campaign).
    When both have errors, both are reported (the second file's used to wait for another run)."""
    campaigns: list[Campaign] = []
    problems: list[str] = []
    for path in (old_path, new_path):
        try:
            campaigns.append(load_campaign(path, analyse=True))
        except UserError as exc:
            problems.append(exc.render())
    if problems:
        raise UserError("\n".join(problems))
    old, new = campaigns
    return correspond(old, new)


def _warn_unknown(corr: Correspondence) -> None:
    for line in corr.unknown:
        print(neutralise(f"attention : {line}"), file=sys.stderr)


def diff(args: argparse.Namespace) -> int:
    refuse_questionnaire(args, "diff", "ANCIEN.bilan NOUVEAU.bilan")
    corr = _pair(args.old, args.new)
    d = campaign_diff(corr.old, corr.new)
    render = diff_toml if args.format == "toml" else diff_text
    emit(render(d, str(args.old), str(args.new)), args.output, inputs=[args.old, args.new])
    return 0


def migrate(args: argparse.Namespace) -> int:
    from bilan.cli import migrate as migrate_cli  # the store is opened only by this command

    if not args.files and args.output is not None:  # -o was ignored, and the store migrated in place
        raise UserError(
            f"-o {args.output} : sans fichiers, bilan migrate reprend les déclarations de la base, "
            "dans la base ; -o n’a d’effet qu’avec des fichiers à reprendre"
        )
    old_path = campaign_path(args)
    corr = _pair(old_path, args.to)
    if corr.new.year <= corr.old.year:
        when = "la même que" if corr.new.year == corr.old.year else "antérieure à"
        raise UserError(
            f"--to {args.to} : campagne {corr.new.year}, {when} celle des déclarations ({corr.old.year}) : "
            "une reprise va d’une campagne à la suivante"
        )
    _warn_unknown(corr)
    if args.files:
        return migrate_cli.files(args, corr, old_path)
    return migrate_cli.store(args, corr)


def impact(args: argparse.Namespace) -> int:
    refuse_questionnaire(args, "impact", "ANCIEN.bilan NOUVEAU.bilan FICHIERS…")
    corr = _pair(args.old, args.new)
    _warn_unknown(corr)
    paths = distinct(list(args.files))
    runner = ImpactRunner(corr)
    progress = Progress(len(paths), "impact")
    files = []
    try:
        for n, outcome in enumerate(parallel_map(runner.file, paths), start=1):
            files.append(outcome)
            progress.tick(n)
    finally:
        progress.close()
    problems = [f.problem for f in files if f.problem]
    if problems:
        raise UserError(
            "\n".join([*problems, f"{len(problems)} fichier(s) illisible(s) sur {len(paths)} : aucun impact calculé"])
        )
    render = impact_toml if args.format == "toml" else impact_text
    text = render(corr.old, corr.new, str(args.old), str(args.new), declarations_of(files))
    emit(text, args.output, inputs=[args.old, args.new, *paths])
    return 0
