"""The cyclic garbage collector held off while a campaign is compiled.

Compiling allocates hundreds of thousands of objects (parse trees, tokens, the model, the
analysis' fractions), nearly none in reference cycles: the collector's passes over them free
nothing and took 55 to 80 ms of a `bilan check` after an edit (about 450 ms in all). Held off,
then with what is left moved at once to the oldest generation (walked only by the rare full
passes, which still free any cyclic garbage), its passes take 10 to 15 ms. Objects without
cycles are freed by reference counting either way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held_off() -> Iterator[None]:
    """No automatic collection inside; on the way out, every object is moved to the oldest
    generation (`freeze` then `unfreeze`), then collections resume as before (if they were on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
