"""Entry app latency: cold start to the first usable screen, and key press to refreshed score panel.

Run: .venv/bin/python benchmarks/tui_latency.py [answers]   (prints figures, asserts nothing)

Cold start is measured in a fresh interpreter (`bilan --demo` up to the home screen being drawn).
The key-press latency is measured in-process with Pilot: the time from posting a key to the score
panel having been updated for that answer, over a few hundred answers on the full questionnaire.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bilan.engine.model import Campaign
    from bilan.engine.result import Result

COLD = """
import time, os, sys
t0 = time.perf_counter()
from bilan.cli.resources import load_campaign
from bilan.store.db import Store
from bilan.tui.app import BilanApp
from bilan.cli.app import open_demo
async def main():
    c = load_campaign(); s = Store(sys.argv[1]); d = open_demo(s, c)
    app = BilanApp(c, s, d)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - t0)
import asyncio; asyncio.run(main())
"""


def cold_start(folder: Path, runs: int = 5) -> list[float]:
    out = []
    for i in range(runs):
        env = {**os.environ, "BILAN_TODAY": "2010-04-01"}
        res = subprocess.run(
            [sys.executable, "-c", COLD, str(folder / f"cold{i}.sqlite")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(float(res.stdout.strip().splitlines()[-1]))
    return out


async def key_latency(folder: Path, count: int) -> list[float]:
    from bilan.cli.app import open_demo
    from bilan.cli.resources import load_campaign
    from bilan.store.db import Store
    from bilan.tui.app import BilanApp
    from bilan.tui.entry import EntryScreen
    from bilan.tui.panels import ScorePanel

    campaign = load_campaign()
    store = Store(folder / "keys.sqlite")
    app = BilanApp(campaign, store, open_demo(store, campaign))
    samples: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "ctrl+g", *"II.2", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        panel = screen.query_one("#scores", ScorePanel)
        shown: list[float] = []
        original = panel.show

        def timed_show(campaign: Campaign, result: Result, provisional: frozenset[str] = frozenset()) -> None:
            original(campaign, result, provisional)
            shown.append(time.perf_counter())

        panel.show = timed_show  # type: ignore[method-assign]  # wraps the panel's method to time each refresh
        for i in range(count):
            assert screen.cursor.position.field == "reunions_clin"
            await pilot.press(str(i % 10))
            shown.clear()
            t0 = time.perf_counter()
            await pilot.press("enter")
            assert shown, "score panel not refreshed"
            samples.append(shown[-1] - t0)
            assert app.session is not None and app.session.answers["reunions_clin"] == Fraction(i % 10)
            await pilot.press("up")
    return samples


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    os.environ["BILAN_TODAY"] = "2010-04-01"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cold = cold_start(folder)
        print(
            f"cold start to first screen: median {statistics.median(cold) * 1000:.0f} ms, "
            f"worst {max(cold) * 1000:.0f} ms ({len(cold)} runs, interpreter start excluded)"
        )
        samples = asyncio.run(key_latency(folder, count))
        print(
            f"key press to refreshed score panel: median {statistics.median(samples) * 1000:.1f} ms, "
            f"worst {max(samples) * 1000:.1f} ms ({len(samples)} answers, stored one transaction each)"
        )


if __name__ == "__main__":
    main()
