"""`data/frontdesk/rules.toml`: the front desk's deadlines, fees and lists, effective-dated.

Read once per process on first use (never at start-up). `rule_set(section, on)` is the entry in
force on a day, so a law or fee change is a new dated entry in the file, not a release.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.rules import effective, effective_date, load_rules, money_field
from clerk_tui.paths import reference_data_dir

SECTIONS = ("cpra", "vehicles", "repossessions", "registrants", "subpoenas", "ridealongs",
            "letters")


def rules_path() -> Path:
    return reference_data_dir() / "frontdesk" / "rules.toml"


@functools.cache
def _raw() -> dict[str, list[tuple[dt.date, dict[str, Any]]]]:
    path = rules_path()
    raw = load_rules(path)
    out: dict[str, list[tuple[dt.date, dict[str, Any]]]] = {}
    for section in SECTIONS:
        entries = raw.get(section, [])
        if not entries:
            raise ValidationError(f"{path}: no [[{section}]] rules.")
        out[section] = [(effective_date(e.get("effective"), f"{path}: {section} #{n}"), e)
                        for n, e in enumerate(entries, start=1)]
    return out


def rule_set(section: str, on: dt.date | None = None) -> dict[str, Any]:
    """The `[[section]]` entry in force on `on` (today by default)."""
    on = on or clock.today()
    best = effective(_raw()[section], on, lambda e: e[0])
    if best is None:
        raise ValidationError(f"{rules_path()}: no [{section}] rules in effect on {on}.")
    return best[1]


def money(section: str, key: str, on: dt.date | None = None) -> int:
    """A money value of the rule set in force, in cents."""
    return money_field(rule_set(section, on)[key], f"{rules_path()}: {section}.{key}")


def number(section: str, key: str, on: dt.date | None = None) -> int:
    value = rule_set(section, on).get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(f"{rules_path()}: {section}.{key} must be a whole number.")
    return value


def words(section: str, key: str, on: dt.date | None = None) -> list[str]:
    value = rule_set(section, on).get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{rules_path()}: {section}.{key} must be a list of text.")
    return list(value)
