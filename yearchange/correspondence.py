"""What each name of a campaign was called in an earlier one: the map every year-change command follows.

A question, field, item or option of the new campaign continues the old one that bears a name it
was renamed from (`renomme de`), or else the old one of its own name. The compiler made sure that
a former name is no longer a present name and has a single successor, so the map is one-to-one;
what it cannot know — a `renomme de` naming something last year's file does not have, a typo most
of the time — is listed here (`unknown`) for diff and migrate to show.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import attrs

from bilan.engine.model import Campaign, ChoiceType, FieldType, MultiChoiceType, Question


@attrs.frozen
class Correspondence:
    """new name -> old name, for the questions, fields and items that have a predecessor."""

    old: Campaign
    new: Campaign
    questions: dict[str, str]
    fields: dict[str, str]
    items: dict[str, str]
    unknown: tuple[str, ...]

    @property
    def successors(self) -> dict[str, str]:
        """old field name -> new field name."""
        return {old: new for new, old in self.fields.items()}

    def renamed(self, kind: str) -> dict[str, str]:
        """new -> old of the `kind` ("questions", "fields", "items") whose name changed."""
        table: dict[str, str] = getattr(self, kind)
        return {new: old for new, old in table.items() if new != old}


def correspond(old: Campaign, new: Campaign) -> Correspondence:
    """The map from `new`'s names to `old`'s."""
    questions = _pairs(((q.name, (*q.renamed_from, q.name)) for q in new.questions.values()), old.questions)
    fields = _pairs(
        ((f.name, (*q.former_names(f), f.name)) for q in new.questions.values() for f in q.fields), old.fields
    )
    items = _pairs(((i.code, (*i.renamed_from, i.code)) for i in new.items.values()), old.items)
    return Correspondence(old, new, questions, fields, items, tuple(_unknown(old, new, questions)))


def _pairs(candidates: Iterable[tuple[str, tuple[str, ...]]], old: Collection[str]) -> dict[str, str]:
    """Each new name with the first of its candidates that the old campaign has (renames first)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name, names in candidates:
        found = next((n for n in names if n in old and n not in taken), None)
        if found is not None:
            out[name] = found
            taken.add(found)
    return out


def option_map(old: FieldType, new: FieldType) -> dict[str | int, str | int]:
    """old option code -> new code, between two choice types (renamed options followed)."""
    old_choice, new_choice = _choice(old), _choice(new)
    if old_choice is None or new_choice is None:
        return {}
    out: dict[str | int, str | int] = {}
    for option in new_choice.options:
        found = next(
            (c for c in (*option.renamed_from, option.code) if c in old_choice.code_set and c not in out), None
        )
        if found is not None:
            out[found] = option.code
    return out


def _choice(ftype: FieldType) -> ChoiceType | None:
    if isinstance(ftype, MultiChoiceType):
        return ftype.choice
    return ftype if isinstance(ftype, ChoiceType) else None


def _unknown(old: Campaign, new: Campaign, questions: dict[str, str]) -> Iterable[str]:
    """Every `renomme de` that names nothing of the old campaign, in the new file's order."""
    old_names = set(old.questions) | set(old.fields)
    for q in new.questions.values():
        for name in q.renamed_from:
            if name not in old_names:
                yield f"question « {q.name} » renommée de « {name} » : {_absent(old, 'question')}"
        predecessor = old.questions.get(questions.get(q.name, ""))
        if predecessor is not None:
            yield from _unknown_parts(q, predecessor)
    for t in new.types.values():
        old_type = old.types.get(t.name)
        for option in t.options:
            for code in option.renamed_from:
                if old_type is None or code not in old_type.code_set:
                    where = f"réponse « {option.code} » du type « {t.name} »"
                    yield f"{where} renommée de « {code} » : {_absent(old, 'réponse')}"
    for item in new.items.values():
        for code in item.renamed_from:
            if code not in old.items:
                yield f"item « {item.code} » renommé de « {code} » : {_absent(old, 'item')}"


def _unknown_parts(q: Question, predecessor: Question) -> Iterable[str]:
    for what, parts, old_parts in (("ligne", q.rows, predecessor.rows), ("colonne", q.columns, predecessor.columns)):
        names = {p.name for p in old_parts}
        for part in parts:
            for name in part.renamed_from:
                if name not in names:
                    yield (
                        f"{what} « {part.name} » de « {q.name} » renommée de « {name} » : "
                        f"« {predecessor.name} » n’avait pas de {what} de ce nom"
                    )


def _absent(old: Campaign, what: str) -> str:
    return f"aucun{'e' if what != 'item' else ''} {what} de ce nom dans la campagne {old.year}"
