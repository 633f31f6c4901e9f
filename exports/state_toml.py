"""The `[etat]` table of an answers file: the declaration's validation and the source of each data block.

Written by `bilan export` and the app's export; read back by every command. The validation it
records is information only: importing a file never validates a declaration (`bilan import` says
so). The sources tell provisional figures (typed by the establishment) from the administration's,
so that a provisional block stays provisional, and never replaces the administration's, when the
file is imported again (see docs/answers-format.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

from bilan.engine.declaration_state import ENTERED, IMPORTED, ORIGINS, BlockSource, DeclarationState
from bilan.engine.identifiers import control_problem

STATE = "etat"
DATA = "donnees"
VALIDATED = "validée"
NOT_VALIDATED = "non validée"

Report = Callable[[str, str], None]  # (key path, message): one problem of the file


def state_to_dict(state: DeclarationState) -> dict[str, Any]:
    out: dict[str, Any] = {"statut": VALIDATED if state.validated_at else NOT_VALIDATED}
    if state.validated_at:
        out["validee_le"] = state.validated_at
        out["validee_par"] = state.validated_by or ""
    if state.sources:
        out[DATA] = {
            name: {"origine": s.origin, "provisoire": s.provisional, "par": s.who, "le": s.at}
            for name, s in sorted(state.sources.items())
        }
    return out


def _timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _name_problem(value: object) -> str | None:
    """Why a name (who validated, who supplied a block) cannot be shown as it is, if it cannot."""
    if not isinstance(value, str) or not value.strip():
        return "un nom est attendu"
    return control_problem(value)


def state_from_dict(table: object, blocks: Collection[str], report: Report) -> DeclarationState:
    """Read an `[etat]` table; `blocks` are the data blocks the file supplies. Problems go to `report`."""
    if not isinstance(table, dict):
        report(STATE, "une table est attendue : [etat]")
        return DeclarationState()
    validated_at = validated_by = None
    sources: dict[str, BlockSource] = {}
    for key, value in table.items():
        path = f"{STATE}.{key}"
        if key == "statut":
            if value not in (VALIDATED, NOT_VALIDATED):
                report(path, f"« {VALIDATED} » ou « {NOT_VALIDATED} » attendu")
        elif key == "validee_le":
            if _timestamp(value):
                validated_at = str(value)
            else:
                report(path, 'une date et une heure sont attendues, ex. "2010-04-12T09:30:00"')
        elif key == "validee_par":
            problem = _name_problem(value)
            if problem:
                report(path, problem)
            else:
                validated_by = str(value).strip()
        elif key == DATA:
            if not isinstance(value, dict):
                report(path, "une table est attendue : [etat.donnees.BLOC]")
                continue
            for block, entry in value.items():
                source = _source(block, entry, blocks, f"{path}.{block}", report)
                if source is not None:
                    sources[block] = source
        else:
            report(path, "clé inconnue ; clés possibles : statut, validee_le, validee_par, donnees.BLOC")
    if (validated_at is None) != (validated_by is None):
        report(STATE, "validee_le et validee_par vont ensemble")
        validated_at = validated_by = None
    return DeclarationState(validated_at, validated_by, sources)


def _source(block: str, entry: object, blocks: Collection[str], path: str, report: Report) -> BlockSource | None:
    if block not in blocks:
        report(path, f"le bloc [{block}] n’est pas fourni dans ce fichier : son origine est sans objet")
        return None
    if not isinstance(entry, dict):
        report(path, "une table est attendue : origine, provisoire, par, le")
        return None
    origin, who, at = entry.get("origine"), entry.get("par"), entry.get("le")
    problems = []
    if origin not in ORIGINS:
        problems.append(f"origine : « {IMPORTED} » (administration) ou « {ENTERED} » (établissement) attendu")
    elif "provisoire" in entry and entry["provisoire"] is not (origin == ENTERED):
        problems.append(f"provisoire = {str(origin == ENTERED).lower()} pour l’origine « {origin} »")
    problem = _name_problem(who)
    if problem:
        problems.append(f"par : {problem}")
    if not _timestamp(at):
        problems.append('le : une date et une heure sont attendues, ex. "2010-04-12T09:30:00"')
    unknown = sorted(set(entry) - {"origine", "provisoire", "par", "le"})
    if unknown:
        problems.append(f"clé(s) inconnue(s) : {', '.join(unknown)}")
    for message in problems:
        report(path, message)
    if problems:
        return None
    return BlockSource(block, str(origin), str(who).strip(), str(at))
