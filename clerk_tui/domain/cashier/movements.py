"""Cash that enters or leaves a drawer without a sale: paid-in, paid-out, pickup.

Each is a ledger journal (drawer against a clearing GL from `data/cashier.toml`) plus a
cash_movements row saying why, so the drawer's expected cash stays right and the X report can
list them. A paid-out is a petty-cash voucher: it needs a reason and is limited by role.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import clean_text

SIGN = {"paid_in": 1, "paid_out": -1, "pickup": -1}
LABELS = {"paid_in": "paid-in", "paid_out": "paid-out", "pickup": "cash pickup"}


@dataclass(frozen=True)
class CashMovement:
    id: int
    drawer_session_id: int
    kind: str
    amount_cents: int
    reason: str
    voucher: str
    journal_id: int
    at: str
    clerk: str
    override_by: str | None


def _move(db: Database, actor: Actor, kind: str, amount_cents: int, reason: str, voucher: str,
          override: Override | None, limit: str | None) -> CashMovement:
    check_cents(amount_cents, f"The {LABELS[kind]} amount")
    if amount_cents <= 0:
        raise ValidationError(f"Enter the {LABELS[kind]} amount.")
    reason = clean_text(reason, field="Reason", max_len=200, required=kind != "pickup")
    voucher = clean_text(voucher, field="Voucher number", max_len=30,
                         required=kind == "paid_out")
    approver = authority().require(actor, f"drawer.{kind}", amount_cents=amount_cents,
                                   limit=limit, override=override, what=LABELS[kind])
    with db.write():
        session = require_open(db, actor)
        if SIGN[kind] < 0 and amount_cents > cash_on_hand(db, session):
            raise ValidationError(f"The drawer should hold only "
                                  f"{format_money(cash_on_hand(db, session))} in cash.")
        signed = SIGN[kind] * amount_cents
        posted = ledger.post(db, actor, kind, [
            ledger.Entry(book="drawer", kind=kind, amount_cents=signed,
                         drawer_session_id=session.id, tender="cash", memo=reason),
            ledger.Entry(book="clearing", kind=kind, amount_cents=-signed,
                         gl_code=rules().gl[kind], memo=reason),
        ], memo=f"{LABELS[kind]}: {reason}".strip(": "))
        at = clock.stamp()
        mid = db.insert("cash_movements", {
            "drawer_session_id": session.id, "kind": kind, "amount_cents": amount_cents,
            "reason": reason, "voucher": voucher, "journal_id": posted.journal_id, "at": at,
            "clerk": actor.username, "override_by": approver})
        movement = CashMovement(mid, session.id, kind, amount_cents, reason, voucher,
                                posted.journal_id, at, actor.username, approver)
        audit.record(db, actor, f"drawer.{kind}", f"drawer_session:{session.id}",
                     after=asdict(movement), override_by=approver)
    return movement


def paid_in(db: Database, actor: Actor, amount_cents: int, reason: str, *,
            override: Override | None = None) -> CashMovement:
    """Cash put into the drawer that is not a sale (e.g. petty cash returned)."""
    return _move(db, actor, "paid_in", amount_cents, reason, "", override, None)


def paid_out(db: Database, actor: Actor, amount_cents: int, reason: str, voucher: str, *,
             override: Override | None = None) -> CashMovement:
    """A petty-cash voucher paid from the drawer; above the role's `paid_out` limit a
    supervisor must approve."""
    return _move(db, actor, "paid_out", amount_cents, reason, voucher, override, "paid_out")


def pickup(db: Database, actor: Actor, amount_cents: int, reason: str = "", *,
           bag: str = "", override: Override | None = None) -> CashMovement:
    """A mid-day drop of cash to the safe (bag number optional), so less sits in the drawer."""
    return _move(db, actor, "pickup", amount_cents, reason, bag, override, None)


def movements(db: Database, session_id: int) -> list[CashMovement]:
    return [CashMovement(**r) for r in db.all(
        "SELECT id, drawer_session_id, kind, amount_cents, reason, voucher, journal_id, at, "
        "clerk, override_by FROM cash_movements WHERE drawer_session_id = ? ORDER BY id",
        [session_id])]
