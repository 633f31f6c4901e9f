"""Type-ahead in the real app: every chapter of the demo declaration typed into `bilan` in tmux.

For each speed (20 and 50 keys per second, then every key of a chapter in one burst), the app is
started on a store holding only the identification, the keys are sent with `tmux send-keys`, and
the store is compared with the declaration once the app has caught up. Reports the answers that
differ (must be 0) and the keys per second the app sustained (keys sent / time until the last
answer was stored).

Run by hand: python benchmarks/typeahead.py   (needs tmux; about a minute)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from typist import plan_keys

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.result import Declaration
from bilan.store.db import Store

TMUX_KEYS = {
    "enter": "Enter",
    "backspace": "BSpace",
    "space": "Space",
    "ctrl+u": "C-u",
    "pageup": "PPage",
    "pagedown": "NPage",
    "escape": "Escape",
}
SESSION = "bilan-typeahead"
OPEN_DAY = "2010-04-01"


def tmux_key(key: str) -> str:
    if key in TMUX_KEYS:
        return TMUX_KEYS[key]
    from typist import char_of

    char = char_of(key)
    assert char is not None, key
    return char


def stored_answers(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT field, value FROM answers"))


def run(speed: float | None, keys: list[str], store: Path, expected: dict[str, str]) -> tuple[int, float]:
    """Answers that differ from the declaration, and keys per second sustained."""
    env = f"BILAN_TODAY={OPEN_DAY}"
    bilan = shutil.which("bilan") or str(Path(sys.executable).with_name("bilan"))
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    subprocess.run(
        ["tmux", "new", "-d", "-s", SESSION, "-x", "80", "-y", "24", f"{env} {bilan} --store {store}; sleep 30"],
        check=True,
    )
    time.sleep(3)
    subprocess.run(["tmux", "send-keys", "-t", SESSION, "s"], check=True)
    time.sleep(2)
    before = stored_answers(store)
    start = time.monotonic()
    if speed is None:
        subprocess.run(["tmux", "send-keys", "-t", SESSION, *map(tmux_key, keys)], check=True)
    else:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", SESSION, tmux_key(key)], check=True)
            time.sleep(1 / speed)
    last_change, seen = time.monotonic(), before
    while time.monotonic() - last_change < 3:  # caught up: nothing changed for 3 s
        now = stored_answers(store)
        if now != seen:
            seen, last_change = now, time.monotonic()
        time.sleep(0.05)
    elapsed = max(last_change - start, 1e-9)
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    wrong = sum(1 for k in expected.keys() | seen.keys() if expected.get(k) != seen.get(k))
    return wrong, len(keys) / elapsed


def main() -> None:
    os.environ["BILAN_TODAY"] = OPEN_DAY  # the 2009 campaign's entry window, for the planner and the app
    if shutil.which("tmux") is None:
        sys.exit("tmux est nécessaire pour ce banc d’essai")
    campaign = load_campaign()
    data = {f.name for s in campaign.data_blocks for f in s.fields()}
    chapters = {f.name for s in campaign.chapters for f in s.fields()}
    target = {k: v for k, v in demo_declaration(campaign).answers.items() if k not in data}
    identification = {k: v for k, v in target.items() if k not in chapters}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = len(campaign.fiches)
        keys = plan_keys(campaign, target, first, len(campaign.chapters), folder / "plan.sqlite", identification)
        reference = Store(folder / "reference.sqlite")
        reference.import_declaration("750712184", campaign.year, Declaration(target))
        reference.close()
        expected = stored_answers(folder / "reference.sqlite")
        print(f"{len(keys)} touches pour les chapitres II à XII de la déclaration d’exemple")
        for speed in (20.0, 50.0, None):
            store = folder / f"run-{speed}.sqlite"
            s = Store(store)
            s.import_declaration("750712184", campaign.year, Declaration(identification))
            s.close()
            wrong, rate = run(speed, keys, store, expected)
            label = "rafale" if speed is None else f"{speed:g} touches/s"
            print(f"{label:>16} : {wrong} réponse(s) différente(s), {rate:.0f} touches/s soutenues")


if __name__ == "__main__":
    main()
