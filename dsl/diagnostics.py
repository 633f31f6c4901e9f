"""Diagnostics located in a source file, rendered like a compiler: file:line:col, line, caret."""

from __future__ import annotations

import attrs

from bilan.common.source import Span

SHOWN = 116  # characters of a source line shown under a message: a window around the column


@attrs.frozen
class Diagnostic:
    """One problem found in a source file."""

    span: Span
    message: str
    severity: str = "erreur"

    def render(self, sources: dict[str, str]) -> str:
        head = f"{self.span.file}:{self.span.line}:{self.span.column}: {self.severity} : {self.message}"
        text = sources.get(self.span.file)
        if text is None:
            return head
        lines = text.splitlines()
        if not 1 <= self.span.line <= len(lines):
            return head
        raw = lines[self.span.line - 1].expandtabs(4)
        offset = len(lines[self.span.line - 1][: max(self.span.column, 1) - 1].expandtabs(4))
        start = max(0, offset - SHOWN // 2) if len(raw) > SHOWN else 0
        shown = raw[start : start + SHOWN]
        if start > 0:
            shown = "…" + shown[1:]
        if start + SHOWN < len(raw):
            shown = shown[:-1] + "…"
        return f"{head}\n    {shown}\n    {' ' * (offset - start)}^"


class SourceError(Exception):
    """A .bilan file could not be compiled; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
        # An expression shared by several fields (a question's condition) is checked once per
        # field: say each problem once.
        unique = list(dict.fromkeys(diagnostics))
        self.diagnostics = sorted(unique, key=lambda d: (d.span.file, d.span.line, d.span.column))
        self.sources = sources
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.render(self.sources) for d in self.diagnostics)
