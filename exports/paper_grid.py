"""Where the answers of the paper form sit: one answer grid for the whole form, and printed headings.

Every answer given by ticking boxes sits in one answer zone, flush with the right margin and the
same width on every page. The zone is cut into slots and every check box starts at a slot, so the
« Oui » of a yes/no question stands under the « Oui » of a « Oui / Non / Sans objet » row, on
every page. The grid is counted in characters, the unit of the 80-column text; the PDF template
(paper.typ) gives a slot and the zone widths in millimetres that hold as many characters.
"""

from __future__ import annotations

import math
import re
from typing import Literal

BOX = 4  # "[ ] ": a check box and the space before its label
SLOT = 10  # a box, a label of up to 5 characters (« Oui », « Part. ») and a space
ZONE = 36  # two slots, then room for a last « [ ] Non concerné »
STACKED_MAX = 4  # more options than this are a list under the question, not a column in the zone


ChoiceLayout = Literal["inline", "stacked", "list"]


def choice_layout(labels: list[str], described: bool, multi: bool) -> tuple[ChoiceLayout, list[int]]:
    """How a choice is printed, and the slot of each option's box.

    "inline": the options side by side in the zone, each box at the first slot after the
    previous label; "stacked": one under the other, every box in the first slot (options too
    long to stand side by side); "list": under the question, at its indentation (several
    answers possible, options with a description, or too many to stack).
    """
    if multi or described or len(labels) > STACKED_MAX:
        return "list", []
    slots: list[int] = []
    start = 0
    for label in labels:
        slots.append(start)
        start += math.ceil((BOX + len(label) + 1) / SLOT)
    if slots[-1] * SLOT + BOX + len(labels[-1]) <= ZONE:
        return "inline", slots
    return "stacked", [0] * len(labels)


# Words that end the capitalised lead-in of a printed table heading: « NOMBRE TOTAL de personnels
# formés », « ENQUÊTE RÉALISÉE dans le cadre d’un réseau ».
LINK_WORDS = frozenset(
    {"de", "des", "du", "dans", "à", "au", "aux", "en", "par", "pour", "sur", "selon", "avec", "et", "ou"}
)
LEAD_MAX = 3  # words; a heading with no link word that early has only its first word capitalised
_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")


def printed_heading(label: str) -> tuple[str, str]:
    """A table heading as the printed form sets it: its lead-in in capitals, then the rest.

    The lead-in is the first words up to a link word (« de », « dans », « d’… »), at most
    LEAD_MAX of them, and stops at anything that is not a word (« Thème « 2) … » keeps only
    THÈME). Capitals keep their accents (« ENQUÊTE RÉALISÉE »).
    """
    words = label.split()
    lead = 0
    while lead < len(words) and _WORD.fullmatch(words[lead]) and not _links(words[lead]):
        lead += 1
    if lead == 0 or lead > LEAD_MAX:
        lead = 1
    return " ".join(words[:lead]).upper(), " ".join(words[lead:])


def _links(word: str) -> bool:
    """« de », « dans »… or an elided « d’ », « l’ » opening the word."""
    lower = word.lower()
    return lower in LINK_WORDS or lower[:2] in ("d’", "l’", "d'", "l'")
