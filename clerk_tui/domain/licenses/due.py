"""What a license owes on a date: a pure function of the term's charges, what was paid, the date
and the penalty rules (no clock, no database), so it can be tested at every month boundary.

The tax of a term is due by `due_on` (end of the term's first month by default). From the next
day a penalty of `penalty_percent` of the tax accrues for each month or part of a month late,
up to `penalty_cap_percent`. The penalty is on the tax only: never on the state's CASp fee,
the home-occupation permit or the BID assessment. Once the tax is paid in full the penalty
stops growing (it is what it was on the day the tax was paid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clerk_tui.domain.clock import add_months
from clerk_tui.domain.licenses.rules import General
from clerk_tui.domain.licenses.tax import ratio

PARTS = ("TAX", "PEN", "CASPC", "CASPS", "HOP", "BID")
"""Parts of a term, in the order they are billed (DUP, a duplicate certificate, is no term's)."""
LABELS = {"TAX": "License tax", "PEN": "Late penalty", "CASPC": "CASp fee (city)",
          "CASPS": "CASp fee (state)", "HOP": "Home occupation permit", "BID": "BID assessment",
          "DUP": "Duplicate certificate"}


@dataclass(frozen=True)
class TermCharges:
    """What a term was assessed (license_terms)."""

    year: int
    due_on: dt.date
    tax_cents: int
    casp_city_cents: int
    casp_state_cents: int
    hop_cents: int = 0
    bid_cents: int = 0

    def charge(self, part: str) -> int:
        return {"TAX": self.tax_cents, "CASPC": self.casp_city_cents,
                "CASPS": self.casp_state_cents, "HOP": self.hop_cents,
                "BID": self.bid_cents}.get(part, 0)


@dataclass(frozen=True)
class Paid:
    """Net paid per part (voids and reversals already netted), and the day the tax was paid
    in full (None while any of it is owed)."""

    parts: dict[str, int] = field(default_factory=dict)
    tax_paid_on: dt.date | None = None

    def of(self, part: str) -> int:
        return self.parts.get(part, 0)


@dataclass(frozen=True)
class Due:
    year: int
    months_late: int
    parts: dict[str, int]

    @property
    def total_cents(self) -> int:
        return sum(self.parts.values())


def months_late(due_on: dt.date, on: dt.date) -> int:
    """Months or parts of months after `due_on`: 0 up to and on the due date, 1 from the next
    day until the same day-of-month a month on, and so on (month ends clamp: Jan 31 -> Feb 28)."""
    if on <= due_on:
        return 0
    n = 1
    while on > add_months(due_on, n, _day(due_on)):
        n += 1
    return n


def _day(due_on: dt.date) -> int:
    return due_on.day


def penalty_cents(tax_cents: int, months: int, g: General) -> int:
    percent = min(months * g.penalty_percent, g.penalty_cap_percent)
    return ratio(tax_cents, percent, 100)


def amount_due(term: TermCharges, paid: Paid, on: dt.date, g: General) -> Due:
    """Each part still owed on `on` (never below zero), the penalty included."""
    stop = paid.tax_paid_on if paid.tax_paid_on is not None and paid.tax_paid_on < on else on
    late = months_late(term.due_on, stop)
    parts: dict[str, int] = {}
    for part in PARTS:
        owed = penalty_cents(term.tax_cents, late, g) if part == "PEN" else term.charge(part)
        left = owed - paid.of(part)
        if left > 0:
            parts[part] = left
    return Due(term.year, late, parts)
