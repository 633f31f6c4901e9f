"""`bilan` with no subcommand: open the store, pick the declaration, run the app."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from bilan.cli.resources import campaign_path, load_campaign
from bilan.common.errors import UserError
from bilan.common.terminal import HANGUP_SIGNALS, show
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


Handler = Callable[[int, FrameType | None], object] | int | None


def _on_hangup(handler: Handler) -> list[Handler]:
    """A closed terminal (SIGHUP) or a `kill` (SIGTERM) handled by `handler`; the handlers before."""
    return [signal.signal(number, handler) for number in HANGUP_SIGNALS]


def _stop(number: int, frame: FrameType | None) -> None:
    """Before the app runs: the command ends through `run_app`'s `finally`, which releases the
    declaration (nothing is drawn yet, the terminal is as it was)."""
    raise SystemExit(128 + number)


def _refuse_without_a_terminal() -> None:
    """The app reads keys from a terminal and draws on one: without (a script, a cron job, input
    from a file) it would wait forever, drawing escape sequences into a log."""
    if not (sys.stdin is not None and sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()):
        raise UserError(
            "l’application de saisie a besoin d’un terminal ; sans terminal : "
            "bilan import, bilan export, bilan score (voir bilan --help)"
        )


def run_app(args: argparse.Namespace) -> int:
    from bilan.common import clock

    _refuse_without_a_terminal()
    previous = _on_hangup(_stop)
    try:
        clock.today()  # a bad BILAN_TODAY is reported before the screen opens
        campaign = load_campaign(campaign_path(args))
        if args.demo:
            clock.simulate_for_demo(campaign.opening, campaign.deadline)
        store = Store(store_path(args), now=clock.now_text)
        try:
            declaration = open_demo(store, campaign) if args.demo else current_declaration(store, campaign)
            from bilan.tui.app import BilanApp
            from bilan.tui.terminal_output import surviving_terminal

            app = BilanApp(campaign, store, declaration)
            # while Textual starts (the terminal already in its mode), a hangup is the app's to
            # end, once it is mounted (tui.app): raising here could leave the terminal unrestored
            _on_hangup(lambda number, frame: app.hang_up())
            with surviving_terminal():
                app.run()
            if app.crash is not None:
                raise app.crash
        finally:
            _on_hangup(signal.SIG_IGN)  # the release below is not cut short
            if "app" in locals() and app.session is not None:
                app.session.close()
            store.close()
    finally:
        for number, handler in zip(HANGUP_SIGNALS, previous, strict=True):
            signal.signal(number, handler)
    if app.exit_message:
        show(app.exit_message + "\n", sys.stdout)
    return 0
