"""The `permit` item kind: a permit application paid on an ordinary receipt.

The reference is the application (`RPP-12`). `quote` prices it from the rules file on the day
(tier, replacement fee) and cannot be changed at the counter; `after_post` issues the permit
and its stock number inside the receipt's transaction; `after_reverse` voids it when the
receipt is voided, reversed or returned unpaid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.permits import permits

KIND = "permit"


def describe(app: permits.Application, t: permits.Terms) -> str:
    """The receipt line: what, where, which vehicle and tier."""
    what = {"new": "", "renew": "renewal ", "replace": f"replacement ({app.lost_reason}) "}
    tier = f", {t.tier_label}" if t.tier_label and app.kind != "replace" else ""
    plate = f" {app.plate}" if app.plate else ""
    return (f"Permit {app.district}/{app.permit_type} {what[app.kind]}{app.address}"
            f"{plate}{tier}")[:78]


class PermitItem(ItemKind):
    """A residential parking permit (new, renewal, or lost/stolen replacement)."""

    code = KIND
    label = "Parking permit"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        app = permits.get_application(db, permits.parse_reference(reference))
        if app.status != "pending":
            raise StateError(f"Permit application {app.reference} is {app.status}.")
        t = permits.terms(db, app, on)
        return ItemQuote(kind=self.code, reference=app.reference, description=describe(app, t),
                         default_amount_cents=t.amount_cents, fund=t.fund, gl_code=t.gl_code,
                         book="revenue", fixed_amount=True, customer=app.holder)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        permits.issue(db, actor, permits.parse_reference(quote.reference), receipt_id,
                      amount_cents)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        permits.void_for_receipt(db, actor, permits.parse_reference(item["reference"]), how)
