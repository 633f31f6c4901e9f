"""editors/: the VS Code (TextMate) and Vim syntax files colour .bilan files as the compiler reads them.

Their keyword lists must be the grammar's (dsl/bilan.lark): a keyword added to the language
without updating the editors fails here. Beyond the lists, every token of the shipped campaign
files and of SAMPLE is coloured as what the parser says it is: keywords, texts, numbers, dates,
comments, operators, names.

The TextMate grammar is run by a small TextMate matcher written below on Python's `re`, which
reads its simple regexes (classes, \\b, \\w, look-ahead, non-capturing groups) as Oniguruma does;
the test also refuses Oniguruma-only syntax (\\h, \\G, \\A, \\z, possessive or atomic groups) so
that what is checked is what editors run. The Vim file is run by Vim itself when it is installed.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from lark import Token
from lark.lexer import Pattern, PatternStr

from bilan.dsl.parser import _parser, tokens
from bilan.dsl.syntax_errors import expression_keywords, keywords

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
TEXTMATE = VSCODE / "syntaxes" / "bilan.tmLanguage.json"
VIM = ROOT / "editors" / "vim"
CORPUS = [ROOT / "questionnaire.bilan", *sorted((ROOT / "tests").glob("*.bilan"))]

# what the corpus lacks: a question number with a letter, an escape, a text on two lines,
# unaccented keywords, `≈` and `~`, a field named like a keyword, an example block
SAMPLE = """\
campagne 2010 "Bilan \\"test\\""
    ouverture 2011-02-21
echelle E D C B A
fiche declarant "Déclarant"
    champ telephone "Téléphone" telephone
donnees sae "SAE"
    champ lits "Lits" entier 5 chiffres de 0 a 99999
chapitre IV "Deux
    lignes"
    question 3.2.a reunions "Réunions ?"  # commentaire : si, non, 12
        decimal 3 chiffres 1 decimales
        unite "h"
        erreur trop si reunions > 10 et non present(sae.lits) : "trop"
    item O1(2) "O" sur 2
        2 points supplementaires si reunions entre 1 et 2 ou reunions dans (4, 5)
indicateur I "I" sur 2
    non concerne si lits ≤ 0 : "sans lits"
    sous-fonction S "S" sur 2 : O1(2)
    classes fixes 1 1.5
exemple "ex"
    reponses "x.toml"
    avec reunions = 3
    I ~ 1.5 classe A
    I.S ≈ 2
"""


def corpus() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in CORPUS] + [("SAMPLE", SAMPLE)]


# ---------------------------------------------------------------------- the grammar's keywords

WORD = re.compile(r"[^\W\d][\w-]*")


def grammar_keywords() -> set[str]:
    """The quoted words of dsl/bilan.lark (its `//` comments left out)."""
    text = re.sub(r"//[^\n]*", "", (ROOT / "dsl" / "bilan.lark").read_text(encoding="utf-8"))
    return {w for w in re.findall(r'"([^"\\]+)"', text) if WORD.fullmatch(w)}


def test_the_grammar_keywords_are_the_compiler_s() -> None:
    """Reading the .lark file finds the keywords the compiler's messages use, sous-fonction included."""
    assert grammar_keywords() == keywords()
    assert {"sous-fonction", "échelle", "echelle", "à", "a", "si"} <= grammar_keywords()


# ---------------------------------------------------------------------- what each token should look like

Kind = str  # keyword, expression keyword, string, number, date, section, name, operator, punctuation, comment
OPERATORS = {"COMPARATOR", "ADD_OP", "MUL_OP"}


@functools.cache
def terminal_patterns() -> dict[str, Pattern]:
    return {t.name: t.pattern for t in _parser().terminals}


def token_kind(token: Token) -> Kind:
    pattern = terminal_patterns()[token.type]
    text = str(pattern.value)
    if isinstance(pattern, PatternStr) and WORD.fullmatch(text):
        return "expression keyword" if text in expression_keywords() else "keyword"
    kinds = {"STRING": "string", "NUMBER": "number", "INT": "number", "QNUM": "number", "DATE": "date"}
    kinds |= {"ROMAN": "section", "NAME": "name", "ITEM_CODE": "name"}
    if token.type in kinds:
        return kinds[token.type]
    return "operator" if token.type in OPERATORS or text in ("=", "≈", "~") else "punctuation"


@attrs.frozen
class Place:
    """One character to look at: its offset, line and column (from 1, in characters), what it
    belongs to, the token (for messages)."""

    offset: int
    line: int
    column: int
    kind: Kind
    text: str


@functools.cache
def places(text: str) -> tuple[Place, ...]:
    """The first and last characters of every token and of every comment (computed once per text:
    each is asked of both editors' checks)."""
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def place(offset: int, kind: Kind, what: str) -> Place:
        line = bisect.bisect_right(line_starts, offset)
        return Place(offset, line, offset - line_starts[line - 1] + 1, kind, what)

    out: list[Place] = []
    end = 0
    for token in tokens(text):
        if token.type in ("_NL", "_INDENT", "_DEDENT"):
            continue
        assert token.start_pos is not None and token.end_pos is not None
        for comment in re.finditer(r"#[^\n]*", text[end : token.start_pos]):
            out.append(place(end + comment.start(), "comment", comment.group()))
            out.append(place(end + comment.end() - 1, "comment", comment.group()))
        kind = token_kind(token)
        out.append(place(token.start_pos, kind, str(token)))
        out.append(place(token.end_pos - 1, kind, str(token)))
        end = token.end_pos
    for comment in re.finditer(r"#[^\n]*", text[end:]):
        out.append(place(end + comment.start(), "comment", comment.group()))
    return tuple(out)


def mismatches(text: str, colours: Sequence[str | None], expected: Mapping[Kind, set[str | None]]) -> list[str]:
    """Places whose colour is not one expected for their kind. A name spelled like a keyword
    (a field `telephone`) may look like one: telling them apart needs the parser."""
    out = []
    for place, colour in zip(places(text), colours, strict=True):
        allowed = expected[place.kind]
        if place.kind == "name" and place.text in keywords():
            allowed = allowed | expected["keyword"] | expected["expression keyword"]
        if colour not in allowed:
            out.append(f"{place.line}:{place.column} {place.text!r} ({place.kind}): {colour!r}")
    return out


# ---------------------------------------------------------------------- TextMate (VS Code)


def textmate() -> dict[str, Any]:
    grammar: dict[str, Any] = json.loads(TEXTMATE.read_text(encoding="utf-8"))
    return grammar


@attrs.frozen
class Rule:
    """One TextMate pattern, its `include`s resolved."""

    scope: str | None
    match: re.Pattern[str]  # `match`, or `begin` for a region
    end: re.Pattern[str] | None
    captures: dict[int, str]
    inner: tuple[Rule, ...]


def rules(grammar: dict[str, Any], patterns: list[dict[str, Any]]) -> list[Rule]:
    out: list[Rule] = []
    for p in patterns:
        if "include" in p:
            out += rules(grammar, grammar["repository"][p["include"].removeprefix("#")]["patterns"])
            continue
        end = re.compile(p["end"]) if "end" in p else None
        captures = {int(k): v["name"] for k, v in p.get("captures", {}).items()}
        inner = tuple(rules(grammar, p.get("patterns", [])))
        out.append(Rule(p.get("name"), re.compile(p.get("match") or p["begin"]), end, captures, inner))
    return out


def earliest(
    candidates: list[tuple[re.Pattern[str], Rule | None]], line: str, pos: int
) -> tuple[re.Match[str], Rule | None] | None:
    """TextMate's choice: the match that starts first; on a tie, the pattern listed first."""
    found = [(m, rule) for pattern, rule in candidates if (m := pattern.search(line, pos))]
    return min(found, key=lambda f: f[0].start(), default=None)


def highlight(grammar: dict[str, Any], text: str) -> list[str | None]:
    """The scope of every character of `text`, line by line as TextMate matches."""
    scopes: list[str | None] = [None] * len(text)
    top = rules(grammar, grammar["patterns"])
    region: Rule | None = None  # the begin/end pattern still open at the end of a line
    start = 0
    for line in text.split("\n"):
        spans, region = highlight_line(top, region, line)
        for a, b, scope in spans:
            scopes[start + a : start + b] = [scope] * (b - a)
        start += len(line) + 1
    return scopes


Spans = list[tuple[int, int, str | None]]


def highlight_line(top: list[Rule], region: Rule | None, line: str) -> tuple[Spans, Rule | None]:
    """The scoped spans of one line (later ones painted over earlier ones), and the region left open."""
    spans: Spans = []
    pos = 0
    while pos < len(line):
        if region is not None:
            assert region.end is not None
            found = earliest([(region.end, None), *((r.match, r) for r in region.inner)], line, pos)
            stop = found[0].end() if found else len(line)
            spans.append((pos, stop, region.scope))
            if found and found[1] is not None:
                spans.append((*found[0].span(), found[1].scope))
            if found and found[1] is None:
                region = None
            pos = stop
            continue
        found = earliest([(r.match, r) for r in top], line, pos)
        if found is None:
            break
        match, rule = found
        assert rule is not None
        spans.append((*match.span(), rule.scope))
        spans += [(*match.span(g), scope) for g, scope in rule.captures.items() if match.group(g) is not None]
        if rule.end is not None:
            region = rule
        pos = max(match.end(), pos + 1)
    return spans, region


def values(node: Any, keys: tuple[str, ...]) -> Iterator[str]:
    """Every value under one of `keys`, at any depth of a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys:
                yield value
            else:
                yield from values(value, keys)
    elif isinstance(node, list):
        for value in node:
            yield from values(value, keys)


def test_the_vscode_extension_is_valid_json_that_names_the_grammar() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    grammar = textmate()
    [language] = package["contributes"]["languages"]
    [entry] = package["contributes"]["grammars"]
    assert language["extensions"] == [".bilan"]
    assert (VSCODE / language["configuration"]).is_file()
    assert entry["language"] == language["id"]
    assert (VSCODE / entry["path"]).resolve() == TEXTMATE
    assert entry["scopeName"] == grammar["scopeName"] == "source.bilan"


def test_every_textmate_regex_compiles_without_oniguruma_only_syntax() -> None:
    found = list(values(textmate(), ("match", "begin", "end")))
    assert len(found) > 10
    for regex in found:
        re.compile(regex)
        assert not re.search(r"\\[hHGAzZ]|\(\?>|[*+?}]\+", regex), regex


def test_every_include_names_a_rule() -> None:
    grammar = textmate()
    names = {name.removeprefix("#") for name in values(grammar, ("include",))}
    assert names == set(grammar["repository"])  # each defined, none unused


TEXTMATE_SCOPES: dict[Kind, set[str | None]] = {
    "keyword": {"keyword.other.bilan"},
    "expression keyword": {"keyword.control.conditional.bilan", "keyword.operator.word.bilan"},
    "string": {"string.quoted.double.bilan"},
    "number": {"constant.numeric.bilan"},
    "date": {"constant.numeric.date.bilan"},
    "section": {"entity.name.section.bilan"},
    "name": {"variable.other.bilan", "entity.name.function.bilan", "support.function.bilan"},
    "operator": {"keyword.operator.bilan"},
    "punctuation": {None},  # left to the theme's default colour
    "comment": {"comment.line.number-sign.bilan"},
}


def keyword_lists(grammar: dict[str, Any]) -> dict[str, list[str]]:
    """The words of each `keyword.*` pattern, written `\\b(?:word|word|…)\\b`."""
    out: dict[str, list[str]] = {}
    for rule in grammar["repository"]["keyword"]["patterns"]:
        match = re.fullmatch(r"\\b\(\?:([^()]*)\)\\b", rule["match"])
        assert match is not None, rule["match"]
        out[rule["name"]] = match.group(1).split("|")
    return out


def test_the_textmate_keywords_are_the_grammar_s() -> None:
    lists = keyword_lists(textmate())
    words = [w for ws in lists.values() for w in ws]
    assert len(words) == len(set(words))
    assert set(words) == grammar_keywords()
    expression = lists["keyword.control.conditional.bilan"] + lists["keyword.operator.word.bilan"]
    assert set(expression) == expression_keywords()


@pytest.mark.parametrize(("name", "text"), corpus(), ids=[n for n, _ in corpus()])
def test_textmate_colours_every_token_as_the_parser_reads_it(name: str, text: str) -> None:
    scopes = highlight(textmate(), text)
    colours = [scopes[p.offset] for p in places(text)]
    assert mismatches(text, colours, TEXTMATE_SCOPES) == []


def test_the_textmate_matcher_tells_a_wrong_colour() -> None:
    """The check above can fail: a grammar without its keywords leaves `question` a plain name."""
    grammar = textmate()
    grammar["repository"]["keyword"]["patterns"] = []
    grammar["repository"]["declaration"]["patterns"] = []
    scopes = highlight(grammar, SAMPLE)
    colours = [scopes[p.offset] for p in places(SAMPLE)]
    wrong = mismatches(SAMPLE, colours, TEXTMATE_SCOPES)
    assert "1:1 'campagne' (keyword): 'variable.other.bilan'" in wrong


# ---------------------------------------------------------------------- Vim


def vim_keywords() -> dict[str, list[str]]:
    """The words of each group, from its `syn keyword` lines and `syn match GROUP "\\<word\\>"`."""
    out: dict[str, list[str]] = {}
    for line in (VIM / "syntax" / "bilan.vim").read_text(encoding="utf-8").splitlines():
        if m := re.fullmatch(r"syn keyword (\w+) (.+)", line):
            out.setdefault(m.group(1), []).extend(m.group(2).split())
        elif m := re.fullmatch(r'syn match (\w+) "\\<([\w-]+)\\>"', line):
            out.setdefault(m.group(1), []).append(m.group(2))
    return out


def test_the_vim_keywords_are_the_grammar_s() -> None:
    lists = vim_keywords()
    words = [w for ws in lists.values() for w in ws]
    assert len(words) == len(set(words))
    assert set(words) == grammar_keywords()
    assert set(lists["bilanConditional"] + lists["bilanOperatorWord"]) == expression_keywords()


VIM_GROUPS: dict[Kind, set[str | None]] = {
    "keyword": {"bilanKeyword"},
    "expression keyword": {"bilanConditional", "bilanOperatorWord"},
    "string": {"bilanString"},
    "number": {"bilanNumber"},
    "date": {"bilanDate"},
    "section": {"bilanSection"},
    "name": {"", "bilanFunction", "bilanDefinition", "bilanItemCode"},
    "operator": {"bilanOperator"},
    "punctuation": {""},
    "comment": {"bilanComment"},
}

VIM_SCRIPT = """\
set rtp^={runtime}
filetype plugin on
syntax on
edit {file}
let out = [&filetype, &expandtab . ' ' . &shiftwidth, v:errmsg]
for p in readfile('{positions}')
  let [l, c] = split(p)
  call add(out, synIDattr(synID(str2nr(l), str2nr(c), 1), 'name'))
endfor
call writefile(out, '{output}')
qa!
"""


def vim_colours(text: str, folder: Path) -> tuple[list[str], list[str]]:
    """Vim's settings for the file (filetype, expandtab and shiftwidth, last error) and the syntax
    group at each place, asked of Vim itself."""
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("Vim is not installed: its syntax file is checked by its keyword list only")
    source, positions, output, script = (folder / n for n in ("essai.bilan", "positions", "output", "script.vim"))
    source.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    rows = []
    for place in places(text):
        column = len(lines[place.line - 1][: place.column - 1].encode()) + 1  # Vim counts bytes
        rows.append(f"{place.line} {column}")
    positions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    script.write_text(VIM_SCRIPT.format(runtime=VIM, file=source, positions=positions, output=output), encoding="utf-8")
    subprocess.run([vim, "-Nu", "NONE", "-i", "NONE", "-Es", "-S", str(script)], check=False, timeout=120)
    settings, colours = (lines := output.read_text(encoding="utf-8").splitlines())[:3], lines[3:]
    return settings, colours


@pytest.mark.system
@pytest.mark.parametrize(("name", "text"), corpus(), ids=[n for n, _ in corpus()])
def test_vim_colours_every_token_as_the_parser_reads_it(name: str, text: str, tmp_path: Path) -> None:
    """ftdetect names the file type, ftplugin indents with 4 spaces, the syntax file loads without
    an error and colours each token as what it is."""
    settings, colours = vim_colours(text, tmp_path)
    assert settings == ["bilan", "1 4", ""]
    assert mismatches(text, colours, VIM_GROUPS) == []


@pytest.mark.system
def test_the_vim_check_tells_a_wrong_colour(tmp_path: Path) -> None:
    """The check above can fail: a name is not a keyword, a keyword not a plain name."""
    _, colours = vim_colours(SAMPLE, tmp_path)
    swapped: dict[Kind, set[str | None]] = {**VIM_GROUPS, "keyword": {""}, "name": {"bilanKeyword"}}
    wrong = mismatches(SAMPLE, colours, swapped)
    assert "1:1 'campagne' (keyword): 'bilanKeyword'" in wrong
    assert "10:20 'reunions' (name): 'bilanDefinition'" in wrong
