"""Benchmark of the language and the engine (run by hand; figures go to the README).

    .venv/bin/python benchmarks/engine.py

Measures, each as a median over repeated runs (wall clock, and CPU time where it says so, which a
busy machine inflates less):
- compiling questionnaire.bilan in-process from source (no campaign cache), without and with
  the analysis of `bilan check`, then again with every statement's tree kept from before;
- loading the embedded campaign in-process from the private cache (what every command does);
- `bilan check` as a whole process: nothing cached; right after one statement of the source was
  edited (parser tables cached), with the statements of the version checked before reused or
  (as before they were kept) without; unchanged (campaign cached);
- building the engine's generated program; scoring one declaration;
- `bilan score one.toml` as a whole process.
The load average is printed before and after: on a machine shared with other work, every figure
is inflated, the whole-process ones most.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from bilan.cli.campaign_cache import load_compiled
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl import statements
from bilan.dsl.compiler import compile_source
from bilan.dsl.parser import parse
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign, ChoiceType, MultiChoiceType, NumberType, TextType
from bilan.engine.program import Program
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import dumps_declaration

BILAN = str(Path(sys.executable).with_name("bilan"))


def timed(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    out = []
    for _ in range(runs):
        t = clock()
        fn()
        out.append(clock() - t)
    return out


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms (best {min(values) * 1000:.1f})"


def finess(n: int) -> str:
    """A valid FINESS number (Luhn key) for establishment n."""
    body = f"{75_000_000 + n:08d}"
    for key in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + key)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return body + key
    raise AssertionError("no Luhn key")  # pragma: no cover - one of ten digits always fits


def random_declaration(campaign: Campaign, rng: random.Random, n: int = 0) -> Declaration:
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
                answers[f.name] = {"finess": finess(n), "courriel": "a@b.fr", "telephone": "0140567287"}.get(
                    t.kind, "Texte"
                )
    blocks = set()
    if rng.random() < 0.8:
        blocks.add("sae")
        for f in campaign.data_blocks[0].fields():
            answers[f.name] = Fraction(rng.randint(0, 200_000))
    return Declaration(answers, frozenset(blocks))


def write_declarations(campaign: Campaign, folder: Path, count: int) -> list[str]:
    rng = random.Random(2009)
    paths = []
    for i in range(count):
        path = folder / f"decl-{i:05d}.toml"
        path.write_text(dumps_declaration(random_declaration(campaign, rng, i), campaign), encoding="utf-8")
        paths.append(str(path))
    return paths


def run(args: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])}…: exit {proc.returncode}: {proc.stderr[:300]}")
    return wall


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    print(f"load average {load()}")
    source = DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8")

    def from_source(analyse: bool) -> None:
        statements.CHUNKS.clear()  # as in a new process: no statement parsed before
        compile_source(source, "q.bilan", analyse=analyse)

    print("compile from source (no campaign cache): " + ms(timed(lambda: from_source(False), 20)))
    print("compile + analysis (bilan check's work): " + ms(timed(lambda: from_source(True), 10)))
    print(
        "the same, every statement parsed before: "
        + ms(timed(lambda: compile_source(source, "q.bilan", analyse=False), 20))
        + ", parse alone "
        + ms(timed(lambda: parse(source, "q.bilan"), 20))
    )
    load_compiled(DEFAULT_QUESTIONNAIRE, analyse=False)
    loads = timed(lambda: load_compiled(DEFAULT_QUESTIONNAIRE, analyse=False), 30)
    print("load the embedded campaign from the cache: " + ms(loads))

    with tempfile.TemporaryDirectory() as tmp:
        cold, edited = Path(tmp) / "cold", Path(tmp) / "edited"
        copy = Path(tmp) / "questionnaire.bilan"
        check = [BILAN, "-q", str(copy), "check"]
        walls: dict[str, list[float]] = {
            "cold": [],
            "edited (wording)": [],
            "edited (wording), no statement kept": [],
            "edited (a rule's threshold)": [],
            "unchanged": [],
        }
        for n in range(5):
            copy.write_text(source, encoding="utf-8")
            shutil.rmtree(cold, ignore_errors=True)
            walls["cold"].append(run(check, {**os.environ, "XDG_CACHE_HOME": str(cold)}))
            for step, what in enumerate(("", *list(walls)[1:4])):
                # a chapter's label changed (wording: the analysis of the same meaning is skipped),
                # or the threshold of a rule (a new meaning: analysed); the parser tables cached,
                # the statements of the version checked just before reused from the private cache,
                # or, as before they were kept, parsed again
                if "threshold" in what:
                    edited_source = source.replace("iso_pourcentage < 75", f"iso_pourcentage < {70 + n}").replace(
                        "iso_pourcentage >= 75", f"iso_pourcentage >= {70 + n}"
                    )
                else:
                    edited_source = source.replace('chapitre II "CLIN"', f'chapitre II "CLIN {n}.{step}"')
                copy.write_text(edited_source, encoding="utf-8")
                if "no statement kept" in what:
                    for entry in (edited / "bilan").glob("statements-*"):
                        entry.unlink()
                wall = run(check, {**os.environ, "XDG_CACHE_HOME": str(edited)})
                if what:
                    walls[what].append(wall)
        walls["unchanged"] = [run(check, {**os.environ, "XDG_CACHE_HOME": str(edited)}) for _ in range(5)]
        for what, values in walls.items():
            print(f"bilan check, whole process, {what}: " + ms(values))

    campaign = load_compiled(DEFAULT_QUESTIONNAIRE, analyse=False)
    print("engine program (generate + compile): " + ms(timed(lambda: Program(campaign), 10)))
    engine = Engine(campaign)
    rng = random.Random(2009)
    declarations = [random_declaration(campaign, rng) for _ in range(200)]
    for d in declarations:
        engine.score(d)
    for name, clock in (("wall", time.perf_counter), ("CPU", time.process_time)):
        per = [statistics.median(timed(partial(engine.score, d), 10, clock)) for d in declarations]
        median, worst = statistics.median(per) * 1000, max(per) * 1000
        print(f"score one declaration ({name}): median {median:.3f} ms, worst {worst:.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        (one,) = write_declarations(campaign, Path(tmp), 1)
        print("bilan score one.toml, whole process: " + ms([run([BILAN, "score", one]) for _ in range(7)]))
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
