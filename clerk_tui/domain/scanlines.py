"""What a scanned (or typed) code means: a registry of patterns, each turning text into a result.

A scan works from any screen, so the app hands every scan to `parse_scan()` and acts on the
kind it gets back. Counters declare their own patterns (citation numbers, license numbers) as
`ScanKind`s in their manifest (clerk_tui/counters/); `DEFAULT_REGISTRY` is filled from the
loaded manifests on first use, by explicit priority; nothing here knows about screens.

Built-in formats (all digits are ASCII, all check digits Luhn as in domain/checkdigit.py):

- Account number: 8 digits `AAAAAAAK` — 7-digit serial + Luhn check digit; shown `1234567-8`,
  accepted with or without the dash.
- Utility bill stub scanline: 18 digits `AAAAAAAK CCCCCCCCC S` (no spaces) — the 8-digit account
  number, the amount due in cents zero-padded to 9 digits (max $9,999,999.99), and a Luhn check
  digit over the first 17 digits. Printed on the bill stub as Code 128 (code set C) and in the
  clear beneath it, grouped `1234567-4 000012345 5` for people typing it; spaces and dashes are
  ignored when parsing.
- Receipt barcode: `R` + the receipt number zero-padded to at least 8 digits + a Luhn check
  digit over those digits, e.g. receipt 1234 -> `R000012344`. Printed on every receipt.

A bad check digit, an unknown pattern or garbage raises ValidationError with a sentence for the
clerk; the caller beeps and changes nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clerk_tui.domain import account_numbers
from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import MAX_CENTS, format_money

MAX_SCAN_LENGTH = 200


@dataclass(frozen=True)
class AccountScan:
    account_number: str  # 8 digits, check digit included

    @property
    def display(self) -> str:
        return account_numbers.format_number(self.account_number)


@dataclass(frozen=True)
class BillStubScan:
    account_number: str
    amount_cents: int

    @property
    def display(self) -> str:
        return f"{account_numbers.format_number(self.account_number)} due {format_money(self.amount_cents)}"


@dataclass(frozen=True)
class ReceiptScan:
    receipt_number: int

    @property
    def display(self) -> str:
        return f"receipt {self.receipt_number}"


@dataclass(frozen=True)
class ScanResult:
    """kind names the pattern ("account", "bill_stub", "receipt", or a registered one);
    value is that pattern's dataclass; text is the cleaned input."""

    kind: str
    value: Any
    text: str

    @property
    def display(self) -> str:
        shown = getattr(self.value, "display", None)
        return str(shown) if shown is not None else self.text


Parser = Callable[[re.Match[str]], Any]


@dataclass(frozen=True)
class ScanPattern:
    kind: str
    regex: re.Pattern[str]
    parse: Parser
    description: str
    priority: int = 0


class ScanRegistry:
    """Patterns by priority (highest first, ties by kind name, never by import order); the
    first whose regex fully matches the cleaned text wins.

    The parse function may raise ValidationError (e.g. a bad check digit): that is the answer,
    later patterns are not tried — a misread stub must not turn into something else."""

    def __init__(self) -> None:
        self._patterns: list[ScanPattern] = []
        self._lock = threading.Lock()

    def register(self, kind: str, regex: str | re.Pattern[str], parse: Parser, *,
                 description: str = "", priority: int = 0) -> None:
        compiled = re.compile(regex) if isinstance(regex, str) else regex
        with self._lock:
            if any(p.kind == kind for p in self._patterns):
                raise ValueError(f"scan pattern {kind!r} is already registered")
            self._patterns.append(ScanPattern(kind, compiled, parse, description or kind,
                                              priority))
            self._patterns.sort(key=lambda p: (-p.priority, p.kind))

    def unregister(self, kind: str) -> None:
        with self._lock:
            self._patterns = [p for p in self._patterns if p.kind != kind]

    def kinds(self) -> list[str]:
        return [p.kind for p in self._patterns]

    def parse(self, text: str) -> ScanResult:
        cleaned = clean_scan_text(text)
        for pattern in list(self._patterns):
            m = pattern.regex.fullmatch(cleaned)
            if m:
                return ScanResult(pattern.kind, pattern.parse(m), cleaned)
        raise ValidationError(f"Scan not recognised: {_shown(cleaned)}")


def clean_scan_text(text: str) -> str:
    """Trim the framing a scanner adds (spaces, CR/LF/Tab); refuse control characters."""
    if text is None:
        raise ValidationError("Empty scan.")
    s = str(text).strip(" \r\n\t")
    if not s:
        raise ValidationError("Empty scan.")
    if len(s) > MAX_SCAN_LENGTH:
        raise ValidationError(f"Scan too long ({len(s)} characters): not a code we know.")
    if any(not ch.isprintable() for ch in s):
        raise ValidationError(f"Scan has unreadable characters: {_shown(s)}")
    return s


def _shown(s: str) -> str:
    """The scanned text for a message: escaped so control characters stay visible, shortened."""
    r = s.encode("unicode_escape").decode("ascii")
    return r if len(r) <= 40 else r[:37] + "..."


# -- formats ----------------------------------------------------------------------------------
# Old name kept for the screen that imports it (screens/cashier_scans.py); the one
# account-number module is `account_numbers`.
format_account = account_numbers.format_number


def make_stub_scanline(account_number: str, amount_cents: int) -> str:
    """The 18-digit scanline printed on a bill stub."""
    acct = account_numbers.check_number(account_number)
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or \
            not 0 <= amount_cents <= MAX_CENTS:
        raise ValidationError("A stub amount is whole cents from $0.00 to $9,999,999.99.")
    body = acct + f"{amount_cents:09d}"
    return body + luhn_digit(body)


def format_stub_scanline(scanline: str) -> str:
    """'123456740000123455' -> '1234567-4 000012345 5' for the human-readable line."""
    return f"{account_numbers.format_number(scanline[:8])} {scanline[8:17]} {scanline[17]}"


def make_receipt_barcode(receipt_number: int) -> str:
    """Receipt number -> 'R' + zero-padded digits + Luhn check digit."""
    if not isinstance(receipt_number, int) or receipt_number <= 0:
        raise ValidationError("A receipt number is a positive whole number.")
    digits = f"{receipt_number:08d}"
    return "R" + digits + luhn_digit(digits)


def parse_account(m: re.Match[str]) -> AccountScan:
    return AccountScan(account_numbers.check_number(m.group(0)))


def parse_stub(m: re.Match[str]) -> BillStubScan:
    s = re.sub(r"[ -]", "", m.group(0))
    if not luhn_ok(s):
        raise ValidationError("Bill stub scanline has a wrong check digit (misread or damaged stub).")
    acct = s[:8]
    if not luhn_ok(acct):
        raise ValidationError(f"Bill stub names account {account_numbers.format_number(acct)}, whose check digit "
                              "is wrong.")
    return BillStubScan(acct, int(s[8:17]))


def parse_receipt(m: re.Match[str]) -> ReceiptScan:
    digits = m.group(1)
    if not luhn_ok(digits):
        raise ValidationError(f"Receipt barcode R{digits} has a wrong check digit.")
    number = int(digits[:-1])
    if number <= 0:
        raise ValidationError("Receipt number 0 does not exist.")
    return ReceiptScan(number)


def default_registry() -> ScanRegistry:
    """A fresh registry with every scan kind of the loaded counter manifests (by priority)."""
    reg = ScanRegistry()
    fill_from_manifests(reg)
    return reg


def fill_from_manifests(reg: ScanRegistry) -> None:
    """Register each manifest's scan kinds; a parser is imported on its first scan."""
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve

    for kind in registry().scan_kinds:
        reg.register(kind.kind, kind.pattern, _lazy_parser(kind.parser, resolve),
                     description=kind.description or kind.kind, priority=kind.priority)


def _lazy_parser(spec: str, resolve: Callable[[str], Any]) -> Parser:
    found: list[Parser] = []

    def parse(m: re.Match[str]) -> Any:
        if not found:
            found.append(resolve(spec))
        return found[0](m)

    return parse


class _DefaultRegistry(ScanRegistry):
    """The app's registry: filled from the counter manifests the first time it is used."""

    def __init__(self) -> None:
        super().__init__()
        self._filled = False
        self._fill_lock = threading.Lock()

    def _ensure(self) -> None:
        if not self._filled:
            with self._fill_lock:
                if not self._filled:
                    fill_from_manifests(self)
                    self._filled = True

    def kinds(self) -> list[str]:
        self._ensure()
        return super().kinds()

    def parse(self, text: str) -> ScanResult:
        self._ensure()
        return super().parse(text)


DEFAULT_REGISTRY: ScanRegistry = _DefaultRegistry()


def parse_scan(text: str, registry: ScanRegistry | None = None) -> ScanResult:
    """Parse one scan with the app's registry; raises ValidationError for anything unusable."""
    return (registry or DEFAULT_REGISTRY).parse(text)
