"""`exemple` blocks and `bilan test`: every expectation of the shipped campaign can fail, each kind
of expectation is compared exactly (rounding boundaries included), a broken example is a compile
error placed on its line, and the command reports file:line:col, expected and got, status 1."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from bilan.cli.example_runner import run_examples
from bilan.cli.main import main
from bilan.dsl.compiler import compile_with_examples
from bilan.dsl.diagnostics import SourceError
from bilan.dsl.examples import STATUSES, Example, Expectation
from bilan.engine.model import Campaign

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = ROOT / "questionnaire.bilan"

CAMPAIGN = """\
campagne 2010 "Essai"
    ouverture 2011-02-21
    date limite 2011-04-29

échelle E D C B A

type oui_non : oui "Oui" | non "Non"
type couleur : rouge "Rouge" | vert "Vert" | bleu "Bleu"
type taille : 1 "Petit" | 2 "Grand"

données sae "SAE"
    champ journees "Journées" entier 6 chiffres

chapitre II "CLIN"
    question 2 reunions "Réunions ?"
        entier 3 chiffres
        erreur trop si reunions > 900 : "Trop de réunions."
    question 3 usagers "Usagers ?"
        oui_non
        avertissement sans_usagers si usagers = non : "Pas d’usagers."
    question 4 couleurs "Couleurs ?"
        plusieurs couleur
        facultatif
    question 5 taille "Taille ?"
        taille
        facultatif
    item O1 "Réunions" sur 6
        0 point si reunions = 0
        2 points si reunions entre 1 et 2
        6 points si reunions >= 3
    item O2 "Usagers" sur 2
        2 points si usagers = oui

valeur taux "Taux" = reunions / 1000

indicateur ICALIN "Indice" sur 8
    fonction O "Organisation" sur 8 : O1, O2
    classes fixes 2 4 6 8

indicateur RATIO "Ratio"
    non calculable si non present(sae) classe F : "pas de SAE"
    valeur 1000 × reunions / sae.journees
"""


def campaign_file(tmp_path: Path, examples: str, name: str = "essai.bilan") -> Path:
    path = tmp_path / name
    path.write_text(CAMPAIGN + "\n" + examples, encoding="utf-8")
    return path


def bilan_test(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["test", *args])
    out, err = capsys.readouterr()
    return status, out, err


def compile_errors(examples: str) -> str:
    with pytest.raises(SourceError) as caught:
        compile_with_examples(CAMPAIGN + "\n" + examples, "essai.bilan")
    return caught.value.render()


# ---------------------------------------------------------------------- the shipped campaign


@pytest.fixture(scope="module")
def shipped() -> tuple[Campaign, tuple[Example, ...]]:
    return compile_with_examples(QUESTIONNAIRE.read_text(encoding="utf-8"), str(QUESTIONNAIRE))


def wrong_versions(e: Expectation, scale: tuple[str, ...]) -> list[Expectation]:
    """The expectation made false in each of its parts: the number by the last decimal written
    (or 0.01), the class by another label, a bare status by another status."""
    out = []
    if e.number is not None:
        step = Fraction(1, 10**e.places) if e.places is not None else Fraction(1, 100)
        out.append(attrs.evolve(e, number=e.number + step))
    if e.label is not None:
        out.append(attrs.evolve(e, label=next(x for x in (*scale, "F") if x != e.label)))
    if e.number is None:
        out.append(attrs.evolve(e, status=next(s for s in STATUSES.values() if s != e.status)))
    return out


def test_every_expectation_of_the_shipped_examples_can_fail(shipped: tuple[Campaign, tuple[Example, ...]]) -> None:
    campaign, examples = shipped
    mutated = 0
    for example in examples:
        for i, expectation in enumerate(example.expectations):
            for wrong in wrong_versions(expectation, campaign.scale):
                changed = list(example.expectations)
                changed[i] = wrong
                outcome = run_examples(campaign, (attrs.evolve(example, expectations=tuple(changed)),), ROOT)
                assert [f.span for f in outcome.failures] == [expectation.span], (example.title, wrong)
                mutated += 1
    assert mutated > 120


def test_the_checks_and_missing_answers_of_an_example_are_complete_lists(
    shipped: tuple[Campaign, tuple[Example, ...]],
) -> None:
    campaign, examples = shipped
    warned = next(e for e in examples if len(e.checks) == 2)
    one_left_out = attrs.evolve(warned, checks=warned.checks[:1])
    [failure] = run_examples(campaign, (one_left_out,), ROOT).failures
    assert failure.span == warned.span
    assert "contrôle déclenché sans être attendu : avertissement « ddj_total »" in failure.message
    missing = next(e for e in examples if e.missing)
    [failure] = run_examples(campaign, (attrs.evolve(missing, missing=()),), ROOT).failures
    assert failure.span == missing.span
    assert failure.message.endswith("réponses manquantes non attendues : enquete_incidence")


def test_bilan_test_on_the_shipped_campaign(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = bilan_test(capsys, str(QUESTIONNAIRE))
    assert (status, err) == (0, "")
    assert out == f"{QUESTIONNAIRE} : 16 exemples, 152 attentes vérifiées, toutes conformes\n"


def test_the_embedded_campaign_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    """cli/questionnaire.bilan is a link: answers files are found next to the file it leads to."""
    status, out, _ = bilan_test(capsys)
    assert status == 0
    assert out.endswith("16 exemples, 152 attentes vérifiées, toutes conformes\n")


# ---------------------------------------------------------------------- comparisons


@pytest.mark.parametrize(
    ("line", "failure"),
    [
        ("ICALIN = 8 classe A", None),
        ("ICALIN = 7.99 classe A", "ICALIN : attendu 7.99, obtenu 8"),
        ("ICALIN = 8 classe B", "ICALIN : classe attendue B, obtenue A (8 / 8  classe A)"),
        ("ICALIN classe A", None),
        ("ICALIN = 2 × 4 classe A", None),  # an expected value may be a computation
        ("ICALIN.O = 8", None),
        ("ICALIN.O = 6", "ICALIN.O : attendu 6, obtenu 8"),
        ("item O1 = 6", None),
        ("item O2 = 0", "item O2 : attendu 0, obtenu 2"),
        # 845 / 1000 = 0.845 exactly: rounded half up, 0.85
        ("valeur taux = 0.845", None),
        ("valeur taux = 0.8450001", "valeur taux : attendu 0.8450001, obtenu 0.845"),
        ("valeur taux ≈ 0.85", None),
        ("valeur taux ~ 0.85", None),
        ("valeur taux ≈ 0.84", "valeur taux : attendu ≈ 0.84, obtenu 0.85 une fois arrondi (valeur 0.845)"),
        ("valeur taux ≈ 0.845", None),
        ("valeur taux ≈ 0.8", None),  # 0.845 is 0.8 with one decimal
        ("RATIO non calculable classe F", None),
        ("RATIO non calculable", None),
        ("RATIO classe F", None),
        ("RATIO non concerné", "RATIO : attendu non concerné, obtenu non calculable (F) : pas de SAE"),
        ("RATIO = 1", "RATIO : attendu 1, obtenu non calculable (F) : pas de SAE"),
    ],
)
def test_each_kind_of_expectation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, failure: str | None
) -> None:
    examples = f'exemple "Essai"\n    avec reunions = 845\n    avec usagers = oui\n    {line}\n'
    status, out, err = bilan_test(capsys, str(campaign_file(tmp_path, examples)))
    if failure is None:
        assert (status, err) == (0, "")
        assert out.endswith("1 exemple, 3 attentes vérifiées, toutes conformes\n")
    else:
        assert status == 1
        path = tmp_path / "essai.bilan"
        lines = CAMPAIGN.count("\n") + 5
        assert err.startswith(f"{path}:{lines}:5: échec : exemple « Essai » : {failure}\n        {line}\n        ^\n")
        assert err.endswith(f"{path} : 1 échec ; 1 exemple, 3 attentes\n")


def test_checks_that_fire_and_answers_left_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = (
        'exemple "Sans usagers"\n'  # line N + 1
        "    avec reunions = 901\n"
        "    avec usagers = non\n"
        "    erreur trop\n"
        "    avertissement sans_usagers\n"
        'exemple "Rien"\n'  # line N + 6
        "    manquante reunions\n"
        "    erreur trop\n"  # line N + 8
    )
    path = campaign_file(tmp_path, examples)
    status, _, err = bilan_test(capsys, str(path))
    n = CAMPAIGN.count("\n") + 1
    assert status == 1
    assert [line for line in err.splitlines() if line.startswith(str(path))] == [
        f"{path}:{n + 6}:1: échec : exemple « Rien » : réponses manquantes non attendues : usagers",
        f"{path}:{n + 8}:5: échec : exemple « Rien » : contrôle attendu, non déclenché : erreur « trop »",
        f"{path} : 2 échecs ; 2 exemples, 4 attentes",
    ]


def test_answers_changed_on_top_of_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "base.toml").write_text(
        '[reponses]\nreunions = 2\nusagers = "oui"\ncouleurs = ["rouge"]\n\n[sae]\njournees = 1000\n', encoding="utf-8"
    )
    examples = (
        'exemple "Fichier"\n    réponses "base.toml"\n    RATIO = 2\n    ICALIN = 4\n'
        'exemple "Sans la SAE"\n    réponses "base.toml"\n    sans sae\n    RATIO non calculable classe F\n'
        'exemple "Sans réponse"\n    réponses "base.toml"\n    sans reunions\n    manquante reunions\n'
        "    ICALIN = 2\n    RATIO non calculable\n"
        'exemple "Changé"\n    réponses "base.toml"\n    avec reunions = 5\n    avec couleurs = (vert, bleu)\n'
        "    avec taille = 2\n    ICALIN = 8\n    RATIO = 5\n"
        'exemple "SAE donnée"\n    avec reunions = 3\n    avec usagers = oui\n    avec sae.journees = 300\n'
        "    RATIO = 10\n"
    )
    status, out, err = bilan_test(capsys, str(campaign_file(tmp_path, examples)))
    assert (status, err) == (0, "")
    assert "5 exemples, 18 attentes vérifiées" in out


def test_an_answers_file_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.toml").write_text('[reponses]\nreunions = "beaucoup"\n', encoding="utf-8")
    (tmp_path / "other.toml").write_text("[bilan]\ncampagne = 2009\n", encoding="utf-8")
    examples = (
        'exemple "Absent"\n    réponses "absent.toml"\n    ICALIN = 8\n'
        'exemple "Refusé"\n    réponses "bad.toml"\n    ICALIN = 8\n'
        'exemple "Autre campagne"\n    réponses "other.toml"\n    ICALIN = 8\n'
        'exemple "Bon"\n    avec reunions = 3\n    avec usagers = oui\n    ICALIN = 8\n'
    )
    path = campaign_file(tmp_path, examples)
    status, _, err = bilan_test(capsys, str(path))
    n = CAMPAIGN.count("\n") + 1
    assert status == 1
    reported = [line for line in err.splitlines() if line.startswith(str(path))]
    assert reported == [
        f"{path}:{n + 2}:5: échec : exemple « Absent » : réponses illisibles : {tmp_path}/absent.toml: fichier introuvable",
        f"{path}:{n + 5}:5: échec : exemple « Refusé » : réponses illisibles : {tmp_path}/bad.toml: reponses.reunions : "
        "« beaucoup » n’est pas un nombre ; attendu : un nombre entier de 0 à 999",
        f"{path}:{n + 8}:5: échec : exemple « Autre campagne » : réponses illisibles : {tmp_path}/other.toml: "
        "bilan.campagne : réponses de la campagne 2009, questionnaire de la campagne 2010",
        f"{path} : 3 échecs ; 4 exemples, 3 attentes",  # only the example that ran is counted
    ]


# ---------------------------------------------------------------------- broken examples


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ICALN = 8", "indicateur inconnu « ICALN » ; vouliez-vous dire « ICALIN » ?"),
        ("taux = 8", "indicateur inconnu « taux » ; pour une valeur calculée, écrire « valeur taux »"),
        ("O1 = 8", "indicateur inconnu « O1 » ; pour un item, écrire « item O1 »"),
        ("item O11 = 1", "item inconnu « O11 » ; vouliez-vous dire « O1 » ?"),
        ("valeur tau = 1", "valeur inconnue « tau » ; vouliez-vous dire « taux » ?"),
        ("ICALIN.M = 1", "l’indicateur « ICALIN » n’a pas de fonction « M » (fonctions : O)"),
        ("ICALIN classe Z", "« Z » n’est pas une classe de « ICALIN » (A, B, C, D, E)"),
        ("RATIO = 1 classe A", "« A » n’est pas une classe de « RATIO » (F)"),
        ("item O1 = 6 classe A", "un statut ou une classe ne s’attend que d’un indicateur (ICALIN classe B)"),
        ("ICALIN.O exclu", "un statut ou une classe ne s’attend que d’un indicateur (ICALIN classe B)"),
        ("ICALIN = reunions", "valeur attendue : un nombre, ou un calcul de nombres avec + - × / et des parenthèses"),
        ("ICALIN = 8 / (2 - 2)", "valeur attendue : division par zéro"),
        (
            "avec reunions = 1000",
            "« reunions » : 1000 hors des bornes (0 à 999) ; attendu : un nombre entier de 0 à 999",
        ),
        (
            "avec reunions = 2.5",
            "« reunions » : 2,5 n’est pas un nombre entier ; attendu : un nombre entier de 0 à 999",
        ),
        (
            "avec reunions = beaucoup",
            "« reunions » : « beaucoup » n’est pas un nombre ; attendu : un nombre entier de 0 à 999",
        ),
        (
            "avec usagers = peut_etre",
            "« usagers » : « peut_etre » n’est pas une réponse possible ; attendu : une réponse parmi oui, non",
        ),
        (
            "avec usagers = (oui, non)",
            "« usagers » : une liste est donnée là où une seule valeur est attendue ; attendu : une réponse parmi oui, non",
        ),
        ("avec taille = 3", "« taille » : « 3 » n’est pas une réponse possible ; attendu : une réponse parmi 1, 2"),
        (
            "avec couleurs = (rouge, jaune)",
            "« couleurs » : « jaune » n’est pas une réponse possible ; attendu : des réponses parmi rouge, vert, bleu, entre parenthèses : (a, b)",
        ),
        ("avec reunion = 1", "question inconnue « reunion » ; vouliez-vous dire « reunions » ?"),
        ("avec sae = 1", "« sae » est un bloc de données : « avec » donne un de ses champs (sae.…)"),
        ("manquante usager", "question inconnue « usager » ; vouliez-vous dire « usagers » ?"),
        ("erreur sans_usagers", "« sans_usagers » est un contrôle de type « avertissement », pas « erreur »"),
        ("avertissement trops", "contrôle inconnu « trops » ; vouliez-vous dire « trop » ?"),
    ],
)
def test_a_broken_example_is_a_compile_error_on_its_line(line: str, message: str) -> None:
    n = CAMPAIGN.count("\n") + 1
    rendered = compile_errors(f'exemple "Essai"\n    {line}\n')
    assert rendered == f"essai.bilan:{n + 2}:5: erreur : {message}\n        {line}\n        ^"


def test_repeated_lines_and_titles() -> None:
    n = CAMPAIGN.count("\n") + 1
    rendered = compile_errors(
        'exemple "A"\n    réponses "a.toml"\n    réponses "b.toml"\n    ICALIN = 8\n    ICALIN classe A\n'
        'exemple "A"\n    ICALIN = 8\n'
    )
    assert [line for line in rendered.splitlines() if line.startswith("essai.bilan")] == [
        f"essai.bilan:{n + 3}:5: erreur : un seul fichier de réponses par exemple (déjà ligne {n + 2})",
        f"essai.bilan:{n + 5}:5: erreur : « ICALIN » est déjà attendu ligne {n + 4} dans cet exemple",
        f"essai.bilan:{n + 6}:1: erreur : exemple « A » déjà déclaré ligne {n + 1}",
    ]


def test_bilan_check_reports_a_broken_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = campaign_file(tmp_path, 'exemple "Essai"\n    ICALN = 8\n')
    assert main(["check", str(path)]) == 1
    assert "erreur : indicateur inconnu « ICALN »" in capsys.readouterr().err


# ---------------------------------------------------------------------- the command


def test_a_file_without_examples_checks_nothing_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = campaign_file(tmp_path, "")
    status, out, err = bilan_test(capsys, str(path))
    assert (status, out) == (1, "")
    assert err == f"{path} : aucun exemple (bloc « exemple ») : rien n’a été vérifié\n"


def test_several_files_each_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = campaign_file(tmp_path, 'exemple "Bon"\n    avec reunions = 3\n    avec usagers = oui\n    ICALIN = 8\n')
    broken = tmp_path / "cassé.bilan"
    broken.write_text("campagne 2010\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = bilan_test(capsys, "essai.bilan", str(good), "./essai.bilan", str(broken), "absent.bilan")
    assert status == 1
    assert out == "essai.bilan : 1 exemple, 3 attentes vérifiées, toutes conformes\n"
    assert f"{broken}:1:14: erreur : " in err
    assert err.endswith("1 erreur dans " + str(broken) + "\nabsent.bilan: fichier introuvable\n")
