"""Where things live on disk.

The sandbox database sits in the user's data dir, never beside the production path, so a trainee
can't reach real money by accident. Reference data (`data/`) is read from the checkout when run
from source and from the copy bundled into the wheel otherwise; a city can point `CLERK_TUI_DATA`
(or `data_dir` in the config) at its own edited copy without a release.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "clerk-tui"


def data_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_home() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def sandbox_db_path() -> Path:
    override = os.environ.get("CLERK_TUI_SANDBOX_DB")
    if override:
        return Path(override)
    return data_home() / "training.db"


def default_config_path() -> Path:
    return config_home() / "workstations.toml"


def reference_data_dir() -> Path:
    """The folder of effective-dated rules (fees, authority, rates)."""
    override = os.environ.get("CLERK_TUI_DATA")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    source_tree = here.parent / "data"
    if (source_tree / "authority.toml").exists():
        return source_tree
    return here / "_data"
