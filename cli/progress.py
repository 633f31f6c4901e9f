"""Progress of a long command on stderr: a line rewritten in place on a terminal; in a log (stderr
not a terminal), a line every tenth for large batches only; nothing for small ones."""

from __future__ import annotations

import sys
import time
from typing import TextIO

LARGE = 500  # from this many, progress is written even when stderr is not a terminal
_EVERY = 0.1  # seconds between two rewrites of the terminal line


class Progress:
    """`tick(n)` after the n-th of `total`; `close()` ends the terminal line."""

    def __init__(self, total: int, what: str, stream: TextIO | None = None) -> None:
        self.total, self.what = total, what
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty()
        self.shown = self.terminal or total >= LARGE
        self._last = 0.0
        self._tenth = 0

    def tick(self, n: int) -> None:
        if not self.shown:
            return
        if self.terminal:
            now = time.monotonic()
            if now - self._last >= _EVERY or n == self.total:
                self._last = now
                self.stream.write(f"\r{self.what} : {n}/{self.total}")
                self.stream.flush()
        elif n * 10 // self.total > self._tenth:
            self._tenth = n * 10 // self.total
            self.stream.write(f"{self.what} : {n}/{self.total}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.terminal and self._last:
            self.stream.write("\n")
            self.stream.flush()
