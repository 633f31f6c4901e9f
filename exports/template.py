"""A blank answers file: every question as a commented key, its wording and what it accepts."""

from __future__ import annotations

import textwrap

from bilan.engine.answers import expected
from bilan.engine.model import Campaign, Field, Question, Section


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 96)]


def _field_line(field: Field, key: str) -> list[str]:
    label = f" — {field.label}" if field.label else ""
    return [f"# {key} =    # {expected(field.type)}{label}"]


def _question(q: Question, key_of: dict[str, str]) -> list[str]:
    number = f"{q.number} " if q.number else ""
    lines = [""]
    if q.branch_label:
        lines += _comment(f"{q.branch_label} :")
    lines += _comment(f"{number}{q.text}")
    for f in q.fields:
        lines += _field_line(f, key_of[f.name])
    return lines


def _section_table(section: Section, table: str, strip: str = "") -> list[str]:
    # A data block's header stays commented: writing it declares the data supplied.
    header = f"# [{table}]" if section.kind == "donnees" else f"[{table}]"
    lines = [header] if section.kind != "chapitre" else []
    for q in section.walk():
        lines += _question(q, {f.name: f.name[len(strip) :] for f in q.fields})
    return lines


def blank_answers(campaign: Campaign) -> str:
    out = [
        f"# Réponses au {campaign.title} — campagne {campaign.year}",
        '# Décommenter et remplir chaque ligne « clé = valeur ». Oui/non : "oui" ou "non".',
        "# Nombres décimaux avec un point : 0.5. Voir docs/answers-format.md.",
        "",
        "[bilan]",
        f"campagne = {campaign.year}",
        "",
    ]
    for fiche in campaign.fiches:
        out += _comment(fiche.title)
        out += _section_table(fiche, fiche.name)
        out.append("")
    out.append("[reponses]")
    for chapter in campaign.chapters:
        out.append("")
        out += _comment(f"Chapitre {chapter.number} — {chapter.title}".upper())
        out += _section_table(chapter, "reponses")
    for block in campaign.data_blocks:
        out.append("")
        out += _comment(
            f"{block.title} : données externes, facultatives. Décommenter l’en-tête [{block.name}] "
            "pour les fournir ; une ligne absente compte alors 0."
        )
        out += _section_table(block, block.name, block.name + ".")
    out.append("")
    out.append("[justifications]")
    out += _comment('Avertissements confirmés : nom_de_l_avertissement = "justification"')
    return "\n".join(out) + "\n"
