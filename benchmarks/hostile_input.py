"""Benchmark of hostile input: how long bilan takes to refuse or render what users and attackers
feed it (run by hand; figures go to the README).

    .venv/bin/python benchmarks/hostile_input.py

Measures, median of 3 runs each: the text recap and checklist of a declaration whose
raison_sociale is 8 MB without a space (quadratic wrapping took 30 s), reading answers files of
1,000,000 unknown keys, of arrays nested 100,000 deep and of a 20,000-digit number (each must end
in a clear error), and `bilan --help` as a whole process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bilan.cli.resources import demo_declaration, load_campaign
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import AnswersError, parse_answers
from bilan.exports.checklist import checklist_data, checklist_text
from bilan.exports.recap import recap_data, recap_text


def median_seconds(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refused(text: str) -> Callable[[], object]:
    campaign = load_campaign()

    def read() -> None:
        try:
            parse_answers(text, campaign, "hostile.toml")
        except AnswersError:
            return
        raise AssertionError("a hostile file was accepted")

    return read


def main() -> None:
    campaign = load_campaign()
    demo = demo_declaration(campaign)
    long_name = Declaration({**demo.answers, "raison_sociale": "x" * 8_000_000}, demo.blocks, demo.justifications)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("recap, text, 8 MB answer without a space", lambda: recap_text(recap_data(campaign, "f", long_name))),
        ("checklist, text, same", lambda: checklist_text(checklist_data(campaign, "f", long_name))),
        ("1,000,000 unknown keys refused", refused("[reponses]\n" + "".join(f"k{i} = 1\n" for i in range(1_000_000)))),
        ("arrays nested 100,000 deep refused", refused("[reponses]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")),
        ("20,000-digit number refused", refused("[reponses]\nreunions_clin = " + "9" * 20_000 + "\n")),
    ]
    for name, fn in cases:
        print(f"{name}: median {median_seconds(fn):.2f} s")
    bilan = str(Path(sys.executable).with_name("bilan"))
    help_run = lambda: subprocess.run([bilan, "--help"], check=True, capture_output=True)  # noqa: E731
    print(f"`bilan --help` whole process: median {median_seconds(help_run, 9) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
