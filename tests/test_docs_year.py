"""The year-change guide (docs/language.md) and README section show real output: every example
beginning with `$ bilan …` is run, and its lines (but for « […] » cuts) are the command's, in
order; the O211 excerpt is the impact of test_impact's O211-only campaign; the `renomme de`
example compiles."""

from __future__ import annotations

import glob
import re
import shlex
import textwrap
from pathlib import Path

import pytest
from test_impact import ONLY_O211

from bilan.cli.main import main
from bilan.dsl.compiler import compile_source

ROOT = Path(__file__).resolve().parent.parent
CUT = "[…]"


def _section(path: str, title: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


SECTIONS = [_section("README.md", "A new campaign year"), _section("docs/language.md", "A new campaign year")]
BLOCKS = [b for s in SECTIONS for b in re.findall(r"```text\n(.*?)```", s, re.S)]
COMMANDS = [b for b in BLOCKS if b.startswith("$ bilan ")]


def _in_order(shown: list[str], real: list[str]) -> None:
    """Every shown line is a line of the real output, in the same order; a cut skips any number."""
    at = 0
    for line in shown:
        if line == CUT:
            continue
        assert line in real[at:], line
        at = real.index(line, at) + 1


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's campaigns and examples as relative paths, outputs written aside."""
    for name in ("examples", "questionnaire.bilan"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_guide_has_its_examples() -> None:
    assert len(COMMANDS) == 5
    assert sum(b.startswith("changements de classe : 1") for b in BLOCKS) == 2


@pytest.mark.parametrize("block", COMMANDS, ids=[b.splitlines()[0][2:60] for b in COMMANDS])
def test_each_example_is_the_commands_output(block: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command, *shown = block.splitlines()
    args: list[str] = []
    for word in shlex.split(command[len("$ bilan ") :]):
        args += sorted(glob.glob(word)) if "*" in word else [word]
    assert main(args) == 0
    _in_order(shown, capsys.readouterr().out.splitlines())


def test_the_o211_excerpts(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "questionnaire.bilan").read_text(encoding="utf-8")
    for old, new in ONLY_O211:
        text = text.replace(old, new)
    (workdir / "o211.bilan").write_text(text, encoding="utf-8")
    examples = sorted(glob.glob("examples/*.toml"))
    assert main(["impact", "questionnaire.bilan", "o211.bilan", *examples]) == 0
    real = capsys.readouterr().out.splitlines()
    for block in BLOCKS:
        if block.startswith("changements de classe : 1"):
            _in_order(block.splitlines(), real)


def test_the_renomme_de_example_compiles() -> None:
    block = re.search(r"### `renomme de`.*?```\n(.*?)```", SECTIONS[1], re.S)
    assert block is not None
    lines = block.group(1).splitlines()
    types = [line for line in lines if line.startswith("type ")]
    chapter = textwrap.indent("\n".join(line for line in lines if not line.startswith("type ")), "    ")
    source = "\n".join(
        [
            'campagne 2010 "Guide"',
            "    ouverture 2011-02-22",
            "    date limite 2011-04-29",
            "échelle E D C B A",
            'type oui_non : oui "Oui" | non "Non"',
            *types,
            'chapitre II "CLIN"',
            '    question 5 usagers_convoques "Convoqués ?"',
            "        oui_non",
            '    question 6 avis_usagers "Avis ?"',
            "        avis",
            chapter,
            'indicateur ICALIN "Indice" sur 2',
            "    O222",
            "",
        ]
    )
    campaign = compile_source(source, "guide.bilan")
    assert campaign.questions["reunions_groupes_travail"].renamed_from == ("reunions_groupes",)
    grid = campaign.questions["services_correspondants"]
    assert grid.former_names(grid.fields[0]) == (
        "correspondants_services.infirmier.total",
        "correspondants_services.infirmier.nombre",
        "correspondants_services.paramedical.total",
        "correspondants_services.paramedical.nombre",
        "services_correspondants.infirmier.total",
        "services_correspondants.infirmier.nombre",
        "services_correspondants.paramedical.total",
    )
    assert campaign.types["avis"].options[0].renamed_from == ("favorable",)
    assert campaign.items["O222"].renamed_from == ("O221",)
