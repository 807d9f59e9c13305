"""Closing a drawer: a blind count, the over/short, and the supervisor's approval.

The clerk counts by denomination and lists checks and money orders without ever seeing what the
drawer should hold; only `submit_count` returns expected vs counted, once the count is on file
(one count per session: a recount needs a supervisor to reopen the drawer). The difference is
posted at once as an over/short journal (drawer against the over/short GL), so the drawer book
then equals what is really there. Within the tolerance in `data/authority.toml` the session is
balanced; beyond it, it stays in balancing (the clerk cannot open another drawer at that
workstation) until a supervisor with enough over/short authority approves it with a note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.denominations import DrawerCount
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import (
    SessionView,
    current_session,
    drawer_totals,
    get_session,
    record_count,
    transition,
)
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.text import clean_text

COUNTED = ("cash", "check", "money_order")


@dataclass(frozen=True)
class CloseResult:
    """Shown to the clerk only after the blind count is submitted."""

    session_id: int
    state: str
    expected: dict[str, int]
    counted: dict[str, int]
    over_short: dict[str, int]
    over_short_cents: int
    tolerance_cents: int
    needs_approval: bool
    card_cents: int
    missing_checks: tuple[str, ...]
    unexpected_checks: tuple[str, ...]
    count_id: int
    over_short_journal_id: int | None


def _balancing(db: Database, actor: Actor) -> SessionView:
    """The clerk's drawer at this workstation, moved from open to balancing if it was open
    (inside the caller's write): balancing and counting both start this way."""
    s = current_session(db, actor)
    if s is None:
        raise StateError("You have no drawer open at this workstation.")
    if s.state == "open":
        transition(db, actor, s, "balancing")
        s = get_session(db, s.id)
    return s


def begin_balancing(db: Database, actor: Actor) -> SessionView:
    """Stop taking payments so the drawer can be counted."""
    authority().require(actor, "drawer.close", what="close a drawer")
    with db.write():
        return _balancing(db, actor)


def resume_session(db: Database, actor: Actor) -> SessionView:
    """Back from balancing to open, only while nothing has been counted (pressed by mistake)."""
    with db.write():
        s = current_session(db, actor)
        if s is None or s.state != "balancing":
            raise StateError("Your drawer is not being balanced.")
        if current_count(db, s.id) is not None:
            raise StateError("The drawer is counted; only a supervisor can reopen it.")
        transition(db, actor, s, "open", reason="resumed before counting")
        return get_session(db, s.id)


def current_count(db: Database, session_id: int) -> dict[str, Any] | None:
    """The closing count in force: the latest one not followed by a reopen."""
    return db.one(
        "SELECT * FROM drawer_counts c WHERE c.drawer_session_id = ? AND c.kind = 'closing' "
        "AND NOT EXISTS (SELECT 1 FROM drawer_session_events e WHERE "
        "e.drawer_session_id = c.drawer_session_id AND e.to_state = 'open' AND e.id > c.event_id)"
        " ORDER BY c.event_id DESC LIMIT 1", [session_id])


def expected_checks(db: Database, session_id: int) -> list[str]:
    """Check numbers taken in the session on receipts that were not voided."""
    return [r["check_number"] for r in db.all(
        "SELECT t.check_number FROM tenders t JOIN receipts r ON r.id = t.receipt_id "
        "WHERE r.drawer_session_id = ? AND t.kind = 'check' AND NOT EXISTS "
        "(SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id AND v.kind = 'void') "
        "ORDER BY t.id", [session_id])]


def submit_count(db: Database, actor: Actor, count: DrawerCount) -> CloseResult:
    """Record the blind count and return the over/short (the only place it is revealed)."""
    authority().require(actor, "drawer.close", what="close a drawer")
    count.validate()
    tolerance = authority().over_short_tolerance
    with db.write():
        s = _balancing(db, actor)
        if current_count(db, s.id) is not None:
            raise StateError("This drawer is already counted; a supervisor must approve it "
                             "or reopen it for a recount.")
        book = drawer_totals(db, s.id)
        expected = {"cash": s.opening_bank_cents + book.get("cash", 0),
                    "check": book.get("check", 0), "money_order": book.get("money_order", 0)}
        counted = {"cash": count.cash_cents, "check": count.check_cents,
                   "money_order": count.money_order_cents}
        diff = {k: counted[k] - expected[k] for k in COUNTED}
        total = sum(diff.values())
        journal_id = None
        if any(diff.values()):
            r = rules()
            entries = []
            for k in COUNTED:
                if diff[k]:
                    entries += [
                        ledger.Entry(book="drawer", kind="over_short", amount_cents=diff[k],
                                     drawer_session_id=s.id, tender=k),
                        ledger.Entry(book="revenue", kind="over_short", amount_cents=-diff[k],
                                     fund=r.gl["over_short_fund"], gl_code=r.gl["over_short"],
                                     tender=k)]
            journal_id = ledger.post(db, actor, "over_short", entries,
                                     memo=f"drawer {s.id} over/short").journal_id
        needs_approval = abs(total) > tolerance
        if needs_approval:
            event_id = transition(db, actor, s, "balancing", reason="counted; over/short "
                                  "beyond tolerance")
        else:
            event_id = transition(db, actor, s, "balanced", reason="counted")
        count_id = record_count(db, s.id, "closing", event_id, actor, count,
                                expected_cents=sum(expected.values()), over_short_cents=total,
                                over_short_journal_id=journal_id)
        exp_checks = Counter(expected_checks(db, s.id))
        got_checks = Counter(c.number.strip() for c in count.checks)
        result = CloseResult(
            s.id, "balancing" if needs_approval else "balanced", expected, counted, diff, total,
            tolerance, needs_approval, book.get("card", 0),
            tuple(sorted((exp_checks - got_checks).elements())),
            tuple(sorted((got_checks - exp_checks).elements())), count_id, journal_id)
        audit.record(db, actor, "drawer.count", f"drawer_session:{s.id}", after={
            "expected": expected, "counted": counted, "over_short_cents": total,
            "needs_approval": needs_approval, "count_id": count_id})
    return result


def approval_note_problem(state: str, note: str) -> str | None:
    """Why `note` will not do for approving a drawer in `state`, or None.

    A drawer still *balancing* after its count is beyond tolerance: the supervisor must say
    why the over/short is accepted. The screen asks this before it lets the note dialog go,
    so an empty note keeps the dialog open; `approve_session` applies the same rule."""
    if state == "balancing" and not note.strip():
        return "Say why the over/short is accepted."
    return None


def approve_session(db: Database, actor: Actor, session_id: int, note: str = "", *,
                    override: Override | None = None) -> SessionView:
    """A supervisor signs off a counted drawer; beyond tolerance they need over/short
    authority for the amount and must say why."""
    authority().require(actor, "drawer.approve", what="approve a drawer")
    note = clean_text(note, field="Note", max_len=200)
    with db.write():
        s = get_session(db, session_id)
        if s.clerk == actor.username:
            raise PermissionDenied("You cannot approve your own drawer.")
        c = current_count(db, s.id)
        if c is None or s.state not in ("balancing", "balanced"):
            raise StateError(f"Drawer {s.id} is {s.state}, not counted and waiting for approval.")
        if s.state == "balancing":
            amount = abs(c["over_short_cents"])
            approver = authority().require(actor, "drawer.over_short", amount_cents=amount,
                                           limit="over_short", override=override,
                                           what="approve an over/short")
            problem = approval_note_problem(s.state, note)
            if problem:
                raise ValidationError(problem)
            transition(db, actor, s, "balanced", reason=note, override_by=approver)
            s = get_session(db, s.id)
        transition(db, actor, s, "approved", reason=note)
        return get_session(db, s.id)


def reopen_session(db: Database, actor: Actor, session_id: int, reason: str) -> SessionView:
    """A supervisor reopens a counted drawer (recount, or a payment to add): the over/short
    posted for the old count is reversed and the drawer takes payments again."""
    authority().require(actor, "drawer.reopen", what="reopen a drawer")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    try:
        with db.write():
            s = get_session(db, session_id)
            if s.state == "open":
                raise StateError(f"Drawer {s.id} is already open.")
            c = current_count(db, s.id)
            if c is not None and c["over_short_journal_id"]:
                ledger.reverse(db, actor, c["over_short_journal_id"], "over_short.reopen",
                               business_date=clock.today().isoformat(),
                               memo=f"drawer {s.id} reopened: {reason}")
            transition(db, actor, s, "open", reason=reason)
            return get_session(db, s.id)
    except IntegrityError as e:
        raise StateError(str(e)) from None


def awaiting_approval(db: Database) -> list[SessionView]:
    """Counted drawers a supervisor still has to approve (oldest first)."""
    ids = [r["id"] for r in db.all(
        "SELECT id FROM drawer_sessions WHERE state IN ('balancing','balanced') ORDER BY id")]
    return [get_session(db, i) for i in ids if current_count(db, i) is not None]
