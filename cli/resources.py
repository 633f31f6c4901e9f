"""Files shipped inside the package: the default campaign (questionnaire.bilan) and the demo declaration
(demo.toml, a link to examples/chu-exemple.toml, so the demo works from a wheel where examples/ does not exist).

They are found next to this module: bilan is installed as files (pip, setuptools), never run from a
zip, where importlib.resources would be needed (10 ms to import, on every command)."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

from bilan.common.errors import UserError, system_reason
from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign
from bilan.engine.result import Declaration

_HERE = Path(__file__).parent
DEFAULT_QUESTIONNAIRE = _HERE / "questionnaire.bilan"


def campaign_path(args: argparse.Namespace) -> Path:
    """The campaign file a command uses: the FICHIER.bilan of check and paper, or -q (before or
    after the sub-command), or the embedded 2009 campaign."""
    source: Path | None = getattr(args, "source", None)
    questionnaire: Path | None = args.questionnaire
    if source is not None and questionnaire is not None and source != questionnaire:
        raise UserError(f"deux questionnaires indiqués ({source} et -q {questionnaire}) : n’en donner qu’un")
    return source or questionnaire or DEFAULT_QUESTIONNAIRE


def refuse_questionnaire(args: argparse.Namespace, command: str, files: str) -> None:
    """`bilan -q X diff A B`: a command that names its campaign files itself would otherwise
    ignore the -q given before it, silently."""
    if args.questionnaire is not None:
        raise UserError(f"-q {args.questionnaire} : bilan {command} ne lit pas -q, il prend {files}")


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
        raise UserError(f"{path}: lecture impossible ({system_reason(exc)})") from None


def demo_declaration(campaign: Campaign) -> Declaration:
    """The `bilan --demo` declaration (written for the 2009 campaign: another campaign may refuse
    it with an AnswersError, and `bilan --demo -q NEW.bilan` then opens an empty declaration)."""
    from bilan.exports.answers_toml import parse_answers

    text = (_HERE / "demo.toml").read_text(encoding="utf-8")
    return parse_answers(text, campaign, "démo (examples/chu-exemple.toml)")
