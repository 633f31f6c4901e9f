"""Scoring many answers files: each file is read, scored and formatted independently, so large
batches are spread over the machine's cores (forked workers inherit the compiled campaign)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from bilan.common.errors import UserError
from bilan.common.terminal import neutralise
from bilan.engine.evaluate import Engine
from bilan.engine.model import Campaign
from bilan.exports.answers_toml import AnswersError, read_declarations
from bilan.exports.report_text import score_report
from bilan.exports.results import results_file_entry, results_file_head

PARALLEL_FROM = 200  # below this many files, starting workers costs more than it saves

_engine: Engine | None = None
_format = "text"
_task: Callable[[Path], object] | None = None  # what forked workers run, set before they start

T = TypeVar("T")


def _score_file(path: Path) -> tuple[list[str], str | None]:
    """One file's formatted results (several for a results file read back), or its problem."""
    assert _engine is not None
    campaign = _engine.campaign
    try:
        declarations = read_declarations(path, campaign)
    except AnswersError as exc:
        return [], exc.render()
    chunks = []
    for name, declaration in declarations:
        result = _engine.score(declaration)
        if _format == "toml":
            chunks.append(results_file_entry(campaign, name, declaration, result))
        else:
            chunks.append(score_report(campaign, name, declaration, result))
    return chunks, None


def _run(path: Path) -> object:
    assert _task is not None
    return _task(path)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the batch); interrupted too, a
    worker printed its own traceback, and the executor could be left waiting for it for good."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_parallel(paths: list[Path], workers: int) -> Iterator[object]:
    """Forked workers (they inherit `_task` and what it holds); imported only for a batch that
    needs them. Leaving early (Ctrl-C, an error) cancels the chunks not started; a worker that
    died (killed, out of memory) is said so rather than waited for."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts)
    try:
        yield from pool.map(_run, paths, chunksize=max(1, len(paths) // (workers * 8)))
    except BrokenProcessPool:
        raise UserError(
            "un processus de calcul s’est arrêté brutalement (mémoire épuisée ?) : relancer la commande"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def parallel_map(task: Callable[[Path], T], paths: list[Path]) -> Iterator[T]:
    """`task` of each path, in the order of `paths`: spread over the machine's cores for a large
    batch (the workers are forked: they inherit the compiled campaigns `task` holds, and only the
    paths and the results cross between processes), in this process otherwise."""
    global _task
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) >= PARALLEL_FROM and workers > 1 and hasattr(os, "fork"):
        _task = task
        return _in_parallel(paths, workers)  # type: ignore[return-value]  # `task`'s results, in order
    return (task(p) for p in paths)


def score_files(campaign: Campaign, paths: list[Path], fmt: str) -> tuple[str, list[str]]:
    """The whole output (text or TOML) in the order of `paths`, and the refused files' messages."""
    global _engine, _format
    _engine, _format = Engine(campaign), fmt
    results: Iterable[tuple[list[str], str | None]] = parallel_map(_score_file, paths)
    chunks: list[str] = []
    failures: list[str] = []
    for file_chunks, failure in results:
        chunks.extend(file_chunks)
        if failure:
            failures.append(failure)
    if fmt == "toml":
        return results_file_head(campaign) + "\n" + "\n".join(chunks), failures
    return "\n".join(chunks), failures


def distinct(paths: list[Path]) -> list[Path]:
    """The files in the order given, each once (the same file named twice is read once)."""
    seen: set[str] = set()
    out = []
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:
            print(neutralise(f"{path}: fichier donné deux fois, lu une fois"), file=sys.stderr)
            continue
        seen.add(real)
        out.append(path)
    return out
