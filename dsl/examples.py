"""`exemple` blocks: declarations whose indicators, classes and checks are known, run by `bilan test`.

An example starts from an answers file (`réponses "examples/x.toml"`, relative to the campaign
file) or from nothing, changes answers (`avec q = v`, `sans q`), and states what the campaign must
give: indicator values (`ICALIN = 85`, exactly; `ICSHA ≈ 84.70`, once rounded), classes, statuses,
subtotals (`ICALIN.O`), items, computed values, the checks that fire and the answers left missing.

This module reads the blocks and checks every name and value in them against the compiled campaign,
so that `bilan check` reports a misspelt indicator in an example like any other error of the file.
Running them is `bilan.cli.example_runner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs
from lark import Token, Tree

from bilan.common.source import Span
from bilan.common.suggest import closest
from bilan.dsl.registry import Registry
from bilan.dsl.tree import Node, number, string, sub, tok
from bilan.engine.answers import check_value, expected
from bilan.engine.expr import Value
from bilan.engine.model import Campaign, ChoiceType, FieldType, Group, Indicator, MultiChoiceType

STATUSES = {"not_concerned": "non_concerne", "not_computable": "non_calculable", "excluded": "exclu"}


@attrs.frozen
class Change:
    """`avec name = value`, or `sans name` (value None): an answer changed on top of the answers
    file. `block` is the data block that `name` is (`sans sae`) or belongs to (`avec sae.ssr = 1`):
    giving one of its fields supplies the block, taking the block out removes all its fields."""

    name: str
    value: Value
    block: str | None
    span: Span


@attrs.frozen
class Expectation:
    """One line stating a result. `kind`: indicateur, fonction (a subtotal, `ICALIN.O`), item or
    valeur. A number is compared exactly, or once rounded half up to `places` decimals (`≈`);
    a number implies the status « calculé »; `label` is the class (or F, DI...) shown."""

    kind: str
    name: str
    indicator: str | None
    number: Fraction | None
    places: int | None
    status: str | None
    label: str | None
    span: Span

    @property
    def target(self) -> str:
        """How the line names what it checks: ICALIN, ICALIN.O, item O211, valeur objectif_sha."""
        if self.kind == "fonction":
            return f"{self.indicator}.{self.name}"
        return self.name if self.kind == "indicateur" else f"{self.kind} {self.name}"


@attrs.frozen
class ExpectedCheck:
    severity: str  # erreur | avertissement
    name: str
    span: Span


@attrs.frozen
class Missing:
    name: str
    span: Span


@attrs.frozen
class Example:
    """What one `exemple` block says. Its checks and missing answers are the whole list: a check
    that fires, or an answer missing, that the block does not name is a failure too."""

    title: str
    span: Span
    answers: str | None
    answers_span: Span | None
    changes: tuple[Change, ...]
    expectations: tuple[Expectation, ...]
    checks: tuple[ExpectedCheck, ...]
    missing: tuple[Missing, ...]


def read_examples(r: Registry, campaign: Campaign) -> tuple[Example, ...]:
    """Every `exemple` block of the file, its names checked (problems go to `r.diagnostics`)."""
    reader = _Reader(r, campaign)
    out = tuple(reader.example(st) for st in r.example_trees)
    seen: dict[str, Span] = {}
    for example in out:
        if example.title in seen:
            r.error(example.span, f"exemple « {example.title} » déjà déclaré ligne {seen[example.title].line}")
        seen.setdefault(example.title, example.span)
    return out


class _Reader:
    def __init__(self, r: Registry, campaign: Campaign) -> None:
        self.r = r
        self.campaign = campaign
        self.blocks = {s.name for s in campaign.data_blocks}

    def example(self, st: Tree[Token]) -> Example:
        title, *lines = st.children
        answers: tuple[str, Span] | None = None
        changes: list[Change] = []
        expectations: list[Expectation] = []
        checks: list[ExpectedCheck] = []
        missing: list[Missing] = []
        for line in map(sub, lines):
            span = self.r.span(line)
            if line.data == "answers_file":
                if answers is not None:
                    self.r.error(span, f"un seul fichier de réponses par exemple (déjà ligne {answers[1].line})")
                answers = (string(line.children[0]), span)
            elif line.data in ("with_answer", "without_answer"):
                change = self.change(line, span)
                if change is not None:
                    changes.append(change)
            elif line.data in ("expected_error", "expected_warning"):
                checks.append(self.check(line, span))
            elif line.data == "expected_missing":
                name = _path(line.children[0])
                if name not in self.campaign.fields:
                    self.unknown_field(name, span)
                missing.append(Missing(name, span))
            else:
                expectation = self.expectation(line, span)
                if expectation is not None:
                    expectations.append(expectation)
        self.duplicates(expectations)
        return Example(
            string(title),
            self.r.span(st),
            answers[0] if answers else None,
            answers[1] if answers else None,
            tuple(changes),
            tuple(expectations),
            tuple(checks),
            tuple(missing),
        )

    # ------------------------------------------------------------------ answers

    def change(self, line: Tree[Token], span: Span) -> Change | None:
        name = _path(line.children[0])
        if line.data == "without_answer" and name in self.blocks:
            return Change(name, None, name, span)
        field = self.campaign.fields.get(name)
        if field is None:
            if name in self.blocks:
                self.r.error(span, f"« {name} » est un bloc de données : « avec » donne un de ses champs ({name}.…)")
            else:
                self.unknown_field(name, span)
            return None
        head = name.split(".", 1)[0]
        block = head if head in self.blocks else None
        if line.data == "without_answer":
            return Change(name, None, block, span)
        raw = _raw(line.children[1])
        if isinstance(field.type, MultiChoiceType) and not isinstance(raw, list):
            raw = [raw]  # `avec disciplines = urologique`: one option chosen
        value, problem = check_value(field.type, raw)
        if problem:
            self.r.error(span, f"« {name} » : {problem} ; attendu : {_accepted(field.type)}")
            return None
        return Change(name, value, block, span)

    def unknown_field(self, name: str, span: Span) -> None:
        close = closest(name, self.campaign.fields)
        hint = f" ; vouliez-vous dire « {close} » ?" if close else ""
        self.r.error(span, f"question inconnue « {name} »{hint}")

    def check(self, line: Tree[Token], span: Span) -> ExpectedCheck:
        severity = "erreur" if line.data == "expected_error" else "avertissement"
        name = str(line.children[0])
        found = next((c for c in self.campaign.checks if c.name == name), None)
        if found is None:
            close = closest(name, [c.name for c in self.campaign.checks])
            hint = f" ; vouliez-vous dire « {close} » ?" if close else ""
            self.r.error(span, f"contrôle inconnu « {name} »{hint}")
        elif found.severity != severity:
            self.r.error(span, f"« {name} » est un contrôle de type « {found.severity} », pas « {severity} »")
        return ExpectedCheck(severity, name, span)

    # ------------------------------------------------------------------ expectations

    def expectation(self, line: Tree[Token], span: Span) -> Expectation | None:
        target, *rest = line.children
        located = self.target(sub(target), span)
        if located is None:
            return None
        kind, name, indicator = located
        value: Fraction | None = None
        places: int | None = None
        status: str | None = None
        label: str | None = None
        for part in rest:
            if isinstance(part, Tree) and part.data == "expected_class":
                label = str(part.children[0])
            elif isinstance(part, Tree) and part.data in STATUSES:
                status = STATUSES[part.data]
            elif line.data == "expected_rounded":
                value, places = number(part), len(str(part).partition(".")[2])
            else:
                value = self.constant(part, span)
        if kind != "indicateur":
            if status or label:
                self.r.error(span, "un statut ou une classe ne s’attend que d’un indicateur (ICALIN classe B)")
        elif label is not None:
            self.check_label(self.campaign.indicators[name], label, span)
        if value is not None and kind == "indicateur":
            status = "ok"
        return Expectation(kind, name, indicator, value, places, status, label, span)

    def target(self, node: Tree[Token], span: Span) -> tuple[str, str, str | None] | None:
        """(kind, name, indicator of a subtotal) of what a line checks; None if it names nothing."""
        names = [str(t) for t in node.children]
        if node.data == "item_target":
            return self.known("item", names[0], self.campaign.items, span)
        if node.data == "value_target":
            return self.known("valeur", names[0], self.campaign.values, span)
        code = names[0]
        if code not in self.campaign.indicators:
            hint = ""
            if code in self.campaign.values:
                hint = f" ; pour une valeur calculée, écrire « valeur {code} »"
            elif code in self.campaign.items:
                hint = f" ; pour un item, écrire « item {code} »"
            return self.known("indicateur", code, self.campaign.indicators, span, hint)
        if len(names) == 1:
            return "indicateur", code, None
        groups = list(_group_codes(self.campaign.indicators[code].groups))
        if names[1] not in groups:
            close = closest(names[1], groups)
            hint = f" ; vouliez-vous dire « {close} » ?" if close else f" (fonctions : {', '.join(groups) or 'aucune'})"
            self.r.error(span, f"l’indicateur « {code} » n’a pas de fonction « {names[1]} »{hint}")
            return None
        return "fonction", names[1], code

    def known(
        self, kind: str, name: str, table: Mapping[str, object], span: Span, hint: str = ""
    ) -> tuple[str, str, str | None] | None:
        if name in table:
            return kind, name, None
        close = closest(name, table)
        hint = hint or (f" ; vouliez-vous dire « {close} » ?" if close else "")
        unknown = "inconnue" if kind == "valeur" else "inconnu"
        self.r.error(span, f"{kind} {unknown} « {name} »{hint}")
        return None

    def constant(self, node: Node, span: Span) -> Fraction | None:
        """An expected number: numbers and + - × / only, computed exactly."""
        tree = sub(node)
        if tree.data == "number":
            return number(tree.children[0])
        if tree.data != "arith":
            self.r.error(span, "valeur attendue : un nombre, ou un calcul de nombres avec + - × / et des parenthèses")
            return None
        left, op, right = tree.children
        a, b = self.constant(left, span), self.constant(right, span)
        if a is None or b is None:
            return None
        operator = str(op)
        if operator == "+":
            return a + b
        if operator == "-":
            return a - b
        if operator != "/":
            return a * b
        if b == 0:
            self.r.error(span, "valeur attendue : division par zéro")
            return None
        return a / b

    def check_label(self, indicator: Indicator, label: str, span: Span) -> None:
        """A class of the scale, for an indicator that has classes, or a label of its own (F, DI)."""
        own = {s.label for s in indicator.statuses if s.label}
        known = ({*self.campaign.scale} if indicator.classes else set()) | own
        if label not in known:
            listed = ", ".join(sorted(known)) if known else "aucune : l’indicateur n’a pas de classes"
            self.r.error(span, f"« {label} » n’est pas une classe de « {indicator.code} » ({listed})")

    def duplicates(self, expectations: list[Expectation]) -> None:
        seen: dict[str, Span] = {}
        for e in expectations:
            if e.target in seen:
                self.r.error(e.span, f"« {e.target} » est déjà attendu ligne {seen[e.target].line} dans cet exemple")
            seen.setdefault(e.target, e.span)


def _path(node: Node) -> str:
    """`iso.site_operatoire.disciplines` from the nested field_path rule."""
    return ".".join(str(t) for t in sub(node).scan_values(lambda v: isinstance(v, Token)))


def _raw(node: Node) -> object:
    """An answer as an answers file would hold it, for the checks shared with TOML files."""
    if isinstance(node, Tree):
        if node.data == "answer_non":
            return "non"
        return [_raw(child) for child in node.children]
    token = tok(node)
    if token.type == "STRING":
        return string(token)
    if token.type == "NUMBER":
        return str(token) if "." in token else int(token)
    return str(token)


def _group_codes(groups: tuple[Group | str, ...]) -> list[str]:
    out: list[str] = []
    for g in groups:
        if isinstance(g, Group):
            out.append(g.code)
            out.extend(_group_codes(g.children))
    return out


def _accepted(ftype: FieldType) -> str:
    """What an `avec` line may give, in the file's own spelling (option codes without quotes)."""
    if isinstance(ftype, ChoiceType):
        return "une réponse parmi " + ", ".join(map(str, ftype.codes))
    if isinstance(ftype, MultiChoiceType):
        return "des réponses parmi " + ", ".join(map(str, ftype.choice.codes)) + ", entre parenthèses : (a, b)"
    return expected(ftype)
