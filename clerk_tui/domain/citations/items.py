"""The `citation` item kind: one receipt line pays one citation (reference = its number).

Several citations go on one receipt as several lines (the F4 screen puts all of a plate's
owed citations on with one key), with any other items and any tender. The default amount is
what is due today (`due.amount_due`); less is a partial payment unless the violation's data
says `partial = false`; more than is due is refused (an overpayment would be a refund later).
`after_post` records the payment in the citation's history and, when that pays it in full and
it is held at DMV, queues the release — in the receipt's own transaction. `after_reverse`
(void, reversal, NSF) records the payment undone and takes back that release.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote
from clerk_tui.domain.citations import dmv
from clerk_tui.domain.citations.numbers import parse_number
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import add_event, due_of, events_of, get_row
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import format_money

KIND = "citation"


class CitationItem(ItemKind):
    """A parking citation payment; reference `C#########`."""

    code = KIND
    label = "Parking citation"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        row = get_row(db, parse_number(reference))
        due = due_of(row, events_of(db, row["id"]), on)
        if due.due_cents <= 0:
            raise ValidationError(f"Citation {row['number']} owes nothing ({due.label}).")
        v = citation_rules().violation(row["violation_code"],
                                       dt.date.fromisoformat(row["issued_on"]))
        return ItemQuote(
            kind=self.code, reference=row["number"],
            description=f"Citation {row['number']} {row['plate']} {row['state']} {v.code}",
            default_amount_cents=due.due_cents, fund=v.fund, gl_code=v.gl_code,
            book="revenue", balance_cents=due.due_cents, fixed_amount=not v.partial)

    def check_amount(self, quote: ItemQuote, amount_cents: int) -> None:
        super().check_amount(quote, amount_cents)
        if quote.balance_cents is not None and amount_cents > quote.balance_cents:
            raise ValidationError(f"Citation {quote.reference}: only "
                                  f"{format_money(quote.balance_cents)} is due; an "
                                  "overpayment is not taken.")

    def new_balance(self, db: Database, quote: ItemQuote) -> int | None:
        row = get_row(db, quote.reference)
        return due_of(row, events_of(db, row["id"]), clock.today()).due_cents

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        row = get_row(db, quote.reference)
        today = clock.today()
        add_event(db, actor, row["id"], "payment", today, amount_cents=amount_cents,
                  receipt_id=receipt_id)
        if due_of(row, events_of(db, row["id"]), today).due_cents == 0:
            dmv.release_if_held(db, actor, row["id"], "paid", today)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        row = get_row(db, item["reference"])
        today = clock.today()
        add_event(db, actor, row["id"], "payment_undone", today,
                  amount_cents=item["amount_cents"], receipt_id=item["receipt_id"], ref=how)
        dmv.take_back_release(db, actor, row["id"], today)


DEPOSIT_KIND = "citation_deposit"
COPY_KIND = "citation_copy"


class DepositItem(ItemKind):
    """The hearing deposit (CVC 40215(b)): the amount due, held in trust until the decision.
    Paying it IS the hearing request; voiding it withdraws the request."""

    code = DEPOSIT_KIND
    label = "Hearing deposit"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        from clerk_tui.domain.citations.contest import hearing_open

        row = get_row(db, parse_number(reference))
        events = events_of(db, row["id"])
        if not any(e.kind == "review_result" for e in events):
            raise ValidationError(f"Citation {row['number']}: a hearing follows a review "
                                  "result.")
        if hearing_open(events) or any(e.kind == "hearing_result" for e in events):
            raise ValidationError(f"Citation {row['number']} already has a hearing.")
        due = due_of(row, events, on)
        if due.due_cents <= 0:
            raise ValidationError(f"Citation {row['number']} owes nothing ({due.label}).")
        hearing_by = due.deadlines.get("hearing_by")
        if hearing_by is not None and on > hearing_by:
            raise ValidationError(f"Citation {row['number']}: the hearing deadline was "
                                  f"{hearing_by} (CVC 40215); the deposit is not taken.")
        fees = citation_rules().fees(on)
        return ItemQuote(kind=self.code, reference=row["number"],
                         description=f"Hearing deposit {row['number']} {row['plate']}",
                         default_amount_cents=due.due_cents, fund=fees.deposit_fund,
                         gl_code=fees.deposit_gl, book="trust", fixed_amount=True)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        row = get_row(db, quote.reference)
        today = clock.today()
        add_event(db, actor, row["id"], "deposit_paid", today, amount_cents=amount_cents,
                  receipt_id=receipt_id)
        add_event(db, actor, row["id"], "hearing_requested", today, ref="deposit",
                  receipt_id=receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        row = get_row(db, item["reference"])
        today = clock.today()
        add_event(db, actor, row["id"], "deposit_undone", today,
                  amount_cents=item["amount_cents"], receipt_id=item["receipt_id"], ref=how)
        add_event(db, actor, row["id"], "hearing_withdrawn", today, ref=how)


class CopyItem(ItemKind):
    """A copy of a citation (CVC 40206.5: at most $2; the fee is in rules.toml)."""

    code = COPY_KIND
    label = "Copy of a citation"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        row = get_row(db, parse_number(reference))
        fees = citation_rules().fees(on)
        return ItemQuote(kind=self.code, reference=row["number"],
                         description=f"Copy of citation {row['number']}",
                         default_amount_cents=fees.copy_cents, fund=fees.copy_fund,
                         gl_code=fees.copy_gl, book="revenue", fixed_amount=True)
