"""Rules files, read one way: TOML in `data/`, effective-dated rows, plain error messages.

Why one loader: nine loaders had copied the same read-parse-complain block and four of them
had their own "latest row in force on a day" loop. A counter's rules file now reads with
`load_rules(path)` and picks a row with `effective(rows, on)`, and every file says the same
thing when it is missing or broken (`<path>: file not found.`, `<path>: <TOML error>`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import parse_money

__all__ = ["effective", "effective_date", "load_rules", "money_field", "row_errors"]

T = TypeVar("T")


def load_rules(path: Path | str) -> dict[str, Any]:
    """The parsed TOML of a rules file, or ValidationError naming the file and the problem."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"{path}: file not found.") from None
    except tomllib.TOMLDecodeError as e:
        raise ValidationError(f"{path}: {e}") from None


def effective_date(value: object, where: str) -> dt.date:
    """A row's `effective` value as a date; ValidationError (saying where) when it is not one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{where}: effective {value!r} is not a date (YYYY-MM-DD).") from None


def money_field(raw: object, where: str) -> int:
    """A money value of a rules row in cents; ValidationError saying where when it is not one."""
    try:
        return parse_money(str(raw))
    except ValidationError as e:
        raise ValidationError(f"{where}: {e}") from None


@contextmanager
def row_errors(where: str) -> Iterator[None]:
    """Turn what reading one rules row can raise into a ValidationError that names the row.

    A missing key says `<where>: missing 'key'.`; a bad value `<where>: <error>`; a
    ValidationError raised inside (already saying where) passes through unchanged.
    """
    try:
        yield
    except KeyError as e:
        raise ValidationError(f"{where}: missing {e.args[0]!r}.") from None
    except ValidationError:
        raise
    except (TypeError, ValueError) as e:
        raise ValidationError(f"{where}: {e}") from None


def _attr_effective(entry: Any) -> dt.date:
    return entry.effective


def effective(entries: Iterable[T], on: dt.date,
              when: Callable[[T], dt.date] = _attr_effective) -> T | None:
    """The entry in force on `on`: the latest `when(entry)` on or before `on`; None if none is.

    Ties keep the first entry listed (loaders refuse two rows for one day anyway).
    """
    best: T | None = None
    best_day: dt.date | None = None
    for entry in entries:
        day = when(entry)
        if day <= on and (best_day is None or day > best_day):
            best, best_day = entry, day
    return best
