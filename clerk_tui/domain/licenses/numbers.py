"""License numbers and the codes printed on paper, each with a Luhn check digit
(clerk_tui/domain/checkdigit.py), so a mistyped or misread digit is caught.

- License number: 7 digits, a 6-digit serial + check digit (`1000017`).
- Certificate barcode: `BL` + the license number (`BL1000017`).
- Renewal notice barcode: `BL` + license number + the 4-digit license year + a check digit
  over those 11 digits (`BL100001720273`): scanning it opens that year's renewal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import NotThisKind, ValidationError

FIRST_SERIAL = 100000
_NUMBER = re.compile(r"^\s*(?:BL)?\s*(\d{6})-?(\d)\s*$", re.I)


def license_number(serial: int) -> str:
    """The license number of a 6-digit serial: the serial and its Luhn check digit."""
    s = f"{serial:06d}"
    if len(s) != 6:
        raise ValueError("license serials are 6 digits")
    return f"{s}{luhn_digit(s)}"


def parse_number(text: str) -> str:
    """A typed license number (`1000017`, `100001-7`, `BL1000017`) checked; ValidationError
    with a sentence for the clerk otherwise."""
    m = _NUMBER.match(text or "")
    if not m:
        raise NotThisKind(f"{str(text)[:20]!r} is not a license number (7 digits).")
    number = m.group(1) + m.group(2)
    if not luhn_ok(number):
        raise ValidationError(f"License number {number}: the check digit is wrong "
                              "(a digit is mistyped).")
    return number


def certificate_code(number: str) -> str:
    return f"BL{number}"


def notice_code(number: str, year: int) -> str:
    body = f"{number}{year:04d}"
    return f"BL{body}{luhn_digit(body)}"


@dataclass(frozen=True)
class NoticeScan:
    number: str
    year: int

    @property
    def display(self) -> str:
        return f"license {self.number} renewal {self.year}"


@dataclass(frozen=True)
class CertificateScan:
    number: str

    @property
    def display(self) -> str:
        return f"license {self.number}"


def parse_notice(match: re.Match[str]) -> NoticeScan:
    """Scan kind `license_notice` (`BL` + 12 digits)."""
    digits = match.group(1)
    if not luhn_ok(digits):
        raise ValidationError("Renewal notice barcode misread (check digit): scan it again.")
    number = parse_number(digits[:7])
    return NoticeScan(number, int(digits[7:11]))


def parse_certificate(match: re.Match[str]) -> CertificateScan:
    """Scan kind `license` (`BL` + 7 digits): the license number printed on a certificate."""
    return CertificateScan(parse_number(match.group(1)))
