"""Question declarations -> Question: their lines, conditional branches and consistency checks."""

from __future__ import annotations

import attrs
from lark import Token, Tree

from bilan.dsl.answer_types import TYPE_SPECS, type_spec
from bilan.dsl.expressions import conjunction, expression
from bilan.dsl.layout import QuestionLines, layout, renamed_name
from bilan.dsl.registry import Registry
from bilan.dsl.tree import Node, number, source_text, string, sub, tok
from bilan.engine.expr import Binary, Const, Expr, Member, Ref, format_number
from bilan.engine.model import Check, ChoiceType, Field, NumberType, Question, Severity

_TEXT_LINES = {"consigne": "consignes", "reference": "references", "note": "notes"}


def question(
    r: Registry,
    node: Tree[Token],
    *,
    section: str,
    prefix: str,
    parent: Question | None = None,
    branch_cond: Expr | None = None,
    branch_label: str | None = None,
) -> Question:
    """A `question` (or a `champ` of a fiche or data block) and, recursively, its branches.

    Args:
        prefix: prepended to the names of a data block's fields (`sae.`).
        parent: the question a branch hangs under; its condition is inherited.
        branch_cond: the branch's own condition (`si oui`), for its questions.
        branch_label: the branch's label, carried by its first question only.
    """
    children = list(node.children)
    number: str | None = None
    if node.data == "question_decl" and isinstance(children[0], Token) and children[0].type == "QNUM":
        number = str(children.pop(0))
    name_tok, text_tok, *rest = children
    name = prefix + str(name_tok)
    qspan = r.span(name_tok)
    r.claim(name, qspan, "nom")
    lines = _read_lines(r, [sub(line) for line in rest])
    condition = conjunction(parent.condition if parent else None, branch_cond, lines.own)
    rows, columns, fields, kind = layout(r, name, qspan, lines, condition)
    q = Question(
        name=name,
        number=number,
        text=string(text_tok),
        layout=kind,
        fields=fields,
        section=section,
        condition=condition,
        own_condition=lines.own,
        branch_label=branch_label,
        parent=parent.name if parent else None,
        rows=rows,
        columns=columns,
        consignes=tuple(lines.texts["consignes"]),
        references=tuple(lines.texts["references"]),
        notes=tuple(lines.texts["notes"]),
        renamed_from=tuple(old if "." in old else prefix + old for old in lines.renamed),
        span=qspan,
    )
    checks = tuple(_check(r, c, name) for c in lines.checks) + tuple(
        c for line in lines.plausible for c in _plausible(r, line, fields, name)
    )
    subs = tuple(_branch(r, b, q, section, prefix) for b in lines.branches)
    q = attrs.evolve(q, checks=checks, children=tuple(child for group in subs for child in group))
    r.questions.setdefault(name, q)
    return q


def _read_lines(r: Registry, rest: list[Tree[Token]]) -> QuestionLines:
    lines = QuestionLines()
    for line in rest:
        data = line.data
        if data in TYPE_SPECS:  # `champ name "text" type`: the type on the same line
            lines.ftype = type_spec(r, line)
            lines.type_failed = lines.ftype is None
        elif data == "type_line":
            if lines.ftype is not None:
                r.error(r.span(line), "type de réponse déjà donné pour cette question")
            lines.ftype = type_spec(r, sub(line.children[0]))
            lines.type_failed = lines.ftype is None
        elif data == "unit":
            lines.unit = string(line.children[0])
        elif data in _TEXT_LINES:
            lines.texts[_TEXT_LINES[data]].append(string(line.children[0]))
        elif data == "optional":
            lines.optional = True
        elif data == "flagged":
            lines.flagged = True
        elif data == "row":
            lines.rows.append(line)
        elif data == "column":
            lines.columns.append(line)
        elif data == "shown_if":
            if lines.own is not None:
                r.error(r.span(line), "une seule condition « si » par question")
            lines.own = expression(line.children[0], r.filename)
        elif data == "branch":
            lines.branches.append(line)
        elif data in ("error_check", "warning_check"):
            lines.checks.append(line)
        elif data == "plausible":
            lines.plausible.append(line)
        elif data == "renamed":
            lines.renamed.append(renamed_name(line))
    return lines


def _branch(r: Registry, node: Tree[Token], parent: Question, section: str, prefix: str) -> list[Question]:
    cond_node, *rest = node.children
    label: str | None = None
    if rest and isinstance(rest[0], Token):
        label = string(rest.pop(0))
    cond, default_label = _branch_condition(r, sub(cond_node), parent)
    label = label or default_label
    return [
        question(
            r,
            sub(q),
            section=section,
            prefix=prefix,
            parent=parent,
            branch_cond=cond,
            branch_label=label if i == 0 else None,
        )
        for i, q in enumerate(rest)
    ]


def _branch_condition(r: Registry, node: Tree[Token], parent: Question) -> tuple[Expr, str]:
    """`si oui` / `si interne ou externe` under a choice question means "if it was answered so"."""
    codes = _shorthand_codes(node)
    ptype = parent.fields[0].type if parent.layout == "simple" else None
    if codes is not None and isinstance(ptype, ChoiceType):
        options = [ptype.option(c) for c in codes]
        if all(options):
            span = r.span(node)
            ref = Ref(parent.name, "unresolved", span)
            cond: Expr = (
                Binary("=", ref, Const(codes[0], span), span)
                if len(codes) == 1
                else Member(ref, tuple(Const(c, span) for c in codes), span)
            )
            labels = [str(o.label).upper() for o in options if o is not None]
            return cond, "Si " + " ou ".join(labels)
    return expression(node, r.filename), "Si " + source_text(r.text, node)


def _shorthand_codes(node: Node) -> list[str] | None:
    """The option codes of `oui`, `non`, `interne ou externe`; None for any other expression."""
    if not isinstance(node, Tree):
        return None
    if node.data == "code_non":
        return ["non"]
    if node.data == "ref" and len(node.children) == 1:
        return [str(node.children[0])]
    if node.data == "or_":
        codes: list[str] = []
        for part in node.children:
            part_codes = _shorthand_codes(part)
            if part_codes is None:
                return None
            codes.extend(part_codes)
        return codes
    return None


def _plausible(r: Registry, node: Tree[Token], fields: tuple[Field, ...], question_name: str) -> list[Check]:
    """`plausible de A à B`: an unusual value is not refused (the range of the type does that) but
    asks for a check and a justification: one warning per number field of the question, named
    `plausible_<field>`, firing when the answer lies outside [A, B]."""
    low_tok, high_tok = node.children
    low, high = number(low_tok), number(high_tok)
    span = r.span(node)
    if low > high:
        r.error(span, f"plausible de {format_number(low)} à {format_number(high)} : la borne basse dépasse la haute")
    checks = []
    for f in fields:
        if not isinstance(f.type, NumberType):
            r.error(span, f"« plausible » ne s’applique qu’à un nombre (« {f.name} » n’en est pas un)")
            continue
        name = "plausible_" + f.name.replace(".", "_")
        r.claim(f"controle:{name}", span, "contrôle")
        ref = Ref(f.name, "unresolved", span)
        outside = Binary(
            "ou", Binary("<", ref, Const(low, span), span), Binary(">", ref, Const(high, span), span), span
        )
        what = f"« {f.label} » : " if f.label else ""
        message = (
            f"{what}valeur inhabituelle (plausible de {format_number(low)} à {format_number(high)}) : "
            "vérifier la réponse, ou la justifier"
        )
        checks.append(Check(name, "avertissement", outside, message, question_name, span))
    return checks


def _check(r: Registry, node: Tree[Token], question_name: str) -> Check:
    name_tok, cond, message = node.children
    severity: Severity = "erreur" if node.data == "error_check" else "avertissement"
    name = str(tok(name_tok))
    r.claim(f"controle:{name}", r.span(name_tok), "contrôle")
    return Check(name, severity, expression(cond, r.filename), string(message), question_name, r.span(name_tok))
