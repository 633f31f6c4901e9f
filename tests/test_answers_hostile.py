"""Answers files written to break the reader: each gets a clear French message, never a crash or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from bilan.cli.main import main
from bilan.common.errors import UserError
from bilan.common.inputs import read_text
from bilan.engine.answers import check_value
from bilan.engine.identifiers import finess_problem, phone_problem
from bilan.engine.model import Campaign, Field
from bilan.exports import answers_toml
from bilan.exports.answers_toml import AnswersError, parse_answers
from bilan.exports.toml_input import load_toml

BILAN = str(Path(sys.executable).with_name("bilan"))


def refusal(text: str, campaign: Campaign) -> str:
    with pytest.raises(AnswersError) as info:
        parse_answers(text, campaign, "f.toml")
    return info.value.render()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the year is an integer, as the docs say; a string, a float, or a table header given a value are refused
        (
            '[bilan]\ncampagne = "2009"\n',
            "f.toml: bilan.campagne : « 2009 » : l’année s’écrit en chiffres, sans guillemets",
        ),
        (  # no quotes were used: the message does not speak of them
            "[bilan]\ncampagne = 2009.0\n",
            "f.toml: bilan.campagne : « 2009.0 » : l’année s’écrit en nombre entier ; attendu : campagne = 2009",
        ),
        ("bilan = 3\n", "f.toml: bilan : une table est attendue : [bilan] puis campagne = 2009"),
        (
            "[bilan]\ncampagne = 2008\n",
            "f.toml: bilan.campagne : réponses de la campagne 2008, questionnaire de la campagne 2009",
        ),
        # numbers as text: the digits 0 to 9 only, no exponent, no underscores
        ('[reponses]\nreunions_clin = "1e1"\n', "« 1e1 » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        ('[reponses]\nreunions_clin = "300_000"\n', "« 300_000 » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        ('[reponses]\nreunions_clin = "٣"\n', "« ٣ » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        ('[reponses]\nreunions_clin = "３"\n', "« ３ » n’est pas un nombre écrit avec les chiffres 0 à 9"),
        # a tiny number shown as written, not rounded to 0
        ("[reponses]\nvolume_sha = 1e-7\n", "f.toml: reponses.volume_sha : 0,0000001 a plus de 2 décimale(s)"),
        (  # 45 decimals: not rounded to « 1 » either (the middle is cut, the last digits shown)
            '[reponses]\nreunions_clin = "1,' + "0" * 44 + '1"\n',
            "reunions_clin : 1,0000000000000000000000000000…00001 (47 caractères) n’est pas un nombre entier",
        ),
        # a question of several boxes given one value: not unknown
        (
            "[reponses]\neohh = 1\n",
            "f.toml: reponses.eohh : « eohh » a plusieurs cases, une valeur par case : eohh.medecin, eohh.pharmacien, ",
        ),
        ("[sae]\nfoo = 2\n", "f.toml: sae.foo : donnée inconnue « foo »"),  # a data block holds data
        (
            '[etablissement]\nraison = "x"\n',
            "f.toml: etablissement.raison : champ inconnu « raison » ; vouliez-vous dire",
        ),
        # a space only between thousands: « 1 2 » was read as 12, « 12 5 » reported as 125
        *(
            (
                f'[reponses]\nreunions_clin = "{typed}"\n',
                f"« {typed} » n’est pas un nombre : une espace ne sépare que les milliers, par groupes de trois chiffres",
            )
            for typed in ("1 2", "12 5", "1  250", "1 2500", "12345 678", "1 250 00")
        ),
        # a table or a list where a number is expected says so, on the question's own name
        (
            "[reponses.reunions_clin]\na = 1\n",
            "f.toml: reponses.reunions_clin : une table est donnée là où une seule valeur est attendue",
        ),
        (
            "[reponses]\nreunions_clin = {}\n",
            "f.toml: reponses.reunions_clin : une table est donnée là où une seule valeur est attendue",
        ),
        (
            "[reponses]\nreunions_clin = [1]\n",
            "f.toml: reponses.reunions_clin : une liste est donnée là où une seule valeur est attendue",
        ),
        (
            '[reponses]\nprojet = {a = "oui"}\n',
            "f.toml: reponses.projet : une table est donnée là où une seule valeur est attendue",
        ),
        # an option code is exact: 1.0 is not the category 1
        (
            "[etablissement]\ncategorie = 1.0\n",
            "f.toml: etablissement.categorie : « 1.0 » n’est pas une réponse possible",
        ),
        # text answers that would drive a terminal
        ('[etablissement]\nraison_sociale = "CHU\\u001b[2J"\n', "caractère de contrôle U+001B en position 4 refusé"),
        (
            '[etablissement]\nraison_sociale = "\\u001b]0;titre\\u0007"\n',
            "caractère de contrôle U+001B en position 1 refusé",
        ),
        ('[etablissement]\nraison_sociale = "CHU\\u0000"\n', "caractère de contrôle U+0000 en position 4 refusé"),
        (
            '[etablissement]\nraison_sociale = "CHU \\u202efdp.exe"\n',
            "caractère de contrôle U+202E en position 5 refusé",
        ),
        ('[etablissement]\nraison_sociale = "CHU\\rX"\n', "caractère de contrôle U+000D en position 4 refusé"),
        ('[etablissement]\nraison_sociale = "CHU\\u009b2J"\n', "caractère de contrôle U+009B en position 4 refusé"),
        (
            '[justifications]\nddj_total = "vu\\u001b[2J"\n',
            "f.toml: justifications.ddj_total : caractère de contrôle U+001B en position 3 refusé",
        ),
        # identifiers: ASCII digits only
        ('[etablissement]\nfiness = "75071218²"\n', "un numéro FINESS ne contient que les chiffres 0 à 9"),
        ('[etablissement]\nfiness = "٧50712184"\n', "un numéro FINESS ne contient que les chiffres 0 à 9"),
        ('[declarant]\ntelephone = "01 ٤٠ 56 72 87"\n', "numéro de téléphone invalide"),
    ],
)
def test_refused_with_a_message(campaign: Campaign, text: str, message: str) -> None:
    assert message in refusal(text, campaign)


def test_what_is_expected_is_said_even_when_the_value_reads_attendu(campaign: Campaign) -> None:
    message = refusal('[etablissement]\ncategorie = "attendu"\nstatut = { a = 1 }\n', campaign)
    assert "categorie : « attendu » n’est pas une réponse possible ; attendu : une réponse parmi 1, 2, 3" in message
    assert (
        'statut : une table est donnée là où une seule valeur est attendue ; attendu : une réponse parmi "public"'
        in message
    )


def test_what_is_expected_is_said_once(campaign: Campaign) -> None:
    message = refusal('[etablissement]\nraison_sociale = "CHU \\u001b[2J"\n', campaign)
    assert message.endswith("refusé (il pourrait piloter le terminal) ; attendu : du texte imprimable")
    assert message.count("attendu") == 1


def test_a_corsican_finess_is_one_establishment_whatever_its_case(campaign: Campaign) -> None:
    lower = parse_answers('[etablissement]\nfiness = "2a0000024"\n', campaign).answers["finess"]
    upper = parse_answers('[etablissement]\nfiness = "2A0000024"\n', campaign).answers["finess"]
    assert lower == upper == "2A0000024"


@pytest.mark.parametrize("value", ["75071218²", "٧50712184", "７50712184", "7507121८4"])
def test_finess_with_digits_that_are_not_0_to_9(value: str) -> None:
    """« ² » crashed the check key (int("²")), « ٧ » was read as 7: a second establishment."""
    assert finess_problem(value) == (
        "un numéro FINESS ne contient que les chiffres 0 à 9 ; "
        "attendu : 9 chiffres de 0 à 9 dont la clé, ex. 750712184 (2A ou 2B en tête pour la Corse)"
    )


def test_every_finess_refusal_says_what_is_expected() -> None:
    for value in ("1234", "75071218²", "A50712184"):
        assert "attendu : 9 chiffres" in str(finess_problem(value))
    assert finess_problem("750712185") == "clé de contrôle FINESS incorrecte (dernier chiffre) : vérifier le numéro"
    assert phone_problem("01 40 56 72 87") is None


def test_an_integer_of_5000_digits(campaign: Campaign) -> None:
    message = refusal("[reponses]\nreunions_clin = " + "1" * 5000 + "\n", campaign)
    assert message.startswith("f.toml:2:17: TOML invalide : nombre de plus de 4 300 chiffres\n")
    assert len(message) < 300  # the line is shown as a window around the position, not whole


@pytest.mark.parametrize(
    "raw",
    [
        "1" * 4000,  # an integer tomllib accepts
        '"' + "9" * 100_000 + '"',  # a number written as text
    ],
)
def test_numbers_of_thousands_of_digits_are_out_of_bounds_and_not_echoed_whole(campaign: Campaign, raw: str) -> None:
    message = refusal(f"[reponses]\nreunions_clin = {raw}\n", campaign)
    assert "hors des bornes (0 à 99)" in message and "caractères)" in message
    assert len(message) < 300


def test_arrays_nested_thousands_deep(campaign: Campaign) -> None:
    message = refusal("[reponses]\ndisciplines = " + "[" * 5000 + "]" * 5000 + "\n", campaign)
    assert message == "f.toml: TOML invalide : listes ou tables imbriquées trop profondément (au plus 12 niveaux)"


def test_values_nested_deeper_than_any_file_needs(campaign: Campaign) -> None:
    message = refusal("[reponses]\ndisciplines = " + "[" * 40 + "]" * 40 + "\n", campaign)
    assert message.startswith("f.toml: reponses.disciplines[0]")
    assert message.endswith(": valeurs imbriquées sur plus de 12 niveaux")


def test_many_unknown_keys_are_counted_and_only_the_first_are_listed(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    hints: list[str] = []
    unknown = answers_toml._unknown

    def counted(key: str, known: dict[str, Field], prefix: str, what: str) -> str:
        hints.append(key)
        return unknown(key, known, prefix, what)

    monkeypatch.setattr(answers_toml, "_unknown", counted)
    text = "[reponses]\n" + "".join(f"inconnue_{i} = 1\n" for i in range(20_000))
    lines = refusal(text, campaign).splitlines()
    assert len(lines) == 51
    assert lines[0] == "f.toml: reponses.inconnue_0 : question inconnue « inconnue_0 »"
    assert lines[-1] == "f.toml: … et 19950 autre(s) problème(s), 20000 en tout"
    assert len(hints) == 50  # the "did you mean" search runs for the listed problems only


def test_a_long_line_is_shown_around_the_error(campaign: Campaign) -> None:
    message = refusal("[reponses]\nx = " + "a" * 100_000 + "\n", campaign)
    head, source, caret = message.splitlines()
    assert head.startswith("f.toml:2:5: TOML invalide : valeur invalide")
    assert len(source) < 100 and source.index("a") == caret.index("^")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\xef\xbb\xbf[reponses]\nreunions_clin = 3\n",
            "f.toml:1:1: le fichier commence par une marque d’ordre des octets (BOM) ; l’enregistrer en UTF-8 sans BOM",
        ),
        (b"\xff\xfe[\x00", "f.toml:1:1: le fichier est en UTF-16 ; l’enregistrer en UTF-8"),
        (
            '[reponses]\nraison = "Hôpital'.encode() + b' caf\xe9"\n',
            "f.toml:2:22: le fichier n’est pas en UTF-8 (octet 0xE9) ; l’enregistrer en UTF-8",
        ),
    ],
)
def test_encoding_problems_are_placed(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "f.toml"
    path.write_bytes(content)
    with pytest.raises(UserError) as info:
        read_text(path)
    assert info.value.message == message.replace("f.toml", str(path))


def test_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    with path.open("wb") as f:
        f.truncate(2001)
    with pytest.raises(UserError, match=r"fichier trop volumineux \(plus de 0 Mo"):
        read_text(path, limit=2000)
    assert len(read_text(path, limit=2001)) == 2001


def test_results_file_of_another_year_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[questionnaire]\ncampagne = 2008\n[[declaration]]\nfichier = "a"\n[declaration.reponses]\nreunions_clin = 1\n'
    )
    assert main(["score", str(path)]) == 1
    assert (
        f"{path}: questionnaire.campagne : résultats de la campagne 2008, questionnaire de la campagne 2009"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 250", 1250),
        ("1\u00a0250", 1250),
        ("1\u202f250", 1250),
        ("100 250,5", Fraction(200501, 2)),
        ("999 999", 999999),
        ("25", 25),
    ],
)
def test_spaces_between_thousands_are_read(campaign: Campaign, typed: str, value: int) -> None:
    field = campaign.fields["volume_sha"]
    assert check_value(field.type, typed) == (value, None)


@pytest.mark.system
def test_a_fifo_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "tube.toml"
    os.mkfifo(fifo)
    proc = subprocess.run([BILAN, "score", str(fifo)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"{fifo}: c’est un tube ou un périphérique, pas un fichier ordinaire ; indiquer un fichier" in proc.stderr


def test_text_check_is_the_apps_check(campaign: Campaign) -> None:
    """The entry app checks a typed answer with check_value: the same refusal as in files."""
    field = next(f for s in campaign.fiches for f in s.fields() if f.name == "raison_sociale")
    assert check_value(field.type, "CHU\x1b[2J")[1] == (
        "caractère de contrôle U+001B en position 4 refusé (il pourrait piloter le terminal) ; "
        "attendu : du texte imprimable"
    )


@pytest.mark.parametrize(
    ("brackets", "inner", "refused"), [(11, "", False), (12, "", True), (10, "1", False), (11, "1", True)]
)
def test_depth_limit_is_exact(brackets: int, inner: str, refused: bool) -> None:
    """[reponses] is depth 1, its key's list depth 2: 11 empty lists nest down to depth 12 (allowed),
    10 lists around a number put the number at depth 12 (allowed); one more level is refused."""
    text = "[reponses]\nx = " + "[" * brackets + inner + "]" * brackets + "\n"
    if refused:
        with pytest.raises(UserError, match="valeurs imbriquées sur plus de 12 niveaux"):
            load_toml(text, "f.toml")
    else:
        assert load_toml(text, "f.toml")["reponses"]["x"]
