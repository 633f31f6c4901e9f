"""`renomme de`: last year's name of a question, row, option or item, so that answers and history
follow it; a former name that is still present, or that two successors claim, is a compile error."""

from __future__ import annotations

import pytest
from year_campaigns import NEW, compiled, pair

from bilan.dsl.diagnostics import SourceError
from bilan.engine.result import Declaration
from bilan.store.db import Store
from bilan.yearchange.diff import diff
from bilan.yearchange.diff_report import diff_text
from bilan.yearchange.migration import Migrator

LAST_YEAR = Declaration({"reunions.plenieres": 3, "reunions.groupes": 1, "usagers": "favorable"}, frozenset())


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compiled(source)
    return [f"{d.span.file}:{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


STILL = "qui est encore un nom de ce fichier : un nom repris doit avoir disparu"

CASES = [
    (
        "question renamed from a present question",
        NEW.replace("        avis\n", "        avis\n        renomme de nom\n", 1),
        [f"t.bilan:12:16: la question « usagers » est renommée de « nom », {STILL}"],
    ),
    (
        "row renamed from a present row",
        NEW.replace("renomme de plenieres", "renomme de groupes"),
        [f"t.bilan:7:16: la ligne « pleniere » de « seances » est renommée de « groupes », {STILL}"],
    ),
    (
        "option renamed from a present option",
        NEW.replace("renomme de favorable", "renomme de defavorable"),
        [f"t.bilan:5:1: la réponse « pour » du type « avis » est renommée de « defavorable », {STILL}"],
    ),
    (
        "item renamed from a present item",
        NEW.replace("renomme de O221", "renomme de O211"),
        [f"t.bilan:21:10: l’item « O222 » est renommé de « O211 », {STILL}"],
    ),
    (
        "two questions claim one former name",
        NEW.replace("        avis\n", "        avis\n        renomme de reunions\n", 1),
        ["t.bilan:12:16: « reunions » est repris deux fois : par « seances » et par « usagers »"],
    ),
    (
        "two options claim one former code",
        NEW.replace('defavorable "Défavorable"', 'defavorable "Défavorable" renomme de favorable'),
        ["t.bilan:5:1: « favorable » du type « avis » est repris deux fois : par « pour » et par « defavorable »"],
    ),
    (
        "two rows claim one former name",
        NEW.replace('ligne groupes "Groupes"', 'ligne groupes "Groupes" renomme de plenieres'),
        ["t.bilan:7:16: « plenieres » de « seances » est repris deux fois : par « pleniere » et par « groupes »"],
    ),
    (
        "two items claim one former code",
        NEW.replace(
            "        0 point si seances.pleniere = 0\n",
            "        renomme de O221\n        0 point si seances.pleniere = 0\n",
        ),
        ["t.bilan:22:10: « O221 » est repris deux fois : par « O211 » et par « O222 »"],
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_ambiguous_rename_is_an_error_with_its_place(source: str, expected: list[str]) -> None:
    assert errors(source) == expected


def test_the_renames_of_the_pair_compile_with_either_spelling() -> None:
    accented = NEW.replace("renomme de reunions", "renommé de reunions")
    assert compiled(accented).questions["seances"].renamed_from == ("reunions",)
    assert compiled(NEW).types["avis"].options[0].renamed_from == ("favorable",)
    assert compiled(NEW).items["O222"].renamed_from == ("O221",)


def test_answers_follow_renamed_questions_rows_and_options() -> None:
    corr = pair()
    m = Migrator(corr, keep_data=False).migrate(LAST_YEAR)
    assert m.declaration.answers == {"seances.pleniere": 3, "seances.groupes": 1, "usagers": "pour"}
    assert m.renamed == (("reunions.plenieres", "seances.pleniere"), ("reunions.groupes", "seances.groupes"))
    assert m.dropped == ()
    # the same points under the new names: O211 6 (3 plenary meetings), O222 2 (favourable)
    assert {c: r.points for c, r in m.result.items.items()} == {"O211": 6, "O222": 2}


def test_without_the_renames_last_years_answers_would_be_lost() -> None:
    bare = NEW.replace("        renomme de reunions\n", "").replace(" renomme de favorable", "")
    m = Migrator(pair(new=bare), keep_data=False).migrate(LAST_YEAR)
    assert m.declaration.answers == {}
    assert [d.field for d in m.dropped] == ["reunions.plenieres", "reunions.groupes", "usagers"]
    assert m.dropped[2].reason.startswith("« favorable » n’est plus une réponse possible")


def test_history_follows_a_renamed_answer_into_the_new_year(store: Store) -> None:
    m = Migrator(pair(), keep_data=False).migrate(LAST_YEAR)
    (decl_id,) = store.open_year(2010, [("750712184", m.declaration)], origin="reprise 2009", who="cellule")
    lines = {(c.field, c.new, c.origin) for c in store.history(decl_id)}
    assert lines == {
        ("finess", "750712184", "reprise 2009"),
        ("seances.pleniere", 3, "reprise 2009"),
        ("seances.groupes", 1, "reprise 2009"),
        ("usagers", "pour", "reprise 2009"),
    }


def test_diff_shows_each_rename_and_no_rewording_of_conditions_that_only_follow_it() -> None:
    corr = pair()
    text = diff_text(diff(corr.old, corr.new), "old.bilan", "new.bilan")
    assert text.splitlines()[2:] == [
        "4 changement(s) : 3 pour les réponses, 1 pour les scores, 0 de libellé",
        "",
        "Réponses à reprendre (questions, réponses possibles, conditions, contrôles) — 3",
        "  type « avis »",
        "    réponse « favorable » renommée « pour »",
        "  question « seances » (II.2)",
        "    renommée de « reunions »",
        "    ligne « plenieres » renommée « pleniere »",
        "",
        "Scores (points, maxima, pondérations, formules, classes) — 1",
        "  item O222",
        "    renommé de « O221 »",
    ]


def test_a_rename_from_a_name_last_year_did_not_have_is_listed() -> None:
    typo = NEW.replace("renomme de reunions", "renomme de reunion")
    corr = pair(new=typo)
    assert corr.unknown == (
        "question « seances » renommée de « reunion » : aucune question de ce nom dans la campagne 2009",
    )
    assert "À vérifier : « renomme de » sans correspondant dans old.bilan" in diff_text(
        diff(corr.old, corr.new), "old.bilan", "new.bilan"
    )


def test_an_explicit_rule_label_that_changed_is_still_a_wording_change() -> None:
    reworded = NEW.replace('"avis favorable"', '"avis favorable des usagers"')
    corr = pair(new=reworded)
    changes = diff(corr.old, corr.new).of("libelles")
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("libellé de la règle « 2 points si usagers = pour »", "avis favorable", "avis favorable des usagers")
    ]
