"""Compile a .bilan source into the campaign model, collecting every error it can find.

Phases: parse (parser.py) -> build declarations from the tree (this module) -> resolve and
type-check expressions (typecheck.py) -> structural checks (indicators, items, classes) ->
analysis of maxima and reachability (analysis.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
from lark import Token, Tree

from bilan.dsl import analysis
from bilan.dsl.diagnostics import Diagnostic, SourceError, Span
from bilan.dsl.parser import parse
from bilan.dsl.text import normalize
from bilan.dsl.typecheck import ERROR, Resolver, T
from bilan.engine.expr import (
    Between,
    Binary,
    Call,
    Conditional,
    Const,
    Expr,
    Member,
    Ref,
    Unary,
    references,
)
from bilan.engine.model import (
    Block,
    Campaign,
    Case,
    Check,
    ChoiceType,
    ClassTable,
    Column,
    ConditionalMaximum,
    Field,
    FieldType,
    Group,
    Indicator,
    Item,
    MultiChoiceType,
    NumberType,
    Option,
    Question,
    Row,
    Rule,
    Section,
    StatusClause,
    TextType,
    Value,
)

_OPS = {"≠": "!=", "≤": "<=", "≥": ">=", "×": "*"}
# Tree names of the grammar's type_spec alternatives.
_TYPE_SPECS = frozenset(
    {"named_type", "integer_type", "decimal_type", "text_type", "email_type", "finess_type", "phone_type", "multi_type"}
)


def compile_file(path: str | Path, *, analyse: bool = True) -> Campaign:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            [Diagnostic(Span(str(path), 1, 1), f"le fichier n’est pas en UTF-8 ({exc.reason})")], {}
        ) from None
    return compile_source(text, str(path), analyse=analyse)


def compile_source(text: str, filename: str = "<source>", *, analyse: bool = True) -> Campaign:
    """Compile a whole campaign; raise SourceError listing every problem found.

    `analyse` adds the checks that enumerate answers (declared maxima, branches that can never
    show): `bilan check` and the tests run them; loading a campaign to score or enter skips them.
    """
    tree = parse(text, filename)
    return _Compiler(text, filename, analyse).run(tree)


def _and(*parts: Expr | None) -> Expr | None:
    result: Expr | None = None
    for p in parts:
        if p is None:
            continue
        result = p if result is None else Binary("et", result, p, p.span)
    return result


class _Compiler:
    def __init__(self, text: str, filename: str, analyse: bool) -> None:
        self.analyse = analyse
        self.text = text
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []
        self.types: dict[str, ChoiceType] = {}
        self.fields: dict[str, Field] = {}
        self.questions: dict[str, Question] = {}
        self.values: dict[str, Value] = {}
        self.items: dict[str, Item] = {}
        self.indicators: dict[str, Indicator] = {}
        self.data_names: set[str] = set()
        self.names: dict[str, Span] = {}
        self.campaign_info: dict[str, Any] = {}
        self.scale: tuple[str, ...] = ()
        self.fiches: list[Section] = []
        self.data_blocks: list[Section] = []
        self.chapters: list[Section] = []

    # ------------------------------------------------------------------ helpers

    def span(self, node: Tree[Token] | Token | None) -> Span:
        if isinstance(node, Token):
            return Span(self.filename, node.line or 1, node.column or 1)
        if isinstance(node, Tree) and not node.meta.empty:
            return Span(self.filename, node.meta.line, node.meta.column)
        return Span(self.filename, 1, 1)

    def error(self, span: Span | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(span or Span(self.filename, 1, 1), message))

    def claim(self, name: str, span: Span, what: str) -> None:
        """Register a global name; names are stable keys of answers files, so ASCII only."""
        if not name.isascii():
            self.error(
                span, f"le nom « {name} » contient des accents : les noms sont en ASCII (ex. « {_ascii(name)} »)"
            )
        if name in self.names:
            first = self.names[name]
            self.error(span, f"{what} « {name} » déjà déclaré ligne {first.line}")
        else:
            self.names[name] = span

    @staticmethod
    def string(token: Token) -> str:
        raw = str(token)[1:-1]
        return normalize(raw.replace('\\"', '"').replace("\\\\", "\\"))

    @staticmethod
    def number(token: Token) -> Fraction:
        return Fraction(str(token))

    # ------------------------------------------------------------------ driver

    def run(self, tree: Tree[Token]) -> Campaign:
        statements = list(tree.children)
        for st in statements:  # types first: questions may use a type declared further down
            if isinstance(st, Tree) and st.data == "type_decl":
                self.type_decl(st)
        handlers = {
            "campaign": self.campaign_,
            "scale": self.scale_,
            "fiche": self.fiche,
            "data_block": self.data_block,
            "chapter": self.chapter,
            "value_decl": self.value_decl,
            "item_decl": self.item_decl,
            "indicator": self.indicator,
        }
        for st in statements:
            assert isinstance(st, Tree)
            if st.data != "type_decl":
                handlers[st.data](st)
        if "year" not in self.campaign_info:
            self.error(Span(self.filename, 1, 1), "déclaration « campagne » manquante")
        if not self.scale:
            self.error(
                Span(self.filename, 1, 1),
                "déclaration « échelle » (classes de résultats, ex. échelle E D C B A) manquante",
            )
        self.resolve_all()
        if not self.diagnostics:
            self.structure_checks()
        if not self.diagnostics:
            campaign = self.campaign()
            if self.analyse:
                self.diagnostics.extend(analysis.analyse(campaign))
        if self.diagnostics:
            raise SourceError(self.diagnostics, {self.filename: self.text})
        return campaign

    def campaign(self) -> Campaign:
        info = self.campaign_info
        checks = tuple(c for q in self.questions.values() for c in q.checks)
        return Campaign(
            year=info["year"],
            title=info["title"],
            opening=info.get("opening"),
            deadline=info.get("deadline"),
            source=info.get("source"),
            source_hash=hashlib.sha256(self.text.encode()).hexdigest(),
            scale=self.scale,
            types=self.types,
            fiches=tuple(self.fiches),
            data_blocks=tuple(self.data_blocks),
            chapters=tuple(self.chapters),
            values=self.values,
            items=self.items,
            indicators=self.indicators,
            fields=self.fields,
            questions=self.questions,
            checks=checks,
        )

    # ------------------------------------------------------------------ top-level statements

    def campaign_(self, st: Tree[Token]) -> None:
        year, title, *attrs_ = st.children
        if "year" in self.campaign_info:
            self.error(self.span(st), "une seule déclaration « campagne » par fichier")
        self.campaign_info.update(year=int(str(year)), title=self.string(title))
        for a in attrs_:
            assert isinstance(a, Tree)
            token = a.children[-1]
            assert isinstance(token, Token)
            if a.data == "source":
                self.campaign_info["source"] = self.string(token)
                continue
            try:
                self.campaign_info[a.data] = dt.date.fromisoformat(str(token))
            except ValueError:
                self.error(self.span(token), f"date impossible « {token} »")
        opening, deadline = self.campaign_info.get("opening"), self.campaign_info.get("deadline")
        if opening and deadline and deadline < opening:
            self.error(self.span(st), "la date limite précède l’ouverture de la campagne")

    def scale_(self, st: Tree[Token]) -> None:
        labels = tuple(str(t) for t in st.children)
        if len(set(labels)) != len(labels) or len(labels) < 2:
            self.error(self.span(st), "l’échelle des classes doit nommer au moins deux classes distinctes")
        self.scale = labels

    def type_decl(self, st: Tree[Token]) -> None:
        name_tok = st.children[0]
        title: str | None = None
        options: list[Option] = []
        for child in st.children[1:]:
            if isinstance(child, Token):
                title = self.string(child)
            else:
                options.append(self.option(child))
        name = str(name_tok)
        codes = [o.code for o in options]
        if name in self.types:
            self.error(self.span(name_tok), f"type « {name} » déjà déclaré")
        for code in {c for c in codes if codes.count(c) > 1}:
            self.error(self.span(st), f"le type « {name} » a deux fois l’option « {code} »")
        self.types[name] = ChoiceType(name, tuple(options), title)

    def option(self, node: Tree[Token]) -> Option:
        code_node, label, *rest = node.children
        code: str | int
        if isinstance(code_node, Tree):
            code = "non"
        elif code_node.type == "INT":
            code = int(str(code_node))
        else:
            code = str(code_node)
        assert isinstance(label, Token)
        description = self.string(rest[0]) if rest and isinstance(rest[0], Token) else None
        return Option(code, self.string(label), description)

    def fiche(self, st: Tree[Token]) -> None:
        self.fiches.append(self.form_section(st, "fiche"))

    def data_block(self, st: Tree[Token]) -> None:
        section = self.form_section(st, "donnees")
        self.data_names.add(section.name)
        self.data_blocks.append(section)

    def form_section(self, st: Tree[Token], kind: str) -> Section:
        name_tok, title, *fields = st.children
        name = str(name_tok)
        self.claim(name, self.span(name_tok), "section")
        assert isinstance(title, Token)
        prefix = f"{name}." if kind == "donnees" else ""
        blocks = []
        for f in fields:
            assert isinstance(f, Tree)
            q = self.question(f, section=name, prefix=prefix, parent=None, inherited=None)
            blocks.append(Block("question", q))
        return Section(name, kind, self.string(title), None, tuple(blocks), self.span(st))

    def chapter(self, st: Tree[Token]) -> None:
        number, title, *lines = st.children
        name = f"chapitre_{number}"
        blocks: list[Block] = []
        for line in lines:
            assert isinstance(line, Tree)
            if line.data == "question_decl":
                blocks.append(
                    Block("question", self.question(line, section=name, prefix="", parent=None, inherited=None))
                )
            elif line.data == "note":
                blocks.append(Block("note", text=self.string(line.children[0])))  # type: ignore[arg-type]
            elif line.data == "subtitle":
                blocks.append(Block("subtitle", text=self.string(line.children[0])))  # type: ignore[arg-type]
            elif line.data == "item_decl":
                self.item_decl(line, section=name)
            elif line.data == "value_decl":
                self.value_decl(line, section=name)
        assert isinstance(title, Token)
        self.chapters.append(Section(name, "chapitre", self.string(title), str(number), tuple(blocks), self.span(st)))

    # ------------------------------------------------------------------ questions

    def type_spec(self, node: Tree[Token]) -> FieldType | None:
        kind = node.data
        args = node.children
        if kind == "named_type":
            name = str(args[0])
            if name not in self.types:
                known = ", ".join(sorted(self.types))
                self.error(self.span(args[0]), f"type inconnu « {name} » (types déclarés : {known})")
                return None
            return self.types[name]
        if kind == "multi_type":
            name = str(args[0])
            if name not in self.types:
                self.error(self.span(args[0]), f"type inconnu « {name} »")
                return None
            return MultiChoiceType(self.types[name])
        if kind in ("integer_type", "decimal_type"):
            digits = int(str(args[0]))
            decimals = int(str(args[1])) if kind == "decimal_type" else 0
            rng = next((a for a in args if isinstance(a, Tree)), None)
            minimum, maximum = Fraction(0), None
            if rng is not None:
                lo, hi = rng.children
                minimum, maximum = self.number(lo), self.number(hi)  # type: ignore[arg-type]
                if maximum < minimum:
                    self.error(self.span(rng), "bornes inversées : le minimum dépasse le maximum")
            if digits < 1 or digits > 12:
                self.error(self.span(node), "nombre de chiffres entre 1 et 12")
            t = NumberType(digits, decimals, minimum, maximum)
            if maximum is not None and maximum > t.upper:
                self.error(self.span(rng), f"le maximum {maximum} ne tient pas dans {digits} chiffres")
            return t
        return TextType(
            {"text_type": "texte", "email_type": "courriel", "finess_type": "finess", "phone_type": "telephone"}[kind]
        )

    def question(
        self,
        node: Tree[Token],
        *,
        section: str,
        prefix: str,
        parent: Question | None,
        inherited: Expr | None,
        branch_cond: Expr | None = None,
        branch_label: str | None = None,
    ) -> Question:
        children = list(node.children)
        number: str | None = None
        if node.data == "question_decl" and isinstance(children[0], Token) and children[0].type == "QNUM":
            number = str(children.pop(0))
        name_tok, text_tok = children[0], children[1]
        rest = children[2:]
        assert isinstance(name_tok, Token) and isinstance(text_tok, Token)
        name = prefix + str(name_tok)
        qspan = self.span(name_tok)
        self.claim(name, qspan, "nom")
        ftype: FieldType | None = None
        info: dict[str, Any] = {"consignes": [], "references": [], "notes": [], "checks": [], "rows": [], "columns": []}
        own: Expr | None = None
        optional = flagged = False
        unit: str | None = None
        branches: list[Tree[Token]] = []
        for line in rest:
            if not isinstance(line, Tree):
                continue
            data = line.data
            if data in _TYPE_SPECS:
                ftype = self.type_spec(line)
            elif data == "type_line":
                if ftype is not None:
                    self.error(self.span(line), "type de réponse déjà donné pour cette question")
                ftype = self.type_spec(line.children[0])  # type: ignore[arg-type]
            elif data == "unit":
                unit = self.string(line.children[0])  # type: ignore[arg-type]
            elif data in ("consigne", "reference", "note"):
                key = {"consigne": "consignes", "reference": "references", "note": "notes"}[data]
                info[key].append(self.string(line.children[0]))  # type: ignore[arg-type]
            elif data == "optional":
                optional = True
            elif data == "flagged":
                flagged = True
            elif data == "row":
                info["rows"].append(line)
            elif data == "column":
                info["columns"].append(line)
            elif data == "shown_if":
                if own is not None:
                    self.error(self.span(line), "une seule condition « si » par question")
                own = self.expr(line.children[0])  # type: ignore[arg-type]
            elif data == "branch":
                branches.append(line)
            elif data in ("error_check", "warning_check"):
                info["checks"].append(line)
        condition = _and(inherited, branch_cond, own)
        rows, columns, fields, layout = self.layout(
            name, qspan, ftype, unit, info, condition, optional, flagged, section
        )
        text = self.string(text_tok)
        question = Question(
            name=name,
            number=number,
            text=text,
            layout=layout,
            fields=fields,
            section=section,
            condition=condition,
            own_condition=own,
            branch_label=branch_label,
            parent=parent.name if parent else None,
            rows=rows,
            columns=columns,
            consignes=tuple(info["consignes"]),
            references=tuple(info["references"]),
            notes=tuple(info["notes"]),
            span=qspan,
        )
        checks = tuple(self.check(c, name) for c in info["checks"])
        subs = tuple(self.branch(b, question, section, prefix) for b in branches)
        question = attrs.evolve(question, checks=checks, children=tuple(q for group in subs for q in group))
        self.questions.setdefault(name, question)
        return question

    def layout(
        self,
        name: str,
        span: Span,
        ftype: FieldType | None,
        unit: str | None,
        info: dict[str, Any],
        condition: Expr | None,
        optional: bool,
        flagged: bool,
        section: str,
    ) -> tuple[tuple[Row, ...], tuple[Column, ...], tuple[Field, ...], str]:
        row_nodes: list[Tree[Token]] = info["rows"]
        col_nodes: list[Tree[Token]] = info["columns"]
        columns: list[Column] = []
        for c in col_nodes:
            cname, clabel, ctype_node, *cunit = c.children
            ctype = self.type_spec(ctype_node)  # type: ignore[arg-type]
            columns.append(
                Column(
                    str(cname),
                    self.string(clabel),
                    ctype or TextType(),  # type: ignore[arg-type]
                    self.string(cunit[0]) if cunit else None,
                )
            )  # type: ignore[arg-type]
        rows: list[Row] = []
        row_types: list[FieldType | None] = []
        for r in row_nodes:
            rname, rlabel, *extra = r.children
            rtype: FieldType | None = None
            rcond: Expr | None = None
            for e in extra:
                assert isinstance(e, Tree)
                if e.data in _TYPE_SPECS:
                    rtype = self.type_spec(e)
                else:
                    rcond = self.expr(e)
            rows.append(Row(str(rname), self.string(rlabel), rcond))  # type: ignore[arg-type]
            row_types.append(rtype)
        for group, what in ((rows, "ligne"), (columns, "colonne")):
            seen: set[str] = set()
            for x in group:
                if x.name in seen:
                    self.error(span, f"{what} « {x.name} » en double dans « {name} »")
                seen.add(x.name)
        fields: list[Field] = []
        if columns and not rows:
            self.error(span, f"la grille « {name} » a des colonnes mais aucune ligne")
        if columns:
            if ftype is not None:
                self.error(span, "une grille donne le type de chaque colonne, pas de la question")
            for r, rtype in zip(rows, row_types, strict=True):
                if rtype is not None:
                    self.error(span, f"ligne « {r.name} » : dans une grille, le type est celui des colonnes")
                for c in columns:
                    fields.append(
                        Field(
                            f"{name}.{r.name}.{c.name}",
                            f"{r.label} — {c.label}",
                            c.type,
                            name,
                            _and(condition, r.condition),
                            optional,
                            c.unit or unit,
                            flagged,
                            r.name,
                            c.name,
                            span,
                        )
                    )
            layout = "grid"
        elif rows:
            for r, rtype in zip(rows, row_types, strict=True):
                t = rtype or ftype
                if t is None:
                    self.error(span, f"ligne « {r.name} » de « {name} » sans type de réponse")
                    t = TextType()
                fields.append(
                    Field(
                        f"{name}.{r.name}",
                        r.label,
                        t,
                        name,
                        _and(condition, r.condition),
                        optional,
                        unit,
                        flagged,
                        r.name,
                        None,
                        span,
                    )
                )
            layout = "rows"
        else:
            if ftype is None:
                self.error(span, f"la question « {name} » n’a pas de type de réponse (ex. oui_non, entier 2 chiffres)")
                ftype = TextType()
            fields.append(Field(name, "", ftype, name, condition, optional, unit, flagged, None, None, span))
            layout = "simple"
        for f in fields:
            if f.name != name:
                self.claim(f.name, span, "nom")
            self.fields.setdefault(f.name, f)  # a duplicate is reported; keep the first
        return tuple(rows), tuple(columns), tuple(fields), layout

    def branch(self, node: Tree[Token], parent: Question, section: str, prefix: str) -> list[Question]:
        cond_node, *rest = node.children
        label: str | None = None
        if rest and isinstance(rest[0], Token):
            label = self.string(rest.pop(0))
        cond, default_label = self.branch_condition(cond_node, parent)  # type: ignore[arg-type]
        label = label or default_label
        inherited = parent.condition
        out = []
        for i, q in enumerate(rest):
            assert isinstance(q, Tree)
            out.append(
                self.question(
                    q,
                    section=section,
                    prefix=prefix,
                    parent=parent,
                    inherited=inherited,
                    branch_cond=cond,
                    branch_label=label if i == 0 else None,
                )
            )
        return out

    def branch_condition(self, node: Tree[Token], parent: Question) -> tuple[Expr, str]:
        """`si oui` / `si interne ou externe` under a choice question means "if it was answered so"."""
        codes = self.shorthand_codes(node)
        ptype = parent.fields[0].type if parent.layout == "simple" else None
        if codes is not None and isinstance(ptype, ChoiceType) and all(ptype.option(c) for c in codes):
            span = self.span(node)
            ref = Ref(parent.name, "unresolved", span)
            cond: Expr = (
                Binary("=", ref, Const(codes[0], span), span)
                if len(codes) == 1
                else Member(ref, tuple(Const(c, span) for c in codes), span)
            )
            labels = [str(ptype.option(c).label).upper() for c in codes]  # type: ignore[union-attr]
            return cond, "Si " + " ou ".join(labels)
        expr = self.expr(node)
        return expr, "Si " + _source_text(self.text, node)

    def shorthand_codes(self, node: Tree[Token]) -> list[str] | None:
        if node.data == "code_non":
            return ["non"]
        if node.data == "ref" and len(node.children) == 1:
            return [str(node.children[0])]
        if node.data == "or_":
            parts = [self.shorthand_codes(c) for c in node.children if isinstance(c, Tree)]
            if all(p is not None for p in parts):
                return [c for p in parts for c in p]  # type: ignore[union-attr]
        return None

    def check(self, node: Tree[Token], question: str) -> Check:
        name_tok, cond, message = node.children
        severity = "erreur" if node.data == "error_check" else "avertissement"
        name = str(name_tok)
        self.claim(f"controle:{name}", self.span(name_tok), "contrôle")
        return Check(name, severity, self.expr(cond), self.string(message), question, self.span(name_tok))  # type: ignore[arg-type]

    # ------------------------------------------------------------------ scoring

    def item_decl(self, st: Tree[Token], section: str | None = None) -> None:
        code_tok, title, maximum, *lines = st.children
        code = str(code_tok)
        if code in self.items:
            self.error(self.span(code_tok), f"item « {code} » déjà déclaré")
        evidence, refs, rules, maxima = [], [], [], []
        for line in lines:
            assert isinstance(line, Tree)
            if line.data == "conditional_maximum":
                value, cond = line.children
                maxima.append(ConditionalMaximum(self.number(value), self.expr(cond), self.span(line)))  # type: ignore[arg-type]
            elif line.data == "evidence":
                evidence.append(self.string(line.children[0]))  # type: ignore[arg-type]
            elif line.data == "reference":
                refs.append(self.string(line.children[0]))  # type: ignore[arg-type]
            else:
                points, cond, *label = line.children
                text = self.string(label[0]) if label else _source_text(self.text, cond)  # type: ignore[arg-type]
                rules.append(Rule(self.number(points), self.expr(cond), text, self.span(line)))  # type: ignore[arg-type]
        if not rules:
            self.error(self.span(code_tok), f"l’item « {code} » n’a aucune règle de points")
        self.items[code] = Item(
            code,
            self.string(title),
            self.number(maximum),
            tuple(rules),  # type: ignore[arg-type]
            tuple(evidence),
            tuple(refs),
            section,
            (),
            tuple(maxima),
            self.span(code_tok),
        )

    def value_decl(self, st: Tree[Token], section: str | None = None) -> None:
        name_tok, label, expr, *unit = st.children
        name = str(name_tok)
        self.claim(name, self.span(name_tok), "valeur")
        self.values[name] = Value(
            name,
            self.string(label),
            self.expr(expr),  # type: ignore[arg-type]
            self.string(unit[0]) if unit else None,
            section,
            self.span(name_tok),
        )  # type: ignore[arg-type]

    def indicator(self, st: Tree[Token]) -> None:
        name_tok, title, *rest = st.children
        code = str(name_tok)
        self.claim(code, self.span(name_tok), "indicateur")
        maximum: Fraction | None = None
        if rest and isinstance(rest[0], Token):
            maximum = self.number(rest.pop(0))
        fields: dict[str, Any] = {"statuses": [], "groups": [], "cases": []}
        for line in rest:
            assert isinstance(line, Tree)
            d = line.data
            ch = line.children
            if d == "unit":
                fields["unit"] = self.string(ch[0])  # type: ignore[arg-type]
            elif d in ("not_concerned", "not_computable", "excluded"):
                fields["statuses"].append(self.status(line))
            elif d == "formula_value":
                fields["formula"] = self.expr(ch[0])  # type: ignore[arg-type]
            elif d == "cases":
                fields["cases"].extend(self.case(c) for c in ch)  # type: ignore[arg-type]
            elif d == "precision":
                fields["precision"] = int(str(ch[0]))
            elif d == "fixed_classes":
                fields["classes"] = self.classes(line, None, [self.number(t) for t in ch], code)  # type: ignore[arg-type]
            elif d == "classes_by":
                fields["classes"] = self.classes_by(line, code)
            elif d == "group":
                fields["groups"].append(self.group(line))
            elif d == "items":
                fields["groups"].extend(str(t) for t in ch[0].children)  # type: ignore[union-attr]
        kinds = [
            k
            for k, present in (
                ("points", fields["groups"]),
                ("valeur", "formula" in fields),
                ("selon", fields["cases"]),
            )
            if present
        ]
        if len(kinds) != 1:
            self.error(
                self.span(name_tok),
                f"l’indicateur « {code} » doit avoir exactement une définition : des items, "
                "une « valeur », ou « selon les indicateurs concernés »",
            )
            kinds = kinds or ["points"]
        self.indicators[code] = Indicator(
            code=code,
            title=self.string(title),
            kind=kinds[0],
            maximum=maximum,  # type: ignore[arg-type]
            unit=fields.get("unit"),
            precision=fields.get("precision", 2),
            statuses=tuple(fields["statuses"]),
            groups=tuple(fields["groups"]),
            formula=fields.get("formula"),
            cases=tuple(fields["cases"]),
            classes=fields.get("classes"),
            span=self.span(name_tok),
        )

    def status(self, line: Tree[Token]) -> StatusClause:
        kind = {"not_concerned": "non_concerne", "not_computable": "non_calculable", "excluded": "exclu"}[line.data]
        cond = self.expr(line.children[0])  # type: ignore[arg-type]
        label: str | None = None
        reason = ""
        for t in line.children[1:]:
            assert isinstance(t, Token)
            if t.type == "NAME":
                label = str(t)
            else:
                reason = self.string(t)
        default = {"non_concerne": "non concerné", "non_calculable": "non calculable", "exclu": "exclu"}[kind]
        return StatusClause(kind, cond, reason or default, label, self.span(line))

    def case(self, node: Tree[Token]) -> Case:
        *names, formula = node.children
        order = tuple(str(n) for n in names)
        if len(set(order)) != len(order):
            self.error(self.span(node), "indicateur répété dans la liste")
        return Case(frozenset(order), order, self.expr(formula), self.span(node))  # type: ignore[arg-type]

    def classes(self, node: Tree[Token], key: object, limits: list[Fraction], code: str) -> ClassTable:
        self.check_limits(node, limits)
        return ClassTable(self.scale, None, {None: tuple(limits)})

    def check_limits(self, node: Tree[Token], limits: list[Fraction]) -> None:
        if self.scale and len(limits) != len(self.scale) - 1:
            self.error(
                self.span(node),
                f"{len(self.scale) - 1} limites attendues (échelle {' '.join(self.scale)}), {len(limits)} données",
            )
        if any(b < a for a, b in itertools.pairwise(limits)):
            self.error(self.span(node), "les limites de classes doivent être croissantes")

    def classes_by(self, line: Tree[Token], code: str) -> ClassTable:
        field_tok, *rows = line.children
        table: dict[str | int | None, tuple[Fraction, ...]] = {}
        for row in rows:
            assert isinstance(row, Tree)
            key_tok, *limit_toks = row.children
            key: str | int = int(str(key_tok)) if key_tok.type == "INT" else str(key_tok)  # type: ignore[union-attr]
            limits = [self.number(t) for t in limit_toks]  # type: ignore[arg-type]
            self.check_limits(row, limits)
            if key in table:
                self.error(self.span(row), f"ligne « {key} » en double dans les classes de {code}")
            table[key] = tuple(limits)
        return ClassTable(self.scale, str(field_tok), table)

    def group(self, node: Tree[Token]) -> Group:
        kind_node, code, title, *rest = node.children
        maximum = None
        if rest and isinstance(rest[0], Token):
            maximum = self.number(rest.pop(0))
        children: list[Group | str] = []
        for r in rest:
            assert isinstance(r, Tree)
            if r.data == "group":
                children.append(self.group(r))
            else:
                children.extend(str(t) for t in r.children)
        kind = str(kind_node.children[0])  # type: ignore[union-attr]
        return Group(kind, str(code), self.string(title), maximum, tuple(children), self.span(code))  # type: ignore[arg-type]

    # ------------------------------------------------------------------ expressions

    def expr(self, node: Tree[Token] | Token) -> Expr:
        span = self.span(node)
        if isinstance(node, Token):  # pragma: no cover - the grammar wraps every token
            raise TypeError(node)
        d, ch = node.data, node.children
        if d == "number":
            return Const(self.number(ch[0]), span)  # type: ignore[arg-type]
        if d == "ref":
            return Ref(".".join(str(t) for t in ch), "unresolved", span)
        if d == "code_non":
            return Ref("non", "unresolved", span)
        if d == "call":
            name = str(ch[0])
            args = ch[1].children if len(ch) > 1 else []  # type: ignore[union-attr]
            return Call(name, tuple(self.expr(a) for a in args), span)  # type: ignore[arg-type]
        if d in ("or_", "and_"):
            op = "ou" if d == "or_" else "et"
            parts = [self.expr(c) for c in ch]  # type: ignore[arg-type]
            result = parts[0]
            for p in parts[1:]:
                result = Binary(op, result, p, span)
            return result
        if d == "not_":
            return Unary("non", self.expr(ch[0]), span)  # type: ignore[arg-type]
        if d in ("compare", "arith"):
            a, op, b = ch
            return Binary(_OPS.get(str(op), str(op)), self.expr(a), self.expr(b), span)  # type: ignore[arg-type]
        if d == "between":
            return Between(*(self.expr(c) for c in ch), span=span)  # type: ignore[arg-type, misc]
        if d == "member":
            operand, args = ch
            return Member(self.expr(operand), tuple(self.expr(a) for a in args.children), span)  # type: ignore[arg-type, union-attr]
        if d == "conditional":
            t, a, b = (self.expr(c) for c in ch)  # type: ignore[arg-type]
            return Conditional(t, a, b, span)
        raise TypeError(d)  # pragma: no cover

    # ------------------------------------------------------------------ resolution

    def resolve_all(self) -> None:
        value_types: dict[str, T] = {}
        resolving: set[str] = set()
        resolver: Resolver

        def value_type(name: str) -> T:
            if name in value_types:
                return value_types[name]
            if name in resolving:
                self.error(self.values[name].span, f"la valeur « {name} » dépend d’elle-même")
                return ERROR
            resolving.add(name)
            v = self.values[name]
            expr, t = resolver.resolve(v.expr)
            self.values[name] = attrs.evolve(v, expr=expr)
            value_types[name] = t
            return t

        resolver = Resolver(
            {n: f.type for n, f in self.fields.items()},
            {n: v.expr for n, v in self.values.items()},
            set(self.indicators),
            self.data_names,
            self.diagnostics.append,
            value_type,
        )
        for name in list(self.values):
            value_type(name)
        self.value_types = value_types
        for qname, q in list(self.questions.items()):
            self.questions[qname] = self.resolve_question(q, resolver)
        # Questions nest: rebuild children from the resolved table so that each appears once.
        for qname in list(self.questions):
            self.questions[qname] = self.rebuild(qname)
        for section_list in (self.fiches, self.data_blocks, self.chapters):
            for i, s in enumerate(section_list):
                blocks = tuple(
                    attrs.evolve(b, question=self.questions[b.question.name]) if b.question else b for b in s.blocks
                )
                section_list[i] = attrs.evolve(s, blocks=blocks)
        for code, item in list(self.items.items()):
            rules = tuple(attrs.evolve(r, condition=resolver.condition(r.condition, "la règle")) for r in item.rules)
            read = set()
            for r in rules:
                read |= self.questions_read(r.condition)
            ordered = tuple(q for q in self.questions if q in read)
            maxima = tuple(
                attrs.evolve(m, condition=resolver.condition(m.condition, "la condition du maximum"))
                for m in item.maxima
            )
            self.items[code] = attrs.evolve(item, rules=rules, questions=ordered, maxima=maxima)
        for code, ind in list(self.indicators.items()):
            statuses = tuple(
                attrs.evolve(s, condition=resolver.condition(s.condition, "la condition")) for s in ind.statuses
            )
            formula = resolver.number(ind.formula, "la valeur d’un indicateur") if ind.formula else None
            cases = []
            for c in ind.cases:
                for n in c.order:
                    if n not in self.indicators:
                        self.error(c.span, f"indicateur inconnu « {n} »")
                cases.append(attrs.evolve(c, formula=resolver.number(c.formula, "la formule")))
            self.indicators[code] = attrs.evolve(ind, statuses=statuses, formula=formula, cases=tuple(cases))
        self.fields = {
            n: self.questions[f.question].fields[[x.name for x in self.questions[f.question].fields].index(n)]
            for n, f in self.fields.items()
        }

    def resolve_question(self, q: Question, resolver: Resolver) -> Question:
        condition = resolver.condition(q.condition, "la condition d’affichage") if q.condition else None
        own = resolver.condition(q.own_condition, "la condition d’affichage") if q.own_condition else None
        fields = tuple(
            attrs.evolve(
                f, condition=resolver.condition(f.condition, "la condition d’affichage") if f.condition else None
            )
            for f in q.fields
        )
        rows = tuple(
            attrs.evolve(
                r, condition=resolver.condition(r.condition, "la condition d’affichage") if r.condition else None
            )
            for r in q.rows
        )
        checks = tuple(
            attrs.evolve(c, condition=resolver.condition(c.condition, "la condition du contrôle")) for c in q.checks
        )
        return attrs.evolve(q, condition=condition, own_condition=own, fields=fields, rows=rows, checks=checks)

    def rebuild(self, name: str) -> Question:
        q = self.questions[name]
        return attrs.evolve(q, children=tuple(self.rebuild(c.name) for c in q.children))

    def questions_read(self, expr: Expr) -> set[str]:
        """Questions an expression reads, through computed values too."""
        out: set[str] = set()
        for kind, name in references(expr):
            if kind == "field":
                out.add(self.fields[name].question)
            elif kind == "value" and name in self.values:
                out |= self.questions_read(self.values[name].expr)
        return out

    # ------------------------------------------------------------------ structure

    def structure_checks(self) -> None:
        used: dict[str, str] = {}
        for code, ind in self.indicators.items():
            for item in ind.item_codes():
                if item not in self.items:
                    self.error(ind.span, f"l’indicateur « {code} » utilise l’item inconnu « {item} »")
                elif item in used:
                    self.error(ind.span, f"l’item « {item} » est déjà compté dans l’indicateur « {used[item]} »")
                else:
                    used[item] = code
            if ind.classes and ind.classes.by:
                self.check_class_keys(ind)
            if ind.kind == "points" and ind.maximum is None:
                self.error(ind.span, f"l’indicateur à points « {code} » doit déclarer son maximum (« sur N »)")
        for code, item in self.items.items():
            if code not in used:
                self.error(item.span, f"l’item « {code} » n’est utilisé par aucun indicateur")

    def check_class_keys(self, ind: Indicator) -> None:
        assert ind.classes is not None and ind.classes.by is not None
        field = self.fields.get(ind.classes.by)
        if field is None or not isinstance(field.type, ChoiceType):
            self.error(ind.span, f"classes de « {ind.code} » : « {ind.classes.by} » n’est pas une question à choix")
            return
        for key in ind.classes.limits:
            if field.type.option(key) is None:
                self.error(ind.span, f"classes de « {ind.code} » : « {key} » n’est pas une réponse de « {field.name} »")


def _source_text(text: str, node: Tree[Token]) -> str:
    if node.meta.empty:
        return ""
    return " ".join(text[node.meta.start_pos : node.meta.end_pos].split())


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
