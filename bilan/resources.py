"""Files shipped inside the package: the default campaign (questionnaire.bilan)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign
from bilan.errors import UserError

DEFAULT_QUESTIONNAIRE = Path(str(files("bilan").joinpath("questionnaire.bilan")))


@cache
def load_campaign(path: Path = DEFAULT_QUESTIONNAIRE, *, analyse: bool = False) -> Campaign:
    """Compile a campaign file, turning compile errors into a UserError with every diagnostic.

    Scoring and entry skip the enumerating analysis (maxima, unreachable branches) that
    `bilan check` runs: it is a maintainer's check, not needed to read a declaration.
    """
    from bilan.dsl.compiler import compile_file

    if not path.exists():
        raise UserError(f"{path}: fichier introuvable")
    try:
        return compile_file(path, analyse=analyse)
    except SourceError as exc:
        count = len(exc.diagnostics)
        plural = "s" if count > 1 else ""
        raise UserError(f"{exc.render()}\n{count} erreur{plural} dans {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path}: c’est un dossier, pas un fichier .bilan") from None
    except OSError as exc:
        raise UserError(f"{path}: lecture impossible ({exc.strerror})") from None
