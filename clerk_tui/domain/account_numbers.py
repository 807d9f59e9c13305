"""Account numbers, in one place: 7 digits plus a Luhn check digit, written `1234567-8`.

Why one module: the formatting, parsing and checking used to live in four modules with eight
helpers that had drifted apart (one formatted any length, one only eight digits; one accepted
the 7-digit base, one refused it). Every caller in `domain/` now uses these functions; the old
names stay importable from their old modules as thin aliases so nothing outside breaks.
"""

from __future__ import annotations

import re

from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import NotThisKind, ValidationError

__all__ = ["candidates", "check_number", "format_number", "make_number", "normalize_number", "parse_number"]

_DIGITS_7_OR_8 = re.compile(r"^\d{7,8}$")


def _shown(s: str) -> str:
    """The typed text for a message: escaped so control characters stay visible, shortened."""
    r = s.encode("unicode_escape").decode("ascii")
    return r if len(r) <= 40 else r[:37] + "..."


def format_number(number: str) -> str:
    """'12345678' -> '1234567-8' (how clerks read and write account numbers); anything that
    is not eight characters is returned unchanged rather than mangled."""
    return f"{number[:7]}-{number[7:]}" if len(number) == 8 else number


FIRST_BASE = 1_000_000  # 7-digit bases start here; the 8th digit is the Luhn check


def make_number(serial: int | str) -> str:
    """7-digit serial (1000000-9999999) -> 8-digit stored number with its Luhn check digit.

    ValidationError (a ValueError) for anything else: a serial is never padded with zeros.
    """
    s = str(serial).strip()
    if len(s) != 7 or not s.isdigit() or int(s) < FIRST_BASE:
        raise ValidationError(f"An account serial is 7 digits ({FIRST_BASE} to 9999999).")
    return s + luhn_digit(s)


def candidates(digits: str) -> list[str]:
    """The stored number a run of digits can name exactly: 8 digits as typed, 7 digits with
    their check digit added; none otherwise (a search falls back to matching text)."""
    if len(digits) == 8:
        return [digits]
    if len(digits) == 7:
        return [digits + luhn_digit(digits)]
    return []


def check_number(text: str) -> str:
    """Strict: accept '12345678' or '1234567-8' (a scan or a stub carries the check digit);
    return the 8 digits or raise ValidationError."""
    s = text.strip().replace("-", "").replace(" ", "")
    if len(s) != 8 or not s.isdigit():
        raise ValidationError(f"An account number is 8 digits (like 1234567-8), not {_shown(text)}.")
    if not luhn_ok(s):
        raise ValidationError(f"Account number {format_number(s)} has a wrong check digit "
                              "(misread or mistyped).")
    return s


def parse_number(text: str) -> str:
    """Typed by a clerk: '1234567-8', '12345678', '1234567' (check digit added) -> '12345678';
    anything else raises ValidationError."""
    digits = re.sub(r"[\s-]", "", text or "")
    if not _DIGITS_7_OR_8.match(digits):
        raise NotThisKind(f"{text!r} is not an account number (7 digits and a check digit).")
    if len(digits) == 7:
        return digits + luhn_digit(digits)
    if not luhn_ok(digits):
        raise ValidationError(f"{text!r}: the check digit is wrong; retype the account number.")
    return digits


def normalize_number(text: str) -> str | None:
    """For a search box: '1234567-8', '12345678', '1234567', ' 1234567 8 ' -> '12345678'.

    Returns None when the text is not shaped like an account number at all (so the caller can
    fall back to a search); raises ValidationError when it is shaped like one but its check
    digit is wrong (a mistyped or misread digit: the clerk must look again).
    """
    s = (text or "").strip()
    if not s or len(s) > 20 or any(not (ch.isdigit() or ch in " -") for ch in s):
        return None
    digits = "".join(ch for ch in s if ch.isdigit())
    if not digits.isascii():
        return None
    if len(digits) == 7:
        return digits + luhn_digit(digits)
    if len(digits) == 8:
        if luhn_digit(digits[:7]) != digits[7]:
            raise ValidationError(
                f"{digits[:7]}-{digits[7]} has a wrong check digit; check the number and retype it."
            )
        return digits
    return None
