"""A question's answer fields: one (simple), one per row (rows), one per row and column (grid)."""

from __future__ import annotations

import attrs
from lark import Token, Tree

from bilan.common.source import Span
from bilan.dsl.answer_types import TYPE_SPECS, type_spec
from bilan.dsl.expressions import conjunction, expression
from bilan.dsl.registry import Registry
from bilan.dsl.tree import string, sub
from bilan.engine.expr import Expr
from bilan.engine.model import Column, Field, FieldType, Layout, Row, TextType

UNTYPED = TextType("inconnu")  # stands for a type already reported unknown, so that nothing else is reported


@attrs.define
class QuestionLines:
    """The indented lines of a question, gathered before its fields are laid out."""

    ftype: FieldType | None = None
    type_failed: bool = False  # a type line was there but named an unknown type (already reported)
    unit: str | None = None
    own: Expr | None = None  # the question's own `si` line
    optional: bool = False
    flagged: bool = False
    texts: dict[str, list[str]] = attrs.field(factory=lambda: {"consignes": [], "references": [], "notes": []})
    rows: list[Tree[Token]] = attrs.field(factory=list)
    columns: list[Tree[Token]] = attrs.field(factory=list)
    branches: list[Tree[Token]] = attrs.field(factory=list)
    checks: list[Tree[Token]] = attrs.field(factory=list)
    plausible: list[Tree[Token]] = attrs.field(factory=list)  # `plausible de A à B`: a warning outside
    renamed: list[str] = attrs.field(factory=list)  # `renomme de` lines: the question's former names


def layout(
    r: Registry, name: str, span: Span, lines: QuestionLines, condition: Expr | None
) -> tuple[tuple[Row, ...], tuple[Column, ...], tuple[Field, ...], Layout]:
    """Rows, columns, fields and the layout name; every field is registered in `r.fields`."""
    columns = [_column(r, c) for c in lines.columns]
    untyped = {c.name for c in columns if c.type is UNTYPED}
    rows: list[Row] = []
    row_types: list[FieldType | None] = []
    failed_rows: set[str] = set()
    for node in lines.rows:
        row, rtype, failed = _row(r, node)
        rows.append(row)
        row_types.append(rtype)
        if failed:
            failed_rows.add(row.name)
    for group, what in ((rows, "ligne"), (columns, "colonne")):
        seen: set[str] = set()
        for x in group:
            if x.name in seen:
                r.error(span, f"{what} « {x.name} » en double dans « {name} »")
            seen.add(x.name)

    def field(key: str, label: str, ftype: FieldType, row: Row | None, column: Column | None) -> Field:
        return Field(
            key,
            label,
            ftype,
            name,
            conjunction(condition, row.condition) if row else condition,
            lines.optional,
            (column.unit if column else None) or lines.unit,
            lines.flagged,
            row.name if row else None,
            column.name if column else None,
            span,
        )

    fields: list[Field] = []
    if columns and not rows:
        r.error(span, f"la grille « {name} » a des colonnes mais aucune ligne")
    if columns:
        if lines.ftype is not None:
            r.error(span, "une grille donne le type de chaque colonne, pas de la question")
        for row, rtype in zip(rows, row_types, strict=True):
            if rtype is not None:
                r.error(span, f"ligne « {row.name} » : dans une grille, le type est celui des colonnes")
            for c in columns:
                fields.append(field(f"{name}.{row.name}.{c.name}", f"{row.label} — {c.label}", c.type, row, c))
                if c.name in untyped:
                    r.untyped.add(fields[-1].name)
        kind: Layout = "grid"
    elif rows:
        for row, rtype in zip(rows, row_types, strict=True):
            t = rtype or lines.ftype
            if t is None:
                if not lines.type_failed and row.name not in failed_rows:
                    r.error(span, f"ligne « {row.name} » de « {name} » sans type de réponse")
                t = UNTYPED
                r.untyped.add(f"{name}.{row.name}")
            fields.append(field(f"{name}.{row.name}", row.label, t, row, None))
        kind = "rows"
    else:
        ftype = lines.ftype
        if ftype is None:
            if not lines.type_failed:
                r.error(span, f"la question « {name} » n’a pas de type de réponse (ex. oui_non, entier 2 chiffres)")
            ftype = UNTYPED
            r.untyped.add(name)
        fields.append(field(name, "", ftype, None, None))
        kind = "simple"
    for f in fields:
        if f.name != name:
            r.claim(f.name, span, "nom")
        r.fields.setdefault(f.name, f)  # a duplicate is reported; keep the first
    return tuple(rows), tuple(columns), tuple(fields), kind


def _column(r: Registry, node: Tree[Token]) -> Column:
    cname, clabel, ctype_node, *rest = node.children
    ctype = type_spec(r, sub(ctype_node))
    unit = next((string(t) for t in rest if isinstance(t, Token)), None)
    return Column(str(cname), string(clabel), ctype or UNTYPED, unit, _renamed(rest))


def _renamed(parts: list[Tree[Token] | Token]) -> tuple[str, ...]:
    """The former name a row or a column gives with `renomme de`, if it gives one."""
    return tuple(renamed_name(p) for p in parts if isinstance(p, Tree) and p.data == "renamed")


def renamed_name(node: Tree[Token]) -> str:
    """The name of a `renomme de` line: `reunions_groupes`, or a field `sae.medecine`."""
    return ".".join(str(t) for t in node.children)


def _row(r: Registry, node: Tree[Token]) -> tuple[Row, FieldType | None, bool]:
    """A row, the type it declares if any (only rows outside grids may), and whether that type
    was unknown (already reported)."""
    rname, rlabel, *extra = node.children
    rtype: FieldType | None = None
    failed = False
    rcond: Expr | None = None
    for part in map(sub, extra):
        if part.data in TYPE_SPECS:
            rtype = type_spec(r, part)
            failed = rtype is None
        elif part.data != "renamed":
            rcond = expression(part, r.filename)
    return Row(str(rname), string(rlabel), rcond, _renamed(extra)), rtype, failed
