"""Positions in a source file, shared by the compiler (diagnostics) and the model (where a rule was written)."""

from __future__ import annotations

import attrs


@attrs.frozen
class Span:
    """Where something is in a source file (1-based line and column)."""

    file: str
    line: int
    column: int
