"""The `misc` item kind: one receipt line of a catalogue item, quantity × unit price.

The reference on the receipt is `CODE*QTY` (e.g. `COPY*12`), so the line says what was sold
and how many without a table of its own; the amount is always unit price × quantity in whole
cents, never typed, and the quantity is capped per item. Voids, reversals and reports need no
hook: the line is an ordinary revenue (or trust) credit that `ledger.reverse` mirrors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote, SaleItem
from clerk_tui.domain.errors import NotThisKind, ValidationError
from clerk_tui.domain.miscsales.catalogue import MAX_QUANTITY, CatalogueItem, catalogue
from clerk_tui.domain.money import check_cents, format_money

KIND = "misc"
_REF = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_-]{0,31})\s*(?:[*xX]\s*([+-]?\d{1,12}))?\s*$")


def parse_reference(text: str) -> tuple[str, int]:
    """`"COPY*12"`, `"copy x12"`, `"NOTARY"` (one) -> (code, quantity), checked for shape only.

    Why a sign is accepted by the pattern: so "-3" gets "at least 1", not "not an item"."""
    m = _REF.match(text or "")
    if not m:
        # Worded for Payments too, where this is the last kind tried on what the clerk typed.
        raise NotThisKind(f"{text!r} is not an item code (letters, digits, - and _; "
                              "CODE*3 for three).")
    qty = int(m.group(2)) if m.group(2) is not None else 1
    if qty < 1:
        raise ValidationError(f"{m.group(1).upper()}: the quantity must be at least 1.")
    return m.group(1).upper(), qty


def format_reference(code: str, quantity: int) -> str:
    return f"{code}*{quantity}"


@dataclass(frozen=True)
class Line:
    """A priced line: what the screen shows before the sale goes to tenders."""

    item: CatalogueItem
    quantity: int
    amount_cents: int

    @property
    def reference(self) -> str:
        return format_reference(self.item.code, self.quantity)


def price_line(code: str, quantity: int, on: dt.date | None = None) -> Line:
    """Price `quantity` of `code` as of `on`: refuses 0, negatives, over the item's cap."""
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise ValidationError("The quantity is a whole number.")
    item = catalogue().get(code, on)
    if quantity < 1:
        raise ValidationError(f"{item.description}: the quantity must be at least 1.")
    cap = min(item.max_quantity, MAX_QUANTITY)
    if quantity > cap:
        raise ValidationError(f"{item.description}: at most {cap} on one receipt line "
                              f"(you typed {quantity}).")
    amount = check_cents(item.unit_cents * quantity, f"{item.description}: the amount")
    return Line(item, quantity, amount)


def sale_items(lines: Sequence[Line]) -> list[SaleItem]:
    """The cashier's sale items for these lines (the amount is repriced when posted)."""
    return [SaleItem(KIND, ln.reference) for ln in lines]


class MiscItem(ItemKind):
    """A misc. sales line; reference `CODE*QTY`; its price cannot be changed at the counter."""

    code = KIND
    label = "Misc. sale"
    priced_before_lock = True  # the price list only (issue 12)

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        code, qty = parse_reference(reference)
        line = price_line(code, qty, on)
        it = line.item
        desc = it.description if qty == 1 else \
            f"{it.description} x {qty} @ {format_money(it.unit_cents)}"
        return ItemQuote(kind=self.code, reference=line.reference, description=desc,
                         default_amount_cents=line.amount_cents, fund=it.fund,
                         gl_code=it.gl_code, book=it.book, fixed_amount=True)
