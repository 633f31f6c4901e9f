"""External data (the campaign's data blocks): where each block's figures come from, what they
feed, and whether the establishment may type provisional ones — worded once for every screen.
"""

from __future__ import annotations

import attrs

from bilan.engine.declaration_state import block_text
from bilan.engine.feeds import feeds_of
from bilan.engine.model import Campaign, Section
from bilan.entry.session import EntrySession

PROVISIONAL = "«\u00a0provisoire\u00a0»"  # no line break inside the guillemets


def external_label(campaign: Campaign) -> str:
    """« Données externes (SAE, SARM) »: the blocks' names, a year suffix left out."""
    names = dict.fromkeys(b.name.split("_")[0].upper() for b in campaign.data_blocks)
    return f"Données externes ({', '.join(names)})" if names else "Données externes"


@attrs.frozen
class BlockInfo:
    """One data block as the establishment sees it."""

    block: Section
    present: bool
    provisional: bool
    origin: str  # « importées par … le … », « saisie établissement, provisoire (…) », « non fournies »
    feeds: tuple[str, ...]  # the indicators that read it, in the campaign's order
    refusal: str | None  # why its figures cannot be typed here, None if they can

    def lines(self) -> list[str]:
        """What the screen prints above the block's figures."""
        out = [f"Origine : {self.origin}"]
        if self.feeds:
            out.append(f"Alimente : {', '.join(self.feeds)}")
        if self.refusal:
            out.append(f"Saisie impossible : {self.refusal}")
        elif self.provisional:
            out.append(
                f"Chiffres provisoires : les indicateurs calculés avec eux sont marqués {PROVISIONAL} ; "
                "ceux de l’administration les remplaceront à leur import."
            )
        else:
            out.append(
                "En attendant les chiffres de l’administration, vous pouvez saisir des chiffres "
                f"provisoires : les indicateurs calculés avec eux seront marqués {PROVISIONAL}."
            )
        return out


def block_info(session: EntrySession, block: Section) -> BlockInfo:
    state = session.state
    present = block.name in session.declaration.blocks
    source = state.sources.get(block.name)
    first_field = next(block.fields(), None)
    refusal = session.change_refusal(first_field.name) if first_field is not None else None
    return BlockInfo(
        block,
        present,
        present and source is not None and source.provisional,
        block_text(state, block.name, present),
        feeds_of(session.campaign).feeds.get(block.name, ()),
        refusal,
    )


def blocks_summary(session: EntrySession) -> str:
    """How many blocks are final, provisional, missing: the home page's line (« 1 provisoire, 2 non fournies »)."""
    infos = [block_info(session, b) for b in session.campaign.data_blocks]
    counts = (
        ("importée", sum(1 for i in infos if i.present and not i.provisional)),
        ("provisoire", sum(1 for i in infos if i.provisional)),
        ("non fournie", sum(1 for i in infos if not i.present)),
    )
    return ", ".join(f"{n} {word}{'s' if n > 1 else ''}" for word, n in counts if n) or "aucune"
