"""Business days, and the effective-dated collections rules.

SB 998 counts the shutoff notice in business days: a shutoff may happen only when at least 7
business days have passed since the written notice. A business day here is Monday to Friday
and not a holiday in `data/utility/holidays.toml`. That file says which years it is complete
for; counting into a year it does not cover is refused rather than guessed, because a missing
holiday would put an illegal date on a shutoff notice.

`rule_set(section)` reads `data/utility/collections.toml`, where each section is a list of
rule sets with the date each takes effect (the one in force on a day is the latest on or
before it), so a city changes a threshold by adding a dated entry, not by a release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.errors import ValidationError
from clerk_tui.paths import reference_data_dir


@dataclass(frozen=True)
class Holidays:
    days: dict[dt.date, str]
    years: frozenset[int]

    def name(self, d: dt.date) -> str | None:
        return self.days.get(d)


def _read_toml(path: Path) -> dict[str, Any]:
    return rulefile.load_rules(path)


def load_holidays(path: Path | None = None) -> Holidays:
    path = path or reference_data_dir() / "utility" / "holidays.toml"
    raw = _read_toml(path)
    days: dict[dt.date, str] = {}
    for i, h in enumerate(raw.get("holiday", [])):
        try:
            d = dt.date.fromisoformat(str(h["date"]))
        except (KeyError, ValueError) as e:
            raise ValidationError(f"{path}: holiday #{i + 1}: {e}") from None
        days[d] = str(h.get("name", "Holiday"))
    years = frozenset(int(y) for y in raw.get("years", []))
    stray = sorted({d.year for d in days} - years)
    if stray:
        raise ValidationError(f"{path}: holidays in {stray} but those years are not in `years`.")
    return Holidays(days, years)


_holidays: Holidays | None = None


def holidays() -> Holidays:
    """The holiday list (loaded once per process; `reload()` after editing the file)."""
    global _holidays
    if _holidays is None:
        _holidays = load_holidays()
    return _holidays


def reload() -> None:
    global _holidays, _rules
    _holidays = None
    _rules = None


def _check_year(d: dt.date, cal: Holidays) -> None:
    if d.year not in cal.years:
        raise ValidationError(
            f"The holiday list (data/utility/holidays.toml) has no holidays for {d.year}: "
            "add that year's holidays before counting business days in it.")


def is_business_day(d: dt.date, cal: Holidays | None = None) -> bool:
    cal = cal or holidays()
    if d.weekday() >= 5:
        return False
    _check_year(d, cal)
    return d not in cal.days


def next_business_day(d: dt.date, cal: Holidays | None = None) -> dt.date:
    """`d` itself if it is a business day, else the first business day after it."""
    cal = cal or holidays()
    while not is_business_day(d, cal):
        d += dt.timedelta(days=1)
    return d


def add_business_days(d: dt.date, n: int, cal: Holidays | None = None) -> dt.date:
    """The day on which `n` (>= 0) business days have passed since `d`.

    Monday + 7 = the Wednesday of the next week (no holidays); Friday + 1 = Monday.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    cal = cal or holidays()
    while n:
        d += dt.timedelta(days=1)
        if is_business_day(d, cal):
            n -= 1
    return d


def business_days_between(start: dt.date, end: dt.date, cal: Holidays | None = None) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start).

    A notice sent on `start` has given `business_days_between(start, today)` business days of
    warning today.
    """
    cal = cal or holidays()
    count = 0
    d = start
    while d < end:
        d += dt.timedelta(days=1)
        if is_business_day(d, cal):
            count += 1
    return count


# ---- effective-dated rules --------------------------------------------------------------------
_rules: dict[str, Any] | None = None


def rules_path() -> Path:
    return reference_data_dir() / "utility" / "collections.toml"


def rule_set(section: str, on: dt.date | None = None) -> dict[str, Any]:
    """The `[[section]]` rule set in force on `on` (today by default)."""
    global _rules
    if _rules is None:
        _rules = _read_toml(rules_path())
    on = on or clock.today()
    entries = _rules.get(section, [])
    days = []
    for i, entry in enumerate(entries):
        try:
            days.append((dt.date.fromisoformat(str(entry["effective"])), entry))
        except (KeyError, ValueError) as e:
            raise ValidationError(f"{rules_path()}: {section} #{i + 1}: effective: {e}") from None
    best = rulefile.effective(days, on, lambda d: d[0])
    if best is None:
        raise ValidationError(f"{rules_path()}: no [{section}] rules in effect on {on}.")
    return best[1]
