"""Benchmark of the batch commands on a whole campaign (run by hand; figures go to the README).

    .venv/bin/python benchmarks/batch.py [--files 3000] [--store-files 2800] [--runs 3]

- `bilan score` on N generated declaration files, text and `--format toml`;
- `bilan import` of M files in one process into a fresh store;
- `bilan export --all`: one file per declaration (-o DIR), and one stream, with scores.
Each figure is the median wall time over the runs, with the user+system CPU of the process and
its children (a busy machine inflates wall time more than CPU). Load averages are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bilan.cli.resources import load_campaign
from engine import BILAN, load, write_declarations


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])}…: exit {proc.returncode}: {proc.stderr[:300]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def report(what: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    wall, best, cpu = statistics.median(walls), min(walls), statistics.median(cpus)
    print(f"{what}: median {wall:.2f} s wall (best {best:.2f}), {cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--store-files", type=int, default=2800)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {load()}")
    campaign = load_campaign()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_declarations(campaign, folder, max(args.files, args.store_files))
        env = dict(os.environ)
        for fmt in ("text", "toml"):
            runs = [run([BILAN, "score", *paths[: args.files], "--format", fmt], env) for _ in range(args.runs)]
            report(f"bilan score, {args.files} files, --format {fmt}", runs)

        imports, exports, streams = [], [], []
        for n in range(args.runs):
            store = str(folder / f"store-{n}.sqlite")
            imports.append(run([BILAN, "--store", store, "import", *paths[: args.store_files]], env))
            out = str(folder / f"export-{n}")
            exports.append(run([BILAN, "--store", store, "export", "--all", "--with-scores", "-o", out], env))
            streams.append(run([BILAN, "--store", store, "export", "--all", "--with-scores"], env))
        report(f"bilan import, {args.store_files} files in one process", imports)
        report(f"bilan export --all --with-scores -o DIR, {args.store_files} declarations", exports)
        report(f"bilan export --all --with-scores (one stream), {args.store_files} declarations", streams)
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
