"""Double keying through the entry layer: a key in the second keying against one in the first, then the
comparison and the resolution of every difference of a whole declaration.

Run: .venv/bin/python benchmarks/double_keying.py   (prints figures, asserts nothing)

The same declaration (the demo's answers) is typed key by key in a first keying and in a blind
second keying where every tenth answer is read otherwise; each key is timed until it is applied
(answer stored in its own transaction, rescored, next field chosen). No terminal: the screens add
their drawing on top (see tui_latency.py).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ.setdefault("BILAN_TODAY", "2010-04-01")

from typist import char_of, keys_for

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.expr import Value
from bilan.engine.model import NumberType
from bilan.engine.result import Declaration
from bilan.entry.cursor import EntryCursor
from bilan.entry.double_entry import DoubleKeying
from bilan.entry.path import FormPath
from bilan.entry.session import EntrySession
from bilan.store.db import Store


def type_all(session: EntrySession, path: FormPath, target: dict[str, Value]) -> tuple[list[float], list[float]]:
    """Type `target` over the whole form; the time each key took, in milliseconds: keys that stored
    an answer (a transaction with its fsync, a rescoring), and the others (a digit typed, a move)."""
    cursor = EntryCursor(session, path, page=0)
    stored: list[float] = []
    other: list[float] = []
    for _ in range(2000):
        field = cursor.field
        assert field is not None
        outcome = None
        for key in keys_for(field, session.answers.get(field.name), target.get(field.name)):
            start = time.perf_counter()
            outcome = cursor.press(key, char_of(key))
            took = (time.perf_counter() - start) * 1000
            (stored if outcome.answer is not None and outcome.answer.stored else other).append(took)
            assert cursor.halt is None, (field.name, key, outcome)
        if outcome is not None and outcome.end_of_form:
            break
    return stored, other


def main() -> None:
    campaign = load_campaign()
    path = FormPath(campaign)
    demo = demo_declaration(campaign)
    keyed = {f.name for fields in path.fields for f in fields} - path.fixed
    target = {k: v for k, v in demo.answers.items() if k in keyed}
    misread = dict(target)
    for i, name in enumerate(sorted(n for n in target if isinstance(campaign.fields[n].type, NumberType))):
        if i % 10 == 0:
            misread[name] = target[name] + 1  # type: ignore[operator]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "b.sqlite")
        imported = {k: v for k, v in demo.answers.items() if k not in keyed}
        decl = store.import_declaration("750712184", campaign.year, Declaration(imported, demo.blocks))
        first = EntrySession(store, campaign, decl)
        first_keys = type_all(first, path, target)
        control = DoubleKeying(first, path)
        control.start()
        second_keys = type_all(control.session(), path, misread)
        start = time.perf_counter()
        found, _ = control.compare()
        compared = (time.perf_counter() - start) * 1000
        resolutions = []
        for i, difference in enumerate(found):
            start = time.perf_counter()
            control.resolve(difference.field, 1 if i % 2 else 2)
            resolutions.append((time.perf_counter() - start) * 1000)
        store.close()
    for label, (stored, other) in (("first keying", first_keys), ("second keying", second_keys)):
        print(
            f"{label}: {len(stored)} answers stored, median {statistics.median(stored):.2f} ms, worst "
            f"{max(stored):.1f} ms; {len(other)} other keys, median {statistics.median(other):.3f} ms"
        )
    print(f"compare: {len(found)} differences in {compared:.1f} ms")
    print(f"resolve: median {statistics.median(resolutions):.2f} ms per difference, worst {max(resolutions):.1f} ms")


if __name__ == "__main__":
    main()
