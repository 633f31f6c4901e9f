"""The paper form in 80 columns of plain characters, for a terminal or a mail.

Same content and order as the PDF (both read `paper_form`): `[ ]` check boxes on the answer grid
of paper_grid (one zone at the right, every box at a slot), `|__|__|` digit boxes ending in one
column with their unit after, "Si OUI" branches indented under their question, the evidence to
keep under the question it is scored on, the signature at the end. Text has no pages: the
establishment line the PDF repeats at the foot of every page is not printed here.
"""

from __future__ import annotations

from bilan.exports.paper_document import (
    Answer,
    DigitsAnswer,
    EvidenceEntry,
    Heading,
    PaperForm,
    QuestionNode,
    SectionNode,
    TextAnswer,
)
from bilan.exports.paper_grid import BOX, SLOT, ZONE
from bilan.exports.text_wrap import WIDTH, wrap

STEP = 4  # indentation of a "Si OUI" branch
ZONE_AT = WIDTH - ZONE  # column of the answer zone's first slot
UNIT_WIDTH = 13  # " DDJ/1 000 JH": digit boxes end at the same column, their unit after them
SIGNATORY_LINE: TextAnswer = {"kind": "text", "unit": None}


def digits(answer: DigitsAnswer) -> str:
    """|__|__|,|__|__|: one box per digit, the decimal comma between both groups."""
    boxes: str = "|" + "__|" * answer["int"]
    if answer["dec"]:
        boxes += ",|" + "__|" * answer["dec"]
    return boxes


def zone_answer(answer: Answer) -> tuple[int, list[str]] | None:
    """The answer laid on the grid: the column it starts at and its lines, or None when it is
    printed under the question instead (a list of options, a line to write on)."""
    if answer["kind"] == "digits":
        return digits_line(digits(answer), answer["unit"])
    if answer["kind"] != "choice" or answer["layout"] == "list":
        return None
    if answer["layout"] == "inline":
        line = ""
        for o in answer["options"]:
            assert o["slot"] is not None  # choice_layout gives every option of an inline choice its slot
            line = line.ljust(o["slot"] * SLOT) + f"[ ] {o['label']}"
        return ZONE_AT, [line]
    return ZONE_AT, [line for o in answer["options"] for line in wrap(o["label"], 0, ZONE, first="[ ] ")]


def digits_line(boxes: str, unit: str | None) -> tuple[int, list[str]]:
    """Boxes ending at WIDTH - UNIT_WIDTH with the unit after them, wrapped in its column; when a
    word of the unit does not fit there, or the boxes are too wide (24 of them), it goes under them."""
    at = max(WIDTH - UNIT_WIDTH - len(boxes), 0)
    if not unit:
        return at, [boxes]
    room = WIDTH - at - len(boxes) - 1
    if room < max(len(word) for word in unit.split()):
        return at, [boxes, *wrap(unit, 0, WIDTH - at)]
    units = wrap(unit, 0, room)
    return at, [f"{boxes} {units[0]}", *(" " * (len(boxes) + 1) + u for u in units[1:])]


def block_answer(answer: Answer, indent: int) -> list[str]:
    """Answers that take lines under the question: a list of options, or a line to write on."""
    if answer["kind"] == "choice":
        hint = "plusieurs réponses possibles" if answer["multi"] else "une seule réponse"
        lines = [" " * indent + f"({hint})"]
        for o in answer["options"]:
            lines += wrap(o["label"], indent, first="[ ] ")
            if o["description"]:
                lines += wrap(o["description"], indent + BOX)
        return lines
    unit = f" {answer['unit']}" if answer["unit"] else ""
    return [" " * indent + "_" * (WIDTH - indent - len(unit)) + unit]


def labelled(label: str, answer: Answer, indent: int, hang: int = 0) -> list[str]:
    """A label with its answer on the grid, beside the label's last line or under it.

    `hang` indents the label's continuation lines (under the text, after the number).
    """
    lines = wrap(label, indent, rest=" " * hang)
    placed = zone_answer(answer)
    if placed is None:
        if answer["kind"] == "text" and len(lines) == 1 and WIDTH - len(lines[0]) >= 30:
            return [lines[0] + " " + "_" * (WIDTH - len(lines[0]) - 1)]
        return lines + block_answer(answer, indent + STEP)
    at, answer_lines = placed
    if len(lines[-1]) + 2 <= at:
        lines[-1] = lines[-1].ljust(at) + answer_lines.pop(0)
    return lines + [" " * at + line for line in answer_lines]


def heading_text(heading: Heading) -> str:
    return f"{heading['lead']} {heading['rest']}".strip()


def question(node: QuestionNode, indent: int = 0) -> list[str]:
    """A question, its answer boxes, its consignes, then its sub-questions indented."""
    lines: list[str] = []
    if node["heading"]:
        lines += wrap(heading_text(node["heading"]), indent)
    elif node["branch"]:
        lines += wrap(f"{node['branch']} :", indent)
    head = f"{node['number']} " if node["number"] else ""
    if node["layout"] == "simple":
        lines += labelled(head + node["text"], node["answer"], indent, hang=len(head))
    else:
        if not node["heading"]:
            lines += wrap(head + node["text"], indent, rest=" " * len(head))
        if node["layout"] == "rows":
            for row in node["rows"]:
                lines += labelled(row["label"], row["answer"], indent + STEP)
        else:
            lines += grid(node, indent + STEP)
    for ref in node["references"]:
        lines += wrap(ref, indent + 3, first="Référence : ")
    for note in node["notes"]:
        lines += wrap(note, indent + 3)
    lines += boxed("Consignes de remplissage", [wrap(c, indent + 3, first="- ") for c in node["consignes"]], indent)
    for child in node["children"]:
        lines.append("")
        lines += question(child, indent + STEP)
    return lines


def boxed(title: str, entries: list[list[str]], indent: int) -> list[str]:
    """A titled list under a question (consignes, evidence), or nothing when it is empty."""
    if not entries:
        return []
    return ["", " " * (indent + 3) + f"{title} :"] + [line for entry in entries for line in entry]


def evidence(title: str, entries: list[EvidenceEntry], indent: int = 0) -> list[str]:
    """The evidence to keep, each with the codes of the items that ask for it."""
    return boxed(
        title, [wrap(f"{', '.join(e['codes'])} : {e['text']}", indent + 3, first="- ") for e in entries], indent
    )


def grid(node: QuestionNode, indent: int) -> list[str]:
    """A grid, row by row: each row's label, then one line per column with its boxes."""
    lines: list[str] = []
    for row in node["rows"]:
        lines += wrap(row["label"], indent)
        for column, cell in zip(node["columns"], row["cells"], strict=True):
            if cell is not None:
                lines += labelled(heading_text(column), cell, indent + STEP)
    return lines


def rule(char: str = "-") -> str:
    return char * WIDTH


def section(node: SectionNode, heading: str, evidence_title: str) -> list[str]:
    lines = ["", rule("="), *wrap(heading.upper(), 0), rule("=")]
    for block in node["blocks"]:
        lines.append("")
        if block["kind"] == "question":
            lines += question(block["question"])
            lines += evidence(evidence_title, block["evidence"])
        elif block["kind"] == "subtitle":
            lines += wrap(block["text"], 0)
            lines.append(rule("-")[: min(WIDTH, len(block["text"]))])
        else:
            lines += wrap(block["text"], 0)
    return lines


def signature(form: PaperForm) -> list[str]:
    """« Fait à …, le … », the signatory, and room for the signature and the stamp."""
    s = form["signature"]
    place = f"{s['place']} "
    date = f", {s['date']} "
    half = (WIDTH - len(place) - len(date)) // 2
    return [
        "",
        rule("="),
        "",
        place + "_" * half + date + "_" * (WIDTH - len(place) - len(date) - half),
        "",
        *labelled(s["signatory"], SIGNATORY_LINE, 0),
        "",
        f"{s['stamp']} :",
        *[""] * 6,
        rule("="),
    ]


def paper_text(form: PaperForm) -> str:
    """The whole form: first page (title, deadline, identification), chapters, signature."""
    lines = [rule("="), *wrap(form["title"].upper(), 0), f"Bilan {form['year']}"]
    if form["opening"] or form["deadline"]:
        dates = []
        if form["opening"]:
            dates.append(f"ouverture de la saisie : {form['opening']}")
        if form["deadline"]:
            dates.append(f"date limite de déclaration : {form['deadline']}")
        joined = " ; ".join(dates)
        lines += wrap(joined[0].upper() + joined[1:], 0)
    if form["source"]:
        lines += wrap(form["source"], 0)
    lines.append(rule("="))
    lines += wrap(form["instructions"], 0)
    for fiche in form["fiches"]:
        lines += section(fiche, fiche["title"], form["evidence_title"])
    for chapter in form["chapters"]:
        lines += section(chapter, f"Chapitre {chapter['number']} — {chapter['title']}", form["evidence_title"])
    if form["other_evidence"]:
        lines += ["", rule("="), *evidence(form["other_evidence_title"], form["other_evidence"])]
    lines += signature(form)
    return "\n".join(line.rstrip() for line in lines) + "\n"
