"""Addresses in a permit district: parsing what the clerk typed and the eligibility check.

A district is a list of street ranges (house numbers, odd/even side) in the rules file. The
clerk types "212 Oak Street #3"; that becomes house number 212, street "OAK ST", unit "3", and
the district that holds 212 OAK ST on the day is the one the permit can be for. Suffixes are
normalised (Street -> ST, Avenue -> AVE) so the same door is one address however it is typed;
the unit keeps two flats of one building apart for the per-dwelling maximum.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.text import clean_text

SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "BOULEVARD": "BLVD",
    "DRIVE": "DR", "LANE": "LN", "ROAD": "RD", "COURT": "CT", "PLACE": "PL",
    "TERRACE": "TER", "WAY": "WAY", "CIRCLE": "CIR",
}
_ORDINALS = {"FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH"}
_ADDRESS = re.compile(
    r"^\s*(\d{1,6})\s+([A-Za-z0-9][A-Za-z0-9 .'-]{0,59}?)"
    r"(?:\s*(?:#|\bAPT\.?|\bUNIT|\bSTE\.?)\s*([A-Za-z0-9-]{1,8}))?\s*$", re.I)


def normalize_street(text: str) -> str:
    """'Oak Street' -> 'OAK ST', 'second ave.' -> '2ND AVE' (case, dots, suffix words)."""
    words = re.sub(r"[.,]", " ", text).upper().split()
    if not words:
        raise ValidationError("The street name is empty.")
    words = [_ORDINALS.get(w, w) for w in words]
    words[-1] = SUFFIXES.get(words[-1], words[-1])
    return " ".join(words)


@dataclass(frozen=True)
class Address:
    number: int
    street: str
    unit: str = ""

    def __str__(self) -> str:
        return f"{self.number} {self.street}" + (f" #{self.unit}" if self.unit else "")


def parse_address(text: str) -> Address:
    """What the clerk typed as an address; a clear refusal when it is not one."""
    text = clean_text(text, field="Address", max_len=80, required=True)
    m = _ADDRESS.match(text)
    if not m:
        raise ValidationError(f"{text!r} is not a street address: a house number and a "
                              "street, like 212 Oak St #3.")
    number = int(m.group(1))
    if number < 1:
        raise ValidationError("The house number must be at least 1.")
    return Address(number, normalize_street(m.group(2)), (m.group(3) or "").upper())


def district_for(address: Address, on: dt.date | None = None) -> str:
    """The code of the district that holds `address` on `on`; NotFound if none does."""
    from clerk_tui.domain.permits.rules import permit_rules

    for d in permit_rules().current_districts(on):
        if d.holds(address.street, address.number):
            return d.code
    raise NotFound(f"{address} is not in a residential permit district.")
