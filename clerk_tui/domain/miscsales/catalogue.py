"""The misc. sales catalogue: `data/miscsales/items.toml`, effective-dated, read once.

An item either takes its price, fund, GL and book from the city's one fee schedule
(`fee = "COPY"` -> data/fees.toml), so a council change to a fee changes it here too, or names
its own `amount`/`fund`/`gl_code` with the `source` that set the price. Either way the price in
force on the sale's business date is used, like every other rules file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.domain import clock
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.fees import BOOKS, fee_schedule, normalize_code
from clerk_tui.domain.money import parse_money
from clerk_tui.domain.rules import effective_date, load_rules
from clerk_tui.paths import reference_data_dir

MAX_QUANTITY = 999
"""No line may hold more than this whatever the file says (a typo guard)."""
_KEY = re.compile(r"^[a-pr-z]$")  # q is never a pick letter (it reads as "quit")


@dataclass(frozen=True)
class CatalogueItem:
    """One item at the price in force from `effective`."""

    code: str
    key: str
    description: str
    unit_cents: int
    fund: str
    gl_code: str
    book: str
    source: str
    max_quantity: int
    effective: dt.date
    fee: str | None = None


@dataclass(frozen=True)
class Catalogue:
    items: tuple[CatalogueItem, ...]

    def get(self, code: str, on: dt.date | None = None) -> CatalogueItem:
        """The item `code` as priced on `on` (today by default)."""
        on = on or clock.today()
        wanted = normalize_code(code)
        found = [i for i in self.items if i.code == wanted and i.effective <= on]
        if not found:
            if any(i.code == wanted for i in self.items):
                raise NotFound(f"Misc. item {wanted} is not sold before "
                               f"{min(i.effective for i in self.items if i.code == wanted)}.")
            raise NotFound(f"No misc. item {wanted!r}.")
        return max(found, key=lambda i: i.effective)

    def current(self, on: dt.date | None = None) -> list[CatalogueItem]:
        """Every item on sale on `on`, in the file's order (the pick list)."""
        on = on or clock.today()
        order: list[str] = []
        for i in self.items:
            if i.effective <= on and i.code not in order:
                order.append(i.code)
        return [self.get(c, on) for c in order]

    def by_key(self, key: str, on: dt.date | None = None) -> CatalogueItem | None:
        return next((i for i in self.current(on) if i.key == key.lower()), None)


def _item(raw: dict, where: str, on_fee: dt.date) -> CatalogueItem:
    try:
        code = normalize_code(str(raw["code"]))
        key = str(raw["key"]).lower()
        effective = effective_date(raw["effective"], where)
        max_q = int(raw.get("max_quantity", 99))
        description = str(raw.get("description", "")).strip()
        source = str(raw["source"]).strip()
        fee_code = raw.get("fee")
        if fee_code is not None:
            fee = fee_schedule().get(str(fee_code), max(effective, on_fee))
            unit, fund, gl, book = fee.amount_cents, fee.fund, fee.gl_code, fee.book
            description = description or fee.description
            fee_code = fee.code
        else:
            unit = parse_money(str(raw["amount"]), allow_zero=False)
            fund, gl = str(raw["fund"]), str(raw["gl_code"])
            book = str(raw.get("book", "revenue"))
    except KeyError as e:
        raise ValidationError(f"{where}: missing {e.args[0]!r}.") from None
    except (ValueError, TypeError) as e:
        raise ValidationError(f"{where}: {e}") from None
    if not _KEY.match(key):
        raise ValidationError(f"{where}: key must be one letter a-z other than q.")
    if not 1 <= max_q <= MAX_QUANTITY:
        raise ValidationError(f"{where}: max_quantity must be 1 to {MAX_QUANTITY}.")
    if book not in BOOKS:
        raise ValidationError(f"{where}: book must be one of {', '.join(BOOKS)}.")
    if not description or not source or not fund or not gl:
        raise ValidationError(f"{where}: description, source, fund and gl_code are required.")
    return CatalogueItem(code, key, description, unit, fund, gl, book, source, max_q,
                         effective, fee_code)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check the whole file; a bad row refuses the file (never a silent skip).

    An item priced from the fee schedule is resolved per effective date of the fee too: a row
    from 2024 for BUSPASS takes each later fee price in force (one row per fee change)."""
    path = path or reference_data_dir() / "miscsales" / "items.toml"
    raw = load_rules(path)
    items: list[CatalogueItem] = []
    for n, r in enumerate(raw.get("item", []), start=1):
        where = f"{path}: item #{n}"
        first = _item(r, where, dt.date.min)
        items.append(first)
        if first.fee:  # one row per later price of that fee
            for f in fee_schedule().fees:
                if f.code == first.fee and f.effective > first.effective:
                    items.append(_item({**r, "effective": f.effective.isoformat()}, where,
                                       f.effective))
    seen: dict[tuple[str, dt.date], CatalogueItem] = {}
    for i in items:
        if (i.code, i.effective) in seen and seen[(i.code, i.effective)] != i:
            raise ValidationError(f"{path}: item {i.code} has two prices from {i.effective}.")
        seen[(i.code, i.effective)] = i
    keys: dict[str, str] = {}
    for i in seen.values():
        if keys.setdefault(i.key, i.code) != i.code:
            raise ValidationError(f"{path}: key {i.key!r} is used by {keys[i.key]} and {i.code}.")
    return Catalogue(tuple(seen.values()))


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue (loaded once per process, on first use: never at start-up)."""
    return load_catalogue()
