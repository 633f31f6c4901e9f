"""One error type for everything a user can cause; crashes are logged, never shown as tracebacks."""

from __future__ import annotations

import datetime as dt
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


def crash_log_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "bilan"


def report_crash(exc: BaseException) -> str:
    """Write the traceback to a log file and return a short message pointing to it."""
    text = "".join(traceback.format_exception(exc))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (crash_log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"bilan-erreur-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            break
        except OSError:
            continue
    else:
        return f"erreur interne de bilan ({type(exc).__name__}) ; merci de la signaler."
    return (
        f"erreur interne de bilan ({type(exc).__name__}: {exc}).\n"
        f"Rien de ce qui a été enregistré n’est perdu. Détails pour le support : {path}"
    )
