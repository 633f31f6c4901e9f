"""Where the store lives by default, and how its files are kept private.

The store holds names, e-mail addresses and telephone numbers: its folder is made 0700 and the
database with its WAL and shared-memory files 0600 (SQLite creates the last two with the mode
of the database file). The default folder is the user's data folder (platformdirs:
`~/.local/share/bilan` on Linux, `$XDG_DATA_HOME/bilan` if set).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import user_data_path

from bilan.common.errors import UserError, private_folder

SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_store() -> Path:
    return user_data_path("bilan") / "bilan.sqlite"


def _is_store(path: Path) -> bool:
    """An empty file (just created) or an SQLite database: never chmod what `--store` names by mistake."""
    with path.open("rb") as f:
        head = f.read(16)
    return head in (b"", SQLITE_MAGIC)


def _refuse_other_than_a_file(path: Path) -> None:
    """A store is a regular file: SQLite given a device (`--store /dev/null`) made it 0600 and
    wrote a journal next to it; a named pipe blocked. Refused before anything is opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # a new store, or one SQLite will say it cannot open
    if not stat.S_ISREG(mode):
        what = "un dossier" if stat.S_ISDIR(mode) else "un tube ou un périphérique, pas un fichier ordinaire"
        raise UserError(f"{path}: base de saisie inutilisable (c’est {what})")


def prepare(path: Path) -> None:
    """Create the store's folder (0700 if bilan creates it or it is the default one) and its file
    (0600); tighten the files of a store created by an older version to 0600."""
    _refuse_other_than_a_file(path)
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
