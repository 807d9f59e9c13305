"""Citation numbers: `C` + 8-digit serial + a Luhn check digit (`C000012344`).

Why this shape: the handhelds print it as the citation's barcode, and it must never be read
as another scan — receipts are `R` + digits, bill stubs 18 digits, accounts 8 digits, permits
`PK`, licences `BL`, passports `PA`, visitor badges `VB` — so a leading `C` and exactly nine
digits cannot collide. The check digit catches a mistyped or misread digit before any lookup.
Notice-of-delinquency numbers are `N` + the same nine digits (one notice per citation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clerk_tui.domain.checkdigit import luhn_ok, with_check_digit
from clerk_tui.domain.errors import NotThisKind, ValidationError

SCAN_PATTERN = r"[Cc]([0-9]{9})"
_TYPED = re.compile(r"^\s*[Cc]\s*-?\s*([0-9]{9})\s*$")
_NOTICE = re.compile(r"^\s*[Nn]\s*-?\s*([0-9]{9})\s*$")
MAX_SERIAL = 99_999_999


def make_citation_number(serial: int) -> str:
    """The citation number for a book serial (1..99,999,999)."""
    if not isinstance(serial, int) or not 0 < serial <= MAX_SERIAL:
        raise ValidationError(f"Citation serial must be 1 to {MAX_SERIAL}.")
    digits = f"{serial:08d}"
    return "C" + with_check_digit(digits)


def notice_number(citation_number: str) -> str:
    return "N" + citation_number[1:]


def looks_like_number(text: str) -> bool:
    return bool(_TYPED.match(text or ""))


def parse_number(text: str) -> str:
    """A typed or scanned citation number, checked, as `C#########`; refuses a bad check digit."""
    m = _TYPED.match(text or "")
    if not m:
        raise NotThisKind(f"{(text or '').strip()[:20]!r} is not a citation number "
                              "(C and nine digits, e.g. C000012344).")
    digits = m.group(1)
    if not luhn_ok(digits):
        raise ValidationError(f"Citation C{digits} has a wrong check digit: check the number.")
    if int(digits[:-1]) == 0:
        raise ValidationError("Citation number C000000000 does not exist.")
    return "C" + digits


def parse_notice(text: str) -> str:
    m = _NOTICE.match(text or "")
    if not m or not luhn_ok(m.group(1)):
        raise NotThisKind(f"{(text or '').strip()[:20]!r} is not a notice number "
                              "(N and nine digits).")
    return "N" + m.group(1)


@dataclass(frozen=True)
class CitationScan:
    """What a scanned citation barcode means: this citation number."""

    number: str


def parse_scan(m: re.Match[str]) -> CitationScan:
    """The scan kind's parser (manifest): the check digit is checked, the citation not read."""
    return CitationScan(parse_number("C" + m.group(1)))
