"""Drawer sessions: who is responsible for which cash, from opening bank to approval.

A session is one clerk at one workstation: open → balancing (counting; no new payments) →
balanced → approved (a supervisor). The state is a plain UPDATE on drawer_sessions, but every
transition is also written to drawer_session_events and to the audit chain, so the history of a
drawer can be replayed. The opening bank is the float borrowed from the safe: it is not posted
to the ledger (it is not income), so what the drawer should hold is the bank plus the drawer
book's entries for the session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.denominations import BY_CODE, DrawerCount, make_change
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.training import require_training_for

STATES = ("open", "balancing", "balanced", "approved")
BATCH_WORKSTATION = "batch:"
"""A mail/drop-box/lockbox batch's session (clerk_tui.domain.batches) has the workstation
`batch:<batch id>`: it holds the batch's checks in the drawer book like a drawer, but it is no
drawer (no count, no bank), so drawer lists leave it out and the deposit lists it apart."""


@dataclass(frozen=True)
class SessionView:
    id: int
    clerk: str
    workstation: str
    business_date: str
    opened_at: str
    opening_bank_cents: int
    state: str
    closed_at: str | None


def session_from_row(row: dict) -> SessionView:
    """A drawer_sessions row (or a row holding its columns) as a SessionView."""
    return _view(row)


def _view(row: dict) -> SessionView:
    return SessionView(row["id"], row["clerk"], row["workstation"], row["business_date"],
                       row["opened_at"], row["opening_bank_cents"], row["state"],
                       row["closed_at"])


def get_session(db: Database, session_id: int) -> SessionView:
    row = db.one("SELECT * FROM drawer_sessions WHERE id = ?", [session_id])
    if not row:
        raise NotFound(f"No drawer session {session_id}.")
    return _view(row)


def current_session(db: Database, actor: Actor) -> SessionView | None:
    """The clerk's open or balancing session at this workstation, if any."""
    row = db.one("SELECT * FROM drawer_sessions WHERE clerk = ? AND workstation = ? "
                 "AND state IN ('open','balancing') ORDER BY id DESC LIMIT 1",
                 [actor.username, actor.workstation])
    return _view(row) if row else None


def latest_session(db: Database, actor: Actor) -> SessionView | None:
    """The clerk's most recent session at this workstation, whatever its state (Z report)."""
    row = db.one("SELECT * FROM drawer_sessions WHERE clerk = ? AND workstation = ? "
                 "ORDER BY id DESC LIMIT 1", [actor.username, actor.workstation])
    return _view(row) if row else None


def require_open(db: Database, actor: Actor) -> SessionView:
    """No money moves without an open drawer; balancing drawers take no new payments."""
    return check_open(current_session(db, actor))


def check_open(s: SessionView | None) -> SessionView:
    """`require_open` for a session already read (a payment reads it with its other checks)."""
    if s is None:
        raise StateError("Open your drawer first (F8): no payment without a drawer session.")
    if s.state != "open":
        raise StateError("Your drawer is being balanced; it takes no new payments.")
    return s


def list_sessions(db: Database, *, state: str | None = None,
                  business_date: str | None = None) -> list[SessionView]:
    sql, args = "SELECT * FROM drawer_sessions WHERE workstation NOT LIKE 'batch:%'", []
    if state:
        sql += " AND state = ?"
        args.append(state)
    if business_date:
        sql += " AND business_date = ?"
        args.append(business_date)
    return [_view(r) for r in db.all(sql + " ORDER BY id", args)]


def record_count(db: Database, session_id: int, kind: str, event_id: int, actor: Actor,
                 count: DrawerCount, **extra: int | None) -> int:
    """Insert a count with its denomination lines and listed checks/money orders."""
    count_id = db.insert("drawer_counts", {
        "drawer_session_id": session_id, "kind": kind, "event_id": event_id,
        "at": clock.stamp(), "clerk": actor.username,
        "currency_cents": count.currency_cents, "coin_cents": count.coin_cents,
        "check_cents": count.check_cents, "money_order_cents": count.money_order_cents, **extra,
    })
    for code, qty in count.denominations.items():
        unit = BY_CODE[code].unit_cents
        db.insert("drawer_count_lines", {"count_id": count_id, "denomination": code,
                                         "unit_cents": unit, "quantity": qty,
                                         "amount_cents": unit * qty})
    for kind_, items in (("check", count.checks), ("money_order", count.money_orders)):
        for it in items:
            db.insert("drawer_count_items", {"count_id": count_id, "kind": kind_,
                                             "number": it.number.strip(),
                                             "amount_cents": it.amount_cents})
    return count_id


def transition(db: Database, actor: Actor, session: SessionView, to_state: str, *,
               reason: str = "", override_by: str | None = None) -> int:
    """Change a session's state, with its history row and audit row; returns the event id."""
    if not db.in_write:
        raise RuntimeError("transition must run inside db.write()")
    require_training_for(db, actor.role, "counting or closing a drawer")
    closed_at = clock.stamp() if to_state in ("balanced", "approved") else None
    if to_state in ("balanced", "approved") and session.closed_at:
        closed_at = session.closed_at
    try:
        db.execute("UPDATE drawer_sessions SET state = ?, closed_at = ? WHERE id = ?",
                   [to_state, closed_at, session.id])
    except IntegrityError as e:
        if "UNIQUE" in str(e):
            raise StateError(f"{session.clerk} already has another drawer open at "
                             f"{session.workstation}; close it first.") from None
        raise StateError(str(e)) from None
    event_id = db.insert("drawer_session_events", {
        "drawer_session_id": session.id, "at": clock.stamp(), "clerk": actor.username,
        "from_state": session.state, "to_state": to_state, "reason": reason,
        "override_by": override_by})
    audit.record(db, actor, f"drawer.{to_state}", f"drawer_session:{session.id}",
                 before={"state": session.state}, after={"state": to_state, "reason": reason},
                 override_by=override_by)
    return event_id


def open_session(db: Database, actor: Actor, count: DrawerCount | None = None) -> SessionView:
    """Open the clerk's drawer with a starting bank counted by denomination.

    Without a count the bank is the default in `data/authority.toml` (the float the safe hands
    out), recorded as a plain count of bills so the opening is still on file.
    """
    authority().require(actor, "drawer.open", what="open a drawer")
    require_training_for(db, actor.role, "opening a drawer")
    if count is None:
        count = DrawerCount(make_change(authority().default_opening_bank))
    count.validate()
    if count.check_cents or count.money_order_cents:
        raise ValidationError("An opening bank is cash only.")
    with db.write():
        if current_session(db, actor):
            raise StateError("You already have a drawer open at this workstation.")
        try:
            sid = db.insert("drawer_sessions", {
                "clerk": actor.username, "workstation": actor.workstation,
                "business_date": clock.today().isoformat(), "opened_at": clock.stamp(),
                "opening_bank_cents": count.cash_cents, "state": "open"})
        except IntegrityError:
            raise StateError("You already have a drawer open at this workstation.") from None
        event_id = db.insert("drawer_session_events", {
            "drawer_session_id": sid, "at": clock.stamp(), "clerk": actor.username,
            "from_state": None, "to_state": "open", "reason": ""})
        record_count(db, sid, "opening", event_id, actor, count)
        session = get_session(db, sid)
        audit.record(db, actor, "drawer.open", f"drawer_session:{sid}", after=asdict(session))
    return session


def drawer_totals(db: Database, session_id: int) -> dict[str, int]:
    """The drawer book for a session by tender (cash excludes the opening bank)."""
    rows = db.all("SELECT tender, sum(amount_cents) AS cents FROM ledger_entries "
                  "WHERE book = 'drawer' AND drawer_session_id = ? GROUP BY tender",
                  [session_id])
    return {r["tender"] or "cash": int(r["cents"]) for r in rows}


def cash_on_hand(db: Database, session: SessionView) -> int:
    """Cash the drawer should hold now: bank + cash in - cash out."""
    return session.opening_bank_cents + drawer_totals(db, session.id).get("cash", 0)
