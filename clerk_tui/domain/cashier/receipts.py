"""ReceiptView: everything a printed receipt (or a reprint, or a screen) needs, as plain data.

Built from the stored rows only, so a reprint a week later shows exactly what was posted; the
printer adds the city's name/address and the barcode, and marks reprints DUPLICATE.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.tenders import DRAWER_KINDS
from clerk_tui.domain.errors import NotFound


@dataclass(frozen=True)
class ReceiptItemView:
    line: int
    kind: str
    reference: str
    description: str
    amount_cents: int
    fund: str
    gl_code: str
    account_id: int | None
    new_balance_cents: int | None


@dataclass(frozen=True)
class TenderView:
    line: int
    kind: str
    amount_cents: int
    tendered_cents: int
    check_number: str | None
    card_last4: str | None
    auth_code: str | None


@dataclass(frozen=True)
class VoidView:
    kind: str  # void | reversal | nsf
    at: str
    clerk: str
    reason_code: str
    reason: str
    override_by: str | None


@dataclass(frozen=True)
class ReceiptView:
    id: int
    number: int
    business_date: str
    issued_at: str
    clerk: str
    clerk_name: str
    workstation: str
    drawer_session_id: int
    journal_id: int
    payer: str
    items: tuple[ReceiptItemView, ...]
    tenders: tuple[TenderView, ...]
    total_cents: int
    tendered_cents: int
    change_cents: int
    void: VoidView | None
    training: bool
    duplicate: bool = False
    language: str = "en"
    """The customer's language (customers.language) of the first account paid: the receipt's
    fixed wording prints in it. A receipt for no account (a permit, a fee) is in English."""

    @property
    def voided(self) -> bool:
        return self.void is not None

    @property
    def opens_drawer(self) -> bool:
        return self.change_cents > 0 or any(t.kind in DRAWER_KINDS for t in self.tenders)


def receipt_view(db: Database, receipt_id: int) -> ReceiptView:
    r = db.one("SELECT r.*, coalesce(c.full_name, r.clerk) AS clerk_name FROM receipts r "
               "LEFT JOIN clerks c ON c.username = r.clerk WHERE r.id = ?", [receipt_id])
    if not r:
        raise NotFound(f"No receipt with id {receipt_id}.")
    items = tuple(ReceiptItemView(
        i["line"], i["kind"], i["reference"], i["description"], i["amount_cents"], i["fund"],
        i["gl_code"], i["account_id"], i["new_balance_cents"])
        for i in db.all("SELECT * FROM receipt_items WHERE receipt_id = ? ORDER BY line",
                        [receipt_id]))
    tenders = tuple(TenderView(
        t["line"], t["kind"], t["amount_cents"], t["tendered_cents"], t["check_number"],
        t["card_last4"], t["auth_code"])
        for t in db.all("SELECT * FROM tenders WHERE receipt_id = ? ORDER BY line",
                        [receipt_id]))
    v = db.one("SELECT * FROM receipt_voids WHERE receipt_id = ?", [receipt_id])
    void = VoidView(v["kind"], v["at"], v["clerk"], v["reason_code"], v["reason"],
                    v["override_by"]) if v else None
    return ReceiptView(
        id=r["id"], number=r["number"], business_date=r["business_date"],
        issued_at=r["issued_at"], clerk=r["clerk"], clerk_name=r["clerk_name"],
        workstation=r["workstation"], drawer_session_id=r["drawer_session_id"],
        journal_id=r["journal_id"], payer=r["payer"], items=items, tenders=tenders,
        total_cents=r["total_cents"], tendered_cents=r["tendered_cents"],
        change_cents=r["change_cents"], void=void, training=db.kind() == "training",
        language=receipt_language(db, items))


def receipt_language(db: Database, items: tuple[ReceiptItemView, ...]) -> str:
    """The language the receipt prints in: the customer's of its first account item."""
    from clerk_tui.domain.language import account_language

    for item in items:
        if item.account_id is not None:
            return account_language(db, item.account_id)
    return "en"


def receipt_id_for_number(db: Database, number: int) -> int:
    rid = db.scalar("SELECT id FROM receipts WHERE number = ?", [number])
    if rid is None:
        raise NotFound(f"No receipt number {number}.")
    return int(rid)


def get_receipt(db: Database, number: int) -> ReceiptView:
    return receipt_view(db, receipt_id_for_number(db, number))


def last_receipt_for_key(db: Database, idempotency_key: str) -> ReceiptView | None:
    """"Did my last payment go through?" — the receipt posted with this key, if any."""
    rid = db.scalar("SELECT id FROM receipts WHERE idempotency_key = ?", [idempotency_key])
    return receipt_view(db, int(rid)) if rid is not None else None


def last_receipt_for_clerk(db: Database, actor: Actor) -> ReceiptView | None:
    rid = db.scalar("SELECT id FROM receipts WHERE clerk = ? AND workstation = ? "
                    "ORDER BY number DESC LIMIT 1", [actor.username, actor.workstation])
    return receipt_view(db, int(rid)) if rid is not None else None


def last_receipt_for_account(db: Database, account_id: int) -> ReceiptView | None:
    rid = db.scalar("SELECT r.id FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id "
                    "WHERE i.account_id = ? ORDER BY r.number DESC LIMIT 1", [account_id])
    return receipt_view(db, int(rid)) if rid is not None else None


def reprint(db: Database, actor: Actor, number: int) -> ReceiptView:
    """A copy marked DUPLICATE; audited, since a second receipt can be misused."""
    view = get_receipt(db, number)
    with db.write():
        audit.record(db, actor, "receipt.reprint", f"receipt:{number}")
    return replace(view, duplicate=True)
