"""Benchmark of the language and the engine (run by hand; figures go to the README).

    .venv/bin/python benchmarks/engine.py [--files 3000]

Measures: compiling questionnaire.bilan in-process (without and with the maxima analysis of
`bilan check`), scoring one declaration, and `bilan score` on N generated declaration files.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl.compiler import compile_source
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign, ChoiceType, MultiChoiceType, NumberType, TextType
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import dumps_declaration


def timed(fn: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def random_declaration(campaign: Campaign, rng: random.Random) -> Declaration:
    answers: dict[str, Any] = {}
    for section in campaign.fiches + campaign.chapters:
        for f in section.fields():
            t = f.type
            if isinstance(t, ChoiceType):
                answers[f.name] = rng.choice(t.codes)
            elif isinstance(t, MultiChoiceType):
                answers[f.name] = frozenset(rng.sample(list(t.choice.codes), rng.randint(1, len(t.choice.codes))))
            elif isinstance(t, NumberType):
                scale = 10**t.decimals
                answers[f.name] = Fraction(rng.randint(0, min(int(t.upper * scale), 50 * scale)), scale)
            elif isinstance(t, TextType):
                answers[f.name] = {"finess": "750712184", "courriel": "a@b.fr", "telephone": "0140567287"}.get(
                    t.kind, "Texte"
                )
    blocks = set()
    if rng.random() < 0.8:
        blocks.add("sae")
        for f in campaign.data_blocks[0].fields():
            answers[f.name] = Fraction(rng.randint(0, 200_000))
    return Declaration(answers, frozenset(blocks))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    args = parser.parse_args()
    source = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")
    first = timed(lambda: compile_source(source, "q.bilan", analyse=False), 1)[0]
    plain = timed(lambda: compile_source(source, "q.bilan", analyse=False), 20)
    full = timed(lambda: compile_source(source, "q.bilan", analyse=True), 10)
    print(f"compile (first, grammar loaded from cache): {first * 1000:.1f} ms")
    median, worst = statistics.median(plain) * 1000, max(plain) * 1000
    print(f"compile questionnaire.bilan: median {median:.1f} ms, worst {worst:.1f} ms")
    print(f"compile + analysis (bilan check): median {statistics.median(full) * 1000:.1f} ms")

    campaign = compile_source(source, "q.bilan", analyse=False)
    engine = Engine(campaign)
    rng = random.Random(2009)
    declarations = [random_declaration(campaign, rng) for _ in range(200)]
    for d in declarations:
        engine.score(d)
    per = []
    for d in declarations:
        t = time.perf_counter()
        for _ in range(10):
            engine.score(d)
        per.append((time.perf_counter() - t) / 10)
    print(f"score one declaration: median {statistics.median(per) * 1000:.3f} ms, worst {max(per) * 1000:.3f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.files):
            path = Path(tmp) / f"decl-{i:05d}.toml"
            path.write_text(dumps_declaration(random_declaration(campaign, rng), campaign), encoding="utf-8")
            paths.append(str(path))
        bilan = str(Path(sys.executable).with_name("bilan"))
        for fmt in ("text", "toml"):
            t = time.perf_counter()
            proc = subprocess.run([bilan, "score", *paths, "--format", fmt], capture_output=True, text=True)
            wall = time.perf_counter() - t
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr[:200]}"
            print(f"bilan score on {args.files} files (--format {fmt}): {wall:.2f} s wall ({status})")


if __name__ == "__main__":
    main()
