"""Crash logs: a bug is logged for support, never shown to a user as a traceback.

Each crash gets a file of its own (four processes crashing in the same second left one log when
the name was the time), created 0600 in the user's private state folder (platformdirs, 0700);
if that folder cannot be written, in a randomly named file of the temporary folder, never at a
name another user could guess and plant a link at.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

from bilan.common.errors import private_folder


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
