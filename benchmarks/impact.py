"""Benchmark of the year-change commands on a whole campaign (run by hand; figures go to the README).

    .venv/bin/python benchmarks/impact.py [--files 3000] [--runs 3]

- `bilan impact 2009 variante-2010 FILES…`, text and `--format toml`;
- `bilan migrate --to variante-2010 FILES… -o DIR` (and `--dry-run`);
- `bilan migrate --to variante-2010` on a store holding the N declarations (import not timed);
- `bilan score FILES…` on the same files, as the yardstick of the machine's load at that moment.
Files are batch.py's generated declarations. Each figure is the median wall time over the runs,
with the user+system CPU of the process and its children; load averages are printed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from batch import report, run

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE, load_campaign
from engine import BILAN, load, write_declarations

VARIANT = str(Path(__file__).resolve().parent.parent / "examples" / "campaigns" / "variante-2010.bilan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {load()}")
    old = str(DEFAULT_QUESTIONNAIRE)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_declarations(load_campaign(), folder, args.files)
        n = len(paths)
        report(f"bilan score, {n} files (yardstick)", [run([BILAN, "score", *paths], env) for _ in range(args.runs)])
        for fmt in ("text", "toml"):
            runs = [run([BILAN, "impact", old, VARIANT, *paths, "--format", fmt], env) for _ in range(args.runs)]
            report(f"bilan impact, {n} files, --format {fmt}", runs)
        dry = [run([BILAN, "migrate", "--to", VARIANT, *paths, "--dry-run"], env) for _ in range(args.runs)]
        report(f"bilan migrate --dry-run, {n} files", dry)
        written = [
            run([BILAN, "migrate", "--to", VARIANT, *paths, "-o", str(folder / f"out-{k}")], env)
            for k in range(args.runs)
        ]
        report(f"bilan migrate -o DIR, {n} files", written)
        stores = []
        for k in range(args.runs):
            store = str(folder / f"store-{k}.sqlite")
            run([BILAN, "--store", store, "import", *paths], env)
            stores.append(run([BILAN, "--store", store, "migrate", "--to", VARIANT], env))
        report(f"bilan migrate on a store of {n} declarations", stores)
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
