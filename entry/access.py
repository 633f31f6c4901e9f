"""Who may change a declaration today, and why not: each decision written once, read by every screen."""

from __future__ import annotations

import datetime as dt

from bilan.common.clock import french_date
from bilan.engine.declaration_state import BlockSource
from bilan.engine.expr import Value
from bilan.engine.model import Campaign, Field
from bilan.store.db import DeclarationRow
from bilan.store.lease import Holder


def entry_window(campaign: Campaign, today: dt.date) -> str | None:
    """Why the campaign does not take entries today (before its opening, after its deadline)."""
    if campaign.opening and today < campaign.opening:
        return f"la saisie ouvre le {french_date(campaign.opening)}"
    if campaign.deadline and today > campaign.deadline:
        return f"campagne close depuis le {french_date(campaign.deadline)} : consultation seulement"
    return None


def read_only_reason(campaign: Campaign, row: DeclarationRow, holder: Holder | None, today: dt.date) -> str | None:
    """Why this declaration cannot be changed by this session, or None if it can.

    In order: a validated declaration is locked; another live session holds it; the campaign is
    closed today.
    """
    if row.validated_at:
        return f"déclaration validée le {french_date(row.validated_at)} par {row.validated_by}"
    if holder is not None:
        return f"déclaration ouverte en saisie par {holder.describe()}"
    return entry_window(campaign, today)


def identity_refusal(field: Field, old: Value, new: Value) -> str | None:
    """The FINESS number is the declaration's key in the store: once set, it is never changed here."""
    if field.name == "finess" and old is not None and new != old:
        return "le numéro FINESS identifie la déclaration : il ne peut être changé ici"
    return None


def needs_ddass_flag(field: Field, old: Value, row: DeclarationRow) -> bool:
    """A category-setting answer changed after the administrative data were checked: the DDASS must see it."""
    return field.flagged and old is not None and row.admin_checked_at is not None


def data_entry_refusal(source: BlockSource | None, single_establishment: bool) -> str | None:
    """Why the establishment may not type this data block's figures, or None if it may.

    Only in its own store (one establishment): a store of many is the administration's, whose
    figures are imported. And never over the administration's figures: they are final.
    """
    if not single_establishment:
        return "base de plusieurs établissements : les données externes y sont importées par l’administration"
    if source is not None and not source.provisional:
        return "données importées par l’administration, définitives : elles ne se modifient pas ici"
    return None
