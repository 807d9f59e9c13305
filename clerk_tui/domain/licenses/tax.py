"""What a license costs for a year: pure functions of the rules and the business's facts.

Why pure: the tax of a term is computed once when the term opens (application or renewal) and
stored; these functions are the only place the ordinance's arithmetic lives, so the tests pin
every base, the out-of-town multiplier, the minimum and the proration of a new business.
Rounding is half up to the cent, never float.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.licenses.rules import BidZone, General, LicenseClass

MAX_EMPLOYEES = 100_000
MAX_RECEIPTS_CENTS = 100_000_000_000_00  # $100 billion: a typo guard, not a policy


def ratio(amount: int, numerator: int, denominator: int) -> int:
    """`amount * numerator / denominator` in whole cents, half up (amounts are never negative)."""
    return (amount * numerator * 2 + denominator) // (denominator * 2)


def check_facts(cls: LicenseClass, employees: int | None,
                gross_receipts_cents: int | None) -> None:
    """Refuse facts the class's base needs but lacks, or that cannot be true."""
    if employees is not None and not 0 <= employees <= MAX_EMPLOYEES:
        raise ValidationError(f"Employees must be 0 to {MAX_EMPLOYEES:,}.")
    if gross_receipts_cents is not None and not 0 <= gross_receipts_cents <= MAX_RECEIPTS_CENTS:
        raise ValidationError("Gross receipts must be $0.00 or more (and believable).")
    if cls.base == "per_employee" and employees is None:
        raise ValidationError(f"{cls.name}: the tax is per employee; how many employees?")
    if cls.base == "gross_receipts" and gross_receipts_cents is None:
        raise ValidationError(f"{cls.name}: the tax is on gross receipts; what were they?")


def annual_tax(cls: LicenseClass, g: General, *, location: str, employees: int | None = None,
               gross_receipts_cents: int | None = None) -> int:
    """A whole year's tax before proration and the minimum."""
    check_facts(cls, employees, gross_receipts_cents)
    if cls.base == "flat":
        tax = cls.amount_cents
    elif cls.base == "per_employee":
        tax = cls.amount_cents + cls.per_employee_cents * (employees or 0)
    else:
        receipts = gross_receipts_cents or 0
        tax = -1
        for up_to, bracket_tax in cls.brackets:
            if receipts <= up_to:
                tax = bracket_tax
                break
        if tax < 0:
            top, top_tax = cls.brackets[-1]
            thousands = -(-(receipts - top) // 100_000)  # each $1,000 or part of it
            tax = top_tax + thousands * cls.rate_above_per_1000_cents
    if location == "out_of_town":
        tax = ratio(tax, g.out_of_town_multiplier, 100)
    return tax


def proration(g: General, start: dt.date, year: int, new_business: bool) -> tuple[int, int]:
    """The share of a year a new business pays in its first year, as (numerator, denominator)."""
    if not new_business or start.year != year or g.proration == "none":
        return (1, 1)
    if g.proration == "quarter":
        return (4 - (start.month - 1) // 3, 4)
    return (13 - start.month, 12)


def term_tax(cls: LicenseClass, g: General, *, location: str, year: int, start: dt.date,
             new_business: bool, employees: int | None = None,
             gross_receipts_cents: int | None = None) -> int:
    """The tax of one license year: the annual tax, prorated, never below the minimum."""
    num, den = proration(g, start, year, new_business)
    tax = ratio(annual_tax(cls, g, location=location, employees=employees,
                           gross_receipts_cents=gross_receipts_cents), num, den)
    return max(tax, g.minimum_tax_cents)


@dataclass(frozen=True)
class CaspSplit:
    city_cents: int
    state_cents: int

    @property
    def total_cents(self) -> int:
        return self.city_cents + self.state_cents


def casp_split(g: General) -> CaspSplit:
    """The state disability-access fee (Gov. Code 4467): the city's share and the state's
    (held in trust, remitted quarterly); the two always add up to the fee."""
    city = ratio(g.casp_fee_cents, g.casp_city_percent, 100)
    return CaspSplit(city, g.casp_fee_cents - city)


_ADDRESS = re.compile(r"^\s*(\d{1,6})[A-Z]?\s+(.+?)\s*$", re.I)


def bid_zone_for(address: str, zones: list[BidZone]) -> BidZone | None:
    """The BID zone an address is in (house number within a listed street's range), or None."""
    m = _ADDRESS.match(address or "")
    if not m:
        return None
    number, street = int(m.group(1)), " ".join(m.group(2).upper().replace(".", "").split())
    street = street.split(",")[0].strip()
    for z in zones:
        for name, lo, hi in z.streets:
            if street == name and lo <= number <= hi:
                return z
    return None


def bid_assessment(zone: BidZone, tax_cents: int) -> int:
    """The zone's formula: a percent of the year's tax, kept between its minimum and maximum."""
    return min(max(ratio(tax_cents, zone.percent_of_tax, 100), zone.minimum_cents),
               zone.maximum_cents)
