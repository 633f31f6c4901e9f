"""A private on-disk cache of pickled objects (parser tables, compiled campaigns).

Unpickling runs code, so an entry is only read from where nobody else can write: the user's own
cache folder (platformdirs, `~/.cache/bilan`), created 0700 and refused unless this user owns it
and nobody else can enter it; each file written 0600 through a temporary file and a rename, and
read only if it is a regular file (no symbolic link followed) owned by this user and writable by
nobody else. A file's first line is the sha256 of its key, checked before anything is unpickled.
Anything refused, damaged or stale is a miss: the caller recomputes and the entry is rewritten.
Where the platform cannot tell who owns a file (no `os.getuid`), nothing is cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path

_MAGIC = b"bilan-cache 1 "


def cache_dir() -> Path:
    """The user's cache folder for bilan (XDG_CACHE_HOME is honoured)."""
    import platformdirs

    return platformdirs.user_cache_path("bilan")


def _private_folder(create: bool) -> Path | None:
    """The cache folder if it is this user's alone (created 0700 when asked), else None."""
    if not hasattr(os, "getuid"):
        return None
    folder = cache_dir()
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return None
    if st.st_mode & 0o077:  # ours but open to others (made by hand?): close it first
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return None
    return folder


def _entry(folder: Path, kind: str, key: str) -> tuple[Path, bytes]:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{kind}-{digest[:32]}.pickle", _MAGIC + digest.encode() + b"\n"


def load(kind: str, key: str) -> object | None:
    """The object saved under (kind, key), or None when there is none that can be trusted."""
    folder = _private_folder(create=False)
    if folder is None:
        return None
    path, header = _entry(folder, kind, key)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())  # the very file opened: no race with a swap of the path
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        try:
            if f.readline() != header:
                return None
            value: object = pickle.load(f)
        except Exception:  # a damaged entry (crash while writing, disk full): recompute it
            return None
    return value


def save(kind: str, key: str, value: object) -> None:
    """Store `value` under (kind, key); a cache that cannot be written is silently skipped."""
    folder = _private_folder(create=True)
    if folder is None:
        return
    path, header = _entry(folder, kind, key)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")  # created 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(header)
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        Path(tmp).unlink(missing_ok=True)
        return
    _prune(folder, kind, path)


KEEP = 32  # entries kept per kind: every edit of a campaign (or of bilan itself) makes a new one


def _prune(folder: Path, kind: str, written: Path) -> None:
    """Forget all but the KEEP most recently written entries of a kind (on a miss only), never
    the one just written (two writes may share a modification time)."""
    try:
        others = [p for p in folder.glob(f"{kind}-*.pickle") if p != written]
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in others[KEEP - 1 :]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned at the same time
