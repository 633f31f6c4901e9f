"""A whole campaign in and out of the store: `bilan import FILES…` and `bilan export --all`.

Import: every file is read and checked before anything is written, then all declarations go in
one transaction (all or nothing, like the import of one file). A file named twice (the same file
through any path) is read once; two files for the same establishment are refused. A results file
of `bilan score --format toml` or `bilan export --all` brings all its declarations.

Export: `-o DIR` writes one answers file per declaration, `DIR/<FINESS>-<year>.toml` (what
`bilan export FINESS` writes); without `-o`, one stream in the format of `bilan score --format
toml` (a `[questionnaire]` table, then one `[[declaration]]` per establishment), which `bilan
score` and `bilan import` read back. `--with-scores` adds each declaration's results.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bilan.cli.batch import distinct
from bilan.cli.progress import Progress
from bilan.cli.resources import campaign_path, load_campaign
from bilan.cli.storage import declaration_text, finess_of, import_notes, open_store, store_files
from bilan.common.errors import UserError, system_reason
from bilan.common.outputs import write_output
from bilan.common.terminal import neutralise
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import AnswersError, read_declarations
from bilan.exports.results import results_file_entry, results_file_head


def _read_all(paths: list[Path], campaign: Campaign) -> list[tuple[str, str, Declaration]]:
    """(where, FINESS, declaration) for every declaration of every file, or a UserError that
    lists every problem of every file."""
    problems: list[str] = []
    refused = 0
    found: list[tuple[str, str, Declaration]] = []
    first_of: dict[str, str] = {}
    progress = Progress(len(paths), "lecture")
    for n, path in enumerate(paths, start=1):
        try:
            declarations = read_declarations(path, campaign)
        except AnswersError as exc:
            problems.append(exc.render())
            refused += 1
            continue
        before = len(problems)
        for where, decl in declarations:
            try:
                finess = finess_of(decl, where)
            except UserError as exc:
                problems.append(exc.message)
                continue
            if finess in first_of:
                problems.append(
                    f"{where}: FINESS {finess} déjà importé par {first_of[finess]} "
                    "(une déclaration par établissement et par campagne)"
                )
                continue
            first_of[finess] = where
            found.append((where, finess, decl))
        refused += len(problems) > before
        progress.tick(n)
    progress.close()
    if problems:
        problems.append(f"{refused} fichier(s) refusé(s) sur {len(paths)} : rien n’a été importé")
        raise UserError("\n".join(problems))
    return found


def import_files(args: argparse.Namespace) -> int:
    campaign = load_campaign(campaign_path(args))
    batch = _read_all(distinct(list(args.files)), campaign)
    store = open_store(args)
    progress = Progress(len(batch), "import")
    try:
        ids = store.import_declarations(
            campaign.year, [(finess, decl) for _, finess, decl in batch], replace=args.replace, progress=progress.tick
        )
        notes = [
            f"{where}: {note}"
            for (where, _, decl), declaration in zip(batch, ids, strict=True)
            for note in import_notes(campaign, decl, store.block_sources(declaration))
        ]
    finally:
        progress.close()
        store.close()
    if len(batch) == 1:
        where, finess, decl = batch[0]
        done = f"{where}: déclaration {campaign.year} du FINESS {finess} importée ({len(decl.answers)} réponses)"
    else:
        done = f"{len(batch)} déclarations {campaign.year} importées"
    print(neutralise(f"{done} dans {store.path}"), file=sys.stderr)
    for note in notes:
        print(neutralise(note), file=sys.stderr)
    return 0


def export_all(args: argparse.Namespace) -> int:
    if args.finess:
        raise UserError("--all exporte toutes les déclarations de la campagne : ne pas donner de FINESS")
    campaign = load_campaign(campaign_path(args))
    store = open_store(args)
    try:
        loaded = store.load_year(campaign.year)
    finally:
        store.close()
    if not loaded:
        raise UserError(f"aucune déclaration {campaign.year} dans {store.path}")
    engine = Engine(campaign) if args.with_scores else None
    progress = Progress(len(loaded), "export")
    try:
        if args.output:
            inputs = [*store_files(store), campaign_path(args)]
            _to_folder(Path(args.output), campaign, [(r.finess, d) for r, d in loaded], engine, progress, inputs)
        else:
            _to_stream(campaign, [(r.finess, d) for r, d in loaded], engine, progress)
    finally:
        progress.close()
    return 0


def _to_folder(
    folder: Path,
    campaign: Campaign,
    loaded: list[tuple[str, Declaration]],
    engine: Engine | None,
    progress: Progress,
    inputs: list[Path],
) -> None:
    make_folder(folder, "--all écrit un fichier par déclaration")
    for n, (finess, decl) in enumerate(loaded, start=1):
        write_output(folder / f"{finess}-{campaign.year}.toml", declaration_text(campaign, decl, engine), inputs)
        progress.tick(n)


def _to_stream(
    campaign: Campaign, loaded: list[tuple[str, Declaration]], engine: Engine | None, progress: Progress
) -> None:
    sys.stdout.write(results_file_head(campaign))
    for n, (finess, decl) in enumerate(loaded, start=1):
        result = engine.score(decl) if engine is not None else None
        sys.stdout.write("\n" + results_file_entry(campaign, f"{finess}-{campaign.year}.toml", decl, result))
        progress.tick(n)


def make_folder(folder: Path, why: str) -> None:
    """The folder of a command's output files (created if need be), or why it cannot be: `why`
    says what the folder is for."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: n’est pas un dossier ({why})")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{folder}: dossier impossible à créer ({system_reason(exc)})") from None
