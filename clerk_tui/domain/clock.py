"""One place that says what time it is, so tests and the sandbox can pin the date."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

_fixed: dt.datetime | None = None


def now() -> dt.datetime:
    if _fixed is not None:
        return _fixed
    env = os.environ.get("CLERK_TUI_NOW")
    if env:
        return dt.datetime.fromisoformat(env)
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


def stamp() -> str:
    """ISO timestamp stored in the database (local time of the counter)."""
    return now().isoformat(timespec="seconds")


def set_fixed(value: dt.datetime | None) -> None:
    """Freeze the clock (tests)."""
    global _fixed
    _fixed = value


@contextmanager
def frozen(value: dt.datetime) -> Iterator[dt.datetime]:
    """The clock frozen at `value` for the block, running again after it (tests' pinned days:
    one helper instead of a set/yield/unset fixture per test module)."""
    set_fixed(value)
    try:
        yield value
    finally:
        set_fixed(None)


def add_months(d: dt.date, months: int, day: int | None = None) -> dt.date:
    """`d` moved `months` ahead on day `day` (default d.day), clamped to the month's end.

    One calendar rule for plans, adjustment look-backs and assistance expiry (each had its own
    copy)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = _cal.monthrange(year, month)[1]
    return dt.date(year, month, min(day or d.day, last))
