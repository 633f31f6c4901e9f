"""What changed in the questionnaire itself: types and options, sections, questions, fields, checks."""

from __future__ import annotations

from typing import TypeVar

from bilan.engine.expr import Expr
from bilan.engine.model import (
    Check,
    ChoiceType,
    Column,
    Field,
    FieldType,
    MultiChoiceType,
    NumberType,
    Question,
    Row,
    Section,
)
from bilan.yearchange.changes import ANSWERS, WORDING, About, Changes, matched
from bilan.yearchange.correspondence import Correspondence
from bilan.yearchange.expressions import number_text, source, translate

_LAYOUTS = {"simple": "une réponse", "rows": "une réponse par ligne", "grid": "une grille"}
Part = TypeVar("Part", Row, Column)


def questionnaire_changes(corr: Correspondence, out: Changes) -> None:
    _types(corr, out)
    _sections(corr, out)
    old_sections = {s.name: s for s in corr.old.sections}
    new_sections = {s.name: s for s in corr.new.sections}
    for q in (q for s in corr.new.sections for q in s.walk()):  # in printed order
        about = out.about("question", q.name, question_subject(q, new_sections))
        before = corr.questions.get(q.name)
        if before is not None:
            _question(corr, corr.old.questions[before], q, about)
        elif new_sections[q.section].kind != "donnees" or q.section in old_sections:  # a new block says it once
            about.add(ANSWERS, "question ajoutée", after=q.text)
    kept = set(corr.questions.values())
    for q in (q for s in corr.old.sections for q in s.walk()):
        if q.name not in kept and (old_sections[q.section].kind != "donnees" or q.section in new_sections):
            out.about("question", q.name, question_subject(q, old_sections)).add(
                ANSWERS, "question retirée", before=q.text
            )


def question_subject(q: Question, sections: dict[str, Section]) -> str:
    """« question « x » (II.3) », « champ « finess » (etablissement) », « donnée « sae.medecine » »."""
    section = sections[q.section]
    if section.kind == "fiche":
        return f"champ « {q.name} » ({section.name})"
    if section.kind == "donnees":
        return f"donnée « {q.name} »"
    return f"question « {q.name} » ({place(q, sections)})"


def place(q: Question, sections: dict[str, Section]) -> str:
    """Where a question is printed: `III.2` in a chapter, the fiche or data block's name elsewhere."""
    section = sections[q.section]
    if section.kind != "chapitre":
        return section.name
    return f"{section.number}.{q.number}" if q.number else f"{section.number}"


def type_text(t: FieldType) -> str:
    """A field's type as its `.bilan` line writes it."""
    if isinstance(t, ChoiceType):
        return t.name
    if isinstance(t, MultiChoiceType):
        return f"plusieurs {t.choice.name}"
    if isinstance(t, NumberType):
        text = (
            f"entier {t.digits} chiffres" if not t.decimals else f"décimal {t.digits} chiffres {t.decimals} décimales"
        )
        if t.minimum or t.maximum is not None:
            text += f" de {number_text(t.minimum)} à {number_text(t.upper)}"
        return text
    return {"telephone": "téléphone"}.get(t.kind, t.kind)


def condition_text(expr: Expr | None) -> str:
    return "toujours" if expr is None else f"si {source(expr)}"


def old_condition(corr: Correspondence, expr: Expr | None) -> str:
    """An old condition as the new file would write it, so that a mere rename compares equal."""
    return condition_text(None if expr is None else translate(expr, corr))


def _types(corr: Correspondence, out: Changes) -> None:
    for t in corr.new.types.values():
        old = corr.old.types.get(t.name)
        if old is None:
            continue  # a new type shows through the questions that use it
        about = out.about("type", t.name, f"type « {t.name} »")
        about.compare(WORDING, "titre", old.title, t.title)
        pairs, removed, added = matched(old.options, t.options, lambda o: o.code, lambda o: (*o.renamed_from, o.code))
        for a, b in pairs:
            if a.code != b.code:
                about.add(ANSWERS, f"réponse « {a.code} » renommée « {b.code} »")
            about.compare(WORDING, f"libellé de la réponse « {b.code} »", a.label, b.label)
            about.compare(WORDING, f"description de la réponse « {b.code} »", a.description, b.description)
        for o in removed:
            about.add(ANSWERS, f"réponse « {o.code} » retirée", before=o.label)
        for o in added:
            about.add(ANSWERS, f"réponse « {o.code} » ajoutée", after=o.label)
        in_old_order = sorted(pairs, key=lambda p: old.options.index(p[0]))
        about.compare(WORDING, "ordre des réponses", _codes(b for _, b in in_old_order), _codes(b for _, b in pairs))


def _codes(options: object) -> str:
    return ", ".join(str(o.code) for o in options)  # type: ignore[attr-defined]


def _sections(corr: Correspondence, out: Changes) -> None:
    old = {s.name: s for s in corr.old.sections}
    new = {s.name: s for s in corr.new.sections}
    for name, s in new.items():
        about = out.about("section", name, _section_subject(s))
        effect = WORDING if s.kind == "chapitre" else ANSWERS  # a fiche or a data block is a table of answers files
        before = old.get(name)
        if before is None:
            about.add(effect, _GENDER[s.kind][0], after=s.title)
            continue
        about.compare(WORDING, "titre", before.title, s.title)
        about.compare(WORDING, "intertitres et notes", _texts(before), _texts(s))
    for name, s in old.items():
        if name not in new:
            effect = WORDING if s.kind == "chapitre" else ANSWERS
            out.about("section", name, _section_subject(s)).add(effect, _GENDER[s.kind][1], before=s.title)


_GENDER = {"chapitre": ("ajouté", "retiré"), "fiche": ("ajoutée", "retirée"), "donnees": ("ajoutées", "retirées")}


def _section_subject(s: Section) -> str:
    return {"chapitre": f"chapitre {s.number}", "fiche": f"fiche « {s.name} »"}.get(s.kind, f"données « {s.name} »")


def _texts(s: Section) -> tuple[str, ...]:
    return tuple(b.text for b in s.blocks if b.text is not None)


def _question(corr: Correspondence, old: Question, new: Question, about: About) -> None:
    if old.name != new.name:
        about.add(ANSWERS, f"renommée de « {old.name} »")
    about.compare(WORDING, "libellé", old.text, new.text)
    old_sections = {s.name: s for s in corr.old.sections}
    new_sections = {s.name: s for s in corr.new.sections}
    about.compare(WORDING, "place", place(old, old_sections), place(new, new_sections))
    successors = {b: a for a, b in corr.questions.items()}
    about.compare(WORDING, "question parente", successors.get(old.parent or "", old.parent), new.parent)
    about.compare(ANSWERS, "forme", _LAYOUTS[old.layout], _LAYOUTS[new.layout])
    about.compare(ANSWERS, "condition d’affichage", old_condition(corr, old.condition), condition_text(new.condition))
    about.compare(WORDING, "titre de la branche", old.branch_label, new.branch_label)
    about.compare(WORDING, "consignes", old.consignes, new.consignes)
    about.compare(WORDING, "références", old.references, new.references)
    about.compare(WORDING, "notes", old.notes, new.notes)
    for a, b in _named_parts("ligne", old.rows, new.rows, about):
        what = f"condition de la ligne « {b.name} »"
        about.compare(ANSWERS, what, old_condition(corr, a.condition), condition_text(b.condition))
    for c, d in _named_parts("colonne", old.columns, new.columns, about):
        about.compare(WORDING, f"unité de la colonne « {d.name} »", c.unit, d.unit)
    _checks(corr, old.checks, new.checks, about)
    _fields(corr, new, about)
    first = corr.old.fields.get(corr.fields.get(new.fields[0].name, ""))
    if first is not None:
        about.compare(WORDING, "modification signalée", _yes(first.flagged), _yes(new.fields[0].flagged))
        if new.fields[0].column is None:
            about.compare(WORDING, "unité", first.unit, new.fields[0].unit)


def _named_parts(what: str, before: tuple[Part, ...], after: tuple[Part, ...], about: About) -> list[tuple[Part, Part]]:
    """Rows or columns added, removed, renamed, relabelled; the pairs, for what only one kind has."""
    pairs, removed, added = matched(before, after, lambda p: p.name, lambda p: (*p.renamed_from, p.name))
    for a, b in pairs:
        if a.name != b.name:
            about.add(ANSWERS, f"{what} « {a.name} » renommée « {b.name} »")
        about.compare(WORDING, f"libellé de la {what} « {b.name} »", a.label, b.label)
    for p in removed:
        about.add(ANSWERS, f"{what} « {p.name} » retirée", before=p.label)
    for p in added:
        about.add(ANSWERS, f"{what} « {p.name} » ajoutée", after=p.label)
    return pairs


def _checks(corr: Correspondence, old: tuple[Check, ...], new: tuple[Check, ...], about: About) -> None:
    pairs, removed, added = matched(old, new, lambda c: c.name, lambda c: (c.name,))
    for a, b in pairs:
        where = f"contrôle « {b.name} »"
        about.compare(ANSWERS, f"{where} : gravité", a.severity, b.severity)
        about.compare(ANSWERS, f"{where} : condition", old_condition(corr, a.condition), condition_text(b.condition))
        about.compare(WORDING, f"{where} : message", a.message, b.message)
    for c in removed:
        about.add(ANSWERS, f"contrôle « {c.name} » retiré ({c.severity})", before=condition_text(c.condition))
    for c in added:
        about.add(ANSWERS, f"contrôle « {c.name} » ajouté ({c.severity})", after=condition_text(c.condition))


def _fields(corr: Correspondence, question: Question, about: About) -> None:
    """Each field's type and whether it must be answered: said once for the question when every
    field changed alike (13 protocols from oui_non to oui_non_so), else field by field."""
    found: dict[tuple[str, str, str], list[Field]] = {}
    for field in question.fields:
        before = corr.old.fields.get(corr.fields.get(field.name, ""))
        if before is None:
            continue
        for what, a, b in (
            ("type de réponse", type_text(before.type), type_text(field.type)),
            ("réponse facultative", _yes(before.optional), _yes(field.optional)),
        ):
            if a != b:
                found.setdefault((what, a, b), []).append(field)
    for (what, a, b), fields in found.items():
        if len(fields) == len(question.fields):
            about.add(ANSWERS, what, a, b)
            continue
        for f in fields:
            where = "".join(f", {w} « {n} »" for w, n in (("ligne", f.row), ("colonne", f.column)) if n)
            about.part(where).add(ANSWERS, what, a, b)


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"
