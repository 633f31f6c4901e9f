"""Where the store lives by default: the user's data folder (XDG), like other CLI tools."""

from __future__ import annotations

import os
from pathlib import Path


def default_store() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "bilan" / "bilan.sqlite"
