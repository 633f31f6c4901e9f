"""`bilan fmt`: one layout whatever the spacing written, never a change of meaning, texts and
comments kept byte for byte; `--check` for CI; files written safely, each once."""

from __future__ import annotations

import functools
import io
import random
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from profiles import by_profile

from bilan.cli.main import main
from bilan.common.source import Span
from bilan.common.suggest import strip_accents
from bilan.dsl.compiler import compile_source, compile_with_examples
from bilan.dsl.diagnostics import SourceError
from bilan.dsl.formatter import format_source
from bilan.dsl.parser import parse, tokens
from bilan.engine.model import Campaign

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = ROOT / "questionnaire.bilan"
# every campaign file shipped or used by the tests: fmt keeps them formatted, and keeps their meaning
CORPUS = [
    QUESTIONNAIRE,
    *sorted((ROOT / "tests").glob("*.bilan")),
    *sorted((ROOT / "examples" / "campaigns").glob("*.bilan")),
]
SMALL = ROOT / "tests" / "engine_coverage.bilan"


def shape(tree: Tree[Token] | Token) -> object:
    """A parse tree without positions: what the compiler reads from a file."""
    if isinstance(tree, Token):
        return (tree.type, str(tree))
    return (tree.data, [shape(c) for c in tree.children])


# ---------------------------------------------------------------------- the layout


MESSY = """\


# en-tête
campagne 2010 "Bilan"   # titre
  ouverture 2011-02-21
  date limite 2011-04-29
echelle E D C B A



type oui_non : oui "Oui" | non "Non"
chapitre II "CLIN"
      question 2 reunions_clin "Combien
            de réunions ?"
            entier 2 chiffres de 1 a 10
            # dans la question

      # au niveau du chapitre
      question 4 usagers "Convoqués ?"   \t
            oui_non
      item O211 "Réunions" sur 6
            0 point si reunions_clin = 0
            2 points si (reunions_clin entre 1 et 2   # deux
                 ou usagers = oui)
            6 points si reunions_clin>=3
# fin
indicateur ICALIN "Indice" sur 6
   fonction O "Organisation" sur 6 : O211
   classes par categorie
      1 65.75 86 94.25 97.75
      12 2 3 4.5 5   # dernière ligne
   # sous le tableau
  # à la fin
"""

TIDY = """\
# en-tête
campagne 2010 "Bilan"  # titre
    ouverture 2011-02-21
    date limite 2011-04-29
échelle E D C B A

type oui_non : oui "Oui" | non "Non"
chapitre II "CLIN"
    question 2 reunions_clin "Combien
            de réunions ?"
        entier 2 chiffres de 1 à 10
        # dans la question

    # au niveau du chapitre
    question 4 usagers "Convoqués ?"
        oui_non
    item O211 "Réunions" sur 6
        0 point si reunions_clin = 0
        2 points si (reunions_clin entre 1 et 2  # deux
                     ou usagers = oui)
        6 points si reunions_clin>=3
# fin
indicateur ICALIN "Indice" sur 6
    fonction O "Organisation" sur 6 : O211
    classes par categorie
        1   65.75  86  94.25  97.75
        12  2      3   4.5    5  # dernière ligne
    # sous le tableau
# à la fin
"""


def test_the_layout() -> None:
    """4 spaces a level, one space between words (none added: `reunions_clin>=3`), blank lines
    at most one and none at the ends, comments at their block's level and two spaces after code,
    a wrapped condition aligned after its parenthesis, the class table in columns, keywords
    accented (`echelle`, `a`), the text on two lines untouched."""
    assert format_source(MESSY) == TIDY
    assert format_source(TIDY) == TIDY


def test_the_shipped_files_are_formatted() -> None:
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        assert format_source(text, str(path)) == text, path


def test_names_that_are_keywords_keep_their_spelling() -> None:
    """Only the keywords take an accent: a field named `telephone`, a question named `a`, the
    words of a text or a comment keep theirs."""
    source = (
        'fiche declarant "Déclarant"\n'
        '    champ telephone "telephone" telephone\n'
        'chapitre I "I"\n'
        '    question a "a" # echelle a\n'
        "        entier 2 chiffres de 1 a 9\n"
    )
    assert format_source(source) == (
        'fiche declarant "Déclarant"\n'
        '    champ telephone "telephone" téléphone\n'
        'chapitre I "I"\n'
        '    question a "a"  # echelle a\n'
        "        entier 2 chiffres de 1 à 9\n"
    )


def test_windows_line_ends_and_a_missing_last_one() -> None:
    assert format_source('échelle E A\r\n\r\n\r\ntype t : a "A"  \r\n# fin') == 'échelle E A\n\ntype t : a "A"\n# fin\n'


def test_a_file_of_comments_only_and_an_empty_file() -> None:
    assert format_source("\n\n   # un\n\n\n# deux\n\n") == "# un\n\n# deux\n"
    assert format_source("") == ""


def test_a_file_with_syntax_errors_is_not_formatted() -> None:
    with pytest.raises(SourceError) as caught:
        format_source("campagne 2010\n\tdate limite 2011-01-01\n", "x.bilan")
    assert caught.value.render().startswith("x.bilan:1:14: erreur : ")


# ---------------------------------------------------------------------- meaning


def perturbed(canonical: str, rnd: random.Random, *, wild: bool = False) -> str:
    """`canonical` (formatted) laid out at random as a person might write it: other indentation
    widths, runs of spaces and tabs where there is a space, more blank lines where there is one,
    trailing spaces, unaccented keywords, CRLF. Texts and comments are left as they are, and
    comment lines at the indentation of their block.

    `wild` adds what fmt keeps but lays out its own way, so that the result need not format back
    to `canonical`: comment lines at any column, line breaks (and comments) inside parentheses."""
    units = [rnd.randint(1, 7) for _ in range(128)]
    indent = [sum(units[:d]) for d in range(len(units))]
    newline = rnd.choice(["\n", "\r\n"])
    out: list[str] = []
    end = 0
    parens = 0

    def spaces() -> str:
        return rnd.choice([" ", "  ", "\t", " \t ", "    "])

    def rows(gap: str) -> None:
        """The lines of a gap: a comment after code, blank and comment lines, the next indentation."""
        parts = gap.split("\n")
        out.append(spaces() + parts[0].strip() if parts[0].strip() else rnd.choice(["", " ", "\t"]))
        for row in parts[1:-1]:
            text = row.strip()
            if text:
                column = rnd.randint(0, 24) if wild else indent[(len(row) - len(row.lstrip())) // 4]
                out.append(newline + " " * column + text)
            else:
                out.append((newline + rnd.choice(["", "  "])) * rnd.randint(1, 3))
        out.append(newline)

    depth = 0
    for token in tokens(canonical):
        if token.type in ("_INDENT", "_DEDENT"):
            depth += 1 if token.type == "_INDENT" else -1
            continue
        if token.type == "_NL":
            continue
        assert token.start_pos is not None and token.end_pos is not None
        gap = canonical[end : token.start_pos]
        if wild and parens and "\n" not in gap and rnd.random() < 0.3:
            gap = rnd.choice(["\n", "  # coupé\n", "\n# dans la parenthèse\n"])
        if "\n" in gap:
            rows(gap)
            out.append(" " * (rnd.randint(0, 30) if parens else indent[depth]))
        elif gap:
            out.append(spaces())
        text = str(token)
        if text != strip_accents(text) and token.type != "STRING" and rnd.random() < 0.5:
            text = strip_accents(text)
        out.append(text)
        parens += {"LPAR": 1, "RPAR": -1}.get(token.type, 0)
        end = token.end_pos
    rows(canonical[end:])
    return "".join(out)


@functools.cache
def meaning(text: str) -> tuple[list[object], list[object]]:
    """What a campaign file compiles to, positions left out: the model (whose spans are not part of
    its equality) field by field, and the `exemple` blocks (once per text: the shipped files are
    compared with several layouts of themselves)."""
    campaign, examples = compile_with_examples(text, "x.bilan")
    fields = [getattr(campaign, f.name) for f in attrs.fields(Campaign) if f.name != "source_hash"]
    return fields, [attrs.asdict(e, filter=lambda _, value: not isinstance(value, Span)) for e in examples]


def comments(text: str) -> list[str]:
    return re.findall(r"#[^\r\n]*", re.sub(r'"(?:[^"\\]|\\.)*"', "", text))


def statements(path: Path) -> list[str]:
    """The top-level statements of a formatted file, each with the comment lines above it."""
    chunks: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        starts = line[:1] not in (" ", "#", "\n", "")
        if starts and any(not x.startswith(("#", "\n")) for x in current):
            chunks.append("".join(current))
            current = []
        current.append(line)
    chunks.append("".join(current))
    return chunks


CHUNKS = [chunk for path in CORPUS for chunk in statements(path)] + [TIDY]


@functools.cache
def canonical(start: int, count: int) -> str:
    return format_source("".join(CHUNKS[start : start + count]))


@settings(max_examples=by_profile(12, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(0, len(CHUNKS) - 1), count=st.integers(1, 4), rnd=st.randoms(use_true_random=False))
def test_any_layout_of_a_file_formats_to_the_same_text(start: int, count: int, rnd: random.Random) -> None:
    """Whatever the spacing, the same file comes out (so fmt(fmt(x)) == fmt(x)), and it parses
    to the same tree as the input: nothing but layout has changed. Runs of statements of the
    corpus, which need not compile on their own: their parse trees are compared."""
    tidy = canonical(start, count)
    messy = perturbed(tidy, rnd)
    assert format_source(messy) == tidy
    assert shape(parse(messy, "x")) == shape(parse(tidy, "x"))
    wild = perturbed(tidy, rnd, wild=True)
    once = format_source(wild)
    assert format_source(once) == once
    assert shape(parse(once, "x")) == shape(parse(wild, "x"))
    assert comments(once) == comments(wild)


@pytest.mark.parametrize("path", by_profile([SMALL], CORPUS), ids=lambda p: p.name)
@pytest.mark.parametrize("wild", [False, True])
def test_every_shipped_file_compiles_to_the_same_campaign_in_any_layout(path: Path, wild: bool) -> None:
    """The shipped campaign, every tests/*.bilan and examples/campaigns/*.bilan: laid out at
    random, then formatted, each compiles to the same campaign and examples as the file itself."""
    text = path.read_text(encoding="utf-8")
    messy = perturbed(text, random.Random(2009), wild=wild)
    assert messy != text
    formatted = format_source(messy, str(path))
    assert meaning(formatted) == meaning(messy)
    if not wild:  # a wild layout may change the text of a rule written without a label: `( a ou b)`
        assert formatted == text
        assert meaning(formatted) == meaning(text)


@settings(max_examples=by_profile(4, 100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False))
def test_any_layout_of_a_whole_campaign_compiles_to_the_same_campaign(rnd: random.Random) -> None:
    """The smallest campaign of the corpus in any layout, wild ones included: formatted, it
    compiles to the same campaign, and formats to itself."""
    messy = perturbed(SMALL.read_text(encoding="utf-8"), rnd, wild=rnd.random() < 0.5)
    formatted = format_source(messy)
    assert format_source(formatted) == formatted
    assert meaning(formatted) == meaning(messy)


def test_a_rule_without_a_label_keeps_its_label() -> None:
    """The label of a rule written without one is its source text: fmt never adds nor removes
    the spaces it is made of."""
    source = (
        'campagne 2010 "x"\n    ouverture 2011-01-01\néchelle E A\nchapitre I "I"\n  question q "q"\n'
        '     entier 2 chiffres\n  item O1 "o" sur 2\n     2 points si q>=3\nindicateur I "i" sur 2\n'
        '  fonction O "o" sur 2 : O1\n  classes fixes 1\n'
    )
    formatted = format_source(source)
    assert "        2 points si q>=3\n" in formatted
    assert compile_source(formatted).items["O1"].rules[0].label == "q>=3"
    assert meaning(source) == meaning(formatted)
    assert meaning(source.replace("q>=3", "q >= 3")) != meaning(source)  # what fmt must not do


# ---------------------------------------------------------------------- the command


def test_fmt_writes_the_files_that_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "messy.bilan").write_text(MESSY, encoding="utf-8")
    (tmp_path / "tidy.bilan").write_text(TIDY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["fmt", "messy.bilan", "tidy.bilan", "./messy.bilan", str(tmp_path / "messy.bilan")]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", "messy.bilan : mis en forme\n")
    assert (tmp_path / "messy.bilan").read_text(encoding="utf-8") == TIDY


def test_fmt_check_names_the_files_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy, tidy = tmp_path / "messy.bilan", tmp_path / "tidy.bilan"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    assert main(["fmt", "--check", str(messy), str(tidy)]) == 1
    assert capsys.readouterr().out == f"{messy} : à mettre en forme\n"
    assert messy.read_text(encoding="utf-8") == MESSY
    assert main(["fmt", "--check", str(tidy)]) == 0
    assert capsys.readouterr() == ("", "")


def test_fmt_goes_on_after_a_file_it_cannot_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken, latin1, messy = tmp_path / "cassé.bilan", tmp_path / "latin1.bilan", tmp_path / "messy.bilan"
    broken.write_text("campagne 2010\n", encoding="utf-8")
    latin1.write_bytes("échelle E A\n".encode("latin-1"))
    messy.write_text(MESSY, encoding="utf-8")
    link = tmp_path / "lien.bilan"
    link.symlink_to(messy)
    status = main(["fmt", str(broken), str(latin1), str(tmp_path), str(messy)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{broken}:1:14: erreur : " in err
    assert f"1 erreur dans {broken}\n" in err
    assert f"{latin1}:1:1: le fichier n’est pas en UTF-8 (octet 0xE9)" in err
    assert f"{tmp_path}: c’est un dossier ; indiquer un fichier" in err
    assert messy.read_text(encoding="utf-8") == TIDY
    assert broken.read_text(encoding="utf-8") == "campagne 2010\n"
    messy.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", str(link)]) == 1
    err = capsys.readouterr().err
    assert "c’est un lien symbolique" in err and "mis en forme" not in err  # refused, so not formatted
    assert messy.read_text(encoding="utf-8") == MESSY


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_fmt_from_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, MESSY.encode())
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr() == (TIDY, "")
    stdin(monkeypatch, MESSY.encode())
    assert main(["fmt", "--check", "-"]) == 1
    assert capsys.readouterr().out == "<entrée standard> : à mettre en forme\n"
    stdin(monkeypatch, TIDY.encode())
    assert main(["fmt", "--check", "-"]) == 0
    assert capsys.readouterr() == ("", "")


def test_fmt_of_bad_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Latin-1, a byte-order mark or a syntax error on standard input: the messages a file gets."""
    stdin(monkeypatch, "échelle E A\n".encode("latin-1"))
    assert main(["fmt", "-"]) == 1
    assert capsys.readouterr() == (
        "",
        "<entrée standard>:1:1: le fichier n’est pas en UTF-8 (octet 0xE9) ; l’enregistrer en UTF-8\n",
    )
    stdin(monkeypatch, "\ufefféchelle E A\n".encode())
    assert main(["fmt", "-"]) == 1
    assert "marque d’ordre des octets (BOM)" in capsys.readouterr().err
    stdin(monkeypatch, b"campagne 2010\n")
    assert main(["fmt", "--check", "-"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("<entrée standard>:1:14: erreur : ")
    assert err.endswith("1 erreur dans <entrée standard>\n")


def test_fmt_keeps_a_file_s_permissions(tmp_path: Path) -> None:
    """Written through common/outputs.py: a temporary file renamed over the file, same mode."""
    messy = tmp_path / "messy.bilan"
    messy.write_text(MESSY, encoding="utf-8")
    messy.chmod(0o640)
    assert main(["fmt", str(messy)]) == 0
    assert messy.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["messy.bilan"]


def test_a_byte_order_mark_is_dropped_as_the_compiler_skips_it() -> None:
    assert format_source("\ufeff" + MESSY) == TIDY


def test_every_comment_is_kept() -> None:
    text = QUESTIONNAIRE.read_text(encoding="utf-8")
    assert comments(format_source(perturbed(text, random.Random(1)))) == comments(text)
    wild = perturbed(text, random.Random(1), wild=True)
    assert comments(format_source(wild)) == comments(wild)
