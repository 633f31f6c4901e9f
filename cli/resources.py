"""Files shipped inside the package: the default campaign (questionnaire.bilan) and the demo declaration
(demo.toml, a link to examples/chu-exemple.toml, so the demo works from a wheel where examples/ does not exist)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from bilan.common.errors import UserError
from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration

DEFAULT_QUESTIONNAIRE = Path(str(files("bilan.cli").joinpath("questionnaire.bilan")))


@cache
def load_campaign(path: Path = DEFAULT_QUESTIONNAIRE, *, analyse: bool = False) -> Campaign:
    """Compile a campaign file, turning compile errors into a UserError with every diagnostic.

    Scoring and entry skip the enumerating analysis (maxima, unreachable branches) that
    `bilan check` runs: it is a maintainer's check, not needed to read a declaration.
    """
    from bilan.cli.campaign_cache import load_compiled

    if not path.exists():
        raise UserError(f"{path}: fichier introuvable")
    try:
        return load_compiled(path, analyse=analyse)
    except SourceError as exc:
        count = len(exc.diagnostics)
        plural = "s" if count > 1 else ""
        raise UserError(f"{exc.render()}\n{count} erreur{plural} dans {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path}: c’est un dossier, pas un fichier .bilan") from None
    except OSError as exc:
        raise UserError(f"{path}: lecture impossible ({exc.strerror})") from None


def demo_declaration(campaign: Campaign) -> Declaration:
    """The `bilan --demo` declaration."""
    from bilan.exports.answers_toml import parse_answers

    text = files("bilan.cli").joinpath("demo.toml").read_text(encoding="utf-8")
    return parse_answers(text, campaign, "démo (examples/chu-exemple.toml)")
