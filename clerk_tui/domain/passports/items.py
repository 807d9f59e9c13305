"""Item kind `passport`: the city's own passport money (execution fee, photo fee).

Sold on the ordinary payment screen in any tender, on the same visit; the reference is
`PA0000018/EXEC` or `PA0000018/PHOTO`, so the receipt names the application, and
`after_post` links the receipt to it inside the payment's transaction (a void, reversal or
NSF return unlinks it). The amount, fund and GL come from data/passports/fees.toml (the
execution fee from data/fees.toml PPT-EXEC); the clerk cannot change them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError
from clerk_tui.domain.passports.applications import parse_number
from clerk_tui.domain.passports.fees import city_fee

KIND = "passport"
_REF = re.compile(r"^\s*(PA\s*\d{7})\s*[/ ]\s*(EXEC|PHOTO)\s*$", re.IGNORECASE)
_COLUMN = {"EXEC": "exec_receipt_id", "PHOTO": "photo_receipt_id"}


def reference(number: str, code: str) -> str:
    return f"{number}/{code.upper()}"


def parse_reference(text: str) -> tuple[str, str]:
    m = _REF.match(text or "")
    if not m:
        raise NotThisKind(f"{text!r} is not a passport fee (PA0000018/EXEC or /PHOTO).")
    return parse_number(m.group(1)), m.group(2).upper()


class PassportItem(ItemKind):
    """A city passport fee linked to one application; fixed amount."""

    code = KIND
    label = "Passport fee"

    def quote(self, db: Database, reference_text: str, on: dt.date) -> ItemQuote:
        number, code = parse_reference(reference_text)
        row = db.one("SELECT a.id, a.status, a.exec_receipt_id, a.photo_receipt_id, "
                     "r.number AS paid_on FROM passport_applications a LEFT JOIN receipts r "
                     f"ON r.id = a.{_COLUMN[code]} WHERE a.number = ?", [number])
        if row is None:
            raise NotFound(f"No passport application {number}.")
        if row["status"] == "cancelled":
            raise StateError(f"Application {number} was cancelled.")
        if row["paid_on"] is not None:
            raise StateError(f"{number}: the {code.lower()} fee is already paid on receipt "
                             f"{row['paid_on']}.")
        fee = city_fee(code, on)
        return ItemQuote(kind=self.code, reference=reference(number, code),
                         description=f"{fee.label} {number}", default_amount_cents=fee.amount_cents,
                         fund=fee.fund, gl_code=fee.gl_code, book="revenue", fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        number, code = parse_reference(quote.reference)
        col = _COLUMN[code]
        if db.scalar(f"SELECT {col} FROM passport_applications WHERE number = ?", [number]):
            raise StateError(f"{number}: the {code.lower()} fee was paid meanwhile.")
        db.execute(f"UPDATE passport_applications SET {col} = ? WHERE number = ?",
                   [receipt_id, number])

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        number, code = parse_reference(item["reference"])
        col = _COLUMN[code]
        db.execute(f"UPDATE passport_applications SET {col} = NULL WHERE number = ? "
                   f"AND {col} = ?", [number, item["receipt_id"]])
