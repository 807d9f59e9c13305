"""What an application costs: the State Department's fee (the applicant's check, never city
money) and the city's fees (execution, photo: receipt lines of item kind `passport`).

Why separate functions: the State fee is printed on the transmittal and checked against the
instrument; the city fee is what the payment screen charges. Mixing them is the defect issue 15
fixed (the State fee used to be a drawer item).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.passports.rules import PRODUCTS, Row, data

AGE_GROUPS = ("adult", "teen", "minor")


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on `on` (a 29 February birthday counts on 1 March)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def age_group(birth: dt.date, on: dt.date) -> str:
    """`minor` under the data's minor age (16): minor fees, both parents; `teen` (16-17): adult
    fees, parental awareness; `adult` 18 and over."""
    r = data().rules_on(on)
    age = age_on(birth, on)
    if age < 0:
        raise ValidationError(f"Date of birth {birth.isoformat()} is after {on.isoformat()}.")
    if age > 130:
        raise ValidationError(f"Date of birth {birth.isoformat()}: {age} years old? Check it.")
    if age < r.minor_age:
        return "minor"
    return "teen" if age < r.adult_age else "adult"


@dataclass(frozen=True)
class StateFee:
    """The State Department fee of one application, line by line (for the transmittal)."""

    lines: tuple[tuple[str, int], ...]

    @property
    def total_cents(self) -> int:
        return sum(c for _, c in self.lines)


def state_fee(product: str, group: str, on: dt.date, *, expedite: bool = False,
              delivery: bool = False, file_search: bool = False) -> StateFee:
    """The applicant's check to the State Department for one DS-11 application."""
    if product not in PRODUCTS:
        raise ValidationError(f"Product must be one of {', '.join(PRODUCTS)}.")
    if group not in AGE_GROUPS:
        raise ValidationError(f"Age group must be one of {', '.join(AGE_GROUPS)}.")
    if delivery and product == "card":
        raise ValidationError("1-2 day return delivery is for passport books only; a card "
                              "alone is mailed first class.")
    d = data()
    fee_age = "minor" if group == "minor" else "adult"
    rows: list[Row] = []
    for p in (("book", "card") if product == "both" else (product,)):
        rows.append(d.state_row(p, fee_age, on))
    for flag, code in ((expedite, "expedite"), (delivery, "delivery"),
                       (file_search, "file_search")):
        if flag:
            rows.append(d.extra_row(code, on))
    return StateFee(tuple((r.label, r.amount_cents) for r in rows))


def city_fee(code: str, on: dt.date) -> Row:
    """The city's fee `EXEC` or `PHOTO` in force on `on` (amount, fund, GL)."""
    return data().city_row(code.upper(), on)
