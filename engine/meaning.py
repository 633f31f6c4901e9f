"""A digest of what a campaign means to its rules, leaving out its wording and where things are
written: two versions of a file that differ only in labels, titles, consignes, messages or
evidence texts have the same digest. `bilan check` uses it to skip the static analysis of
maxima and branches after an edit of wording only, when that same meaning has passed it before
(the analysis reads no wording: it decides on points, conditions, types, bounds and structure;
wording only goes into its messages, and only a campaign that passed is remembered).

Everything else is kept, down to the order of declarations and question numbers: a change the
digest should have ignored only costs an analysis, never skips one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from fractions import Fraction

import attrs

from bilan.engine.model import Campaign

# Attributes that are wording only (what people read), never what rules decide on.
WORDING = frozenset(
    {
        "label",
        "title",
        "text",
        "message",
        "description",
        "consignes",
        "references",
        "notes",
        "evidence",
        "reason",
        "branch_label",
        "source",
        "source_hash",
    }
)

_ATOMS = (str, int, bool, Fraction, dt.date, type(None))


class _Unknown(Exception):
    """A value of a kind this digest does not know how to write: no digest, so the analysis runs."""


def meaning_digest(campaign: Campaign) -> str | None:
    """The sha256 of the campaign without its wording and spans; None if some part of it is of a
    kind the digest does not know (then nothing may be skipped)."""
    writer = _Writer()
    try:
        writer.write(campaign)
    except (_Unknown, RecursionError):
        return None
    return hashlib.sha256("".join(writer.out).encode()).hexdigest()


@functools.cache
def _kept(kind: type) -> tuple[str, ...]:
    """The attributes of a model class the digest reads: not its spans (eq=False: they say where,
    not what), not its wording."""
    return tuple(f.name for f in attrs.fields(kind) if f.eq and f.name not in WORDING)


class _Writer:
    """The campaign as text, in a form where equal meanings give equal texts. A model object met
    again (a field is in its question and in the campaign's table of fields) is written as a
    reference to its first appearance."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.seen: dict[int, int] = {}
        self.alive: list[object] = []  # keeps the objects `seen` names by id alive

    def write(self, obj: object) -> None:
        kind, out = type(obj), self.out
        if kind in _ATOMS:
            out.append(f"{kind.__name__}:{obj!r};")
        elif attrs.has(kind):
            first = self.seen.get(id(obj))
            if first is not None:
                out.append(f"#{first};")
                return
            self.seen[id(obj)] = len(self.seen)
            self.alive.append(obj)
            out.append(f"{kind.__qualname__}(")
            for name in _kept(kind):
                out.append(f"{name}=")
                self.write(getattr(obj, name))
            out.append(")")
        elif isinstance(obj, tuple | list):
            out.append("[")
            for x in obj:
                self.write(x)
            out.append("]")
        elif isinstance(obj, dict):
            out.append("{")
            for k, v in obj.items():
                self.write(k)
                self.write(v)
            out.append("}")
        elif isinstance(obj, frozenset | set):
            parts = []
            for x in obj:
                alone = _Writer()
                alone.write(x)
                parts.append("".join(alone.out))
            out.append("{" + "".join(sorted(parts)) + "}")
        else:
            raise _Unknown(kind.__name__)
