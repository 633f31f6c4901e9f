"""The app's output outlives its terminal: Textual's writer thread keeps emptying its queue."""

from __future__ import annotations

import errno
import io
import sys
import threading
from typing import TextIO, cast

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from bilan.tui.terminal_output import SurvivingStream, surviving_terminal


class GoneTerminal(io.StringIO):
    """A terminal closed after its first `good` writes: later writes fail as on a hung-up tty."""

    def __init__(self, good: int) -> None:
        super().__init__()
        self.good = good

    def write(self, text: str) -> int:
        if self.good <= 0:
            raise OSError(errno.EIO, "Input/output error")
        self.good -= 1
        return super().write(text)


def _writes_finish(stream: TextIO, count: int) -> bool:
    """Whether `count` writes through Textual's writer thread return (they wait on its queue)."""
    writer = WriterThread(stream)
    writer.start()

    def write_all() -> None:
        for _ in range(count):
            writer.write("x")

    writing = threading.Thread(target=write_all, daemon=True)
    writing.start()
    writing.join(timeout=10)
    return not writing.is_alive()


def test_writes_after_the_terminal_is_gone_are_dropped_and_never_wait() -> None:
    terminal = GoneTerminal(good=3)
    stream = SurvivingStream(terminal)
    assert _writes_finish(cast(TextIO, stream), MAX_QUEUED_WRITES * 4)
    assert stream.gone and terminal.getvalue() == "xxx"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the thread's death
def test_without_it_the_writer_thread_dies_and_the_writes_wait_for_good() -> None:
    """What the app met (Textual 8): this test fails the day Textual survives a gone terminal."""
    assert not _writes_finish(GoneTerminal(good=3), MAX_QUEUED_WRITES * 4)


def test_the_app_draws_on_the_surviving_stream_and_the_process_gets_its_own_back() -> None:
    original = sys.__stderr__
    with surviving_terminal():
        assert isinstance(sys.__stderr__, SurvivingStream)
        assert original is not None and sys.__stderr__.fileno() == original.fileno()
    assert sys.__stderr__ is original
