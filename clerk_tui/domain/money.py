"""Money is integer cents, parsed strictly and formatted one way.

A cashier who types "12.345" or "1e3" has made a mistake; guessing what they meant is how
drawers stop balancing, so anything but a plain amount is refused with a reason.
"""

from __future__ import annotations

import re

from clerk_tui.domain.errors import ValidationError

MAX_CENTS = 999_999_999  # $9,999,999.99

_PLAIN = re.compile(r"^\$?(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]{0,2}))?$")
_GROUPED = re.compile(r"^\$?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]{0,2}))?$")
_CENTS_ONLY = re.compile(r"^\$?\.(?P<frac>[0-9]{1,2})$")


class MoneyError(ValidationError):
    pass


def parse_money(text: str, *, allow_zero: bool = True) -> int:
    """'12', '12.5', '12.50', '$1,234.50', '.75' -> cents. Anything else raises MoneyError."""
    if text is None:
        raise MoneyError("Enter an amount.")
    s = str(text).strip()
    if not s:
        raise MoneyError("Enter an amount.")
    if len(s) > 20:
        raise MoneyError("That amount is too long.")
    if s.startswith("-") or s.startswith("$-") or s.startswith("("):
        raise MoneyError("Amounts cannot be negative here.")
    m = _PLAIN.match(s) or _GROUPED.match(s)
    if m:
        whole = int(m.group("whole").replace(",", ""))
        frac = m.group("frac") or ""
    else:
        m = _CENTS_ONLY.match(s)
        if not m:
            if re.fullmatch(r"\$?[0-9,]*\.[0-9]{3,}", s):
                raise MoneyError(f"{s!r} has more than two decimal places.")
            raise MoneyError(f"{s!r} is not an amount (use digits like 12.50).")
        whole, frac = 0, m.group("frac")
    cents = whole * 100 + int(frac.ljust(2, "0") or 0)
    if cents > MAX_CENTS:
        raise MoneyError("That amount is over $9,999,999.99.")
    if cents == 0 and not allow_zero:
        raise MoneyError("The amount must be more than $0.00.")
    return cents


def check_cents(cents: object, what: str = "The amount") -> int:
    """Refuse an amount of cents the counter can never take: not whole cents, or beyond
    $9,999,999.99 either way. Returns it unchanged.

    Why here and not only in `parse_money`: a screen is one caller among many (the CLI, an
    import, a desk job, a test), and an amount that never came through a keyboard (2**62
    cents) would otherwise be posted, summed into a drawer and printed. Every domain entry
    that takes cents calls this before it writes anything; the rules of each operation
    (more than $0.00, no more than the balance …) come after it.
    """
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise MoneyError(f"{what}: amounts are whole cents.")
    if abs(cents) > MAX_CENTS:
        raise MoneyError(f"{what} is over $9,999,999.99, the most the counter takes; "
                         "nothing was saved.")
    return cents


def format_money(cents: int) -> str:
    """1234550 -> '$12,345.50'; negative amounts as '-$1.00'."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"money must be integer cents, got {type(cents).__name__}")
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}${c // 100:,}.{c % 100:02d}"


def format_plain(cents: int) -> str:
    """'12345.50' (no symbol or grouping) for input fields and files."""
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"
