"""Builders of declarations for tests: every answer at its best, then overrides."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from bilan.engine.model import Campaign, ChoiceType, Field, MultiChoiceType, NumberType, TextType
from bilan.engine.result import Declaration

BEST: dict[str, Any] = {
    "reunions_clin": 3,
    "reunions_groupes": 4,
    "services_total": 10,
    "services_correspondants.medical": 6,
    "services_correspondants.paramedical": 10,
    "ecs": "oui_seuil",
    "laboratoire": "interne",
    "prescription_etendue": "totale",
    "commission_atb_reunions": 3,
    "iso.site_operatoire.disciplines": 2,
    "statut": "public",
    "categorie": 1,
    "chirurgie": "oui",
    "urgences": "oui",
    "postcure": "non",
}
TEXTS = {"finess": "750712184", "courriel": "eoh@chu.fr", "telephone": "0140567287"}


def _value(v: Any, ftype: object = None) -> Any:
    """Numbers become Fractions, except the integer codes of a choice (categories)."""
    if isinstance(ftype, ChoiceType):
        return v
    return Fraction(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


def best_answers(campaign: Campaign) -> dict[str, Any]:
    """Yes everywhere, numbers that earn the top points, a public CHU with surgery."""
    answers: dict[str, Any] = {}
    for section in campaign.fiches + campaign.chapters:
        for f in section.fields():
            t = f.type
            if f.name in BEST:
                answers[f.name] = _value(BEST[f.name], t)
            elif isinstance(t, ChoiceType):
                answers[f.name] = "oui" if "oui" in t.codes else t.codes[0]
            elif isinstance(t, NumberType):
                answers[f.name] = Fraction(1)
            elif isinstance(t, MultiChoiceType):
                answers[f.name] = frozenset(t.choice.codes[:2])
            elif isinstance(t, TextType):
                answers[f.name] = TEXTS.get(t.kind, "X")
    return answers


def declaration(campaign: Campaign, blocks: dict[str, dict[str, Any]] | None = None, **overrides: Any) -> Declaration:
    """Best answers with overrides; keyword names use __ for dots (eohh__medecin).
    A value None removes the answer."""
    answers = best_answers(campaign)
    if overrides.get("chirurgie") == "non":
        answers["antibioprophylaxie"] = "non_concerne"
    if overrides.get("urgences") == "non":
        answers["antibiotherapie_urgences"] = "non_concerne"
    for key, value in overrides.items():
        name = key.replace("__", ".")
        if value is None:
            answers.pop(name, None)
        else:
            field = campaign.fields.get(name)
            answers[name] = _value(value, field.type if field else None)
    present = set()
    for block, values in (blocks or {}).items():
        present.add(block)
        for key, value in values.items():
            answers[f"{block}.{key}"] = _value(value)
    return Declaration(answers, frozenset(present))


def _number(t: NumberType, rng: random.Random) -> Fraction:
    scale = 10**t.decimals
    top = int(t.upper * scale)
    choice = rng.random()
    if choice < 0.2:
        return t.minimum
    if choice < 0.3:
        return t.upper
    if choice < 0.8:
        return Fraction(rng.randint(int(t.minimum * scale), min(top, 12 * scale)), scale)
    return Fraction(rng.randint(int(t.minimum * scale), top), scale)


def _answer(f: Field, rng: random.Random) -> Any:
    t = f.type
    if isinstance(t, ChoiceType):
        return rng.choice(t.codes)
    if isinstance(t, MultiChoiceType):
        codes = list(t.choice.codes)
        return frozenset(rng.sample(codes, rng.randint(0, len(codes))))
    if isinstance(t, NumberType):
        return _number(t, rng)
    assert isinstance(t, TextType)
    return "750712184" if t.kind == "finess" else "texte"


def random_declaration(campaign: Campaign, rng: random.Random) -> Declaration:
    """Any mix of answered, unanswered and hidden-but-answered fields, present or absent data
    blocks (with zeros, for divisions by zero), some warnings justified."""
    answers: dict[str, Any] = {}
    gaps = rng.choice([0.0, 0.1, 0.5])
    for section in campaign.fiches + campaign.chapters:
        for f in section.fields():
            if rng.random() >= gaps:
                answers[f.name] = _answer(f, rng)
    blocks = set()
    for block in campaign.data_blocks:
        if rng.random() < 0.7:
            blocks.add(block.name)
            for f in block.fields():
                if rng.random() < 0.9:
                    answers[f.name] = rng.choice([Fraction(0), Fraction(rng.randint(0, 200_000))])
    warnings = [c.name for c in campaign.checks if c.severity == "avertissement"]
    justified = {name: rng.choice(["", "vu"]) for name in warnings if rng.random() < 0.5}
    return Declaration(answers, frozenset(blocks), justified)
