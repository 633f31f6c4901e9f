"""engine.meaning: what it leaves out is never what the static analysis decides on."""

from __future__ import annotations

from typing import Any

import attrs

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl import analysis
from bilan.dsl.compiler import compile_source
from bilan.engine.meaning import WORDING, meaning_digest
from bilan.engine.model import Campaign


class _Poison:
    """Stands for a wording: any use of it (comparing, hashing, printing, measuring) fails."""

    def _used(self, *args: object) -> Any:
        raise AssertionError("the analysis read a wording attribute")

    __eq__ = __hash__ = __str__ = __len__ = __iter__ = __format__ = __bool__ = __lt__ = _used


def _poisoned(obj: Any, seen: dict[int, Any]) -> Any:
    """`obj` rebuilt with every wording attribute replaced by a _Poison (sharing kept)."""
    if id(obj) in seen:
        return seen[id(obj)]
    if attrs.has(type(obj)):
        changes = {
            f.alias or f.name: (_Poison() if f.name in WORDING else _poisoned(getattr(obj, f.name), seen))
            for f in attrs.fields(type(obj))
            if f.init
        }
        out = type(obj)(**changes)
    elif isinstance(obj, tuple):
        out = tuple(_poisoned(x, seen) for x in obj)
    elif isinstance(obj, list):
        out = [_poisoned(x, seen) for x in obj]
    elif isinstance(obj, dict):
        out = {k: _poisoned(v, seen) for k, v in obj.items()}
    else:
        return obj
    seen[id(obj)] = out
    return out


def test_the_analysis_passes_without_reading_any_wording(campaign: Campaign) -> None:
    """The 2009 campaign passes the analysis with every wording attribute unusable: what the
    digest leaves out cannot change a verdict (wording only goes into the messages of failures)."""
    poisoned = _poisoned(campaign, {})
    assert isinstance(poisoned, Campaign)
    assert isinstance(poisoned.items["SURVISO"].title, _Poison)
    assert analysis.analyse(poisoned) == []


def test_wording_and_places_do_not_change_the_digest_anything_else_does(campaign: Campaign) -> None:
    text = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    reworded = text.replace('chapitre II "CLIN"', 'chapitre II "Comité"').replace("\nitem ", "\n\n# note\nitem ", 3)
    assert meaning_digest(compile_source(reworded, "ailleurs.bilan", analyse=False)) == meaning_digest(campaign)
    for old, new in [("entier 9 chiffres", "entier 8 chiffres"), ("campagne 2009", "campagne 2010")]:
        other = text.replace(old, new, 1)
        assert other != text
        assert meaning_digest(compile_source(other, "q.bilan", analyse=False)) != meaning_digest(campaign)


def test_a_value_the_digest_cannot_write_gives_no_digest(campaign: Campaign) -> None:
    assert meaning_digest(campaign) is not None
    assert meaning_digest(attrs.evolve(campaign, values={**campaign.values, "x": object()})) is None  # type: ignore[dict-item]
