"""Who supplied each data block of a declaration, and how: the administration (`bilan import`,
final) or the establishment (typed in its own store, provisional).

Administration figures replace provisional ones; provisional figures never replace the
administration's: an import that brings provisional figures, or none, for a block the
administration supplied keeps the administration's (the caller says so). Functions take the
caller's connection and run inside its transaction, like `store.lease`.
"""

from __future__ import annotations

import json
import sqlite3

import attrs

from bilan.common.errors import UserError
from bilan.engine.declaration_state import ENTERED, IMPORTED, BlockSource
from bilan.engine.result import Declaration
from bilan.store.codec import decode


def load(conn: sqlite3.Connection, declaration: int) -> dict[str, BlockSource]:
    sql = "SELECT block, origin, who, at FROM block_sources WHERE declaration = ? ORDER BY block"
    return {b: BlockSource(b, o, w, a) for b, o, w, a in conn.execute(sql, (declaration,))}


def _record(conn: sqlite3.Connection, declaration: int, source: BlockSource) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO block_sources (declaration, block, origin, who, at) VALUES (?, ?, ?, ?, ?)",
        (declaration, source.block, source.origin, source.who, source.at),
    )


def enter(conn: sqlite3.Connection, declaration: int, block: str, who: str, at: str) -> None:
    """A figure typed by the establishment: the block is supplied from now on, provisionally.

    Refused for a block the administration supplied: its figures are final.
    """
    current = load(conn, declaration).get(block)
    if current is not None and not current.provisional:
        raise UserError(f"données {current.describe()} : elles ne se modifient pas ici")
    row = conn.execute("SELECT blocks FROM declarations WHERE id = ?", (declaration,)).fetchone()
    blocks = set(json.loads(row[0]))
    if block not in blocks:
        conn.execute(
            "UPDATE declarations SET blocks = ? WHERE id = ?", (json.dumps(sorted(blocks | {block})), declaration)
        )
    _record(conn, declaration, BlockSource(block, ENTERED, who, at))


def kept_on_import(conn: sqlite3.Connection, declaration: int | None, incoming: Declaration) -> dict[str, BlockSource]:
    """The administration's blocks of a stored declaration that an import must keep: those the
    file leaves out or brings only as provisional figures."""
    if declaration is None:
        return {}
    provisional = incoming.state.provisional_blocks
    return {
        b: s
        for b, s in load(conn, declaration).items()
        if not s.provisional and (b not in incoming.blocks or b in provisional)
    }


def with_kept(
    conn: sqlite3.Connection, declaration: int, incoming: Declaration, kept: dict[str, BlockSource]
) -> Declaration:
    """The declaration to write: the file's, with the kept blocks' stored figures in place of its own."""
    if not kept:
        return incoming

    def in_kept(field: str) -> bool:
        return field.split(".", 1)[0] in kept

    answers = {f: v for f, v in incoming.answers.items() if not in_kept(f)}
    rows = conn.execute("SELECT field, value FROM answers WHERE declaration = ?", (declaration,))
    answers.update({f: decode(v) for f, v in rows if in_kept(f)})
    return attrs.evolve(incoming, answers=answers, blocks=incoming.blocks | frozenset(kept))


def record_import(
    conn: sqlite3.Connection, declaration: int, written: Declaration, kept: dict[str, BlockSource], who: str, at: str
) -> None:
    """Sources after an import: the kept blocks as they were; the file's provisional blocks as the
    file recorded them; every other block supplied by this import (the administration)."""
    conn.execute("DELETE FROM block_sources WHERE declaration = ?", (declaration,))
    for block in sorted(written.blocks):
        source = kept.get(block) or written.state.sources.get(block)
        if source is None or source.origin not in (IMPORTED, ENTERED):
            source = BlockSource(block, IMPORTED, who, at)
        _record(conn, declaration, attrs.evolve(source, block=block))
