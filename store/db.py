"""The Store: SQLite in WAL mode, one transaction per answer, every change in the history."""

from __future__ import annotations

import getpass
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from bilan.common import clock
from bilan.common.errors import UserError, system_reason
from bilan.engine.declaration_state import BlockSource, DeclarationState
from bilan.engine.expr import Value
from bilan.engine.identifiers import control_problem
from bilan.engine.result import Declaration
from bilan.store import lease, sources
from bilan.store.codec import decode, encode
from bilan.store.paths import prepare
from bilan.store.schema import migrate, snapshot, transaction, wal_mode


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
class SecondKeying:
    """A blind second keying of a declaration (contrôle par double saisie), from its start to its resolution."""

    started_at: str
    started_by: str
    compared_at: str | None  # set when the two keyings were compared: no key is typed blind after
    last_field: str | None  # where the second keying resumes


NO_SECOND_KEYING = "aucune double saisie en cours sur cette déclaration"


def second_keying_refusal(keying: SecondKeying | None) -> str | None:
    """Why a second keying takes no answer now (none in progress, or already compared), or None."""
    if keying is None:
        return NO_SECOND_KEYING
    if keying.compared_at is not None:
        return (
            f"double saisie close le {clock.french_date(keying.compared_at)} : les deux saisies ont été "
            "comparées, il reste à résoudre leurs différences"
        )
    return None


DOUBLE_KEYING = "double saisie"  # history origin of the second keying's answers and of its events
RESOLUTION = "résolution"  # history origin of a difference resolved: old is the value dropped, new the one kept


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

    def __init__(self, path: Path, now: Callable[[], str] = clock.now_text) -> None:
        self.path = Path(path)
        self.now = now
        self.token = uuid.uuid4().hex
        self._seen: dict[int, int] = {}  # declaration -> last history line this Store read or wrote
        try:
            prepare(self.path)
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            reason = system_reason(exc) if isinstance(exc, OSError) else str(exc)
            raise UserError(f"{self.path}: base de saisie inutilisable ({reason})") from None
        try:
            self._setup()
        except BaseException:
            self.conn.close()
            raise

    def _setup(self) -> None:
        try:
            self.conn.execute("PRAGMA busy_timeout=10000")
            wal_mode(self.conn)
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn)
        except sqlite3.Error as exc:
            reason = "ce n’est pas une base SQLite" if "not a database" in str(exc) else str(exc)
            raise UserError(f"{self.path}: base de saisie inutilisable ({reason})") from None

    def close(self) -> None:
        """Release the leases this Store took (by opening or by writing), then close."""
        try:
            with transaction(self.conn):
                self.conn.execute("DELETE FROM leases WHERE token = ?", (self.token,))
        except (sqlite3.Error, UserError):
            pass  # a lease left behind is taken over once this process is gone
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
        """A new, empty declaration; its FINESS is recorded as the first answer.

        The check and the insertion share one immediate transaction: of two processes creating
        the same establishment at once, the second is told it exists (never an IntegrityError).
        """
        with transaction(self.conn):
            if self.find(finess, year) is not None:
                raise UserError(f"une déclaration {year} existe déjà pour le FINESS {finess} : l’ouvrir plutôt")
            declaration = self._create(finess, year, who or login(), "saisie")
            self._seen[declaration] = self._version(declaration)
            return declaration

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
        """The declaration as it is now (one consistent snapshot); later writes through this Store
        are refused if someone else changes it in between (see `_hold`)."""
        with snapshot(self.conn):
            rows = self.conn.execute("SELECT field, value FROM answers WHERE declaration = ?", (declaration,))
            answers = {f: decode(v) for f, v in rows}
            justifications = dict(
                self.conn.execute("SELECT check_name, text FROM justifications WHERE declaration = ?", (declaration,))
            )
            row = self.get(declaration)
            state = self.state(declaration, row)
            self._seen[declaration] = self._version(declaration)
        return Declaration(answers, row.blocks, justifications, state)

    def state(self, declaration: int, row: DeclarationRow | None = None) -> DeclarationState:
        """Validated or not, and who supplied each data block and how."""
        row = row or self.get(declaration)
        return self._state_of(row, self.block_sources(declaration))

    @staticmethod
    def _state_of(row: DeclarationRow, blocks: dict[str, BlockSource]) -> DeclarationState:
        return DeclarationState(row.validated_at, row.validated_by, blocks)

    def block_sources(self, declaration: int) -> dict[str, BlockSource]:
        return sources.load(self.conn, declaration)

    def single_establishment(self) -> bool:
        """A store of one establishment (its own), not the administration's store of many."""
        count = self.conn.execute("SELECT COUNT(DISTINCT finess) FROM declarations").fetchone()[0]
        return int(count) <= 1

    def _version(self, declaration: int) -> int:
        """The last history line of a declaration: every change of an answer or a justification adds one."""
        sql = "SELECT COALESCE(MAX(id), 0) FROM history WHERE declaration = ?"
        return int(self.conn.execute(sql, (declaration,)).fetchone()[0])

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
            blocks: dict[int, dict[str, BlockSource]] = {r.id: {} for r in rows}
            for decl, block, origin, who, at in self.conn.execute(
                "SELECT s.declaration, s.block, s.origin, s.who, s.at FROM block_sources s"
                " JOIN declarations d ON d.id = s.declaration WHERE d.year = ? ORDER BY s.block",
                (year,),
            ):
                blocks[decl][block] = BlockSource(block, origin, who, at)
        finally:
            self.conn.execute("COMMIT")
        return [
            (r, Declaration(answers[r.id], r.blocks, justifications[r.id], self._state_of(r, blocks[r.id])))
            for r in rows
        ]

    # ------------------------------------------------------------------ writes, one transaction each

    def set_answer(
        self,
        declaration: int,
        field: str,
        value: Value,
        who: str | None = None,
        origin: str = "saisie",
        block: str | None = None,
    ) -> bool:
        """Record one answer (None clears it) with its history line (`origin`: how it came); False if
        nothing changed.

        A figure of a data `block` makes the block supplied by the establishment, provisionally
        (refused if the administration supplied it: see store.sources); it is not a question
        where entry resumes.
        """
        who = who or login()
        with self._writing(declaration, who):
            if block is not None:
                sources.enter(self.conn, declaration, block, who, self.now())
            changed = self._write(declaration, field, value, who, origin)
            if block is None:
                self.conn.execute("UPDATE declarations SET last_field = ? WHERE id = ?", (field, declaration))
            return changed

    def _write(self, declaration: int, field: str, value: Value, who: str, origin: str, table: str = "answers") -> bool:
        """Change one answer of `table` (the declaration's, or its second keying's) and add the history line."""
        assert table in ("answers", "second_keying_answers")
        row = self.conn.execute(
            f"SELECT value FROM {table} WHERE declaration = ? AND field = ?", (declaration, field)
        ).fetchone()
        old = row[0] if row else None
        new = encode(value)
        if old == new:
            return False
        if new is None:
            self.conn.execute(f"DELETE FROM {table} WHERE declaration = ? AND field = ?", (declaration, field))
        else:
            sql = f"INSERT OR REPLACE INTO {table} (declaration, field, value) VALUES (?, ?, ?)"
            self.conn.execute(sql, (declaration, field, new))
        at = self.now()
        self.conn.execute(_HISTORY, (declaration, at, who, field, old, new, origin))
        self.conn.execute("UPDATE declarations SET updated_at = ? WHERE id = ?", (at, declaration))
        return True

    @contextmanager
    def _writing(self, declaration: int, who: str) -> Iterator[None]:
        """One write transaction on a declaration this Store may change (see `_hold`)."""
        with transaction(self.conn):
            self._hold(declaration, who)
            yield
            self._seen[declaration] = self._version(declaration)

    def _hold(self, declaration: int, who: str) -> None:
        """Refuse a write that could lose someone else's update; otherwise hold the declaration.

        No lost update, even for a caller that never took the lease (two scripts incrementing
        a count through `load` and `set_answer`):
        - the lease: a write takes it if nobody holds it (or renews ours); a second live writer
          is refused with the holder's name. It is released by `release`, by `close`, or taken
          over once its process is dead (see store.lease);
        - compare-and-set: a Store remembers the last history line of each declaration it read
          (`load`) or wrote; if the declaration changed since (a writer that released its lease
          in between, a lease taken over), the write is refused until it is read again.
        Both checks run inside the write's immediate transaction, so nothing can slip between
        the check and the write.
        """
        if self.get(declaration).validated_at:
            raise UserError("déclaration validée : elle ne peut plus être modifiée")
        holder = lease.acquire(self.conn, declaration, self.token, who, self.now())
        if holder is not None:
            raise UserError(f"déclaration ouverte en écriture par {holder.describe()} : modification refusée")
        seen = self._seen.get(declaration)
        version = self._version(declaration)
        if seen is not None and seen != version:
            at, by = self.conn.execute("SELECT at, who FROM history WHERE id = ?", (version,)).fetchone()
            raise UserError(f"déclaration modifiée par {by} ({at}) depuis sa lecture : la relire avant de la modifier")

    def set_position(self, declaration: int, field: str) -> None:
        """Record the question the cursor is on, without waiting for the disk (synchronous=OFF).

        A position is written on every move: an fsync each time would halve the speed at which
        typed-ahead keys are applied. A killed process still keeps it (it is in the system's
        cache); only a power cut could lose the last moves, never an answer.
        """
        self.conn.execute("PRAGMA synchronous=OFF")
        try:
            with transaction(self.conn):
                self.conn.execute("UPDATE declarations SET last_field = ? WHERE id = ?", (field, declaration))
        finally:
            self.conn.execute("PRAGMA synchronous=FULL")

    def set_justification(self, declaration: int, check: str, text: str, who: str | None = None) -> None:
        """Confirm a warning with a text (an empty one removes it); text that could drive a
        terminal is refused, as in answers files (answers go through engine.answers.check_value)."""
        problem = control_problem(text)
        if problem:
            raise UserError(f"justification refusée : {problem}")
        sql = self.conn.execute
        key = (declaration, check)
        who = who or login()
        with self._writing(declaration, who):
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
                    who,
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
        with self._writing(declaration, who):
            if self.second_keying(declaration) is not None:
                raise UserError("double saisie en cours : la déclaration ne peut être validée qu’une fois résolue")
            at = self.now()
            self.conn.execute(
                "UPDATE declarations SET validated_at = ?, validated_by = ? WHERE id = ?", (at, who, declaration)
            )
            self.conn.execute(_HISTORY, (declaration, at, who, "validation", None, encode("validée"), "validation"))

    def history(self, declaration: int) -> list[Change]:
        sql = "SELECT at, who, field, old, new, origin FROM history WHERE declaration = ? ORDER BY id"
        rows = self.conn.execute(sql, (declaration,))
        return [Change(at, who, f, decode(o), decode(n), origin) for at, who, f, o, n, origin in rows]

    # ------------------------------------------------------------------ second keying (double saisie)

    def second_keying(self, declaration: int) -> SecondKeying | None:
        sql = "SELECT started_at, started_by, compared_at, last_field FROM second_keyings WHERE declaration = ?"
        row = self.conn.execute(sql, (declaration,)).fetchone()
        return SecondKeying(*row) if row else None

    def second_answers(self, declaration: int) -> dict[str, Value]:
        rows = self.conn.execute("SELECT field, value FROM second_keying_answers WHERE declaration = ?", (declaration,))
        return {f: decode(v) for f, v in rows}

    def _second_keying_in_progress(self, declaration: int) -> SecondKeying:
        keying = self.second_keying(declaration)
        if keying is None:
            raise UserError(NO_SECOND_KEYING)
        return keying

    def _event(self, declaration: int, who: str, what: str) -> None:
        """A history line about the second keying itself (started, compared, ended)."""
        self.conn.execute(_HISTORY, (declaration, self.now(), who, DOUBLE_KEYING, None, encode(what), DOUBLE_KEYING))

    def start_second_keying(self, declaration: int, who: str) -> None:
        """Begin a blind second keying, empty; refused while another one is in progress (one at a time)."""
        with self._writing(declaration, who):
            current = self.second_keying(declaration)
            if current is not None:
                raise UserError(
                    f"une double saisie est déjà en cours (commencée le {clock.french_date(current.started_at)} "
                    f"par {current.started_by}) : la reprendre, ou l’abandonner"
                )
            sql = "INSERT INTO second_keyings (declaration, started_at, started_by) VALUES (?, ?, ?)"
            self.conn.execute(sql, (declaration, self.now(), who))
            self._event(declaration, who, "commencée")

    def set_second_answer(self, declaration: int, field: str, value: Value, who: str) -> bool:
        """Record one answer of the second keying (its own transaction, like every answer); False if unchanged."""
        with self._writing(declaration, who):
            refusal = second_keying_refusal(self.second_keying(declaration))
            if refusal:
                raise UserError(refusal)
            changed = self._write(declaration, field, value, who, DOUBLE_KEYING, table="second_keying_answers")
            sql = "UPDATE second_keyings SET last_field = ? WHERE declaration = ?"
            self.conn.execute(sql, (field, declaration))
            lease.beat(self.conn, declaration, self.token, self.now())
            return changed

    def set_second_position(self, declaration: int, field: str) -> None:
        with transaction(self.conn):
            sql = "UPDATE second_keyings SET last_field = ? WHERE declaration = ?"
            self.conn.execute(sql, (field, declaration))

    def close_second_keying(self, declaration: int, who: str, differences: int) -> None:
        """The two keyings are compared: the second one takes no more keys (its typist may now see the first)."""
        with self._writing(declaration, who):
            self._second_keying_in_progress(declaration)
            sql = "UPDATE second_keyings SET compared_at = COALESCE(compared_at, ?) WHERE declaration = ?"
            self.conn.execute(sql, (self.now(), declaration))
            self._event(declaration, who, f"comparée : {differences} différence(s)")

    def keep_first_answer(self, declaration: int, field: str, value: Value, who: str) -> None:
        """Resolve a difference by keeping the first keying's value: the declaration is unchanged, the
        second keying takes that value, and the history line says which value was dropped (old)."""
        with self._writing(declaration, who):
            self._second_keying_in_progress(declaration)
            self._write(declaration, field, value, who, RESOLUTION, table="second_keying_answers")

    def end_second_keying(self, declaration: int, who: str, how: str) -> None:
        """Remove the second keying (what it held stays in the history), with a line saying how it ended."""
        with self._writing(declaration, who):
            self._second_keying_in_progress(declaration)
            self.conn.execute("DELETE FROM second_keyings WHERE declaration = ?", (declaration,))
            self._event(declaration, who, how)

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
                kept = sources.kept_on_import(self.conn, existing.id if existing else None, decl)
                if existing is None:
                    decl_id = self._insert_whole(finess, year, decl, who, at)
                else:
                    decl = sources.with_kept(self.conn, existing.id, decl, kept)
                    decl_id = self._replace(existing, decl, replace, who)
                sources.record_import(self.conn, decl_id, decl, kept, who, at)
                ids.append(decl_id)
                if progress is not None:
                    progress(n)
        for decl_id in ids:
            self._seen[decl_id] = self._version(decl_id)
        return ids

    def open_year(
        self,
        year: int,
        declarations: list[tuple[str, Declaration]],
        origin: str,
        who: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[int]:
        """A campaign year opened from the previous one (`bilan migrate`): every declaration created
        in one transaction, its answers' history lines marked `origin` (« reprise 2009 »), or none.

        Refused, naming them, if any of these establishments already has a declaration of that
        year: a second run is never silent, and nothing entered meanwhile is overwritten.
        """
        who = who or login()
        with transaction(self.conn):
            existing = [row for row in (self.find(finess, year) for finess, _ in declarations) if row is not None]
            if existing:
                raise UserError(self._already_open(year, existing))
            at = self.now()
            ids = []
            for n, (finess, decl) in enumerate(declarations, start=1):
                ids.append(self._insert_whole(finess, year, decl, who, at, origin))
                if progress is not None:
                    progress(n)
        for decl_id in ids:
            self._seen[decl_id] = self._version(decl_id)
        return ids

    def _already_open(self, year: int, existing: list[DeclarationRow]) -> str:
        """Which establishments already have a declaration of `year`, and how it came (its first history line)."""
        shown = []
        for row in existing[:10]:
            first = self.conn.execute(
                "SELECT origin, at, who FROM history WHERE declaration = ? ORDER BY id LIMIT 1", (row.id,)
            ).fetchone()
            how = f"{first[0]}, le {clock.french_date(first[1])} par {first[2]}" if first else "vide"
            shown.append(f"{row.finess} ({how})")
        more = f" et {len(existing) - 10} autre(s)" if len(existing) > 10 else ""
        return (
            f"campagne {year} déjà ouverte dans {self.path} pour {len(existing)} établissement(s) : "
            f"{', '.join(shown)}{more} ; rien n’a été écrit"
        )

    def _insert_whole(
        self, finess: str, year: int, decl: Declaration, who: str, at: str, origin: str = "import"
    ) -> int:
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
            history.append((decl_id, at, who, field, old, new, origin))
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
        holder = lease.acquire(self.conn, existing.id, self.token, who, self.now())
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
            return lease.acquire(self.conn, declaration, self.token, who or login(), self.now())

    def beat(self, declaration: int) -> bool:
        """Renew our lease's heartbeat; False if we no longer hold it (another session took it over)."""
        with transaction(self.conn):
            lease.beat(self.conn, declaration, self.token, self.now())
            return int(self.conn.execute("SELECT changes()").fetchone()[0]) == 1

    def release(self, declaration: int) -> None:
        with transaction(self.conn):
            lease.release(self.conn, declaration, self.token)
