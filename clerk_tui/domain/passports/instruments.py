"""The State Department's fee: a pass-through instrument, never city money.

The applicant pays the State fee by check or money order made out to "U.S. Department of
State"; the agent records its number, amount and payer here and seals it in the envelope with
the application(s) it pays. Nothing in this module touches a drawer, a receipt, the ledger, a
drawer count or a deposit, and no cashier code reads `passport_instruments`: the instrument
travels with its applications to the State Department (tests/domain/passports/
test_pass_through.py proves the drawer, X/Z and deposit are byte-identical with and without).

One family check may pay several applications: it is recorded once and linked to each, and
its amount must equal the sum of their State fees (the State Department rejects a check that
does not match).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.passports.applications import get
from clerk_tui.domain.text import clean_text

KINDS = ("check", "money_order")
_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,20}$")


@dataclass(frozen=True)
class Instrument:
    id: int
    kind: str
    number: str
    amount_cents: int
    payer: str | None
    applications: tuple[str, ...]


def record(db: Database, actor: Actor, numbers: Sequence[str], kind: str, number: str,
           amount_cents: int, payer: str) -> Instrument:
    """Record the applicant's check/money order to the State Department for `numbers`."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    kind = (kind or "").strip().lower().replace(" ", "_")
    if kind not in KINDS:
        raise ValidationError("State fee: a check or a money order (never cash or a card: the "
                              "State Department takes no cash at a facility).")
    number = (number or "").strip()
    if not _NUMBER.match(number):
        raise ValidationError("Check/money order number: 1 to 20 letters, digits or -.")
    payer = clean_text(payer, field="Payer", max_len=80, required=True)
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise ValidationError("The instrument's amount must be more than $0.00.")
    check_cents(amount_cents, "The instrument's amount")  # the domain's cap, like every amount
    wanted = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not wanted:
        raise ValidationError("Name the application(s) this check pays.")
    with db.write():
        apps = [get(db, n) for n in wanted]
        for a in apps:
            if a.status != "open":
                raise StateError(f"Application {a.number} is {a.status}: its State fee was "
                                 "settled when it was executed.")
            if a.instrument_id is not None:
                raise StateError(f"Application {a.number} already has its State fee: "
                                 f"{a.instrument}.")
        due = sum(a.state_fee_cents for a in apps)
        if amount_cents != due:
            raise ValidationError(
                f"The State fee for {', '.join(a.number for a in apps)} is {format_money(due)}; "
                f"the {kind.replace('_', ' ')} is for {format_money(amount_cents)}. The "
                "applicant must write it for the exact amount.")
        iid = db.insert("passport_instruments", {
            "kind": kind, "number": number, "amount_cents": amount_cents, "payer": payer,
            "recorded_by": actor.username, "recorded_at": clock.stamp()})
        for a in apps:
            db.execute("UPDATE passport_applications SET instrument_id = ? WHERE id = ?",
                       [iid, a.id])
        audit.record(db, actor, "passport.state_fee_instrument", f"passport_instrument:{iid}",
                     after={"kind": kind, "number": number, "amount_cents": amount_cents,
                            "applications": [a.number for a in apps], "pass_through": True})
    return Instrument(iid, kind, number, amount_cents, payer, tuple(a.number for a in apps))


def get_instrument(db: Database, iid: int) -> Instrument:
    row = db.one("SELECT * FROM passport_instruments WHERE id = ?", [iid])
    if row is None:
        raise ValidationError(f"No State fee instrument {iid}.")
    apps = tuple(r["number"] for r in db.all(
        "SELECT number FROM passport_applications WHERE instrument_id = ? ORDER BY id", [iid]))
    return Instrument(row["id"], row["kind"], row["number"], row["amount_cents"], row["payer"],
                      apps)


def void(db: Database, actor: Actor, number: str, reason: str) -> Instrument:
    """Take back a State fee instrument recorded wrong (a mistyped number, the applicant
    wrote a new check) while every application it pays is still open: it is marked void and
    unlinked from them, so the right one can be recorded. Once any of them is executed the
    instrument is sealed in the envelope and stays."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    reason = clean_text(reason, field="Reason", max_len=80, required=True)
    with db.write():
        app = get(db, number)
        if app.instrument_id is None:
            raise StateError(f"Application {app.number} has no State fee instrument.")
        inst = get_instrument(db, app.instrument_id)
        for n in inst.applications:
            if get(db, n).status != "open":
                raise StateError(f"Application {n} is executed: its State fee instrument is "
                                 "sealed with it.")
        db.execute("UPDATE passport_applications SET instrument_id = NULL "
                   "WHERE instrument_id = ?", [inst.id])
        db.execute("UPDATE passport_instruments SET voided_at = ?, voided_by = ?, "
                   "void_reason = ? WHERE id = ?",
                   [clock.stamp(), actor.username, reason, inst.id])
        audit.record(db, actor, "passport.state_fee_instrument_void",
                     f"passport_instrument:{inst.id}",
                     before={"applications": list(inst.applications)},
                     after={"reason": reason})
    return inst
