"""What `bilan migrate` says it did: every answer not carried with its reason, what is left to enter,
the errors the new campaign finds, per declaration; the renames followed and totals for all."""

from __future__ import annotations

from collections import Counter

from bilan.yearchange.correspondence import Correspondence
from bilan.yearchange.migration import Migration


def migration_report(corr: Correspondence, entries: list[tuple[str, Migration]], where: str) -> str:
    """`entries`: (what the declaration is called: its file and target, or its FINESS; migration)."""
    old, new = corr.old, corr.new
    lines = [
        f"reprise de {len(entries)} déclaration(s) de la campagne {old.year} dans la campagne {new.year} ({where})"
    ]
    renames = Counter(pair for _, m in entries for pair in (*m.renamed, *m.recoded))
    if renames:
        lines.append("renommages suivis : " + ", ".join(f"{a} → {b} ({n})" for (a, b), n in renames.items()))
    data = Counter(b for _, m in entries for b in m.data_left)
    if data:
        left = ", ".join(f"{b} ({n})" for b, n in sorted(data.items()))
        lines.append(f"données externes non reprises (chaque campagne reçoit les siennes de l’administration) : {left}")
    justified = sum(m.justifications_left for _, m in entries)
    if justified:
        lines.append(
            f"justifications d’avertissements non reprises : {justified} (elles valent pour l’année justifiée)"
        )
    for name, m in entries:
        lines += ["", name, f"  {_counts(m)}"]
        if m.dropped:
            lines.append("  non reprises :")
            lines += [f"    {d.text()}" for d in m.dropped]
        if m.to_enter:
            lines.append(f"  à saisir : {', '.join(m.to_enter)}")
        for error in m.result.errors:
            lines.append(f"  à vérifier : erreur « {error.check.name} » : {error.check.message}")
    total = sum(m.carried for _, m in entries)
    dropped = sum(len(m.dropped) for _, m in entries)
    to_enter = sum(len(m.to_enter) for _, m in entries)
    lines += ["", f"total : {total} réponse(s) reprise(s), {dropped} non reprise(s), {to_enter} à saisir"]
    return "\n".join(lines) + "\n"


def _counts(m: Migration) -> str:
    renamed = f" (dont {len(m.renamed)} sous un autre nom)" if m.renamed else ""
    return f"{m.carried} réponse(s) reprise(s){renamed}, {len(m.dropped)} non reprise(s), {len(m.to_enter)} à saisir"
