"""The Store: SQLite in WAL mode, one transaction per answer, every change in the history."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from bilan.common.errors import UserError
from bilan.engine.expr import Value
from bilan.engine.result import Declaration
from bilan.store import lease
from bilan.store.codec import decode, encode
from bilan.store.schema import migrate, transaction


def now_text() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


@attrs.frozen
class DeclarationRow:
    id: int
    finess: str
    year: int
    blocks: frozenset[str]
    created_at: str
    updated_at: str
    admin_checked_at: str | None
    admin_checked_by: str | None
    validated_at: str | None
    validated_by: str | None
    last_field: str | None


@attrs.frozen
class Change:
    at: str
    who: str
    field: str
    old: Value
    new: Value
    origin: str


_HISTORY = "INSERT INTO history (declaration, at, who, field, old, new, origin) VALUES (?, ?, ?, ?, ?, ?, ?)"
_COLUMNS = (
    "id, finess, year, blocks, created_at, updated_at, admin_checked_at, admin_checked_by, "
    "validated_at, validated_by, last_field"
)


def _row(r: tuple[Any, ...]) -> DeclarationRow:
    return DeclarationRow(r[0], r[1], r[2], frozenset(json.loads(r[3])), *r[4:])


class Store:
    """One open store file; `now` is injectable so a simulated date reaches the records."""

    def __init__(self, path: Path, now: Callable[[], str] = now_text) -> None:
        self.path = Path(path)
        self.now = now
        self.token = uuid.uuid4().hex
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn)
        except (sqlite3.Error, OSError, RuntimeError) as exc:
            raise UserError(f"{self.path}: base de saisie inutilisable ({exc})") from None

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ declarations

    def declarations(self, year: int | None = None) -> list[DeclarationRow]:
        """Declarations, most recently changed first."""
        sql = f"SELECT {_COLUMNS} FROM declarations"
        rows = (
            self.conn.execute(sql + " WHERE year = ? ORDER BY updated_at DESC, id DESC", (year,))
            if year is not None
            else self.conn.execute(sql + " ORDER BY updated_at DESC, id DESC")
        )
        return [_row(r) for r in rows]

    def get(self, declaration: int) -> DeclarationRow:
        r = self.conn.execute(f"SELECT {_COLUMNS} FROM declarations WHERE id = ?", (declaration,)).fetchone()
        if r is None:
            raise UserError(f"déclaration {declaration} introuvable dans {self.path}")
        return _row(r)

    def find(self, finess: str, year: int) -> DeclarationRow | None:
        r = self.conn.execute(
            f"SELECT {_COLUMNS} FROM declarations WHERE finess = ? AND year = ?", (finess, year)
        ).fetchone()
        return _row(r) if r else None

    def create(self, finess: str, year: int, who: str | None = None) -> int:
        """A new, empty declaration; its FINESS is recorded as the first answer."""
        with transaction(self.conn):
            return self._create(finess, year, who or login(), "saisie")

    def _create(self, finess: str, year: int, who: str, origin: str) -> int:
        at = self.now()
        sql = self.conn.execute
        sql("INSERT OR IGNORE INTO establishments (finess, created_at) VALUES (?, ?)", (finess, at))
        cur = sql(
            "INSERT INTO declarations (finess, year, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (finess, year, at, at),
        )
        decl = int(cur.lastrowid or 0)
        self._write(decl, "finess", finess, who, origin)
        return decl

    def load(self, declaration: int) -> Declaration:
        rows = self.conn.execute("SELECT field, value FROM answers WHERE declaration = ?", (declaration,))
        answers = {f: decode(v) for f, v in rows}
        justifications = dict(
            self.conn.execute("SELECT check_name, text FROM justifications WHERE declaration = ?", (declaration,))
        )
        return Declaration(answers, self.get(declaration).blocks, justifications)

    def load_year(self, year: int) -> list[tuple[DeclarationRow, Declaration]]:
        """Every declaration of a campaign year with its answers, in FINESS order: three queries
        in one read transaction (a consistent snapshot), whatever the number of declarations."""
        self.conn.execute("BEGIN")
        try:
            rows = [
                _row(r)
                for r in self.conn.execute(
                    f"SELECT {_COLUMNS} FROM declarations WHERE year = ? ORDER BY finess", (year,)
                )
            ]
            answers: dict[int, dict[str, Value]] = {r.id: {} for r in rows}
            for decl, field, value in self.conn.execute(
                "SELECT a.declaration, a.field, a.value FROM answers a JOIN declarations d ON d.id = a.declaration"
                " WHERE d.year = ? ORDER BY a.declaration, a.field",
                (year,),
            ):
                answers[decl][field] = decode(value)
            justifications: dict[int, dict[str, str]] = {r.id: {} for r in rows}
            for decl, check, text in self.conn.execute(
                "SELECT j.declaration, j.check_name, j.text FROM justifications j"
                " JOIN declarations d ON d.id = j.declaration WHERE d.year = ?",
                (year,),
            ):
                justifications[decl][check] = text
        finally:
            self.conn.execute("COMMIT")
        return [(r, Declaration(answers[r.id], r.blocks, justifications[r.id])) for r in rows]

    # ------------------------------------------------------------------ writes, one transaction each

    def set_answer(self, declaration: int, field: str, value: Value, who: str | None = None) -> bool:
        """Record one answer (None clears it) with its history line; False if nothing changed."""
        with transaction(self.conn):
            self._guard(declaration)
            changed = self._write(declaration, field, value, who or login(), "saisie")
            self.conn.execute("UPDATE declarations SET last_field = ? WHERE id = ?", (field, declaration))
            lease.beat(self.conn, declaration, self.token)
            return changed

    def _write(self, declaration: int, field: str, value: Value, who: str, origin: str) -> bool:
        row = self.conn.execute(
            "SELECT value FROM answers WHERE declaration = ? AND field = ?", (declaration, field)
        ).fetchone()
        old = row[0] if row else None
        new = encode(value)
        if old == new:
            return False
        if new is None:
            self.conn.execute("DELETE FROM answers WHERE declaration = ? AND field = ?", (declaration, field))
        else:
            self.conn.execute(
                "INSERT OR REPLACE INTO answers (declaration, field, value) VALUES (?, ?, ?)", (declaration, field, new)
            )
        at = self.now()
        self.conn.execute(_HISTORY, (declaration, at, who, field, old, new, origin))
        self.conn.execute("UPDATE declarations SET updated_at = ? WHERE id = ?", (at, declaration))
        return True

    def _guard(self, declaration: int) -> None:
        """Refuse a write to a validated declaration or one another session holds."""
        if self.get(declaration).validated_at:
            raise UserError("déclaration validée : elle ne peut plus être modifiée")
        sql = "SELECT token, who FROM leases WHERE declaration = ?"
        row = self.conn.execute(sql, (declaration,)).fetchone()
        if row is not None and row[0] != self.token:
            raise UserError(f"déclaration ouverte en écriture par {row[1]} : modification refusée")

    def set_position(self, declaration: int, field: str) -> None:
        with transaction(self.conn):
            self.conn.execute("UPDATE declarations SET last_field = ? WHERE id = ?", (field, declaration))

    def set_justification(self, declaration: int, check: str, text: str, who: str | None = None) -> None:
        sql = self.conn.execute
        key = (declaration, check)
        with transaction(self.conn):
            self._guard(declaration)
            where = "WHERE declaration = ? AND check_name = ?"
            old = sql(f"SELECT text FROM justifications {where}", key).fetchone()
            if text.strip():
                sql("INSERT OR REPLACE INTO justifications VALUES (?, ?, ?)", (*key, text))
            else:
                sql("DELETE FROM justifications WHERE declaration = ? AND check_name = ?", key)
            self.conn.execute(
                _HISTORY,
                (
                    declaration,
                    self.now(),
                    who or login(),
                    f"justification:{check}",
                    encode(old[0]) if old else None,
                    encode(text.strip() or None),
                    "justification",
                ),
            )

    def flag(self, declaration: int, field: str, old: Value, new: Value, who: str | None = None) -> None:
        """A change of a category-setting field after the administrative data were checked."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO flags (declaration, field, at, who, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                (declaration, field, self.now(), who or login(), encode(old), encode(new)),
            )

    def flags(self, declaration: int) -> list[Change]:
        sql = "SELECT at, who, field, old, new FROM flags WHERE declaration = ? ORDER BY id"
        rows = self.conn.execute(sql, (declaration,))
        return [Change(at, who, f, decode(o), decode(n), "ddass") for at, who, f, o, n in rows]

    def check_admin(self, declaration: int, who: str | None = None) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE declarations SET admin_checked_at = COALESCE(admin_checked_at, ?), "
                "admin_checked_by = COALESCE(admin_checked_by, ?) WHERE id = ?",
                (self.now(), who or login(), declaration),
            )

    def validate(self, declaration: int, who: str) -> None:
        """Lock the declaration: no answer can change after this."""
        with transaction(self.conn):
            self._guard(declaration)
            at = self.now()
            self.conn.execute(
                "UPDATE declarations SET validated_at = ?, validated_by = ? WHERE id = ?", (at, who, declaration)
            )
            self.conn.execute(_HISTORY, (declaration, at, who, "validation", None, encode("validée"), "validation"))

    def history(self, declaration: int) -> list[Change]:
        sql = "SELECT at, who, field, old, new, origin FROM history WHERE declaration = ? ORDER BY id"
        rows = self.conn.execute(sql, (declaration,))
        return [Change(at, who, f, decode(o), decode(n), origin) for at, who, f, o, n, origin in rows]

    # ------------------------------------------------------------------ import and leases

    def import_declaration(
        self, finess: str, year: int, decl: Declaration, replace: bool = False, who: str | None = None
    ) -> int:
        """Write a whole declaration in one transaction: all of it, or nothing."""
        return self.import_declarations(year, [(finess, decl)], replace=replace, who=who)[0]

    def import_declarations(
        self,
        year: int,
        declarations: list[tuple[str, Declaration]],
        replace: bool = False,
        who: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[int]:
        """Write many declarations (FINESS, answers) in one transaction: all of them, or nothing.

        A new declaration is written with a few statements for all its answers and history lines
        (one instant for the whole import); replacing one goes answer by answer, as a change.
        `progress(n)` is called after the n-th declaration.
        """
        who = who or login()
        seen: set[str] = set()
        ids: list[int] = []
        with transaction(self.conn):
            at = self.now()
            for n, (finess, decl) in enumerate(declarations, start=1):
                if finess in seen:
                    raise UserError(f"FINESS {finess} en double dans l’import : une déclaration par établissement")
                seen.add(finess)
                existing = self.find(finess, year)
                if existing is None:
                    ids.append(self._insert_whole(finess, year, decl, who, at))
                else:
                    ids.append(self._replace(existing, decl, replace, who))
                if progress is not None:
                    progress(n)
        return ids

    def _insert_whole(self, finess: str, year: int, decl: Declaration, who: str, at: str) -> int:
        """A new declaration: the rows that `_create` then one `_write` per answer would leave."""
        sql = self.conn.execute
        sql("INSERT OR IGNORE INTO establishments (finess, created_at) VALUES (?, ?)", (finess, at))
        cur = sql(
            "INSERT INTO declarations (finess, year, blocks, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (finess, year, json.dumps(sorted(decl.blocks)), at, at),
        )
        decl_id = int(cur.lastrowid or 0)
        current: dict[str, str] = {}
        history = []
        for field, value in [("finess", finess), *decl.answers.items()]:
            new, old = encode(value), current.get(field)
            if new == old:
                continue
            if new is None:
                del current[field]
            else:
                current[field] = new
            history.append((decl_id, at, who, field, old, new, "import"))
        self.conn.executemany(
            "INSERT INTO answers (declaration, field, value) VALUES (?, ?, ?)",
            [(decl_id, f, v) for f, v in current.items()],
        )
        self.conn.executemany(_HISTORY, history)
        self.conn.executemany(
            "INSERT INTO justifications VALUES (?, ?, ?)", [(decl_id, c, t) for c, t in decl.justifications.items()]
        )
        return decl_id

    def _replace(self, existing: DeclarationRow, decl: Declaration, replace: bool, who: str) -> int:
        if not replace:
            raise UserError(
                f"une déclaration {existing.year} existe déjà pour le FINESS {existing.finess} ; "
                "ajouter --replace pour la remplacer"
            )
        if existing.validated_at:
            raise UserError(
                f"la déclaration {existing.year} du FINESS {existing.finess} est validée : elle ne peut être remplacée"
            )
        holder = lease.acquire(self.conn, existing.id, self.token, who)
        if holder is not None:
            raise UserError(f"déclaration en cours de saisie par {holder.describe()}")
        lease.release(self.conn, existing.id, self.token)
        decl_id = existing.id
        for field, _ in self.conn.execute(
            "SELECT field, value FROM answers WHERE declaration = ?", (decl_id,)
        ).fetchall():
            if field not in decl.answers:
                self._write(decl_id, field, None, who, "import")
        self.conn.execute("DELETE FROM justifications WHERE declaration = ?", (decl_id,))
        for field, value in decl.answers.items():
            self._write(decl_id, field, value, who, "import")
        for check, text in decl.justifications.items():
            self.conn.execute("INSERT INTO justifications VALUES (?, ?, ?)", (decl_id, check, text))
        self.conn.execute("UPDATE declarations SET blocks = ? WHERE id = ?", (json.dumps(sorted(decl.blocks)), decl_id))
        return decl_id

    def acquire(self, declaration: int, who: str | None = None) -> lease.Holder | None:
        """Hold the declaration for writing; returns who holds it if someone else does."""
        with transaction(self.conn):
            return lease.acquire(self.conn, declaration, self.token, who or login())

    def release(self, declaration: int) -> None:
        with transaction(self.conn):
            lease.release(self.conn, declaration, self.token)
