"""Posting a sale: one transaction that either writes the whole receipt or nothing.

Inside one `BEGIN IMMEDIATE`: the next receipt number (the counter row is bumped in the same
transaction, so a rollback gives the number back and numbers stay gapless), the journal with
its balanced entries (each item's credit, each tender's drawer debit), the receipt, its items
and tenders, and the audit row. The idempotency key is made when the payment screen opens;
posting the same key again returns the first receipt instead of taking the money twice (Enter
pressed twice, or a retry after a crash between commit and screen).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote, SaleItem, get_kind
from clerk_tui.domain.cashier.receipts import ReceiptView, last_receipt_for_key, receipt_view
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import require_open
from clerk_tui.domain.cashier.tenders import Tender, TenderLine, TenderPlan, plan
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import check_cents
from clerk_tui.domain.text import clean_text


@dataclass(frozen=True)
class PricedItem:
    quote: ItemQuote
    amount_cents: int


@dataclass(frozen=True)
class SalePreview:
    """What the screen shows before tenders: each item priced, and the total."""

    items: tuple[PricedItem, ...]
    total_cents: int
    no_checks: bool
    allowed_tenders: tuple[str, ...]


@dataclass(frozen=True)
class PaymentResult:
    receipt: ReceiptView
    replayed: bool  # True: this key was already posted; nothing new was written

    @property
    def opens_drawer(self) -> bool:
        return not self.replayed and self.receipt.opens_drawer


def new_idempotency_key() -> str:
    """Made once when the payment screen opens and sent with every submit of that sale."""
    return uuid.uuid4().hex


def day_is_closed(db: Database, business_date: str) -> bool:
    return bool(db.scalar("SELECT 1 FROM closed_business_days WHERE business_date = ?",
                          [business_date]))


def price_items(db: Database, items: Sequence[SaleItem]) -> SalePreview:
    """Quote and check every item (no writes): unknown references and bad amounts stop here."""
    if not items:
        raise ValidationError("Add something to pay for.")
    today = clock.today()
    priced: list[PricedItem] = []
    for item in items:
        kind = get_kind(item.kind)
        q = kind.quote(db, item.reference, today)
        amount = item.amount_cents if item.amount_cents is not None else q.default_amount_cents
        if amount is None:
            raise ValidationError(f"{q.description}: nothing is due; enter an amount.")
        kind.check_amount(q, amount)
        priced.append(PricedItem(q, amount))
    allowed: set[str] | None = None
    for p in priced:
        if p.quote.tenders:
            allowed = set(p.quote.tenders) if allowed is None else allowed & set(p.quote.tenders)
    if allowed is not None and not allowed:
        raise ValidationError("These items cannot be paid together (they take different "
                              "tenders); take them as separate sales.")
    total = check_cents(sum(p.amount_cents for p in priced), "The sale total")
    return SalePreview(tuple(priced), total,
                       any(p.quote.no_checks for p in priced), tuple(sorted(allowed or ())))


def plan_tenders(preview: SalePreview, tenders: Sequence[Tender]) -> TenderPlan:
    return plan(preview.total_cents, tenders, over_tender_limits=rules().over_tender_limits,
                no_checks=preview.no_checks, allowed=preview.allowed_tenders)


def insert_tenders(db: Database, receipt_id: int, lines: Sequence[TenderLine]) -> None:
    """A receipt's tender rows, numbered from 1 in the order taken (inside the caller's write):
    one place that says which tender field lands in which column."""
    for line, t in enumerate(lines, start=1):
        db.insert("tenders", {
            "receipt_id": receipt_id, "line": line, "kind": t.kind,
            "amount_cents": t.applied_cents, "tendered_cents": t.tendered_cents,
            "check_number": t.number, "card_last4": t.card_last4, "auth_code": t.auth_code})


def post_payment(db: Database, actor: Actor, idempotency_key: str, items: Sequence[SaleItem],
                 tenders: Sequence[Tender], *, payer: str = "") -> PaymentResult:
    """Take a payment into the clerk's open drawer; returns the receipt to print."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValueError("a payment needs an idempotency key (new_idempotency_key())")
    payer = clean_text(payer, field="Payer", max_len=80)
    for item in items:  # the cap before anything is written (price_items checks the rest)
        if item.amount_cents is not None:
            check_cents(item.amount_cents, "An item's amount")
    for t in tenders:
        check_cents(t.amount_cents, f"{t.kind.replace('_', ' ').capitalize()} tendered")
    done = last_receipt_for_key(db, key)
    if done is not None:
        return PaymentResult(done, True)
    authority().require(actor, "payment.take", what="take payments")
    try:
        with db.write():
            done = last_receipt_for_key(db, key)  # another submit may have won the lock
            if done is not None:
                return PaymentResult(done, True)
            session = require_open(db, actor)
            business_date = clock.today().isoformat()
            if session.business_date != business_date:
                raise StateError(f"Your drawer was opened on {session.business_date}: balance "
                                 "it and open a new one for today.")
            if day_is_closed(db, business_date):
                raise StateError(f"Business day {business_date} is closed; no more payments.")
            preview = price_items(db, items)
            tp = plan_tenders(preview, tenders)
            db.execute("UPDATE counters SET value = value + 1 WHERE name = 'receipt_number'")
            number = int(db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'"))
            kinds: list[ItemKind] = [get_kind(p.quote.kind) for p in preview.items]
            entries = [k.entry(p.quote, p.amount_cents) for k, p in zip(kinds, preview.items,
                                                                         strict=True)]
            entries += tp.drawer_entries(session.id)
            ids: list[int] = []

            def insert_receipt(journal_id: int) -> int:
                ids.append(db.insert("receipts", {
                    "number": number, "journal_id": journal_id,
                    "drawer_session_id": session.id, "business_date": business_date,
                    "issued_at": clock.stamp(), "clerk": actor.username,
                    "workstation": actor.workstation, "idempotency_key": key, "payer": payer,
                    "total_cents": tp.total_cents, "tendered_cents": tp.tendered_cents,
                    "change_cents": tp.change_cents}))
                return ids[0]

            ledger.post(db, actor, "receipt", entries, business_date=business_date,
                        memo=f"receipt {number}", attach_receipt=insert_receipt)
            rid = ids[0]
            for line, (k, p) in enumerate(zip(kinds, preview.items, strict=True), start=1):
                db.insert("receipt_items", {
                    "receipt_id": rid, "line": line, "kind": p.quote.kind,
                    "reference": p.quote.reference, "description": p.quote.description,
                    "amount_cents": p.amount_cents, "fund": p.quote.fund,
                    "gl_code": p.quote.gl_code, "account_id": p.quote.account_id,
                    "new_balance_cents": k.new_balance(db, p.quote)})
                k.after_post(db, actor, p.quote, p.amount_cents, rid)
            insert_tenders(db, rid, tp.lines)
            audit.record(db, actor, "payment.post", f"receipt:{number}", after={
                "number": number, "total_cents": tp.total_cents,
                "tendered_cents": tp.tendered_cents, "change_cents": tp.change_cents,
                "items": [[p.quote.kind, p.quote.reference, p.amount_cents]
                          for p in preview.items],
                "tenders": [[t.kind, t.tendered_cents] for t in tp.lines],
                "drawer_session_id": session.id})
            return PaymentResult(receipt_view(db, rid), False)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("That business day is closed; no more payments.") from None
        raise
