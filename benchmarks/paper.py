"""Time the whole paper form: compile the questionnaire, build the form, typeset the PDF, and the
80-column text. Target: under 2 s for the PDF. Run: .venv/bin/python benchmarks/paper.py"""

from __future__ import annotations

import statistics
import time

from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl.compiler import compile_file
from bilan.exports.paper_form import paper_form
from bilan.exports.paper_text import paper_text
from bilan.exports.typst_render import render_pdf

RUNS = 5


def once() -> tuple[float, float, int]:
    """One cold-ish run: questionnaire compiled from source each time (no cache)."""
    start = time.perf_counter()
    form = paper_form(compile_file(DEFAULT_QUESTIONNAIRE))
    pdf = render_pdf("paper.typ", form)
    pdf_time = time.perf_counter() - start
    start = time.perf_counter()
    paper_text(form)
    return pdf_time, time.perf_counter() - start, len(pdf)


def main() -> None:
    runs = [once() for _ in range(RUNS)]
    pdf = statistics.median(r[0] for r in runs)
    text = statistics.median(r[1] for r in runs)
    print(
        f"paper form, questionnaire → PDF ({runs[0][2] // 1024} Kio): median {pdf:.3f} s "
        f"over {RUNS} runs (worst {max(r[0] for r in runs):.3f} s; target < 2 s)"
    )
    print(f"paper form, 80-column text: median {text * 1000:.1f} ms")


if __name__ == "__main__":
    main()
