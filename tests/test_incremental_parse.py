"""Parsing statement by statement (dsl/statements.py): the very tree, positions and errors of a
whole-file parse, whatever was parsed before; after an edit, only the edited statement is parsed."""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from lark import Token, Tree
from profiles import by_profile
from test_user_cache import _Planted

from bilan.cli import campaign_cache
from bilan.dsl import parser, statements
from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError
from bilan.engine.model import Campaign

ROOT = Path(__file__).resolve().parent.parent
SOURCES = by_profile(
    [ROOT / "tests" / "engine_coverage.bilan"],
    sorted({*ROOT.glob("*.bilan"), *ROOT.glob("examples/campaigns/*.bilan"), *ROOT.glob("tests/*.bilan")}),
)
SMALL = (ROOT / "tests" / "engine_coverage.bilan").read_text(encoding="utf-8")  # 29 statements, quick to compile


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    """Each test starts as a new process would: no statement known."""
    statements.CHUNKS.clear()
    yield
    statements.CHUNKS.clear()


def dump(node: Tree[Token] | Token) -> object:
    """Everything a tree holds: rule names, token types and values, every position, every meta field."""
    if isinstance(node, Token):
        positions = (node.line, node.column, node.end_line, node.end_column, node.start_pos, node.end_pos)
        return (type(node), node.type, node.value, str(node), positions)
    return (type(node), node.data, node.meta.__dict__, [dump(c) for c in node.children])


def outcome(text: str) -> object:
    """The tree `parser.parse` gives, or the errors it reports, fully."""
    try:
        return dump(parser.parse(text, "t.bilan"))
    except SourceError as exc:
        return ("SourceError", exc.render(), exc.sources, [(d.span, d.message) for d in exc.diagnostics])


def whole_file(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """The outcome of the whole-file parse the statements are reused in place of."""
    with monkeypatch.context() as m:
        m.setattr(statements, "parse", lambda text, parse_alone: None)
        return outcome(text)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts parsed alone (statements, or a whole file), through parser._parse_alone, in order."""
    seen: list[str] = []
    alone = parser._parse_alone

    def counted(chunk: str) -> tuple[Tree[Token], list[int]] | None:
        seen.append(chunk)
        return alone(chunk)

    monkeypatch.setattr(parser, "_parse_alone", counted)
    return seen


def _statement_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if i and line[:1] not in ("", " ", "\t", "\r", "#")]


def _insert_line_before(text: str, index: int) -> str:
    """A comment line before the index-th statement (the statements after it move down)."""
    lines = text.split("\n")
    at = _statement_lines(text)[index]
    return "\n".join([*lines[:at], "# une ligne de plus", *lines[at:]])


def _lengthen_first_string(text: str) -> str:
    """The first label of the file made longer (everything after it moves right then down)."""
    return re.sub(r'"([^"\n]*)"', lambda m: f'"{m.group(1)} allongé\nsur deux lignes"', text, count=1)


def _comments_between(text: str) -> str:
    lines = text.split("\n")
    for at in reversed(_statement_lines(text)):
        lines[at:at] = ["", "# entre deux déclarations", "   # indenté", ""]
    return "\n".join(lines)


def _shifted(text: str) -> str:
    """Statements moved down and right: a comment first, comments between statements, the first
    label made longer, a line inserted before the last statement, no newline at the end."""
    shifted = _lengthen_first_string(_comments_between(_insert_line_before(text, -1)))
    return "# en-tête\n\n" + shifted.rstrip("\n")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_the_tree_is_the_whole_file_tree(source: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    original = source.read_text(encoding="utf-8")
    expected = whole_file(original, monkeypatch)
    parses.clear()
    assert outcome(original) == expected  # cold: every statement parsed alone
    assert len(parses) == len(statements.chunks(original)) > 5  # not a whole-file parse
    assert outcome(original) == expected  # warm: every statement reused, at the same place
    assert len(parses) == len(statements.chunks(original))
    one_line_more = _insert_line_before(original, 1)
    assert outcome(one_line_more) == whole_file(one_line_more, monkeypatch)
    assert len(parses) == len(statements.chunks(original)) + 2  # the statement now ending with the line; whole_file
    shifted = _shifted(original)
    assert outcome(shifted) == whole_file(shifted, monkeypatch)
    crlf = original.replace("\n", "\r\n")
    assert outcome(crlf) == whole_file(crlf, monkeypatch)


def test_a_byte_order_mark_is_compiled_as_without(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser refuses it (the compiler takes it off first): with the statements known too."""
    parser.parse(SMALL, "t.bilan")
    assert outcome("\ufeff" + SMALL) == whole_file("\ufeff" + SMALL, monkeypatch)
    with_mark, without = (compile_source(t, "t.bilan", analyse=False) for t in ("\ufeff" + SMALL, SMALL))
    assert all(getattr(with_mark, f.name) == getattr(without, f.name) for f in attrs.fields(Campaign))


CONTINUED = {
    # the closing parenthesis at column 1 looks like the start of a statement
    "parentheses": 'valeur v "V" = (1 +\n2)\n',
    "a string": 'valeur v "V sur\ndeux lignes" = 1\n',
    "a string holding a statement": 'valeur v "V sur\nchapitre I \\"x\\"\n" = 1\n',
    "a string holding a comment": 'valeur v "V sur\n# pas un commentaire\n" = 1\n',
}


@pytest.mark.parametrize("continued", CONTINUED)
def test_a_statement_continued_at_column_1_is_parsed_whole(
    continued: str, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SMALL.replace("\nchapitre I ", "\n" + CONTINUED[continued] + "chapitre I ", 1)
    assert text != SMALL
    expected = whole_file(text, monkeypatch)
    assert not isinstance(expected, tuple) or expected[0] != "SourceError"  # the file parses
    assert outcome(text) == expected
    # cut there, the statement did not parse alone: the whole file was parsed
    assert [chunk[:8] for chunk in parses[-2:]] == ["valeur v", SMALL[:8]]
    assert outcome(text) == expected


BROKEN: dict[str, Callable[[str], str]] = {
    "syntax error in a statement": lambda t: t.replace("campagne 2009", "campagne deux-mille-neuf", 1),
    "stray parenthesis": lambda t: t.replace("\nchapitre I ", '\nvaleur v "V" = 1)\nchapitre I ', 1),
    "tabs in one statement": lambda t: t.replace("\n    question q1", "\n\tquestion q1", 1),
    "tabs in two statements": lambda t: re.sub(r"\n    (?=champ (categorie|jours))", "\n\t", t),
    "an oversized number": lambda t: t.replace("campagne 2009", "campagne " + "9" * 5000, 1),
    "too deep": lambda t: t.replace("= n1 + ", "= " + " + ".join(["1"] * 150) + " + ", 1),
    # nested thousands of levels deep: reported, and never copied recursively
    "a sum of 3,000 terms": lambda t: t.replace("= n1 + ", "= " + " + ".join(["1"] * 3000) + " + ", 1),
    "an indented first statement": lambda t: t.replace("campagne 2009", "  campagne 2009", 1),
}


@pytest.mark.parametrize("broken", BROKEN)
def test_errors_are_those_of_the_whole_file(broken: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = BROKEN[broken](SMALL)
    expected = whole_file(text, monkeypatch)
    assert isinstance(expected, tuple) and expected[0] == "SourceError"
    assert outcome(text) == expected  # cold
    parser.parse(SMALL, "t.bilan")
    assert outcome(text) == expected  # every statement but the broken one known


@pytest.mark.parametrize("text", ["", "\n\n", "# rien\n\n   # encore rien\n"])
def test_a_file_without_statements_is_parsed_whole(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(text) == whole_file(text, monkeypatch) == outcome(text)


def test_a_tree_handed_out_cannot_change_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    first = parser.parse(SMALL, "t.bilan")
    expected = whole_file(SMALL, monkeypatch)
    for tree in first.iter_subtrees():
        tree.meta.line = -1
        tree.data = "abîmé"
        for i, child in enumerate(tree.children):
            if isinstance(child, Token):
                child.line = -1
                tree.children[i] = Token("ABIME", "abîmé")
        tree.children.append(Token("ABIME", "abîmé"))
    first.children.clear()
    assert outcome(SMALL) == expected


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f'valeur v{n} "V" = {n}\n' for n in range(100))
    monkeypatch.setattr(statements, "MAX_CHUNKS", 30)
    parser.parse(text, "t.bilan")
    kept = statements.known(text)
    assert [chunk for chunk, _ in kept] == statements.chunks(text)[-30:]  # the last ones parsed
    monkeypatch.setattr(statements, "MAX_CHUNKS", 10_000)
    monkeypatch.setattr(statements, "MAX_CHARS", len(text) // 2)
    statements.CHUNKS.clear()
    parser.parse(text, "t.bilan")
    kept = statements.known(text)
    assert len(text) // 2 - 20 < sum(len(chunk) for chunk, _ in kept) <= len(text) // 2
    statements.CHUNKS.clear()
    assert statements.known(text) == []


# ---------------------------------------------------------------------- between processes


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "bilan"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "q.bilan"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _check_after_edit(source: Path) -> None:
    """A new process (nothing known in memory) checks the source after one statement was edited."""
    statements.CHUNKS.clear()
    source.write_text(source.read_text(encoding="utf-8").replace("campagne 2009", "campagne 2010", 1), encoding="utf-8")
    campaign = campaign_cache.load_compiled(source, analyse=False)
    assert campaign.year == 2010


def _statement_entries(cache_home: Path) -> list[Path]:
    return sorted(cache_home.glob("statements-*"))


def test_a_check_after_an_edit_parses_only_the_edited_statement(
    cache_home: Path, source: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign_cache.load_compiled(source, analyse=False)
    assert len(parses) == len(statements.chunks(SMALL))
    assert len(_statement_entries(cache_home)) == 1
    parses.clear()
    _check_after_edit(source)
    assert len(parses) == 1 and "\ncampagne 2010" in parses[0]
    text = source.read_text(encoding="utf-8")
    assert outcome(text) == whole_file(text, monkeypatch)
    assert len(_statement_entries(cache_home)) == 1  # one entry per source, rewritten


def test_an_entry_others_can_write_is_not_reused(cache_home: Path, source: Path, parses: list[str]) -> None:
    campaign_cache.load_compiled(source, analyse=False)
    (entry,) = _statement_entries(cache_home)
    os.chmod(entry, 0o666)
    parses.clear()
    _check_after_edit(source)
    assert len(parses) == len(statements.chunks(SMALL))


def test_a_planted_entry_is_not_unpickled(cache_home: Path, source: Path, parses: list[str], tmp_path: Path) -> None:
    campaign_cache.load_compiled(source, analyse=False)
    (entry,) = _statement_entries(cache_home)
    marker = tmp_path / "ran"
    entry.write_bytes(b"bilan-cache 1 0000\n" + pickle.dumps(_Planted(marker)))
    parses.clear()
    _check_after_edit(source)
    assert not marker.exists()
    assert len(parses) == len(statements.chunks(SMALL))


def test_an_entry_of_another_grammar_is_a_miss(
    cache_home: Path, source: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(parser, "_code_key", lambda: "lark 0\0une autre grammaire")
        campaign_cache.load_compiled(source, analyse=False)
    assert len(_statement_entries(cache_home)) == 1
    parses.clear()
    _check_after_edit(source)
    assert len(parses) == len(statements.chunks(SMALL))
    assert len(_statement_entries(cache_home)) == 2
