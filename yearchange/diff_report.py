"""`bilan diff` as text for a maintainer, or as TOML for a program."""

from __future__ import annotations

import itertools
from typing import Any

from bilan.dsl.summary import entry_period
from bilan.engine.model import Campaign
from bilan.exports import toml_writer
from bilan.exports.results import questionnaire_identity
from bilan.yearchange.changes import ANSWERS, EFFECTS, SCORES, WORDING, Change
from bilan.yearchange.diff import Diff

TITLES = {
    ANSWERS: "Réponses à reprendre (questions, réponses possibles, conditions, contrôles)",
    SCORES: "Scores (points, maxima, pondérations, formules, classes)",
    WORDING: "Libellés seulement (textes, consignes, numéros, preuves)",
}
NOTHING = "(aucun)"
_INLINE = 70  # before and after shown on one line up to this many characters together


def _campaign_line(campaign: Campaign, source: str) -> str:
    return f"campagne {campaign.year} ({source}, {entry_period(campaign)})"


def diff_text(d: Diff, old_source: str, new_source: str) -> str:
    old, new = d.correspondence.old, d.correspondence.new
    counts = {e: len(d.of(e)) for e in EFFECTS}
    lines = [
        f"avant : {_campaign_line(old, old_source)}",
        f"après : {_campaign_line(new, new_source)}",
    ]
    if not d.changes and not d.correspondence.unknown:
        lines.append("aucune différence de sens entre les deux campagnes")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{len(d.changes)} changement(s) : {counts[ANSWERS]} pour les réponses, {counts[SCORES]} pour les scores, "
        f"{counts[WORDING]} de libellé"
    )
    if d.correspondence.unknown:
        lines += ["", f"À vérifier : « renomme de » sans correspondant dans {old_source}"]
        lines += [f"  {u}" for u in d.correspondence.unknown]
    for effect in EFFECTS:
        changes = d.of(effect)
        if not changes:
            continue
        lines += ["", f"{TITLES[effect]} — {len(changes)}"]
        for subject, group in itertools.groupby(changes, key=lambda c: c.subject):
            lines.append(f"  {subject}")
            lines += [line for c in group for line in _change_lines(c)]
    return "\n".join(lines) + "\n"


def _change_lines(c: Change) -> list[str]:
    before, after = c.before, c.after
    if c.paired:  # one side missing: it had none, or has none now
        before, after = before or NOTHING, after or NOTHING
    if before is None and after is None:
        return [f"    {c.what}"]
    if before is None or after is None:
        return [f"    {c.what} : {after if before is None else before}"]
    if len(before) + len(after) <= _INLINE:
        return [f"    {c.what} : {before} → {after}"]
    return [f"    {c.what}", f"      avant : {before}", f"      après : {after}"]


def diff_toml(d: Diff, old_source: str, new_source: str) -> str:
    corr = d.correspondence
    data: dict[str, Any] = {
        "avant": {**questionnaire_identity(corr.old), "fichier": old_source},
        "apres": {**questionnaire_identity(corr.new), "fichier": new_source},
        "resume": {e: len(d.of(e)) for e in EFFECTS},
    }
    if corr.unknown:
        data["a_verifier"] = list(corr.unknown)
    data["changement"] = [_change_entry(c) for c in d.changes]
    return toml_writer.dumps(data)


def _change_entry(c: Change) -> dict[str, str]:
    entry = {"effet": c.effect, "objet": c.kind, "nom": c.name, "sujet": c.subject, "quoi": c.what}
    if c.before is not None:
        entry["avant"] = c.before
    if c.after is not None:
        entry["apres"] = c.after
    return entry
