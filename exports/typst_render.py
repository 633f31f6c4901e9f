"""Typst templates + JSON data -> PDF bytes or a standalone Typst source.

The data is embedded in the source itself (`#let data = json(bytes("..."))`), so the `typst`
format written by `--format typst` is exactly what was compiled. Only the fonts shipped inside
the compiler are used (no system fonts), and the document carries no date: the same inputs give
the same bytes on every machine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files

from bilan.common.errors import UserError

DATA_LINE = "#let data = json(bytes(sys.inputs.data))"


@cache
def template(name: str) -> str:
    """A .typ file shipped in bilan.exports (package data)."""
    return files("bilan.exports").joinpath(name).read_text(encoding="utf-8")


def _typst_string(text: str) -> str:
    """A Typst string literal holding `text` (JSON has no raw newlines or tabs)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_source(name: str, data: Mapping[str, object]) -> str:
    """The shared helpers, then the document template, with `data` embedded as JSON."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    body = template(name)
    if DATA_LINE not in body:
        raise AssertionError(f"{name}: the template must read its data with `{DATA_LINE}`")
    body = body.replace(DATA_LINE, f"#let data = json(bytes({_typst_string(payload)}))")
    return template("common.typ") + "\n" + body


def render_pdf(name: str, data: Mapping[str, object]) -> bytes:
    """Compile with the typst compiler shipped in the `typst` wheel (offline)."""
    import typst

    source = typst_source(name, data).encode("utf-8")
    try:
        return typst.compile(source, ignore_system_fonts=True)
    except Exception as exc:  # the compiler reports template bugs as plain exceptions
        detail = getattr(exc, "diagnostic", None) or str(exc)
        raise UserError(
            f"mise en page PDF impossible ({name}) : {detail}\n"
            "Utiliser --format text en attendant, et signaler le problème."
        ) from None
