"""The maintainer's subcommands on campaign files: `test` (their `exemple` blocks) and `fmt` (their layout).

Both take several files, each named once however it is written, and go on after a file that fails:
the status is 1 if any did, and every problem is reported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bilan.cli.resources import campaign_path, refuse_questionnaire
from bilan.common.errors import UserError
from bilan.common.inputs import CAMPAIGN_SIZE, MAX_CAMPAIGN_BYTES, decode, read_text
from bilan.common.outputs import write_output
from bilan.common.terminal import neutralise, show
from bilan.dsl.diagnostics import SourceError

STDIN = Path("-")
STDIN_NAME = "<entrée standard>"


def _unique(paths: list[Path]) -> list[Path]:
    """`bilan fmt a.bilan ./a.bilan` handles the file once."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = path if path == STDIN else path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _error(message: str) -> None:
    print(neutralise(message), file=sys.stderr)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _source_errors(exc: SourceError, path: Path) -> str:
    count = len(exc.diagnostics)
    return f"{exc.render()}\n{_plural(count, 'erreur')} dans {path}"


# ---------------------------------------------------------------------- bilan test


def test(args: argparse.Namespace) -> int:
    """Run the `exemple` blocks of each file; status 1 if one expectation is not met."""
    from bilan.cli.example_runner import run_examples
    from bilan.dsl.compiler import compile_with_examples

    failed = False
    for path in _unique(list(args.files) or [campaign_path(args)]):
        try:
            text = read_text(path, MAX_CAMPAIGN_BYTES, CAMPAIGN_SIZE)
            campaign, examples = compile_with_examples(text, str(path), analyse=True)
        except UserError as exc:
            _error(exc.render())
            failed = True
            continue
        except SourceError as exc:
            _error(_source_errors(exc, path))
            failed = True
            continue
        if not examples:
            _error(f"{path} : aucun exemple (bloc « exemple ») : rien n’a été vérifié")
            failed = True
            continue
        outcome = run_examples(campaign, examples, path.resolve().parent)  # next to the file a link leads to
        counts = f"{_plural(outcome.examples, 'exemple')}, {_plural(outcome.checked, 'attente')}"
        if outcome.failures:
            failed = True
            for diagnostic in outcome.failures:
                _error(diagnostic.render({str(path): text}))
            _error(f"{path} : {_plural(len(outcome.failures), 'échec')} ; {counts}")
        else:
            show(f"{path} : {counts} vérifiées, toutes conformes\n", sys.stdout)
    return 1 if failed else 0


# ---------------------------------------------------------------------- bilan fmt


def fmt(args: argparse.Namespace) -> int:
    """Lay out each file (in place, or to standard output for `-`); with --check, write nothing
    and name the files that would change."""
    from bilan.dsl.formatter import format_source

    refuse_questionnaire(args, "fmt", "les fichiers à mettre en forme")
    changed: list[Path] = []
    failed = False
    for path in _unique(list(args.files)):
        name = STDIN_NAME if path == STDIN else str(path)
        try:
            text = _read_stdin() if path == STDIN else read_text(path, MAX_CAMPAIGN_BYTES, CAMPAIGN_SIZE)
            formatted = format_source(text, name)
            if path == STDIN and not args.check:
                show(formatted, sys.stdout)
            elif formatted != text:
                if not args.check:
                    write_output(path, formatted)
                changed.append(path)  # once written: a refused write is not « mis en forme »
        except UserError as exc:
            _error(exc.render())
            failed = True
        except SourceError as exc:
            _error(_source_errors(exc, Path(name)))
            failed = True
    if args.check:
        for path in changed:
            show(f"{STDIN_NAME if path == STDIN else path} : à mettre en forme\n", sys.stdout)
        return 1 if failed or changed else 0
    for path in changed:
        if path != STDIN:
            show(f"{path} : mis en forme\n", sys.stderr)
    return 1 if failed else 0


def _read_stdin() -> str:
    """Standard input, checked like a file: UTF-8 without a byte-order mark, not larger than a file may be."""
    data = sys.stdin.buffer.read(MAX_CAMPAIGN_BYTES + 1)
    if len(data) > MAX_CAMPAIGN_BYTES:
        raise UserError(f"{STDIN_NAME}: trop volumineuse (plus de {MAX_CAMPAIGN_BYTES // 2**20} Mo ; {CAMPAIGN_SIZE})")
    return decode(Path(STDIN_NAME), data)
