"""Time the whole paper form: compile the questionnaire, build the form, typeset the PDF, and the
80-column text, each phase on its own. Target: under 2 s for the PDF. Run:
.venv/bin/python benchmarks/paper.py (the machine's load changes the figures: note it with them)."""

from __future__ import annotations

import io
import os
import statistics
import time

import pypdf

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl.compiler import compile_file
from bilan.exports.paper_form import paper_form
from bilan.exports.paper_text import paper_text
from bilan.exports.typst_render import render_pdf

RUNS = 5


def once() -> tuple[list[float], bytes]:
    """One cold-ish run: questionnaire compiled from source each time (no cache)."""
    start = time.perf_counter()
    campaign = compile_file(DEFAULT_QUESTIONNAIRE)
    compiled = time.perf_counter()
    form = paper_form(campaign)
    built = time.perf_counter()
    pdf = render_pdf("paper.typ", form)
    typeset = time.perf_counter()
    paper_text(form)
    return [compiled - start, built - compiled, typeset - built, time.perf_counter() - typeset], pdf


def main() -> None:
    runs = [once() for _ in range(RUNS)]
    median = [statistics.median(phases[i] for phases, _ in runs) for i in range(4)]
    whole = [sum(phases[:3]) for phases, _ in runs]
    pdf = runs[0][1]
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"paper form, questionnaire → PDF ({pages} pages, {len(pdf) // 1024} Kio): median "
        f"{statistics.median(whole):.3f} s over {RUNS} runs (worst {max(whole):.3f} s; target < 2 s)"
    )
    print(f"  compile {median[0] * 1000:.0f} ms, build the form {median[1] * 1000:.1f} ms, typeset {median[2]:.3f} s")
    print(f"paper form, 80-column text: median {median[3] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
