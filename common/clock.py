"""Today's date, overridable with BILAN_TODAY=YYYY-MM-DD to open or close a campaign in tests."""

from __future__ import annotations

import datetime as dt
import os
import re

from bilan.common.errors import UserError


def simulate_for_demo(opening: dt.date | None, deadline: dt.date | None) -> None:
    """The demo is a sandbox: when the real date is outside the campaign (the 2009 campaign closed
    in 2010), simulate a day two weeks before the deadline so entry can be tried out."""
    if os.environ.get("BILAN_TODAY") or deadline is None:
        return
    real = dt.date.today()
    if (opening is None or opening <= real) and real <= deadline:
        return
    os.environ["BILAN_TODAY"] = (deadline - dt.timedelta(days=14)).isoformat()
    os.environ["BILAN_SIMULATED"] = "1"


def simulated() -> bool:
    return os.environ.get("BILAN_SIMULATED") == "1"


def today() -> dt.date:
    text = os.environ.get("BILAN_TODAY", "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # the format is right, the day is not (2010-13-01)
            raise UserError(f"BILAN_TODAY={text} : cette date n’existe pas") from None
        raise UserError(f"BILAN_TODAY={text} : date attendue au format AAAA-MM-JJ") from None


def now_text() -> str:
    """A timestamp for the store: the simulated day (if any) at the real time of day."""
    real = dt.datetime.now()
    return dt.datetime.combine(today(), real.time()).isoformat(timespec="seconds")


def french_date(day: dt.date | str | None) -> str:
    if day is None:
        return "—"
    if isinstance(day, str):
        stamp = dt.datetime.fromisoformat(day)
        return f"{stamp:%d/%m/%Y à %H:%M}"
    return f"{day:%d/%m/%Y}"
