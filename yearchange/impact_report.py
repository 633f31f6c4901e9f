"""`bilan impact` as text (class changes first, then a summary per indicator and category, then every
declaration) or as TOML (every declaration, every indicator, before and after)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bilan.engine.model import Campaign
from bilan.exports import toml_writer
from bilan.exports.results import decimal, questionnaire_identity
from bilan.yearchange.impact import DeclarationImpact, IndicatorImpact, Reading

DOWN, UP, SAME, OTHER, UNSURE = "en baisse", "en hausse", "inchangée", "autre", "à compléter"
_MOVES = (DOWN, UP, SAME, OTHER, UNSURE)
_KEYS = {DOWN: "en_baisse", UP: "en_hausse", SAME: "inchangees", OTHER: "autres", UNSURE: "a_completer"}  # TOML: ASCII
INCOMPLETE = " (incomplet)"


def move(i: IndicatorImpact, scale: tuple[str, ...]) -> str:
    """How an indicator's class moved: down or up the scale, unchanged, other (no class on one
    side: not concerned, not computable, absent from a campaign), or not known until the answers
    still to enter are (computed without them on one side)."""
    if i.compared and i.incomplete:
        return UNSURE
    a = i.before.klass if i.before else None
    b = i.after.klass if i.after else None
    if a is None or b is None or a not in scale or b not in scale:
        return SAME if i.before and i.after and i.before.label == i.after.label else OTHER
    rank_a, rank_b = scale.index(a), scale.index(b)
    return SAME if rank_a == rank_b else (UP if rank_b > rank_a else DOWN)


def _who(d: DeclarationImpact) -> str:
    return "  ".join(x for x in (d.finess, d.label, f"({d.name})") if x)


def _reading(r: Reading | None) -> str:
    return "absent" if r is None else r.text + (INCOMPLETE if r.incomplete else "")


def _line(i: IndicatorImpact, width: int) -> str:
    if not i.changed:
        return f"    {i.code:<{width}}  {_reading(i.after)}"
    mark = "   ◀ classe" if i.class_changed else "   ◀ classe à confirmer" if i.to_confirm else ""
    return f"    {i.code:<{width}}  {_reading(i.before)} → {_reading(i.after)}{mark}"


def impact_text(
    old: Campaign, new: Campaign, old_source: str, new_source: str, declarations: list[DeclarationImpact]
) -> str:
    width = max((len(i.code) for d in declarations for i in d.indicators), default=6)
    moved = [d for d in declarations if any(i.class_changed for i in d.indicators)]
    unsure = [d for d in declarations if any(i.to_confirm for i in d.indicators)]
    lines = [
        f"impact de la campagne {new.year} ({new_source}) sur {len(declarations)} déclaration(s) "
        f"de la campagne {old.year} ({old_source})",
        "réponses reprises comme par bilan migrate (renommages suivis, valeurs revérifiées), "
        "données externes conservées",
        *_unmatched(old, new),
        "",
        f"changements de classe : {len(moved)} déclaration(s)",
    ]
    for d in moved:
        lines.append(f"  {_who(d)}")
        lines += [_line(i, width) for i in d.indicators if i.class_changed]
    if unsure:
        lines += ["", f"classes à confirmer, calculées sans les réponses à saisir : {len(unsure)} déclaration(s)"]
    for d in unsure:
        lines.append(f"  {_who(d)}")
        lines += [_line(i, width) for i in d.indicators if i.to_confirm]
    lines += ["", "classes par indicateur et par catégorie"]
    lines += _summary(new, declarations)
    lines += ["", "toutes les déclarations"]
    for d in declarations:
        notes = [
            f"{d.dropped} réponse(s) non reprise(s)" if d.dropped else "",
            f"{d.to_enter} à saisir" if d.to_enter else "",
        ]
        note = " ; ".join(n for n in notes if n)
        lines.append(f"  {_who(d)}" + (f" — {note}" if note else ""))
        lines += [_line(i, width) for i in d.indicators]
    return "\n".join(lines) + "\n"


def _unmatched(old: Campaign, new: Campaign) -> list[str]:
    """The indicators only one campaign has: shown per declaration, never counted as a class change."""
    lines = []
    for what, codes, year in (
        ("nouveaux", [c for c in new.indicators if c not in old.indicators], old.year),
        ("retirés", [c for c in old.indicators if c not in new.indicators], new.year),
    ):
        if codes:
            lines.append(f"indicateurs {what} (absents de la campagne {year}, sans comparaison) : {', '.join(codes)}")
    return lines


def summary_counts(campaign: Campaign, declarations: list[DeclarationImpact]) -> dict[str, dict[str, Counter[str]]]:
    """indicator -> class-table row -> how many classes moved which way."""
    out: dict[str, dict[str, Counter[str]]] = {}
    for d in declarations:
        for i in d.indicators:
            if i.compared:
                out.setdefault(i.code, {}).setdefault(i.key, Counter())[move(i, campaign.scale)] += 1
    return out


def _summary(campaign: Campaign, declarations: list[DeclarationImpact]) -> list[str]:
    """Per indicator, the rows of its class table where a class moved; one line when none did."""
    lines = []
    for code, rows in summary_counts(campaign, declarations).items():
        total: Counter[str] = sum(rows.values(), Counter())
        if total[SAME] == sum(total.values()):
            lines.append(f"  {code} : {_counted(total)}")
            continue
        table = campaign.indicators[code].classes if code in campaign.indicators else None
        field = table.by if table is not None else None
        lines.append(f"  {code}")
        moved = sorted((k for k, r in rows.items() if r[SAME] != sum(r.values())), key=_key_order)
        for key in moved:
            lines.append(f"    {f'{field} {key}' if field else 'toutes catégories'} : {_counted(rows[key])}")
        still = Counter({SAME: sum(r[SAME] for k, r in rows.items() if k not in moved)})
        if still[SAME]:
            lines.append(f"    autres catégories : {_counted(still)}")
    return lines


def _counted(counts: Counter[str]) -> str:
    plural = {SAME: "inchangées", OTHER: "autres", UNSURE: "à compléter"}
    return ", ".join(f"{counts[m]} {plural.get(m, m) if counts[m] > 1 else m}" for m in _MOVES if counts[m])


def _key_order(key: str) -> tuple[int, int | str]:
    return (0, int(key)) if key.isdigit() else (1, key)


def impact_toml(
    old: Campaign, new: Campaign, old_source: str, new_source: str, declarations: list[DeclarationImpact]
) -> str:
    counts = summary_counts(new, declarations)
    data: dict[str, Any] = {
        "avant": {**questionnaire_identity(old), "fichier": old_source},
        "apres": {**questionnaire_identity(new), "fichier": new_source},
        "resume": {
            "declarations": len(declarations),
            "changements_de_classe": sum(any(i.class_changed for i in d.indicators) for d in declarations),
            "classes_a_confirmer": sum(any(i.to_confirm for i in d.indicators) for d in declarations),
            "indicateurs": {
                code: {key: {_KEYS[m]: c[m] for m in _MOVES if c[m]} for key, c in rows.items()}
                for code, rows in counts.items()
            },
        },
        "declaration": [_entry(d) for d in declarations],
    }
    return toml_writer.dumps(data)


def _entry(d: DeclarationImpact) -> dict[str, Any]:
    return {
        "fichier": d.name,
        "finess": d.finess,
        "raison_sociale": d.label,
        "reponses_non_reprises": d.dropped,
        "reponses_a_saisir": d.to_enter,
        "indicateurs": {
            i.code: {"categorie": i.key, **_side("avant", i.before), **_side("apres", i.after)} for i in d.indicators
        },
    }


def _side(name: str, r: Reading | None) -> dict[str, Any]:
    if r is None:
        return {}
    entry: dict[str, Any] = {"statut": r.status}
    if r.value is not None:
        entry["valeur"] = decimal(r.value)
    if r.label:
        entry["classe"] = r.label
    if r.incomplete:
        entry["complet"] = False
    return {name: entry}
