"""Characters that take control of a terminal, and how text is made safe to show in one.

An answers file, a store or a campaign file may hold text written by someone else. Shown raw,
`\\x1b[2J` clears the screen, an OSC sequence (`\\x1b]0;...\\x07`) retitles the window, a CR
rewrites the line already printed and U+202E (right-to-left override) displays `exe.fdp` for
`pdf.exe`. Answers refuse these characters (`unsafe_character`, used by the answer checks), and
everything echoed to a terminal goes through `neutralise`, which writes each of them as a
visible escape (`\\x1b`, `\\u202e`) instead.

API (also used by the entry app):
    unsafe_character(text) -> (index, character) of the first unsafe character, or None
    describe(character)    -> "U+001B" style name for a message
    neutralise(text)       -> text with every unsafe character replaced by its escape
    show(text, stream)     -> write text to stream, neutralised if the stream is a terminal
    HANGUP_SIGNALS         -> the signals of a terminal closed (SIGHUP) or of a `kill` (SIGTERM)
"""

from __future__ import annotations

import re
import signal
from typing import TextIO

HANGUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)  # not on Windows

# C0 controls but tab and newline; DEL and the C1 controls (U+009B is CSI on 8-bit terminals);
# the bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The first character of `text` that could drive a terminal, with its index, if any."""
    match = _UNSAFE.search(text)
    return (match.start(), match.group()) if match else None


def describe(character: str) -> str:
    """A character as its code point, the way messages name it: U+001B."""
    return f"U+{ord(character):04X}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """`text` with every unsafe character written as a visible escape (ESC becomes `\\x1b`)."""
    return _UNSAFE.sub(_escape, text)


def show(text: str, stream: TextIO) -> None:
    """Write `text` to `stream`: as is to a file or a pipe, neutralised to a terminal."""
    stream.write(neutralise(text) if stream.isatty() else text)
