"""Benchmark of the maintainer's commands on campaign files (run by hand; figures go to the README).

    .venv/bin/python benchmarks/tooling.py [--runs 5] [--size 10]

- `bilan fmt --check` and `bilan test` on the shipped campaign, as CI runs them (whole process);
- `format_source` in the process, on the campaign and on a campaign N times as long (its
  statements repeated), to see that formatting time grows with the file's length, no faster.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from batch import report, run

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl.formatter import format_source
from engine import BILAN, load


def timed(text: str, runs: int) -> float:
    """Median seconds of format_source(text)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        format_source(text)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10)
    args = parser.parse_args()
    print(f"load average {load()}")
    env = dict(os.environ)
    path = str(DEFAULT_QUESTIONNAIRE)
    report(
        "bilan fmt --check questionnaire.bilan", [run([BILAN, "fmt", "--check", path], env) for _ in range(args.runs)]
    )
    report("bilan test questionnaire.bilan", [run([BILAN, "test", path], env) for _ in range(args.runs)])
    text = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    format_source(text)  # parser tables loaded
    one = timed(text, args.runs)
    print(f"format_source, {len(text.splitlines())} lines: median {one * 1000:.0f} ms")
    long = text * args.size  # repeated statements: it parses, though it does not compile
    many = timed(long, max(1, args.runs // 2))
    lines = len(long.splitlines())
    print(f"format_source, {lines} lines: median {many * 1000:.0f} ms ({many / one:.1f}× for {args.size}×)")


if __name__ == "__main__":
    main()
