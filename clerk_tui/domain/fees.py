"""The city's fee schedule, read from `data/fees.toml` and chosen by date.

Fees change by council resolution, not by release: each price carries the date it takes effect,
and a sale uses the price in force on its business date, so yesterday's receipts and reports
still show yesterday's price.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.domain import clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.errors import NotFound, NotThisKind, ValidationError
from clerk_tui.domain.money import parse_money
from clerk_tui.paths import reference_data_dir

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
BOOKS = ("revenue", "trust")
TENDERS = ("cash", "check", "money_order", "card")


@dataclass(frozen=True)
class Fee:
    code: str
    description: str
    amount_cents: int
    fund: str
    gl_code: str
    effective: dt.date
    book: str = "revenue"
    variable: bool = False
    tenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeeSchedule:
    fees: tuple[Fee, ...]

    def get(self, code: str, on: dt.date | None = None) -> Fee:
        """The price of `code` in force on `on` (today by default)."""
        on = on or clock.today()
        wanted = normalize_code(code)
        found = rulefile.effective((f for f in self.fees if f.code == wanted), on)
        if found is None:
            if any(f.code == wanted for f in self.fees):
                raise NotFound(f"Fee {wanted} is not in effect on {on.isoformat()}.")
            raise NotFound(f"No fee with code {wanted!r} in the fee schedule.")
        return found

    def current(self, on: dt.date | None = None) -> list[Fee]:
        """Every fee in force on `on`, by code (for a pick list)."""
        on = on or clock.today()
        codes = sorted({f.code for f in self.fees if f.effective <= on})
        return [self.get(c, on) for c in codes]


def normalize_code(code: str) -> str:
    c = (code or "").strip().upper()
    if not _CODE.match(c):
        raise NotThisKind(f"{code!r} is not a fee code (letters, digits, - and _).")
    return c


def _fee(raw: dict, where: str) -> Fee:
    try:
        code = normalize_code(str(raw["code"]))
        amount = parse_money(str(raw["amount"]))
        effective = dt.date.fromisoformat(str(raw["effective"]))
        fee = Fee(
            code=code, description=str(raw["description"]), amount_cents=amount,
            fund=str(raw["fund"]), gl_code=str(raw["gl_code"]), effective=effective,
            book=str(raw.get("book", "revenue")), variable=bool(raw.get("variable", False)),
            tenders=tuple(str(t) for t in raw.get("tenders", ())),
        )
    except KeyError as e:
        raise ValidationError(f"{where}: missing {e.args[0]!r}.") from None
    except (ValueError, TypeError) as e:
        raise ValidationError(f"{where}: {e}") from None
    if fee.book not in BOOKS:
        raise ValidationError(f"{where}: book must be one of {', '.join(BOOKS)}.")
    for t in fee.tenders:
        if t not in TENDERS:
            raise ValidationError(f"{where}: unknown tender {t!r}.")
    return fee


def load_fees(path: Path | None = None) -> FeeSchedule:
    path = path or reference_data_dir() / "fees.toml"
    raw = rulefile.load_rules(path)
    fees = tuple(_fee(r, f"{path}: fee #{i + 1}") for i, r in enumerate(raw.get("fee", [])))
    seen: set[tuple[str, dt.date]] = set()
    for f in fees:
        if (f.code, f.effective) in seen:
            raise ValidationError(f"{path}: fee {f.code} has two prices from {f.effective}.")
        seen.add((f.code, f.effective))
    return FeeSchedule(fees)


@functools.cache
def fee_schedule() -> FeeSchedule:
    """The schedule (loaded once per process)."""
    return load_fees()
