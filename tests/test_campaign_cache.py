"""Compiled campaigns from the private cache: the same model, never a stale or unchecked one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import bilan.dsl
from bilan.cli import campaign_cache
from bilan.cli.resources import DEFAULT_QUESTIONNAIRE
from bilan.dsl import analysis
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "bilan"


def _same(a: Campaign, b: Campaign) -> bool:
    return all(getattr(a, f.name) == getattr(b, f.name) for f in attrs.fields(Campaign))


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("campaign-*")) if folder.exists() else []


def _source_copy(tmp_path: Path) -> Path:
    path = tmp_path / "q.bilan"
    shutil.copyfile(DEFAULT_QUESTIONNAIRE, path)
    return path


def test_a_cached_campaign_is_the_compiled_one(tmp_path: Path, cache_home: Path) -> None:
    path = _source_copy(tmp_path)
    first = campaign_cache.load_compiled(path, analyse=False)
    assert len(_entries(cache_home)) == 1
    again = campaign_cache.load_compiled(path, analyse=False)
    assert again is not first
    assert _same(again, first)
    assert _same(again, compile_source(path.read_text(encoding="utf-8"), str(path), analyse=False))


def test_an_edited_source_is_compiled_again(tmp_path: Path) -> None:
    path = _source_copy(tmp_path)
    before = campaign_cache.load_compiled(path, analyse=False)
    path.write_text(path.read_text(encoding="utf-8").replace("campagne 2009", "campagne 2010", 1), encoding="utf-8")
    after = campaign_cache.load_compiled(path, analyse=False)
    assert (before.year, after.year) == (2009, 2010)


def test_the_same_source_under_another_name_keeps_its_own_spans(tmp_path: Path) -> None:
    path = _source_copy(tmp_path)
    other = tmp_path / "autre.bilan"
    shutil.copyfile(path, other)
    campaign_cache.load_compiled(path, analyse=False)
    campaign = campaign_cache.load_compiled(other, analyse=False)
    spans = [f.span for f in campaign.fields.values()]
    assert spans and all(s is not None and s.file == str(other) for s in spans)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the campaigns the static analysis runs on, from now on."""
    runs: list[str] = []
    analyse = analysis.analyse

    def counted(campaign: Campaign) -> object:
        runs.append(campaign.title)
        return analyse(campaign)

    monkeypatch.setattr(analysis, "analyse", counted)
    return runs


def test_a_check_runs_the_analysis_unless_this_source_passed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _source_copy(tmp_path)
    runs = _counting(monkeypatch)
    campaign_cache.load_compiled(path, analyse=False)
    assert runs == []
    campaign_cache.load_compiled(path, analyse=True)  # cached without analysis: analysed now
    assert len(runs) == 1
    campaign_cache.load_compiled(path, analyse=True)  # this source passed this analysis
    campaign_cache.load_compiled(path, analyse=False)
    assert len(runs) == 1


def test_a_source_with_errors_is_never_cached(tmp_path: Path, cache_home: Path) -> None:
    path = tmp_path / "faux.bilan"
    path.write_text('campagne 2009 "essai"\nquestion\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(SourceError):
            campaign_cache.load_compiled(path, analyse=False)
    assert _entries(cache_home) == []


def test_a_change_of_the_compiler_code_is_a_miss(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editable install's compiler changes without a version bump: its files key the cache."""
    path = _source_copy(tmp_path)
    code = tmp_path / "dsl"
    shutil.copytree(Path(bilan.dsl.__path__[0]), code)
    monkeypatch.setattr(bilan.dsl, "__path__", [str(code)])
    campaign_cache.load_compiled(path, analyse=False)
    stat = (code / "compiler.py").stat()
    os.utime(code / "compiler.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    campaign_cache.load_compiled(path, analyse=False)
    assert len(_entries(cache_home)) == 2


@pytest.mark.system
def test_a_cache_hit_does_not_load_the_parser(tmp_path: Path) -> None:
    code = "import sys\nfrom bilan.cli.resources import load_campaign\nload_campaign()\nprint('lark' in sys.modules)\n"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]


# ---------------------------------------------------------------------- the analysis after an edit

SURVISO_TOP = '10 points si iso_surveillee et iso_pourcentage >= 75 : "75 % des disciplines ou plus participent"'

WORDING_EDITS = [
    ('chapitre II "CLIN"', 'chapitre II "Comité de lutte"'),
    ('item SURVISO "Surveillance des infections du site opératoire"', 'item SURVISO "Surveillance des ISO"'),
    (SURVISO_TOP, SURVISO_TOP.replace("ou plus participent", "au moins")),
    ("ayant donné lieu à un compte-rendu écrit", "suivies d’un compte-rendu écrit"),
    ("doit déclarer au moins une discipline chirurgicale.", "déclare au moins une discipline chirurgicale."),
    ('preuve "Un rapport de surveillance par spécialité', 'preuve "Un rapport par spécialité'),
    ("\nitem SURVISO", "\n# un commentaire\n\n\nitem SURVISO"),  # every span below moves
]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_of_wording_only_skips_the_analysis_the_same_meaning_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _source_copy(tmp_path)
    runs = _counting(monkeypatch)
    campaign_cache.load_compiled(path, analyse=True)
    assert len(runs) == 1
    for old, new in WORDING_EDITS:  # all at once: each touches wording or places only
        _edit(path, old, new)
    campaign = campaign_cache.load_compiled(path, analyse=True)
    assert len(runs) == 1
    assert campaign.items["SURVISO"].title == "Surveillance des ISO"
    assert campaign.items["SURVISO"].span is not None and campaign.items["SURVISO"].span.line == 722


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        (SURVISO_TOP, SURVISO_TOP.replace("10 points", "11 points"), "peut dépasser son maximum déclaré (10)"),
        (
            'item SURVISO "Surveillance des infections du site opératoire" sur 10',
            'item SURVISO "Surveillance des infections du site opératoire" sur 9',
            "l’item « SURVISO » peut dépasser son maximum déclaré (9)",
        ),
        (SURVISO_TOP, SURVISO_TOP.replace("si iso_surveillee", "si non iso_surveillee"), "n’a pas pu être vérifié"),
    ],
)
def test_an_edit_of_meaning_is_analysed_again(tmp_path: Path, old: str, new: str, reported: str) -> None:
    """Points, a maximum, a condition: each edit breaks a maximum the analysis proved before, and
    `bilan check` says so although the source passed it a moment ago."""
    path = _source_copy(tmp_path)
    campaign_cache.load_compiled(path, analyse=True)
    _edit(path, old, new)
    with pytest.raises(SourceError) as caught:
        campaign_cache.load_compiled(path, analyse=True)
    assert reported in caught.value.render()
    _edit(path, new, old)  # back as it was: passes again, from the cache
    campaign_cache.load_compiled(path, analyse=True)
