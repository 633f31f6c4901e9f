"""`bilan import` and `bilan export`: declarations in and out of the store as answers TOML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bilan.cli.resources import load_campaign
from bilan.common.errors import UserError
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports import toml_writer
from bilan.exports.answers_toml import dumps_declaration
from bilan.exports.results import results_dict
from bilan.store.db import Store
from bilan.store.paths import default_store


def open_store(args: argparse.Namespace) -> Store:
    return Store(args.store or default_store())


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
        text += "\n" + toml_writer.dumps({"resultats": results_dict(campaign, engine.score(decl))})
    return text


def export_text(store: Store, declaration: int, with_scores: bool, questionnaire: Path | None = None) -> str:
    """The answers TOML of a stored declaration, optionally followed by its scores."""
    campaign = load_campaign(questionnaire) if questionnaire else load_campaign()
    return declaration_text(campaign, store.load(declaration), Engine(campaign) if with_scores else None)


def export(args: argparse.Namespace) -> int:
    if args.all:
        from bilan.cli.bulk import export_all

        return export_all(args)
    campaign = load_campaign(args.questionnaire)
    store = open_store(args)
    try:
        rows = store.declarations(campaign.year)
        if args.finess:
            rows = [r for r in rows if r.finess == args.finess]
            if not rows:
                raise UserError(f"aucune déclaration {campaign.year} pour le FINESS {args.finess} dans {store.path}")
        elif not rows:
            raise UserError(f"aucune déclaration {campaign.year} dans {store.path}")
        text = export_text(store, rows[0].id, args.with_scores, args.questionnaire)
    finally:
        store.close()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.output}: écriture impossible ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
    return 0
