"""The app's output outlives its terminal: Textual's writer thread keeps emptying its queue."""

from __future__ import annotations

import errno
import io
import os
import queue
import sys
from typing import TextIO, cast

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from bilan.tui.terminal_output import SurvivingStream, surviving_terminal


class Terminal(io.StringIO):
    """A terminal whose writes fail, after its first `good` ones, with `errno` (EIO: hung up)."""

    def __init__(self, good: int, error: int = errno.EIO, failures: int = 10**9) -> None:
        super().__init__()
        self.good, self.error, self.failures = good, error, failures

    def write(self, text: str) -> int:
        if self.good <= 0 and self.failures > 0:
            self.failures -= 1
            raise OSError(self.error, os.strerror(self.error))
        self.good -= 1
        return super().write(text)


def test_writes_after_the_terminal_is_gone_are_dropped_and_never_wait() -> None:
    terminal = Terminal(good=3)
    stream = SurvivingStream(terminal)
    writer = WriterThread(cast(TextIO, stream))
    writer.start()
    for _ in range(MAX_QUEUED_WRITES * 4):  # would wait for good on a full queue if the thread died
        writer.write("x")
    writer.stop()
    assert stream.gone and terminal.getvalue() == "xxx"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the thread's death
def test_without_it_the_writer_thread_dies_and_its_queue_fills_for_good() -> None:
    """What the app met (Textual 8): this test fails the day Textual survives a gone terminal."""
    writer = WriterThread(Terminal(good=0))
    writer.start()
    writer.write("x")
    writer.join(timeout=10)
    assert not writer.is_alive()
    for _ in range(MAX_QUEUED_WRITES):
        writer.write("x")
    with pytest.raises(queue.Full):  # the app's next write would wait here for good
        writer._queue.put("x", timeout=0.1)


def test_another_failure_drops_that_write_only() -> None:
    """EAGAIN (a terminal left non-blocking by another program): the terminal is still there."""
    terminal = Terminal(good=1, error=errno.EAGAIN, failures=1)
    stream = SurvivingStream(terminal)
    for text in "abc":
        stream.write(text)
    assert not stream.gone and terminal.getvalue() == "ac"


def test_the_app_draws_on_the_surviving_stream_and_the_process_gets_its_own_back() -> None:
    original = sys.__stderr__
    with surviving_terminal():
        assert isinstance(sys.__stderr__, SurvivingStream)
        assert original is not None and sys.__stderr__.fileno() == original.fileno()
    assert sys.__stderr__ is original
