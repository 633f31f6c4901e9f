"""External data: what typing provisional figures costs, and marking the indicators they feed.

Run: .venv/bin/python benchmarks/external_data.py [figures]   (prints figures, asserts nothing)

- the analysis of which indicators read which data block (once per campaign);
- marking the provisional indicators of one result (on every answer, for the score panel);
- one provisional SAE figure typed through the entry layer: stored (one transaction, the block's
  source recorded), rescored, provisional indicators marked;
- the whole SAE page typed in one burst in the app at 80×24 (keys to the last figure stored).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bilan.engine.expr import Value

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def median_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.3f} ms, worst {max(samples) * 1000:.3f} ms"


def main() -> None:
    os.environ["BILAN_TODAY"] = "2010-04-01"
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500

    from bilan.cli.resources import demo_declaration, load_campaign
    from bilan.engine.evaluate import Engine
    from bilan.engine.feeds import Feeds, feeds_of
    from bilan.engine.result import Declaration
    from bilan.entry.session import EntrySession
    from bilan.store.db import Store

    campaign = load_campaign()
    samples = []
    for _ in range(20):
        t0 = time.perf_counter()
        Feeds(campaign)
        samples.append(time.perf_counter() - t0)
    print(f"feeds of the campaign (once per campaign): {median_ms(samples)}")

    demo = demo_declaration(campaign)
    result = Engine(campaign).score(demo)
    feeds = feeds_of(campaign)
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        feeds.provisional(result, frozenset({"sae"}))
        samples.append(time.perf_counter() - t0)
    print(f"provisional indicators of one result: {median_ms(samples)} ({count} runs)")

    answers = {k: v for k, v in demo.answers.items() if k.split(".")[0] not in demo.blocks}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "b.sqlite")
        declaration = store.import_declaration("750712184", 2009, Declaration(answers, frozenset()))
        session = EntrySession(store, campaign, declaration)
        samples = []
        for i in range(count):
            t0 = time.perf_counter()
            session.answer("sae.medecine", Fraction(100000 + i))
            session.provisional_indicators()
            samples.append(time.perf_counter() - t0)
        print(f"one provisional figure stored, rescored, marked: {median_ms(samples)} ({count} figures)")
        session.close()
        store.close()
        print(f"the SAE page typed in one burst in the app: {asyncio.run(burst_page(Path(tmp), answers)):.2f} s")


async def burst_page(folder: Path, answers: dict[str, Value]) -> float:
    from test_tui_support import make_app
    from typist import burst

    from bilan.cli.resources import load_campaign
    from bilan.engine.result import Declaration
    from bilan.store.db import Store

    campaign = load_campaign()
    store = Store(folder / "burst.sqlite")
    declaration = store.import_declaration("750712184", 2009, Declaration(answers, frozenset()))
    store.close()
    app = make_app(campaign, folder / "burst.sqlite", declaration)
    sae = next(b for b in campaign.data_blocks if b.name == "sae")
    keys = [k for i, _ in enumerate(sae.fields()) for k in [*str(10000 * (i + 1)), "enter"]]
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, ["d"])
        t0 = time.perf_counter()
        await burst(pilot, keys)
        elapsed = time.perf_counter() - t0
        assert app.session is not None and app.session.answers["sae.jh_complete"] == Fraction(110000)
    return elapsed


if __name__ == "__main__":
    main()
