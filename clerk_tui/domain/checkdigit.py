"""Luhn check digits for account numbers, scanlines and every counter's record numbers (citations,
badges, permits…): catches a mistyped or misread digit."""

from __future__ import annotations


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and luhn_digit(number[:-1]) == number[-1]


def with_check_digit(digits: str) -> str:
    """`digits` followed by its Luhn digit: the one way a counter numbers its records, so a
    citation or badge number is checked exactly as an account number is."""
    return digits + luhn_digit(digits)
