"""Compile a .bilan source into the campaign model, collecting every error it can find.

Phases: parse (parser.py) -> build declarations from the tree (this module for the top-level
statements; answer_types, questions, layout, scoring for the rest) -> resolve and type-check
expressions (resolution.py, typecheck.py) -> structural checks (indicators, items, classes,
dependency cycles) -> the `exemple` blocks' names (examples.py) -> analysis of maxima and
reachability (analysis.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from lark import Token, Tree

from bilan.common.inputs import not_utf8
from bilan.common.source import Span
from bilan.dsl import analysis
from bilan.dsl.answer_types import type_decl
from bilan.dsl.dependencies import cycles
from bilan.dsl.diagnostics import Diagnostic, SourceError
from bilan.dsl.examples import Example, read_examples
from bilan.dsl.parser import parse
from bilan.dsl.questions import question
from bilan.dsl.registry import Registry
from bilan.dsl.renames import check_renames
from bilan.dsl.resolution import resolve_all
from bilan.dsl.scoring import indicator, item_decl, value_decl
from bilan.dsl.tree import string, sub, tok
from bilan.engine.model import Block, Campaign, ChoiceType, Group, Indicator, Section, SectionKind


def compile_file(path: str | Path, *, analyse: bool = True) -> Campaign:
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column, message = not_utf8(data, exc)
        raise SourceError([Diagnostic(Span(str(path), line, column), message)], {}) from None
    return compile_source(text, str(path), analyse=analyse)


def compile_source(text: str, filename: str = "<source>", *, analyse: bool = True) -> Campaign:
    """Compile a whole campaign; raise SourceError listing every problem found.

    `analyse` adds the checks that enumerate answers (declared maxima, branches that can never
    show): `bilan check` and the tests run them; loading a campaign to score or enter skips them.
    """
    return _compile(text, filename, analyse)[0]


def compile_with_examples(
    text: str, filename: str = "<source>", *, analyse: bool = False
) -> tuple[Campaign, tuple[Example, ...]]:
    """A campaign and its `exemple` blocks; `bilan test` asks for the analysis `bilan check` runs
    (an example of a campaign whose maxima do not add up proves nothing)."""
    return _compile(text, filename, analyse=analyse)


def _compile(text: str, filename: str, analyse: bool) -> tuple[Campaign, tuple[Example, ...]]:
    text = text.removeprefix("\ufeff")  # the byte-order mark some editors write first
    tree = parse(text, filename)
    r = Registry(text, filename)
    _declare(r, tree)
    resolve_all(r)
    if not r.diagnostics:
        _structure_checks(r)
        check_renames(r)
    if not r.diagnostics:
        campaign = _campaign(r)
        r.diagnostics.extend(cycles(campaign))
        examples = read_examples(r, campaign)
    if r.diagnostics:
        raise SourceError(r.diagnostics, {filename: text})
    if analyse:
        check_analysis(campaign, text, filename)
    return campaign, examples


def check_analysis(campaign: Campaign, text: str, filename: str) -> None:
    """The static analysis `analyse=True` adds (declared maxima, branches never shown), on a
    campaign compiled without it; raise SourceError listing what it finds."""
    diagnostics = analysis.analyse(campaign)
    if diagnostics:
        raise SourceError(diagnostics, {filename: text.removeprefix("\ufeff")})


def _declare(r: Registry, tree: Tree[Token]) -> None:
    """Every top-level statement into `r`, types first: questions may use a type declared below."""
    statements = [sub(st) for st in tree.children]
    for st in statements:
        if st.data == "type_decl":
            type_decl(r, st)
    handlers: dict[str, Callable[[Registry, Tree[Token]], None]] = {
        "campaign": _campaign_decl,
        "scale": _scale,
        "fiche": _fiche,
        "data_block": _data_block,
        "chapter": _chapter,
        "value_decl": value_decl,
        "item_decl": item_decl,
        "indicator": indicator,
        "example": lambda r, st: r.example_trees.append(st),
    }
    for st in statements:
        if st.data != "type_decl":
            handlers[st.data](r, st)
    if "year" not in r.campaign_info:
        r.error(Span(r.filename, 1, 1), "déclaration « campagne » manquante")
    if not r.scale:
        r.error(
            Span(r.filename, 1, 1),
            "déclaration « échelle » (classes de résultats, ex. échelle E D C B A) manquante",
        )


def _campaign(r: Registry) -> Campaign:
    info = r.campaign_info
    return Campaign(
        year=info["year"],
        title=info["title"],
        opening=info.get("opening"),
        deadline=info.get("deadline"),
        source=info.get("source"),
        source_hash=hashlib.sha256(r.text.encode()).hexdigest(),
        scale=r.scale,
        types=r.types,
        fiches=tuple(r.fiches),
        data_blocks=tuple(r.data_blocks),
        chapters=tuple(r.chapters),
        values=r.values,
        items=r.items,
        indicators=r.indicators,
        fields=r.fields,
        questions=r.questions,
        checks=tuple(c for q in r.questions.values() for c in q.checks),
    )


# ---------------------------------------------------------------------- top-level statements


def _campaign_decl(r: Registry, st: Tree[Token]) -> None:
    year, title, *attributes = st.children
    if "year" in r.campaign_info:
        r.error(r.span(st), "une seule déclaration « campagne » par fichier")
    r.campaign_info.update(year=int(str(year)), title=string(title))
    for a in map(sub, attributes):
        token = tok(a.children[-1])
        if a.data == "source":
            r.campaign_info["source"] = string(token)
            continue
        try:
            r.campaign_info[a.data] = dt.date.fromisoformat(str(token))
        except ValueError:
            r.error(r.span(token), f"date impossible « {token} »")
    opening, deadline = r.campaign_info.get("opening"), r.campaign_info.get("deadline")
    if opening and deadline and deadline < opening:
        r.error(r.span(st), "la date limite précède l’ouverture de la campagne")


def _scale(r: Registry, st: Tree[Token]) -> None:
    labels = tuple(str(t) for t in st.children)
    if len(set(labels)) != len(labels) or len(labels) < 2:
        r.error(r.span(st), "l’échelle des classes doit nommer au moins deux classes distinctes")
    r.scale = labels


def _fiche(r: Registry, st: Tree[Token]) -> None:
    r.fiches.append(_form_section(r, st, "fiche"))


def _data_block(r: Registry, st: Tree[Token]) -> None:
    section = _form_section(r, st, "donnees")
    r.data_names.add(section.name)
    r.data_blocks.append(section)


def _form_section(r: Registry, st: Tree[Token], kind: SectionKind) -> Section:
    """A fiche or data block: a titled list of fields (a data block's are named `block.field`)."""
    name_tok, title, *fields = st.children
    name = str(name_tok)
    r.claim(name, r.span(name_tok), "section")
    prefix = f"{name}." if kind == "donnees" else ""
    blocks = tuple(Block("question", question(r, sub(f), section=name, prefix=prefix)) for f in fields)
    return Section(name, kind, string(title), None, blocks, r.span(st))


def _chapter(r: Registry, st: Tree[Token]) -> None:
    number, title, *lines = st.children
    name = f"chapitre_{number}"
    blocks: list[Block] = []
    for line in map(sub, lines):
        if line.data == "question_decl":
            blocks.append(Block("question", question(r, line, section=name, prefix="")))
        elif line.data in ("note", "subtitle"):
            blocks.append(Block("note" if line.data == "note" else "subtitle", text=string(line.children[0])))
        elif line.data == "item_decl":
            item_decl(r, line, section=name)
        elif line.data == "value_decl":
            value_decl(r, line, section=name)
    r.chapters.append(Section(name, "chapitre", string(title), str(number), tuple(blocks), r.span(st)))


# ---------------------------------------------------------------------- structure


def _structure_checks(r: Registry) -> None:
    """Each item counted by exactly one indicator; class tables keyed by a choice question."""
    used: dict[str, str] = {}
    for code, ind in r.indicators.items():
        for item_code in ind.item_codes():
            if item_code not in r.items:
                r.error(ind.span, f"l’indicateur « {code} » utilise l’item inconnu « {item_code} »")
            elif item_code in used:
                r.error(ind.span, f"l’item « {item_code} » est déjà compté dans l’indicateur « {used[item_code]} »")
            else:
                used[item_code] = code
        _check_group_codes(r, ind)
        if ind.classes and ind.classes.by:
            _check_class_keys(r, ind)
        if ind.kind == "points" and ind.maximum is None:
            r.error(ind.span, f"l’indicateur à points « {code} » doit déclarer son maximum (« sur N »)")
    for code, item in r.items.items():
        if code not in used:
            r.error(item.span, f"l’item « {code} » n’est utilisé par aucun indicateur")


def _check_group_codes(r: Registry, ind: Indicator) -> None:
    """Function codes name the subtotals of an export: unique within their indicator."""
    seen: set[str] = set()
    stack: list[Group | str] = list(ind.groups)
    while stack:
        g = stack.pop(0)
        if isinstance(g, Group):
            if g.code in seen:
                r.error(g.span, f"« {g.code} » nomme deux fonctions de l’indicateur « {ind.code} »")
            seen.add(g.code)
            stack.extend(g.children)


def _check_class_keys(r: Registry, ind: Indicator) -> None:
    assert ind.classes is not None and ind.classes.by is not None
    field = r.fields.get(ind.classes.by)
    if field is None or not isinstance(field.type, ChoiceType):
        r.error(ind.span, f"classes de « {ind.code} » : « {ind.classes.by} » n’est pas une question à choix")
        return
    for key in ind.classes.limits:
        if field.type.option(key) is None:
            r.error(ind.span, f"classes de « {ind.code} » : « {key} » n’est pas une réponse de « {field.name} »")
