"""`bilan diff OLD.bilan NEW.bilan`: the changes between two campaigns by stable name, grouped by
what they mean (answers to carry / scores / wording), as text (golden) and as TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from year_campaigns import NEW, pair

from bilan.cli.main import main
from bilan.yearchange.changes import ANSWERS, SCORES, WORDING
from bilan.yearchange.diff import diff

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
V2009 = "questionnaire.bilan"
V2010 = "examples/campaigns/variante-2010.bilan"
V2005 = "examples/campaigns/icalin-2005.bilan"

DIFF_2009_2010 = """\
avant : campagne 2009 (questionnaire.bilan, saisie du 2010-02-23 au 2010-04-30)
après : campagne 2010 (examples/campaigns/variante-2010.bilan, saisie du 2011-02-22 au 2011-04-29)
5 changement(s) : 1 pour les réponses, 4 pour les scores, 0 de libellé

Réponses à reprendre (questions, réponses possibles, conditions, contrôles) — 1
  question « reunions_groupes_travail » (II.3)
    renommée de « reunions_groupes »

Scores (points, maxima, pondérations, formules, classes) — 4
  item O211
    maximum : 6 → 5
    règle « si reunions_clin >= 3 » : 6 points → 5 points
  item O221
    maximum : 2 → 3
    règle « si usagers_convoques = oui » : 2 points → 3 points
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports name the files as given: relative to the repository, as a maintainer types them."""
    monkeypatch.chdir(ROOT)


def test_2009_to_the_2010_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "diff", V2009, V2010) == (0, DIFF_2009_2010, "")


def test_2005_to_2009_the_real_change(capsys: pytest.CaptureFixture[str]) -> None:
    """Reviewed by hand against the 2005 file's header: O212 `<` become `<=`, O221 from the hygiene
    networks (1 point) to the users' representatives (2 points), IV-1-1 and IV-1-2 split in two
    questions each, a CSSI row in IV-2-2 and O121 by status, chapters X to XII and their indicators new."""
    status, out, err = _run(capsys, "diff", V2005, V2009)
    assert (status, err) == (0, "")
    assert out == (GOLDEN / "diff-2005-2009.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new"), [(V2009, V2010), (V2005, V2009)])
def test_toml_holds_the_same_changes_as_the_text(capsys: pytest.CaptureFixture[str], old: str, new: str) -> None:
    _, text, _ = _run(capsys, "diff", old, new)
    status, out, _ = _run(capsys, "diff", old, new, "--format", "toml")
    assert status == 0
    data = tomllib.loads(out)
    changes = data["changement"]
    assert (data["avant"]["fichier"], data["apres"]["fichier"]) == (old, new)
    counts = {e: sum(c["effet"] == e for c in changes) for e in (ANSWERS, SCORES, WORDING)}
    assert data["resume"] == counts
    header = f"{len(changes)} changement(s) : {counts[ANSWERS]} pour les réponses, {counts[SCORES]} pour les scores"
    assert header in text
    for c in changes:  # each change is in the text, under its subject
        assert f"  {c['sujet']}\n" in text
        assert f"    {c['quoi']}" in text


def test_toml_of_the_variant(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "diff", V2009, V2010, "--format", "toml")
    rows = [(c["effet"], c["nom"], c["quoi"], c.get("avant"), c.get("apres")) for c in tomllib.loads(out)["changement"]]
    assert rows == [
        (ANSWERS, "reunions_groupes_travail", "renommée de « reunions_groupes »", None, None),
        (SCORES, "O211", "maximum", "6", "5"),
        (SCORES, "O211", "règle « si reunions_clin >= 3 »", "6 points", "5 points"),
        (SCORES, "O221", "maximum", "2", "3"),
        (SCORES, "O221", "règle « si usagers_convoques = oui »", "2 points", "3 points"),
    ]


GROUPED = [
    # (what the 2010 file changes, then the one change bilan diff must find: effect, subject, what, before, after)
    (
        NEW.replace('"Avis ?"', '"Quel avis ?"'),
        WORDING,
        "question « usagers » (II.3)",
        "libellé",
        "Avis ?",
        "Quel avis ?",
    ),
    (
        NEW.replace('pour "Favorable"', 'pour "Avis favorable"'),
        WORDING,
        "type « avis »",
        "libellé de la réponse « pour »",
        "Favorable",
        "Avis favorable",
    ),
    (
        NEW.replace("entre 1 et 2\n", 'entre 1 et 2 : "une ou deux"\n'),
        WORDING,
        "item O211",
        "libellé de la règle « 2 points si seances.pleniere entre 1 et 2 »",
        None,
        "une ou deux",
    ),
    (NEW.replace("        facultatif\n", ""), ANSWERS, "question « nom » (II.4)", "réponse facultative", "oui", "non"),
    (
        NEW.replace('| defavorable "Défavorable"', '| defavorable "Défavorable" | neutre "Neutre"'),
        ANSWERS,
        "type « avis »",
        "réponse « neutre » ajoutée",
        None,
        "Neutre",
    ),
    (
        NEW.replace("entier 2 chiffres", "entier 3 chiffres"),
        ANSWERS,
        "question « seances » (II.2)",
        "type de réponse",
        "entier 2 chiffres",
        "entier 3 chiffres",
    ),
    (
        NEW.replace("        avis\n", "        avis\n        si seances.pleniere > 0\n", 1),
        ANSWERS,
        "question « usagers » (II.3)",
        "condition d’affichage",
        "toujours",
        "si seances.pleniere > 0",
    ),
    (
        NEW.replace("        0 point si usagers = defavorable\n", ""),
        SCORES,
        "item O222",
        "règle retirée",
        "0 point si usagers = defavorable",
        None,
    ),
    (
        NEW.replace("    O211, O222", "    affiché si calculé\n    O211, O222"),
        WORDING,
        "indicateur ICALIN",
        "affichage",
        "toujours affiché",
        "affiché si calculé",
    ),
    (
        NEW.replace("    O211, O222", "    O211, O222\n    classes fixes 2 4 6 7"),
        SCORES,
        "indicateur ICALIN",
        "classes",
        "aucune",
        "définies",
    ),
]


@pytest.mark.parametrize(("new", "effect", "subject", "what", "before", "after"), GROUPED)
def test_each_change_is_grouped_by_its_effect(
    new: str, effect: str, subject: str, what: str, before: str | None, after: str | None
) -> None:
    renames = diff(pair().old, pair().new).changes  # what NEW changes already: its renames
    found = [c for c in diff(pair().old, pair(new=new).new).changes if c not in renames]
    assert [(c.effect, c.subject, c.what, c.before, c.after) for c in found] == [(effect, subject, what, before, after)]


def test_identical_campaigns_say_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # the same campaign, with comments and blank lines of its own: no change of meaning
    copy = tmp_path / "copie.bilan"
    copy.write_text("# une copie commentée\n\n" + (ROOT / V2009).read_text(encoding="utf-8"), encoding="utf-8")
    status, out, _ = _run(capsys, "diff", V2009, str(copy))
    assert status == 0
    assert out.splitlines()[2:] == ["aucune différence de sens entre les deux campagnes"]
    _, out, _ = _run(capsys, "diff", V2009, str(copy), "--format", "toml")
    data = tomllib.loads(out)
    assert data["resume"] == {ANSWERS: 0, SCORES: 0, WORDING: 0}
    assert data["changement"] == []


def test_diff_into_a_file_never_over_an_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "diff.txt"
    assert _run(capsys, "diff", V2009, V2010, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == DIFF_2009_2010
    status, _, err = _run(capsys, "diff", V2009, V2010, "-o", V2010)
    assert status == 1
    assert "bilan ne l’écrase pas" in err


def test_a_missing_or_broken_campaign_is_a_french_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, "diff", "absent.bilan", V2009) == (1, "", "absent.bilan: fichier introuvable\n")
    broken = tmp_path / "cassé.bilan"
    broken.write_text('campagne 2010 "x"\n    question\n', encoding="utf-8")
    status, out, err = _run(capsys, "diff", V2009, str(broken))
    assert (status, out) == (1, "")
    assert err.startswith(f"{broken}:2:5: erreur : « question » inattendu")
    assert err.endswith(f"1 erreur dans {broken}\n")
    assert "Traceback" not in err


def test_errors_in_both_campaigns_are_all_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Only the first file's errors were reported: the second's waited for another run."""
    first, second = tmp_path / "a.bilan", tmp_path / "b.bilan"
    first.write_text('campagne 2009 "A"\nquestion\n', encoding="utf-8")
    second.write_text('campagne 2010 "B"\nquestion\n', encoding="utf-8")
    status, out, err = _run(capsys, "diff", str(first), str(second))
    assert (status, out) == (1, "")
    assert f"{first}:2:" in err and f"{second}:2:" in err
    assert f" dans {first}\n" in err and err.endswith(f" dans {second}\n")  # « N erreur(s) dans … » for each
