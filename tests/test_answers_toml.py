"""The answers file: every problem reported with its key path and what was expected; round trip."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from declarations import declaration

from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.exports.answers_toml import AnswersError, dumps_declaration, parse_answers, read_answers

HEAD = '[bilan]\ncampagne = 2009\n[etablissement]\ncategorie = 1\nstatut = "public"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[reponses]\nreunions_clin = "trois"\n',
            "f.toml: reponses.reunions_clin : « trois » n’est pas un nombre ; attendu : un nombre entier de 0 à 99",
        ),
        (
            "[reponses]\nreunions_clin = 100\n",
            "f.toml: reponses.reunions_clin : 100 hors des bornes (0 à 99) ; attendu : un nombre entier de 0 à 99",
        ),
        (
            "[reponses]\nreunions_clin = 2.5\n",
            "f.toml: reponses.reunions_clin : 2,5 n’est pas un nombre entier ; attendu : un nombre entier de 0 à 99",
        ),
        (
            "[reponses.eohh]\nmedecin = 0.125\n",
            "f.toml: reponses.eohh.medecin : 0,125 a plus de 2 décimale(s) ; "
            "attendu : un nombre de 0 à 99,99, au plus 2 décimale(s)",
        ),
        (
            '[reponses]\nprojet = "peut-être"\n',
            'f.toml: reponses.projet : « peut-être » n’est pas une réponse possible ; attendu : une réponse parmi "oui", "non"',
        ),
        (
            "[reponses]\nprojet = true\n",
            'f.toml: reponses.projet : « true » n’est pas une réponse possible ; attendu : une réponse parmi "oui", "non"',
        ),
        (
            "[reponses]\nreunion_clin = 3\n",
            "f.toml: reponses.reunion_clin : question inconnue « reunion_clin » ; vouliez-vous dire « reunions_clin » ?",
        ),
        (
            "[reponse]\nreunions_clin = 3\n",
            "f.toml: reponse : section inconnue ; sections possibles : bilan, etablissement, declarant, reponses, sae, "
            "sarm_2007, sarm_2008, justifications, etat",
        ),
        ("[etablissement.x]\n", None),
        (
            '[justifications]\nnimporte = "x"\n',
            "f.toml: justifications.nimporte : « nimporte » n’est pas un avertissement du questionnaire",
        ),
    ],
)
def test_problems_name_the_key_and_what_was_expected(campaign: Campaign, body: str, message: str | None) -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers(HEAD + body, campaign, "f.toml")
    if message is not None:
        assert info.value.render() == message


def test_every_problem_reported_at_once(campaign: Campaign) -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers(HEAD + '[reponses]\nreunions_clin = "x"\nprojet = 3\n', campaign, "f.toml")
    assert [p.path for p in info.value.problems] == ["reponses.reunions_clin", "reponses.projet"]


def test_broken_toml_points_at_line_and_column(campaign: Campaign) -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers("[reponses]\nreunions_clin = = 3\n", campaign, "f.toml")
    text = info.value.render()
    assert text.startswith("f.toml:2:17: TOML invalide : ")
    assert text.splitlines()[1].strip() == "reunions_clin = = 3"


def test_other_campaign_year_refused(campaign: Campaign) -> None:
    with pytest.raises(AnswersError, match="campagne 2008"):
        parse_answers("[bilan]\ncampagne = 2008\n", campaign, "f.toml")


def test_missing_file_is_a_clear_message(campaign: Campaign, tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="fichier introuvable"):
        read_answers(tmp_path / "absent.toml", campaign)


def test_decimal_comma_string_accepted(campaign: Campaign) -> None:
    d = parse_answers(HEAD + '[reponses.eohh]\nmedecin = "0,5"\n', campaign, "f.toml")
    assert d.answers["eohh.medecin"] == Fraction(1, 2)


def test_round_trip_gives_the_same_scores(campaign: Campaign, engine: Engine) -> None:
    original = declaration(campaign, blocks={"sae": {"medecine": 1000, "urgences": 50}}, volume_sha=Fraction("12.25"))
    text = dumps_declaration(original, campaign)
    again = parse_answers(text, campaign, "x.toml")
    assert again.answers == original.answers
    assert engine.score(again) == engine.score(original)


def test_truncated_toml_says_where_in_french(campaign: Campaign) -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers("[reponses]\nx = [\n", campaign, "f.toml")
    assert info.value.render().startswith("f.toml:2:6: TOML invalide : valeur invalide")
    assert "fin du fichier" in info.value.render()
