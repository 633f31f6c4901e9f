"""Checks of the `renomme de` lines of one file: a former name is gone, and has one successor.

A rename says that last year's name lives on under this year's: `bilan diff`, `bilan migrate`
and `bilan impact` follow it. A former name that is still a present name of the same kind (the
old question is still there: a swap, or a typo), or that two successors claim, would make that
mapping ambiguous: both are errors. Whether the former name existed last year is for `bilan diff`
and `bilan migrate` to say: this file alone does not know.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bilan.common.source import Span
from bilan.dsl.registry import Registry

Claim = tuple[str | int, tuple[str | int, ...] | tuple[str, ...], Span | None]  # (name, former names, where)


def check_renames(r: Registry) -> None:
    """Report every ambiguous `renomme de` of questions, rows, columns, items and fields (options:
    answer_types.type_decl, where their type is read)."""
    before = len(r.diagnostics)
    present = set(r.questions) | set(r.fields)
    check_claims(r, "la question", "", [(q.name, q.renamed_from, q.span) for q in r.questions.values()], present)
    for q in r.questions.values():
        where = f" de « {q.name} »"
        check_claims(r, "la ligne", where, [(x.name, x.renamed_from, q.span) for x in q.rows], {x.name for x in q.rows})
        check_claims(
            r, "la colonne", where, [(x.name, x.renamed_from, q.span) for x in q.columns], {x.name for x in q.columns}
        )
    check_claims(r, "l’item", "", [(i.code, i.renamed_from, i.span) for i in r.items.values()], set(r.items))
    if len(r.diagnostics) == before:  # a field whose former name two renames give (`a.r` and `a` + row `r`)
        fields = [(f.name, q.former_names(f), q.span) for q in r.questions.values() for f in q.fields]
        check_claims(r, "la réponse", "", fields, set())


def check_claims(r: Registry, what: str, where: str, claims: Iterable[Claim], present: Collection[str | int]) -> None:
    """Each former name is not a present one, and is taken by one successor only."""
    taken: dict[str | int, str | int] = {}
    for name, former, span in claims:
        for old in former:
            if old in present:
                participle = "renommé" if what == "l’item" else "renommée"
                r.error(
                    span,
                    f"{what} « {name} »{where} est {participle} de « {old} », qui est encore un nom de ce fichier : "
                    "un nom repris doit avoir disparu",
                )
            elif taken.setdefault(old, name) != name:
                r.error(span, f"« {old} »{where} est repris deux fois : par « {taken[old]} » et par « {name} »")
