"""One error type for everything a user can cause; crashes are logged, never shown as tracebacks."""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
import traceback
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


def crash_log_dir() -> Path:
    """The user's state folder (XDG_STATE_HOME/bilan on Linux)."""
    from platformdirs import user_state_path

    return user_state_path("bilan")


def _write_log(folder: Path, text: str, stamp: str) -> Path:
    """A new 0600 file with a name no one can guess or have created before (mkstemp)."""
    fd, name = tempfile.mkstemp(prefix=f"bilan-erreur-{stamp}-", suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(text)
    return Path(name)


def _log_file(text: str, stamp: str) -> Path | None:
    try:
        return _write_log(private_folder(crash_log_dir()), text, stamp)
    except OSError:
        pass
    try:
        return _write_log(Path(tempfile.gettempdir()), text, stamp)
    except OSError:
        return None


def report_crash(exc: BaseException) -> str:
    """Write the traceback to a log file of its own and return a short message pointing to it.

    The log goes to the private state folder; if that cannot be written, to a randomly named
    file of the temporary folder, created by us and readable by us only.
    """
    text = "".join(traceback.format_exception(exc))
    path = _log_file(text, dt.datetime.now().strftime("%Y%m%d-%H%M%S"))
    if path is None:
        return f"erreur interne de bilan ({type(exc).__name__}) ; merci de la signaler."
    return (
        f"erreur interne de bilan ({type(exc).__name__}: {exc}).\n"
        f"Rien de ce qui a été enregistré n’est perdu. Détails pour le support : {path}"
    )
