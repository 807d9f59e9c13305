"""Permit numbers as printed on the stock: 'PK' + a six-digit serial + a Luhn check digit.

Why a check digit: the enforcement officer and the clerk key these numbers from a hangtag in the
rain; one wrong digit must be refused, not matched to a neighbour's permit. The 'PK' prefix is
the permits' share of the scan patterns (docs: COUNTERS.md), so a scanned permit can never be
taken for a receipt, a bill stub or an account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import NotThisKind, ValidationError

MAX_SERIAL = 999_999
_NUMBER = re.compile(r"^\s*[Pp][Kk]\s*-?\s*([0-9]{7})\s*$")


def format_permit_number(serial: int) -> str:
    """The printed number of stock serial `serial` (1..999999)."""
    if not 1 <= serial <= MAX_SERIAL:
        raise ValidationError(f"Stock serial {serial} is out of range (1-{MAX_SERIAL}).")
    digits = f"{serial:06d}"
    return f"PK{digits}{luhn_digit(digits)}"


def parse_number(text: str) -> str:
    """A typed or scanned permit number, checked: 'pk 1000017' -> 'PK1000017'."""
    m = _NUMBER.match(text or "")
    if not m:
        raise NotThisKind(f"{text!r} is not a permit number (PK and 7 digits).")
    digits = m.group(1)
    if not luhn_ok(digits):
        raise ValidationError(f"Permit number PK{digits} has a wrong check digit.")
    return f"PK{digits}"


def serial_of(number: str) -> int:
    return int(parse_number(number)[2:8])


@dataclass(frozen=True)
class PermitScan:
    """A scanned hangtag or decal."""

    number: str


def parse_scan(m: re.Match[str]) -> PermitScan:
    """The scan kind's parser (manifest): the check digit must be right."""
    return PermitScan(parse_number("PK" + m.group(1)))
