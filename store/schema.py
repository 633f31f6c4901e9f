"""The store's tables and their migrations; `schema_version` says which migrations have run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE establishments (
        finess TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE declarations (
        id INTEGER PRIMARY KEY,
        finess TEXT NOT NULL REFERENCES establishments(finess),
        year INTEGER NOT NULL,
        blocks TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        admin_checked_at TEXT,
        admin_checked_by TEXT,
        validated_at TEXT,
        validated_by TEXT,
        last_field TEXT,
        UNIQUE (finess, year)
    );
    CREATE TABLE answers (
        declaration INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (declaration, field)
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        declaration INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        origin TEXT NOT NULL DEFAULT 'saisie'
    );
    CREATE INDEX history_by_declaration ON history(declaration, id);
    CREATE TABLE justifications (
        declaration INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        check_name TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (declaration, check_name)
    );
    CREATE TABLE flags (
        id INTEGER PRIMARY KEY,
        declaration INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        old TEXT,
        new TEXT
    );
    CREATE TABLE leases (
        declaration INTEGER PRIMARY KEY REFERENCES declarations(id) ON DELETE CASCADE,
        token TEXT NOT NULL,
        who TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        since TEXT NOT NULL,
        heartbeat TEXT NOT NULL
    );
    """,
    # 2: who supplied each data block and how (store.sources); blocks imported before it are the
    # administration's, as `bilan import` said then, by the last importer
    """
    CREATE TABLE block_sources (
        declaration INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        block TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('import', 'saisie')),
        who TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (declaration, block)
    );
    INSERT INTO block_sources (declaration, block, origin, who, at)
        SELECT d.id, j.value, 'import',
            COALESCE((SELECT h.who FROM history h WHERE h.declaration = d.id AND h.origin = 'import'
                      ORDER BY h.id DESC LIMIT 1), 'inconnu'),
            COALESCE((SELECT h.at FROM history h WHERE h.declaration = d.id AND h.origin = 'import'
                      ORDER BY h.id DESC LIMIT 1), d.updated_at)
        FROM declarations d, json_each(d.blocks) j
    """,
)


def migrate(conn: sqlite3.Connection) -> None:
    """Run the migrations this file has not seen yet, each in its own transaction."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    current = row[0] or 0
    if current > len(MIGRATIONS):
        raise RuntimeError(f"base créée par une version plus récente de bilan (schéma {current})")
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        with transaction(conn):
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE .. COMMIT on an autocommit connection: all of it is written, or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
