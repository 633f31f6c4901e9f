"""Compiled campaigns kept in the user's private cache: loading the embedded campaign takes a few
milliseconds instead of a parse and a compilation (and Lark is not even imported).

An entry is keyed by everything the compiled model depends on: the sha256 of the source bytes,
the file name (spans carry it into messages), the Python version, and the code that compiles it:
the name, size and modification time of every file of bilan.dsl, bilan.engine and bilan.common.
That fingerprint changes with every installed version of bilan and with every edit of an
editable install, so it stands in for `importlib.metadata.version("bilan")`, which costs more
(10 to 50 ms to import) than the whole cache hit. Only campaigns that compiled without error are
stored, with whether the static analysis of `bilan check` ran on them: a check is answered from
the cache only when that same source passed that same analysis. On a miss, the statements parsed
for the previous version of the file are reused (`parser.reuse_saved_statements`), and the
analysis is skipped if a campaign of the same meaning passed it (an edit of wording only). The
garbage collector is held off meanwhile (common/collector.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from bilan.common import collector, user_cache
from bilan.common.inputs import CAMPAIGN_SIZE, MAX_CAMPAIGN_BYTES, read_bytes
from bilan.engine.model import Campaign

_KIND = "campaign"
_PASSED = "analysis-passed"  # meanings (engine.meaning) that passed the analysis


def _code_fingerprint() -> str:
    """Name, size and mtime of the compiler's, the model's and the spans' files."""
    import bilan.common
    import bilan.dsl
    import bilan.engine

    parts = []
    for package in (bilan.common, bilan.dsl, bilan.engine):
        for folder in package.__path__:
            with os.scandir(folder) as entries:
                for e in sorted(entries, key=lambda e: e.name):
                    if e.name.endswith((".py", ".lark")):
                        st = e.stat()
                        parts.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def load_compiled(path: Path, *, analyse: bool) -> Campaign:
    """The campaign of `path`, from the cache when this very source was compiled before.

    Raises what `compile_file` raises (SourceError, OSError) for a file that does not compile,
    and UserError for one that cannot be read as a campaign file (a pipe, a device, too large).
    """
    data = read_bytes(path, MAX_CAMPAIGN_BYTES, CAMPAIGN_SIZE)
    code = f"{sys.version}\0{_code_fingerprint()}"
    key = f"{hashlib.sha256(data).hexdigest()}\0{path}\0{code}"
    saved = user_cache.load(_KIND, key)
    if isinstance(saved, tuple) and len(saved) == 2:
        analysed, cached = saved
        if isinstance(cached, Campaign) and (analysed or not analyse):
            return cached
    with collector.held_off():
        return _compiled(path, data, analyse, key, code)


def _compiled(path: Path, data: bytes, analyse: bool, key: str, code: str) -> Campaign:
    """A cache miss: the campaign compiled (and analysed when asked), then saved."""
    from bilan.dsl import parser
    from bilan.dsl.compiler import compile_file, compile_source

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return compile_file(path, analyse=analyse)  # which says where the bad byte is
    parser.reuse_saved_statements(str(path))  # the statements of the version checked last
    try:
        campaign = compile_source(text, str(path), analyse=False)
    finally:  # an error fixed next time leaves the other statements unchanged
        parser.save_statements(str(path), text)
    if analyse:
        _analyse(campaign, text, str(path), code)
    user_cache.save(_KIND, key, (analyse, campaign))
    return campaign


def _analyse(campaign: Campaign, text: str, filename: str, code: str) -> None:
    """The static analysis of `bilan check`, skipped when a campaign of the same meaning (the
    same but for its wording: engine.meaning) passed it with this same code."""
    from bilan.dsl.compiler import check_analysis
    from bilan.engine.meaning import meaning_digest

    meaning = meaning_digest(campaign)
    key = f"{meaning}\0{code}"
    if meaning is not None and user_cache.load(_PASSED, key) is True:
        return
    check_analysis(campaign, text, filename)
    if meaning is not None:
        user_cache.save(_PASSED, key, True)
