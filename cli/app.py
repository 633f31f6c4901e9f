"""`bilan` with no subcommand: open the store, pick the declaration, run the app."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from bilan.cli.resources import campaign_path, load_campaign
from bilan.common.errors import UserError
from bilan.common.terminal import show
from bilan.engine.model import Campaign
from bilan.store.db import Store
from bilan.store.paths import default_store


def store_path(args: argparse.Namespace) -> Path:
    """The demo gets a store of its own unless --store is given: it never mixes with real entries."""
    if args.store:
        return Path(args.store)
    path = default_store()
    return path.with_name("demo.sqlite") if args.demo else path


DEMO_FINESS = "750712184"  # the example declaration's establishment (examples/chu-exemple.toml)


def open_demo(store: Store, campaign: Campaign) -> int:
    """The example declaration; for another campaign (a maintainer previewing a new year with
    `-q`), an empty declaration of that campaign, so that the form can be walked through."""
    from bilan.cli.resources import demo_declaration
    from bilan.exports.answers_toml import AnswersError

    row = store.find(DEMO_FINESS, campaign.year)
    if row is not None:
        return row.id
    try:
        decl = demo_declaration(campaign)
    except AnswersError:  # the example was written for another campaign
        return store.create(DEMO_FINESS, campaign.year, who="démo")
    return store.import_declaration(DEMO_FINESS, campaign.year, decl, who="démo")


def current_declaration(store: Store, campaign: Campaign) -> int | None:
    rows = store.declarations(campaign.year)
    return rows[0].id if rows else None


def _end_on_hangup() -> None:
    """Until the app's own handlers take over (tui.app), a closed terminal (SIGHUP) or a `kill`
    (SIGTERM) ends the command through `run_app`'s `finally`, which releases the declaration."""

    def stop(number: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + number)

    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:  # not on Windows
            signal.signal(number, stop)


def _refuse_without_a_terminal() -> None:
    """The app reads keys from a terminal and draws on one: without (a script, a cron job, input
    from a file) it would wait forever, drawing escape sequences into a log."""
    if not (sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()):
        raise UserError(
            "l’application de saisie a besoin d’un terminal ; sans terminal : "
            "bilan import, bilan export, bilan score (voir bilan --help)"
        )


def run_app(args: argparse.Namespace) -> int:
    from bilan.common import clock

    _refuse_without_a_terminal()
    _end_on_hangup()
    clock.today()  # a bad BILAN_TODAY is reported before the screen opens
    campaign = load_campaign(campaign_path(args))
    if args.demo:
        clock.simulate_for_demo(campaign.opening, campaign.deadline)
    store = Store(store_path(args), now=clock.now_text)
    try:
        declaration = open_demo(store, campaign) if args.demo else current_declaration(store, campaign)
        from bilan.tui.app import BilanApp

        app = BilanApp(campaign, store, declaration)
        app.run()
        if app.crash is not None:
            raise app.crash
    finally:
        if "app" in locals() and app.session is not None:
            app.session.close()
        store.close()
    if app.exit_message:
        show(app.exit_message + "\n", sys.stdout)
    return 0
