"""The app's terminal stream, made to outlive the terminal.

Textual writes the screen from a thread that takes writes from a queue of 30. When the terminal
is gone (closed window, dropped SSH: writes fail with EIO), that thread dies on its first failed
write, and the app's next 30 writes wait for good on a queue nobody empties, the app's own exit
included: the app hung, alive, holding its declaration, until killed (seen on a loaded machine at
the 6th of a series of closed terminals, and once in three runs of the app's tests). Through this
stream, a write that fails marks the terminal gone and every later write is dropped, so the thread
keeps emptying the queue and the app ends as a hangup should (tui.app ends it on SIGHUP).
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_GONE = frozenset({errno.EIO, errno.EPIPE, errno.ENXIO, errno.EBADF})  # what a gone terminal answers


class SurvivingStream:
    """A text stream whose writes are dropped once the terminal is gone. Another failure (EAGAIN
    on a terminal another program left non-blocking) drops that write only: drawing goes on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except OSError as error:
                self.gone = error.errno in _GONE
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except OSError as error:
                self.gone = error.errno in _GONE

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding...: the terminal's
        return getattr(self._stream, name)


@contextmanager
def surviving_terminal() -> Iterator[None]:
    """While the app runs, the stream Textual draws on (`sys.__stderr__`, read when the app
    starts) survives the terminal; the process's own stream after."""
    original = sys.__stderr__
    if original is None:
        yield
        return
    sys.__stderr__ = SurvivingStream(original)  # type: ignore[misc, assignment]  # final in typeshed only
    try:
        yield
    finally:
        sys.__stderr__ = original  # type: ignore[misc]
