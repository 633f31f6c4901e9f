"""One error type for everything a user can cause, French reasons for system errors, private folders."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class UserError(Exception):
    """A problem the user can fix (bad file, bad option); `render` is the whole message."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def render(self) -> str:
        return self.message


_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
    errno.EISDIR: "c’est un dossier",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENXIO: "aucun processus ne lit ce tube ou ce périphérique",
    errno.ELOOP: "trop de liens symboliques, ou lien refusé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur d’entrée-sortie du disque",
}


def system_reason(exc: OSError) -> str:
    """Why the system refused a file operation, in French when the cause is a common one."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def private_folder(path: Path) -> Path:
    """Create `path` (and its parents) and make it 0700 if it is ours: it holds personal data."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        path.chmod(0o700)
    return path
