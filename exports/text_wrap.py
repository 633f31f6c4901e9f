"""Wrapping text to 80 columns in time linear in its length, whatever the text.

textwrap cuts a word longer than a line one line at a time, copying the rest of the word at each
cut: an 8 MB answer without a space took 30 s to print in a recap. `wrap` gives textwrap's output
(tests/test_text_wrap.py compares them on random texts) but cuts such a word into all its line
pieces at once.
"""

from __future__ import annotations

import textwrap

WIDTH = 80


class _LinearWrapper(textwrap.TextWrapper):
    def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
        """Fill the current line with the word's head, then queue the rest in pieces the width of
        the following lines: textwrap would cut them off the same places, one call per line."""
        rest_width = self.width - len(self.subsequent_indent)
        chunk = reversed_chunks[-1]
        if width < 1 or rest_width < 1 or self.break_on_hyphens or not self.break_long_words or not chunk.strip():
            super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)  # short or whitespace: as textwrap
            return
        head = width - cur_len
        cur_line.append(chunk[:head])
        reversed_chunks.pop()
        starts = range(head, len(chunk), rest_width)
        reversed_chunks.extend(chunk[start : start + rest_width] for start in reversed(starts))


def wrap(text: str, indent: int, width: int = WIDTH, first: str = "", rest: str | None = None) -> list[str]:
    """Wrap `text` at `width`, `indent` spaces in front, `first`/`rest` prefixes after them.

    « Guillemets » stay with the words they enclose, as French typography wants.
    """
    pad = " " * indent
    wrapper = _LinearWrapper(
        width,
        initial_indent=pad + first,
        subsequent_indent=pad + (rest if rest is not None else " " * len(first)),
        break_on_hyphens=False,
        break_long_words=True,
    )
    glued = text.replace("« ", "«\N{NO-BREAK SPACE}").replace(" »", "\N{NO-BREAK SPACE}»")
    lines = [line.replace("\N{NO-BREAK SPACE}", " ") for line in wrapper.wrap(glued)]
    return lines or [pad + first.rstrip()]
