"""Posting a sale: one transaction that either writes the whole receipt or nothing.

Items are priced and tenders planned before the lock (they only read). Inside one
`BEGIN IMMEDIATE`: the next receipt number (the counter row is bumped in the same
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
from clerk_tui.domain.cashier.receipts import (
    ReceiptItemView,
    ReceiptView,
    TenderView,
    last_receipt_for_key,
    receipt_view,
)
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import (
    SessionView,
    check_open,
    current_session,
    session_from_row,
)
from clerk_tui.domain.cashier.tenders import Tender, TenderLine, TenderPlan, plan
from clerk_tui.domain.errors import ClerkError, StateError, ValidationError
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


# Everything a payment must know under the write lock, in one statement: whether this key was
# posted already (a second submit that won the lock), the clerk's open or balancing drawer,
# whether the day is closed, and the clerk's name for the receipt.
_PRECONDITIONS = (
    "SELECT (SELECT id FROM receipts WHERE idempotency_key = :key) AS done_id, "
    "EXISTS (SELECT 1 FROM closed_business_days WHERE business_date = :date) AS day_closed, "
    "(SELECT full_name FROM clerks WHERE username = :clerk) AS clerk_name, "
    # the receipt's language (issue 17): the customer's of the first account paid, read here
    # so the payment sends no statement more
    "(SELECT c.language FROM accounts a JOIN customers c ON c.id = a.customer_id "
    "WHERE a.id = :account) AS receipt_language, s.* "
    "FROM (SELECT 1) LEFT JOIN drawer_sessions s ON s.id = ("
    "SELECT id FROM drawer_sessions WHERE clerk = :clerk AND workstation = :ws "
    "AND state IN ('open','balancing') ORDER BY id DESC LIMIT 1)")
# The same for a payment into a named session of the clerk's own (a mail or lockbox batch's
# session, clerk_tui.domain.batches): no physical drawer, the batch is the till.
_PRECONDITIONS_IN = _PRECONDITIONS.split("LEFT JOIN")[0] + (
    "LEFT JOIN drawer_sessions s ON s.id = :sid AND s.clerk = :clerk")


def post_payment(db: Database, actor: Actor, idempotency_key: str, items: Sequence[SaleItem],
                 tenders: Sequence[Tender], *, payer: str = "",
                 session_id: int | None = None) -> PaymentResult:
    """Take a payment into the clerk's open drawer; returns the receipt to print.

    Pricing and tender checks run before the write lock is taken (they only read), so the
    lock is held for the writes and the few reads that must see the latest state (a sale with
    an item kind not `priced_before_lock`, e.g. a citation another clerk may be paying, is
    priced again under the lock, as every sale was before issue 12): the
    duplicate-submit check, the drawer and the day (one statement), the receipt counter
    (`RETURNING`), each account's balance after posting, and the audit chain. The receipt is
    built from what was written, not read back. An amount due that changed between pricing
    and posting (another clerk took a payment on the account) is refused and rolled back,
    rather than charged.

    `session_id` (batches only) posts into that session of the clerk's instead of the drawer
    open at this workstation: a mail batch's checks go to the batch's own session.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValueError("a payment needs an idempotency key (new_idempotency_key())")
    payer = clean_text(payer, field="Payer", max_len=80)
    for item in items:  # the cap before anything is written (price_items checks the rest)
        if item.amount_cents is not None:
            check_cents(item.amount_cents, "An item's amount")
    for t in tenders:
        check_cents(t.amount_cents, f"{t.kind.replace('_', ' ').capitalize()} tendered")
    business_date = clock.today().isoformat()
    try:
        authority().require(actor, "payment.take", what="take payments")
        try:
            preview = price_items(db, items)
            tp = plan_tenders(preview, tenders)
        except ClerkError:
            if session_id is None:
                _check_drawer(db, actor, business_date)  # a closed drawer or day is said first
            raise
    except ClerkError:
        # Enter pressed twice after the first submit posted: the account may owe nothing now,
        # yet the answer is the first receipt, not a refusal.
        done = last_receipt_for_key(db, key)
        if done is not None:
            return PaymentResult(done, True)
        raise
    kinds: list[ItemKind] = [get_kind(p.quote.kind) for p in preview.items]
    reprice = not all(k.priced_before_lock for k in kinds)
    try:
        with db.write():
            first_account = next((p.quote.account_id for p in preview.items
                                  if p.quote.account_id is not None), None)
            pre = db.one(_PRECONDITIONS if session_id is None else _PRECONDITIONS_IN,
                         {"key": key, "date": business_date, "clerk": actor.username,
                          "ws": actor.workstation, "sid": session_id,
                          "account": first_account})
            assert pre is not None  # one row, always (LEFT JOIN on a one-row select)
            if pre["done_id"] is not None:  # another submit won the lock
                return PaymentResult(receipt_view(db, int(pre["done_id"])), True)
            session = _usable(session_from_row(pre) if pre["id"] is not None else None,
                              bool(pre["day_closed"]), business_date)
            if reprice:  # a kind whose quote another posting can change: price it again here
                preview = price_items(db, items)
                tp = plan_tenders(preview, tenders)
                kinds = [get_kind(p.quote.kind) for p in preview.items]
            entries = [k.entry(p.quote, p.amount_cents) for k, p in zip(kinds, preview.items,
                                                                         strict=True)]
            number = int(db.scalar("UPDATE counters SET value = value + 1 "
                                   "WHERE name = 'receipt_number' RETURNING value"))
            issued_at = clock.stamp()
            ids: list[int] = []

            def insert_receipt(journal_id: int) -> int:
                ids.append(db.insert("receipts", {
                    "number": number, "journal_id": journal_id,
                    "drawer_session_id": session.id, "business_date": business_date,
                    "issued_at": issued_at, "clerk": actor.username,
                    "workstation": actor.workstation, "idempotency_key": key, "payer": payer,
                    "total_cents": tp.total_cents, "tendered_cents": tp.tendered_cents,
                    "change_cents": tp.change_cents}))
                return ids[0]

            posted = ledger.post(db, actor, "receipt",
                                 [*entries, *tp.drawer_entries(session.id)],
                                 business_date=business_date, memo=f"receipt {number}",
                                 attach_receipt=insert_receipt)
            rid = ids[0]
            lines: list[ReceiptItemView] = []
            for line, (k, p, item) in enumerate(zip(kinds, preview.items, items, strict=True),
                                                start=1):
                q = p.quote
                new_balance = k.new_balance(db, q)
                if not reprice:
                    _check_balance_unchanged(preview, p, item, new_balance)
                db.insert("receipt_items", {
                    "receipt_id": rid, "line": line, "kind": q.kind,
                    "reference": q.reference, "description": q.description,
                    "amount_cents": p.amount_cents, "fund": q.fund,
                    "gl_code": q.gl_code, "account_id": q.account_id,
                    "new_balance_cents": new_balance})
                lines.append(ReceiptItemView(line, q.kind, q.reference, q.description,
                                             p.amount_cents, q.fund, q.gl_code, q.account_id,
                                             new_balance))
                k.after_post(db, actor, q, p.amount_cents, rid)
            insert_tenders(db, rid, tp.lines)
            audit.record(db, actor, "payment.post", f"receipt:{number}", after={
                "number": number, "total_cents": tp.total_cents,
                "tendered_cents": tp.tendered_cents, "change_cents": tp.change_cents,
                "items": [[p.quote.kind, p.quote.reference, p.amount_cents]
                          for p in preview.items],
                "tenders": [[t.kind, t.tendered_cents] for t in tp.lines],
                "drawer_session_id": session.id})
            return PaymentResult(ReceiptView(
                id=rid, number=number, business_date=business_date, issued_at=issued_at,
                clerk=actor.username, clerk_name=pre["clerk_name"] or actor.username,
                workstation=actor.workstation, drawer_session_id=session.id,
                journal_id=posted.journal_id, payer=payer, items=tuple(lines),
                tenders=tuple(TenderView(n, t.kind, t.applied_cents, t.tendered_cents,
                                         t.number, t.card_last4, t.auth_code)
                              for n, t in enumerate(tp.lines, start=1)),
                total_cents=tp.total_cents, tendered_cents=tp.tendered_cents,
                change_cents=tp.change_cents, void=None,
                training=db.kind() == "training",
                language=pre["receipt_language"] or "en"), False)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("That business day is closed; no more payments.") from None
        raise


def _usable(session: SessionView | None, day_closed: bool, business_date: str) -> SessionView:
    """The clerk's drawer if it may take this payment; else the reason, for the clerk."""
    session = check_open(session)
    if session.business_date != business_date:
        raise StateError(f"Your drawer was opened on {session.business_date}: balance "
                         "it and open a new one for today.")
    if day_closed:
        raise StateError(f"Business day {business_date} is closed; no more payments.")
    return session


def _check_drawer(db: Database, actor: Actor, business_date: str) -> None:
    """Raise what the drawer or the day says against a payment (read without the lock): a
    sale refused for its items is first refused for a drawer that cannot take it."""
    _usable(current_session(db, actor), day_is_closed(db, business_date), business_date)


def _check_balance_unchanged(preview: SalePreview, priced: PricedItem, item: SaleItem,
                             new_balance: int | None) -> None:
    """An item taken at its amount due and priced before the lock (kinds `priced_before_lock`,
    whose `new_balance` is the balance after this sale's ledger entries): if the balance after
    posting is not the priced balance less this sale's payments on the account, someone posted
    to it in between, and the amount taken is no longer what is due. Refuse (the caller's
    transaction rolls back, the receipt number with it); the clerk prices the sale again."""
    q = priced.quote
    if item.amount_cents is not None or q.balance_cents is None or new_balance is None:
        return
    paid = sum(p.amount_cents for p in preview.items
               if p.quote.kind == q.kind and p.quote.account_id == q.account_id)
    if new_balance != q.balance_cents - paid:
        raise StateError(f"{q.description}: the amount due changed while this sale was open "
                         "(another payment?). Nothing was posted; price the sale again.")
