"""`bilan import` and `bilan export`: declarations in and out of the store as answers TOML."""

from __future__ import annotations

import argparse
from pathlib import Path

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, campaign_path, load_campaign
from bilan.common.errors import UserError
from bilan.common.outputs import emit
from bilan.engine.declaration_state import BlockSource
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports import toml_writer
from bilan.exports.answers_toml import dumps_declaration
from bilan.exports.results import results_dict
from bilan.store.db import Store
from bilan.store.paths import SIDE_FILES, default_store


def store_path(args: argparse.Namespace) -> Path:
    return Path(args.store) if args.store else default_store()


def open_store(args: argparse.Namespace) -> Store:
    return Store(store_path(args))


def store_files(store: Store) -> list[Path]:
    """The store's database and its side files: an export must never be written over them."""
    return [store.path, *(store.path.with_name(store.path.name + side) for side in SIDE_FILES)]


def finess_of(decl: Declaration, filename: str) -> str:
    finess = decl.answers.get("finess")
    if not isinstance(finess, str):
        raise UserError(f"{filename}: [etablissement] finess manquant : il identifie la déclaration dans la base")
    return finess


def import_(args: argparse.Namespace) -> int:
    """Import TOML declarations: every file is checked whole before anything is written."""
    from bilan.cli.bulk import import_files

    return import_files(args)


def declaration_text(campaign: Campaign, decl: Declaration, engine: Engine | None) -> str:
    """An answers TOML, followed by the declaration's results when an engine is given."""
    text = dumps_declaration(decl, campaign)
    if engine is not None:
        text += "\n" + toml_writer.dumps({"resultats": results_dict(campaign, engine.score(decl), decl.state)})
    return text


def import_notes(campaign: Campaign, decl: Declaration, stored: dict[str, BlockSource]) -> list[str]:
    """What an import did beyond the answers: a validation it did not copy, where each data
    block now comes from, the administration's figures it kept."""
    notes = []
    state = decl.state
    if state.validated_at:
        notes.append(
            f"le fichier porte une validation ({state.validation_text()}) : la déclaration importée "
            "n’est pas validée ; la valider dans l’application"
        )
    for block in campaign.data_blocks:
        source = stored.get(block.name)
        if source is None:
            continue
        kept = not source.provisional and (block.name not in decl.blocks or block.name in state.provisional_blocks)
        if kept:
            brought = "provisoires dans le fichier" if block.name in decl.blocks else "absentes du fichier"
            notes.append(f"{block.title} : données {source.describe()} conservées ({brought})")
        else:
            notes.append(f"{block.title} : {source.describe()}")
    return notes


def export_text(store: Store, declaration: int, with_scores: bool, questionnaire: Path = DEFAULT_QUESTIONNAIRE) -> str:
    """The answers TOML of a stored declaration, optionally followed by its scores."""
    campaign = load_campaign(questionnaire)
    return declaration_text(campaign, store.load(declaration), Engine(campaign) if with_scores else None)


def export(args: argparse.Namespace) -> int:
    if args.all:
        from bilan.cli.bulk import export_all

        return export_all(args)
    source = campaign_path(args)
    campaign = load_campaign(source)
    store = open_store(args)
    try:
        rows = store.declarations(campaign.year)
        if args.finess:
            rows = [r for r in rows if r.finess == args.finess]
            if not rows:
                raise UserError(f"aucune déclaration {campaign.year} pour le FINESS {args.finess} dans {store.path}")
        elif not rows:
            raise UserError(f"aucune déclaration {campaign.year} dans {store.path}")
        text = export_text(store, rows[0].id, args.with_scores, source)
    finally:
        store.close()
    emit(text, args.output, inputs=[*store_files(store), source])
    return 0
