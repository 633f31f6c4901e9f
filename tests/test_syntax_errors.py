"""Syntax errors as a maintainer makes them: the line that is wrong, what is wrong, what to write.

Golden messages: each case is one realistic mistake in an otherwise valid campaign (BASE).
"""

from __future__ import annotations

import pytest
from test_compile_errors import BASE

from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError
from bilan.dsl.parser import MAX_SYNTAX_ERRORS


def errors(source: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        compile_source(source, "t.bilan")
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in info.value.diagnostics]


RULE = "        6 points si reunions >= 3"
TYPE = "        entier 2 chiffres"
WARNING = '        avertisement trop si reunions > 30 : "Beaucoup."'

CASES = [
    # a misspelled keyword at the start of a line, where a rule line is expected
    (
        "misspelled keyword",
        BASE.replace(RULE, RULE + "\n" + WARNING),
        ["15:9: « avertisement » : vouliez-vous dire « avertissement » ?"],
    ),
    # the same word under a question is read as a type name: the next word is the one unexpected
    (
        "misspelled keyword read as a name",
        BASE.replace(TYPE, TYPE + "\n" + WARNING),
        ["9:9: « avertisement » : vouliez-vous dire « avertissement » ?"],
    ),
    (
        "misspelled word",
        BASE.replace("2 chiffres", "2 chifres"),
        ["8:18: « chifres » : vouliez-vous dire « chiffres » ?"],
    ),
    # the lexer reads `chapitre` then `s`
    (
        "keyword and more",
        BASE.replace("chapitre II", "chapitres II"),
        ["6:1: « chapitres » : vouliez-vous dire « chapitre » ?"],
    ),
    ("keyword glued", BASE.replace("0 point si", "0 point sii"), ["12:17: « sii » : vouliez-vous dire « si » ?"]),
    (
        "letter O for zero",
        BASE.replace("0 point si", "O point si"),
        ["12:9: « O » (la lettre) : vouliez-vous dire 0 (le chiffre zéro) ?"],
    ),
    (
        "decimal comma",
        BASE.replace("2 points si", "2,5 points si"),
        ["13:9: virgule décimale dans « 2,5 » : écrire 2.5 (point décimal)"],
    ),
    (
        "decimal comma after a keyword",
        BASE.replace('"Réunions" sur 6', '"Réunions" sur 6,5'),
        ["11:30: virgule décimale dans « 6,5 » : écrire 6.5 (point décimal)"],
    ),
    # a text may span lines: the quote left open is found where the text ends badly
    (
        "quote left open",
        BASE.replace('"Combien ?"', '"Combien ?'),
        ["7:25: guillemet non fermé ? ce texte continue jusqu’à la ligne 9"],
    ),
    (
        "quote never closed",
        BASE + 'chapitre III "X\n',
        ["17:14: guillemet non fermé : ce texte ne se termine nulle part"],
    ),
    # newlines inside parentheses do not end a line: the rest of the file is swallowed
    (
        "parenthesis left open",
        BASE.replace("reunions >= 3", "(reunions >= 3"),
        ["14:21: parenthèse ouverte ici et jamais fermée"],
    ),
    (
        "stray parenthesis",
        BASE.replace("reunions >= 3", "reunions >= 3)"),
        ["14:34: parenthèse fermante « ) » sans parenthèse ouvrante"],
    ),
    # a tab counts 4 columns, so this line falls out of its block: the tab is named
    (
        "tab",
        BASE.replace("        2 points si", "\t2 points si"),
        ["13:1: tabulation dans l’indentation (lue comme 4 espaces) : indenter avec des espaces (4 par niveau)"],
    ),
    # tabs that happen to line up are refused all the same, once for the file
    (
        "tabs",
        BASE.replace("        ", "\t\t"),
        ["8:1: tabulation dans l’indentation : indenter avec des espaces (4 par niveau) (et 4 autres lignes)"],
    ),
    (
        "over-indented",
        BASE.replace("    item O211", "          item O211"),
        ["11:11: indentation inattendue : la ligne est plus indentée que la précédente, qui n’ouvre pas de bloc"],
    ),
    # the block's first line is out of line with the lines after it: it is the one reported
    (
        "first line of a block",
        BASE.replace("        0 point si reunions = 0", "      0 point si reunions = 0"),
        ["12:7: indentation : cette ligne n’est pas alignée sur les lignes de son bloc (colonne 9)"],
    ),
    # the item's header lost: its rules, read under the question above, fail one after the other
    (
        "header lost",
        BASE.replace('    item O211 "Réunions" sur 6\n', ""),
        [
            "11:9: « 0 » inattendu ; attendu : la fin du bloc, un nom, « avertissement », « colonne », « consigne », "
            "« courriel », … (et les 2 lignes suivantes)"
        ],
    ),
    (
        "between two blocks",
        BASE.replace("    question 3 usagers", "  question 3 usagers"),
        [
            "9:3: indentation incohérente : la ligne commence colonne 3, "
            "aucun bloc ouvert ne commence là (colonnes 1, 5, 9)"
        ],
    ),
    (
        "not indented",
        BASE.replace('Convoqués ?"\n        oui_non', 'Convoqués ?"\n    oui_non'),
        ["10:5: « oui_non » inattendu à ce niveau : indenter cette ligne sous la précédente"],
    ),
    # the item above has no rules: reported on it, not on the line after
    (
        "block missing",
        BASE.replace(
            '    item O211 "Réunions" sur 6\n', '    item O212 "Autre" sur 1\n    item O211 "Réunions" sur 6\n'
        ),
        ["11:5: bloc attendu sous cette ligne : ses lignes doivent être indentées sous elle"],
    ),
    (
        "line between a header and its block",
        BASE.replace('"Test"\n', '"Test"\nO211\n'),
        ["2:1: « O211 » inattendu : la ligne 1 attend ses lignes indentées juste en dessous"],
    ),
    (
        "unexpected character",
        BASE.replace("reunions >= 3", "reunions >= 3 @"),
        [
            "14:35: caractère inattendu « @ » ; attendu : un comparateur (=, <, >, <=, >=, !=), un opérateur "
            '(*, ×, /), un opérateur (+, -), un texte entre guillemets "…", une fin de ligne, « ) », …'
        ],
    ),
    (
        "incomplete line",
        BASE.replace("    O211", "    O211,"),
        ["16:10: ligne incomplète ; attendu : un code d’item (ex. O211)"],
    ),
    (
        "too many decimals",
        BASE.replace("reunions >= 3", "reunions >= 2.1234567890123"),
        ["14:33: nombre trop long « 2.1234567890123 » : au plus 12 chiffres avant le point et 12 après"],
    ),
    # Python refuses to convert integers of more than 4,300 digits
    (
        "thousands of digits",
        BASE.replace("reunions >= 3", "reunions >= " + "9" * 5000),
        [
            "14:33: nombre trop long « 99999999…9999 (5000 caractères) » : au plus 12 chiffres avant le point et 12 après"
        ],
    ),
]


@pytest.mark.parametrize(("what", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_syntax_error(what: str, source: str, expected: list[str]) -> None:
    assert errors(source) == expected


def test_several_errors_are_reported_in_one_run() -> None:
    source = BASE.replace("2 chiffres", "2 chifres").replace("2 points si", "2,5 points si")
    assert errors(source.replace("    O211", "    O211 O212")) == [
        "8:18: « chifres » : vouliez-vous dire « chiffres » ?",
        "13:9: virgule décimale dans « 2,5 » : écrire 2.5 (point décimal)",
        "16:10: « O212 » inattendu ; attendu : une fin de ligne, « , »",
    ]


def test_knock_on_errors_are_not_reported() -> None:
    """The item's only rule is wrong: its block is then empty, which is not a second error."""
    one_rule = BASE.replace(
        "        0 point si reunions = 0\n        2 points si reunions entre 1 et 2\n" + RULE,
        "        6 points si reunions >= trois deux",
    )
    assert errors(one_rule) == [
        "12:39: « deux » inattendu ; attendu : un opérateur (*, ×, /), un opérateur (+, -), une fin de ligne, "
        "« ( », « . », « : », …"
    ]


def test_parsing_goes_on_after_a_parenthesis_left_open() -> None:
    source = (
        BASE.replace("reunions >= 3", "(reunions >= 3")
        + 'chapitre III "Y"\n    question 1 y "Y"\n        entier 2 chifres\n'
    )
    assert errors(source) == [
        "14:21: parenthèse ouverte ici et jamais fermée",
        "19:18: « chifres » : vouliez-vous dire « chiffres » ?",
    ]


def test_a_repaired_indentation_lets_the_lines_below_parse() -> None:
    """The item's rules stay under it once its line is put back at the chapter's level."""
    source = BASE.replace("    item O211", "          item O211").replace("2 chiffres", "2 chifres")
    assert errors(source) == [
        "8:18: « chifres » : vouliez-vous dire « chiffres » ?",
        "11:11: indentation inattendue : la ligne est plus indentée que la précédente, qui n’ouvre pas de bloc",
    ]


def test_a_broken_file_stops_after_a_bounded_number_of_errors() -> None:
    source = BASE + "".join(f'chapitre I "X{i}"\n    qestion 1 q{i} "Q"\n' for i in range(30))
    found = errors(source)
    assert len(found) == MAX_SYNTAX_ERRORS + 1
    assert found[-1].endswith(f"{MAX_SYNTAX_ERRORS} erreurs de syntaxe : les suivantes ne sont pas signalées")


def test_the_caret_is_under_the_column_when_the_line_holds_tabs() -> None:
    with pytest.raises(SourceError) as info:
        compile_source(
            BASE.replace("        6 points si reunions >= 3", "        6 points si\treunions >= 3 @"), "t.bilan"
        )
    shown, caret = info.value.render().splitlines()[1:]
    assert shown == "            6 points si reunions >= 3 @"  # the tab shown as the spaces it stands for
    assert caret.index("^") == shown.index("@")


def test_a_long_line_is_shown_around_the_column() -> None:
    with pytest.raises(SourceError) as info:
        compile_source(BASE.replace("reunions >= 3", "reunions >= " + "9" * 5000), "t.bilan")
    shown, caret = info.value.render().splitlines()[1:]
    assert len(shown) <= 4 + 116 and shown.endswith("…")
    assert caret == " " * 36 + "^"


def test_no_grammar_term_reaches_the_user() -> None:
    """Terminal names and regular expressions of bilan.lark are never shown."""
    broken = [source for _, source, _ in CASES] + [BASE.replace("reunions >= 3", "reunions >=")]
    for source in broken:
        for message in errors(source):
            assert not any(term in message for term in ("__ANON", "_NL", "NAME", "(?:", "\\d", "$END", "RPAR")), message


def test_windows_line_ends_and_a_byte_order_mark_are_accepted() -> None:
    campaign = compile_source("\ufeff" + BASE.replace("\n", "\r\n"), "t.bilan")
    assert campaign.items["O211"].maximum == 6
