"""Who holds a declaration: one writer at a time, others open it read-only and are told who.

A lease names a host and a process; a lease of a dead process on this host is taken over, a
lease from another host is trusted until its heartbeat is older than STALE.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3

import attrs

STALE = dt.timedelta(minutes=10)


@attrs.frozen
class Holder:
    who: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        try:
            stamp = dt.datetime.fromisoformat(self.since)
            since = f"le {stamp:%d/%m/%Y à %H:%M}"
        except ValueError:
            since = self.since
        return f"{self.who} (machine {self.host}, processus {self.pid}, depuis {since})"


def _alive(host: str, pid: int, heartbeat: str, now: str) -> bool:
    if host != socket.gethostname():
        try:
            return dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(heartbeat) < STALE
        except ValueError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but not yet been reaped by its parent (a terminal just closed
    leaves the app so for a second or so): it holds nothing any more. Linux tells through /proc;
    elsewhere a zombie counts as alive until it is reaped."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    state = stat.rfind(b")") + 2  # the state follows "(name) ", and a name may hold ")"
    return stat[state : state + 1] == b"Z"


def acquire(conn: sqlite3.Connection, declaration: int, token: str, who: str, now: str) -> Holder | None:
    """Take the lease (inside the caller's transaction); return the live holder if it is not ours.

    A lease we already hold keeps its start and gets a new heartbeat. `now` comes from the
    store's clock, the one every date shown to a user comes from.
    """
    row = conn.execute(
        "SELECT token, who, host, pid, since, heartbeat FROM leases WHERE declaration = ?", (declaration,)
    ).fetchone()
    if row is not None and row[0] == token:
        beat(conn, declaration, token, now)
        return None
    if row is not None and _alive(row[2], row[3], row[5], now):
        return Holder(row[1], row[2], row[3], row[4])
    conn.execute(
        "INSERT OR REPLACE INTO leases (declaration, token, who, host, pid, since, heartbeat) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (declaration, token, who, socket.gethostname(), os.getpid(), now, now),
    )
    return None


def beat(conn: sqlite3.Connection, declaration: int, token: str, now: str) -> None:
    sql = "UPDATE leases SET heartbeat = ? WHERE declaration = ? AND token = ?"
    conn.execute(sql, (now, declaration, token))


def release(conn: sqlite3.Connection, declaration: int, token: str) -> None:
    conn.execute("DELETE FROM leases WHERE declaration = ? AND token = ?", (declaration, token))
