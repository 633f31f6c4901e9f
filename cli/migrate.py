"""`bilan migrate --to NEW.bilan`: last year's answers files into a folder, or a whole store's year
into the next one; the report on standard output, nothing written with --dry-run.

Files: every file is read (by the campaign of -q) before anything is written; each declaration
becomes `DIR/<its file name>`, a trailing `-<old year>` of the name becoming `-<new year>`. Store:
the new year's declarations are created in one transaction, or none (see Store.open_year); last
year's are only read.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import attrs

from bilan.cli.batch import distinct, parallel_map
from bilan.cli.bulk import make_folder
from bilan.cli.progress import Progress
from bilan.cli.storage import open_store, store_path
from bilan.common.errors import UserError
from bilan.common.outputs import emit, refuse_inputs, write_new
from bilan.common.terminal import neutralise
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import AnswersError, dumps_declaration, read_declarations
from bilan.yearchange.correspondence import Correspondence
from bilan.yearchange.migration import Migration, Migrator
from bilan.yearchange.migration_report import migration_report

DRY_RUN = "--dry-run : rien n’a été écrit"


def _migrate_all(corr: Correspondence, declarations: list[tuple[str, Declaration]]) -> list[tuple[str, Migration]]:
    migrator = Migrator(corr, keep_data=False)
    progress = Progress(len(declarations), "reprise")
    out = []
    try:
        for n, (name, decl) in enumerate(declarations, start=1):
            out.append((name, migrator.migrate(decl)))
            progress.tick(n)
    finally:
        progress.close()
    return out


def target_name(name: str, old_year: int, new_year: int) -> str:
    """The file a migrated declaration goes to: its own file name, `-2009.toml` becoming `-2010.toml`."""
    return re.sub(rf"-{old_year}(\.toml)$", rf"-{new_year}\1", Path(name).name)


@attrs.frozen
class _Reader:
    """One file's declarations, or its problem: run in forked workers for a large batch."""

    campaign: Campaign

    def __call__(self, path: Path) -> tuple[list[tuple[str, Declaration]], str | None]:
        try:
            declarations = read_declarations(path, self.campaign)
        except AnswersError as exc:
            return [], exc.render()
        for name, decl in declarations:  # an empty file reads as a declaration of nobody
            if not decl.answers:
                return [], f"{name}: aucune réponse : rien à reprendre (un fichier vide ?)"
        return declarations, None


def _read(paths: list[Path], corr: Correspondence) -> list[tuple[Path, str, Declaration]]:
    """Every declaration of every file, or a UserError naming every file that cannot be read."""
    problems: list[str] = []
    found: list[tuple[Path, str, Declaration]] = []
    progress = Progress(len(paths), "lecture")
    try:
        outcomes = parallel_map(_Reader(corr.old), paths)
        for n, (path, (declarations, problem)) in enumerate(zip(paths, outcomes, strict=True), start=1):
            found += [(path, name, decl) for name, decl in declarations]
            if problem is not None:
                problems.append(problem)
            progress.tick(n)
    finally:
        progress.close()
    if problems:
        problems.append(f"{len(problems)} fichier(s) refusé(s) sur {len(paths)} : rien n’a été écrit")
        raise UserError("\n".join(problems))
    return found


def files(args: argparse.Namespace, corr: Correspondence, old_path: Path) -> int:
    if args.output is None and not args.dry_run:
        raise UserError(
            f"-o DOSSIER manquant : le dossier où écrire les fichiers de la campagne {corr.new.year} "
            "(ou --dry-run pour le seul compte rendu)"
        )
    paths = distinct(list(args.files))
    found = _read(paths, corr)
    folder = Path(args.output) if args.output else Path(".")
    targets: list[str] = []
    first: dict[str, str] = {}
    for _, name, _ in found:
        target = target_name(name, corr.old.year, corr.new.year)
        if first.setdefault(target, name) != name:
            raise UserError(f"{name} et {first[target]} iraient tous deux dans {folder / target} : rien n’a été écrit")
        targets.append(target)
    inputs = [*paths, old_path, args.to]
    refusal = _taken(folder, targets, inputs)
    if refusal and not args.dry_run:
        raise UserError(refusal + " : rien n’a été écrit")
    named = [(f"{name} → {folder / target}", decl) for (_, name, decl), target in zip(found, targets, strict=True)]
    migrations = _migrate_all(corr, named)
    if refusal:
        print(neutralise(refusal + " : la reprise serait refusée"), file=sys.stderr)
    if not args.dry_run:
        _write_folder(folder, corr, targets, [m for _, m in migrations])
    report = migration_report(corr, migrations, f"dossier {folder}")
    emit(report + (DRY_RUN + "\n" if args.dry_run else ""), None)
    return 0


def _taken(folder: Path, names: list[str], inputs: list[Path]) -> str | None:
    """Why some target cannot be written, checked before any is: one is an input, or exists
    already (last run's file, perhaps completed since: a reprise never overwrites it).
    One stat per file (not one per target and input: 3,000 files would make 9 million)."""
    read = {_identity(p) for p in inputs}
    present = []
    for name in names:
        found = _identity(folder / name)
        if found is None:
            continue
        if found in read:
            refuse_inputs(folder / name, inputs)  # raises, naming the input
        present.append(name)
    if not present:
        return None
    shown = ", ".join(present[:10]) + (f" et {len(present) - 10} autre(s)" if len(present) > 10 else "")
    return f"{len(present)} fichier(s) déjà présent(s) dans {folder}, qu’une reprise n’écrase pas : {shown}"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _write_folder(folder: Path, corr: Correspondence, names: list[str], migrations: list[Migration]) -> None:
    make_folder(folder, "-o nomme le dossier des fichiers repris")
    written: list[Path] = []
    try:
        for name, m in zip(names, migrations, strict=True):
            write_new(folder / name, dumps_declaration(m.declaration, corr.new))  # inputs: see _taken
            written.append(folder / name)
    except BaseException:  # Ctrl-C, a full disk: all or nothing, as on a store (none existed: see _taken)
        for path in written:
            path.unlink(missing_ok=True)
        raise


def store(args: argparse.Namespace, corr: Correspondence) -> int:
    path = store_path(args)
    if not path.exists():  # a mistyped --store must not leave an empty database behind
        raise UserError(f"{path} : base introuvable ; --store nomme la base qui contient la campagne {corr.old.year}")
    db = open_store(args)
    try:
        loaded = db.load_year(corr.old.year)
        if not loaded:
            raise UserError(f"aucune déclaration {corr.old.year} dans {db.path} : rien à reprendre")
        labels = {row.finess: _label(row.finess, decl) for row, decl in loaded}
        migrations = _migrate_all(corr, [(labels[row.finess], decl) for row, decl in loaded])
        new = [(row.finess, m.declaration) for (row, _), (_, m) in zip(loaded, migrations, strict=True)]
        if args.dry_run:
            existing = {r.finess for r in db.declarations(corr.new.year)} & set(labels)
            if existing:
                listed = ", ".join(sorted(existing))
                refusal = f"campagne {corr.new.year} déjà ouverte pour : {listed} ; la reprise serait refusée"
                print(neutralise(refusal), file=sys.stderr)
        else:
            progress = Progress(len(new), "écriture")
            try:
                db.open_year(corr.new.year, new, origin=f"reprise {corr.old.year}", progress=progress.tick)
            finally:
                progress.close()
    finally:
        db.close()
    report = migration_report(corr, migrations, f"base {db.path}")
    if args.dry_run:
        report += DRY_RUN + "\n"
    else:
        created = f"{len(new)} déclaration(s) créée(s), historique « reprise {corr.old.year} »"
        report += f"campagne {corr.new.year} ouverte : {created}\n"
    emit(report, None)
    return 0


def _label(finess: str, decl: Declaration) -> str:
    name = decl.answers.get("raison_sociale")
    return f"FINESS {finess}" + (f" — {name}" if isinstance(name, str) else "")
