"""Documents of the declaration being entered, written from the app: the recap as PDF.

The PDF goes next to the store (the user's data folder, or the file given with --store), where
the declaration lives; if that folder cannot be written, into the current folder. The caller
says where it went.
"""

from __future__ import annotations

from pathlib import Path

from bilan.common.errors import UserError
from bilan.entry.session import EntrySession
from bilan.exports.recap import recap_data
from bilan.exports.typst_render import render_pdf


def recap_pdf_name(session: EntrySession) -> str:
    return f"recap-{session.row.finess}-{session.campaign.year}.pdf"


def write_recap_pdf(session: EntrySession, folders: tuple[Path, ...] | None = None) -> Path:
    """Render the recap of the declaration as it is now and write it; the file written."""
    data = recap_data(session.campaign, str(session.store.path), session.declaration, session.result)
    pdf = render_pdf("recap.typ", data)
    problems = []
    for folder in folders or (session.store.path.parent, Path.cwd()):
        target = (folder / recap_pdf_name(session)).resolve()
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            problems.append(f"{target} : {exc.strerror or exc}")
            continue
        return target
    raise UserError("récapitulatif PDF non écrit : " + " ; ".join(problems))
