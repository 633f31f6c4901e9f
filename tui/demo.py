"""The `bilan --demo` declaration: examples/chu-exemple.toml, shipped inside the package as
bilan/demo.toml so the demo works from an installed wheel where examples/ does not exist."""

from __future__ import annotations

from importlib.resources import files

from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import parse_answers


def demo_declaration(campaign: Campaign) -> Declaration:
    text = files("bilan").joinpath("demo.toml").read_text(encoding="utf-8")
    return parse_answers(text, campaign, "démo (examples/chu-exemple.toml)")
