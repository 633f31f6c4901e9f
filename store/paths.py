"""Where the store lives by default, and how its files are kept private.

The store holds names, e-mail addresses and telephone numbers: its folder is made 0700 and the
database with its WAL and shared-memory files 0600 (SQLite creates the last two with the mode
of the database file). The default folder is the user's data folder (platformdirs:
`~/.local/share/bilan` on Linux, `$XDG_DATA_HOME/bilan` if set).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from bilan.common.errors import private_folder

SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_store() -> Path:
    return user_data_path("bilan") / "bilan.sqlite"


def _is_store(path: Path) -> bool:
    """An empty file (just created) or an SQLite database: never chmod what `--store` names by mistake."""
    with path.open("rb") as f:
        head = f.read(16)
    return head in (b"", SQLITE_MAGIC)


def prepare(path: Path) -> None:
    """Create the store's folder (0700 if bilan creates it or it is the default one) and its file
    (0600); tighten the files of a store created by an older version to 0600."""
    folder = path.parent
    if not folder.exists() or folder == default_store().parent:
        private_folder(folder)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    os.close(fd)
    if not _is_store(path):
        return  # not a database: SQLite will say so, and the file keeps its mode
    for name in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(name, 0o600)
