"""Static analysis placeholder (replaced below)."""
from __future__ import annotations

def analyse(campaign):  # noqa
    return []
