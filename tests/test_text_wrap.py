"""Wrapping: textwrap's output exactly, in time linear in the text (long words included)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st
from profiles import by_profile

from bilan.exports.text_wrap import wrap

# runs of one character, so that words and spaces longer than a line are common
runs = st.lists(st.tuples(st.sampled_from(["a", "é", " ", "-", "\n", "\t", "x-y "]), st.integers(1, 200)), max_size=12)


@given(
    runs=runs,
    width=st.integers(25, 100),  # textwrap itself loops forever on whitespace when the indent fills the line
    indent=st.integers(0, 8),
    first=st.sampled_from(["", "Preuve : ", "[ ] "]),
    rest=st.sampled_from([None, "", "    "]),
)
def test_same_lines_as_textwrap(
    runs: list[tuple[str, int]], width: int, indent: int, first: str, rest: str | None
) -> None:
    text = "".join(c * n for c, n in runs)
    pad = " " * indent
    expected = textwrap.wrap(
        text,
        width,
        initial_indent=pad + first,
        subsequent_indent=pad + (rest if rest is not None else " " * len(first)),
        break_on_hyphens=False,
        break_long_words=True,
    ) or [pad + first.rstrip()]
    assert wrap(text, indent, width, first, rest) == expected


@pytest.mark.system
def test_a_word_of_millions_of_characters_is_wrapped_without_hanging() -> None:
    """textwrap copied the rest of the word at every line: 32 MB would take about ten minutes.
    This is a guard against the quadratic path coming back, not a speed measurement (see
    benchmarks/hostile_input.py): linear wrapping takes a few seconds even on a loaded machine.
    CI wraps 32 million characters; a developer's run 8 million (quadratic: over a minute)."""
    size = by_profile(8_000_000, 32_000_000)
    lines = 1 + -(-(size - 68) // 74)  # 68 characters after "  Reponse : ", then 74 a line
    code = (
        "from bilan.exports.text_wrap import wrap\n"
        f"lines = wrap('Reponse : ' + 'x' * {size}, 2, rest='    ')\n"
        f"assert lines[1] == '      ' + 'x' * 74 and len(lines) == {lines}, (lines[:2], len(lines))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
