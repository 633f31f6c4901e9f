"""The engine: campaign model + one declaration -> Result. Pure and deterministic.

Nothing here knows an indicator by name: visibility, checks, item rules, statuses, formulas and
class limits all come from the compiled campaign. The campaign's rules run as one generated
function (engine/program.py, built once per campaign object); this module turns what it returns
into a Result; the item and indicator results are built by engine/builders.py.
"""

from __future__ import annotations

from itertools import compress
from weakref import WeakKeyDictionary

import attrs

from bilan.engine.model import Campaign
from bilan.engine.program import Program
from bilan.engine.result import CheckResult, Declaration, ItemOverride, ItemResult, Result

_programs: WeakKeyDictionary[Campaign, Program] = WeakKeyDictionary()


def program_for(campaign: Campaign) -> Program:
    """The campaign's generated program, written and compiled once per campaign object."""
    program = _programs.get(campaign)
    if program is None:
        program = _programs[campaign] = Program(campaign)
    return program


class Engine:
    """`score` runs the campaign's generated program and assembles its Result (~0.1 ms)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.program = program_for(campaign)
        self._names = tuple(f.name for f in self.program.entry_fields)
        self._item_codes = tuple(campaign.items)
        self._indicator_codes = tuple(campaign.indicators)
        self._value_names = tuple(campaign.values)
        self._unjustified = [CheckResult(check) for check in campaign.checks]

    def score(self, declaration: Declaration) -> Result:
        overrides = declaration.overrides
        visible, missing, hidden, items, indicators, fired, values = self.program.run(
            declaration.answers, declaration.blocks, self._scaled(overrides) if overrides else {}
        )
        names = self._names
        justifications = declaration.justifications
        checks = tuple(
            CheckResult(c.check, text) if (text := justifications.get(c.check.name)) else c
            for c in compress(self._unjustified, fired)
        )
        return Result(
            frozenset(compress(names, visible)),
            tuple(compress(names, missing)),
            tuple(compress(names, hidden)),
            checks,
            self._items(items, overrides),
            dict(zip(self._indicator_codes, indicators, strict=True)),
            dict(zip(self._value_names, values, strict=True)),
        )

    def _scaled(self, overrides: dict[str, ItemOverride]) -> dict[str, int]:
        """Forced points as the program sums them: whole multiples of the campaign's smallest step."""
        out = {}
        for code, forced in overrides.items():
            item = self.campaign.items.get(code)
            scaled = forced.points * self.program.denominator
            if item is None or scaled.denominator != 1 or not 0 <= forced.points <= item.maximum:
                raise ValueError(f"item {code} : {forced.points} point(s) ne peut être imposé")
            out[code] = int(scaled)
        return out

    def _items(self, items: tuple[ItemResult, ...], overrides: dict[str, ItemOverride]) -> dict[str, ItemResult]:
        out = dict(zip(self._item_codes, items, strict=True))
        for code, forced in overrides.items():
            out[code] = attrs.evolve(out[code], points=forced.points, override=forced.reason)
        return out
