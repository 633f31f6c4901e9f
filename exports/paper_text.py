"""The paper form in 80 columns of plain characters, for a terminal or a mail.

Same content and order as the PDF (both read `paper_form`): `[ ]` check boxes, `|__|__|`
digit boxes, "Si OUI" branches indented under their question.
"""

from __future__ import annotations

from typing import Any

from bilan.exports.paper_form import Node
from bilan.exports.text_wrap import WIDTH, wrap

STEP = 4  # indentation of a "Si OUI" branch


def digits(answer: Node) -> str:
    """|__|__|,|__|__| ETP: one box per digit, the decimal comma between both groups."""
    boxes = "|" + "__|" * answer["int"]
    if answer["dec"]:
        boxes += ",|" + "__|" * answer["dec"]
    return boxes + (f" {answer['unit']}" if answer.get("unit") else "")


def inline_answer(answer: Node) -> str | None:
    """The answer on one line, or None when it needs lines of its own."""
    if answer["kind"] == "digits":
        return digits(answer)
    if answer["kind"] == "choice" and not answer["vertical"]:
        return "  ".join(f"[ ] {o['label']}" for o in answer["options"])
    return None


def block_answer(answer: Node, indent: int) -> list[str]:
    """Answers that take lines: a list of options, or a line to write on."""
    if answer["kind"] == "choice":
        hint = "plusieurs réponses possibles" if answer["multi"] else "une seule réponse"
        lines = [" " * indent + f"({hint})"]
        for o in answer["options"]:
            lines += wrap(o["label"], indent, first="[ ] ")
            if o["description"]:
                lines += wrap(o["description"], indent + 4)
        return lines
    unit = f" {answer['unit']}" if answer.get("unit") else ""
    return [" " * indent + "_" * (WIDTH - indent - len(unit)) + unit]


def labelled(label: str, answer: Node, indent: int, hang: int = 0) -> list[str]:
    """A label with its answer right-aligned on the label's last line (or on the next one).

    `hang` indents the label's continuation lines (under the text, after the number).
    """
    inline = inline_answer(answer)
    lines = wrap(label, indent, rest=" " * hang)
    if inline is None:
        if answer["kind"] == "text" and len(lines) == 1 and WIDTH - len(lines[0]) >= 30:
            return [lines[0] + " " + "_" * (WIDTH - len(lines[0]) - 1)]
        return lines + block_answer(answer, indent + STEP)
    last = lines[-1]
    if len(last) + 2 + len(inline) <= WIDTH:
        lines[-1] = last + " " * (WIDTH - len(last) - len(inline)) + inline
    else:
        lines.append(" " * (WIDTH - len(inline)) + inline)
    return lines


def question(node: Node, indent: int = 0) -> list[str]:
    """A question, its answer boxes, its consignes, then its sub-questions indented."""
    lines: list[str] = []
    if node["branch"]:
        lines += wrap(f"{node['branch']} :", indent)
    head = f"{node['number']} " if node["number"] else ""
    text = head + node["text"]
    if node["layout"] == "simple":
        lines += labelled(text, node["answer"], indent, hang=len(head))
    else:
        lines += wrap(text, indent, rest=" " * len(head))
        if node["layout"] == "rows":
            for row in node["rows"]:
                lines += labelled(row["label"], row["answer"], indent + STEP)
        else:
            lines += grid(node, indent + STEP)
    for ref in node["references"]:
        lines += wrap(ref, indent + 3, first="Référence : ")
    for note in node["notes"]:
        lines += wrap(note, indent + 3)
    for child in node["children"]:
        lines.append("")
        lines += question(child, indent + STEP)
    if node["consignes"]:
        lines.append("")
        lines.append(" " * (indent + 3) + "Consignes de remplissage :")
        for c in node["consignes"]:
            lines += wrap(c, indent + 3, first="- ")
    return lines


def grid(node: Node, indent: int) -> list[str]:
    """A grid, row by row: each row's label, then one line per column with its boxes."""
    lines: list[str] = []
    for row in node["rows"]:
        lines += wrap(row["label"], indent)
        for column, cell in zip(node["columns"], row["cells"], strict=True):
            if cell is not None:
                cell = {**cell, "unit": cell.get("unit") or column.get("unit")}
                lines += labelled(column["label"], cell, indent + STEP)
    return lines


def rule(char: str = "-") -> str:
    return char * WIDTH


def section(node: Node, heading: str) -> list[str]:
    lines = ["", rule("="), *wrap(heading.upper(), 0), rule("=")]
    for block in node["blocks"]:
        lines.append("")
        if block["kind"] == "question":
            lines += question(block["question"])
        elif block["kind"] == "subtitle":
            lines += wrap(block["text"], 0)
            lines.append(rule("-")[: min(WIDTH, len(block["text"]))])
        else:
            lines += wrap(block["text"], 0)
    return lines


def paper_text(form: dict[str, Any]) -> str:
    """The whole form, first page (title, deadline, identification) then the chapters."""
    lines = [rule("="), *wrap(form["title"].upper(), 0), f"Bilan {form['year']}"]
    if form["opening"] or form["deadline"]:
        dates = []
        if form["opening"]:
            dates.append(f"ouverture de la saisie : {form['opening']}")
        if form["deadline"]:
            dates.append(f"date limite de déclaration : {form['deadline']}")
        lines += wrap(" ; ".join(dates).capitalize(), 0)
    if form["source"]:
        lines += wrap(form["source"], 0)
    lines.append(rule("="))
    lines += wrap(
        "Formulaire à remplir avant la saisie en ligne. Cocher [ ] une case par réponse ; "
        "écrire un chiffre par case |__| ; les décimales après la virgule.",
        0,
    )
    for fiche in form["fiches"]:
        lines += section(fiche, fiche["title"])
    for chapter in form["chapters"]:
        lines += section(chapter, f"Chapitre {chapter['number']} — {chapter['title']}")
    return "\n".join(line.rstrip() for line in lines) + "\n"
