"""The store's tables and their migrations; `schema_version` says which migrations have run."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bilan.common.errors import UserError

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
    # 2: the control by double keying: one blind second keying at a time per declaration, its own
    # answers (what the second person typed), and whether it was compared (then closed to keys).
    """
    CREATE TABLE second_keyings (
        declaration INTEGER PRIMARY KEY REFERENCES declarations(id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        started_by TEXT NOT NULL,
        compared_at TEXT,
        last_field TEXT
    );
    CREATE TABLE second_keying_answers (
        declaration INTEGER NOT NULL REFERENCES second_keyings(declaration) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (declaration, field)
    );
    """,
    # 3: who supplied each data block and how (store.sources); blocks imported before it are the
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


def wal_mode(conn: sqlite3.Connection, patience: float = 10.0) -> None:
    """Switch a store to WAL (once per file; it stays so). The switch needs the file to itself and
    SQLite does not wait for it (no busy handler), so processes opening a brand-new store together
    retry for up to `patience` seconds."""
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the store to the latest schema in one immediate transaction.

    Reading the version and running what is missing happen under the same write lock, so twenty
    processes opening a brand-new store at once run each migration exactly once (the others wait,
    then find nothing to do) instead of racing to "table already exists".
    """
    with transaction(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        if current > len(MIGRATIONS):
            raise UserError(
                f"base créée par une version plus récente de bilan (schéma {current}) : mettre bilan à jour"
            )
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))


BUSY = "base de saisie occupée par un autre processus depuis plus de 10 secondes : réessayer"
_WRITE_FAILURES = (
    ("locked", BUSY),
    ("busy", BUSY),
    ("disk is full", "disque plein : rien n’a été enregistré de cette dernière modification ; libérer de la place"),
    ("readonly", "base de saisie en lecture seule (droits du fichier ou du dossier) : rien n’a été enregistré"),
    ("disk I/O error", "erreur d’entrée-sortie du disque : rien n’a été enregistré de cette dernière modification"),
)


def _user_error(exc: sqlite3.OperationalError) -> UserError | None:
    """A failed write a user can act on, in French; None for anything else (a bug)."""
    text = str(exc)
    return next((UserError(message) for key, message in _WRITE_FAILURES if key in text), None)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE .. COMMIT on an autocommit connection: all of it is written, or none.

    IMMEDIATE takes the write lock before the first read, so what a transaction reads cannot be
    changed by another process before it writes (no lost update, no duplicate creation). A lock
    held too long, a full disk or a read-only file become UserErrors, after the rollback.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as exc:
        error = _user_error(exc)
        if error is None:
            raise
        raise error from None


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction: every SELECT inside sees the same committed state."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")
