"""Transmittals: executed applications gathered into an envelope (or batch) with its tracking
number, and the list that goes with it.

Status of an application: executed -> transmitted -> (the State Department asks for more)
returned -> re-sent in a later transmittal (`resent`). A mailed envelope leaves the day it is
made; a hand-carried one leaves when the courier takes it (`mark_left`). Either must leave
within the data's business days (`transmittal_business_days`, holidays from
data/utility/holidays.toml): `overdue()` lists what has not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.passports.applications import Application, get, list_by
from clerk_tui.domain.passports.rules import rules_on
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility.calendar import business_days_between

METHODS = ("mail", "hand")
_TRACKING = re.compile(r"^[0-9A-Z-]{6,40}$")


@dataclass(frozen=True)
class Transmittal:
    id: int
    tracking: str
    method: str
    created_on: dt.date
    created_by: str
    left_on: dt.date | None
    applications: tuple[Application, ...]


def ready(db: Database) -> list[Application]:
    """Applications waiting for an envelope: executed, or returned and completed again."""
    return list_by(db, "a.status IN ('executed', 'returned')", [], "a.executed_at, a.id")


def create(db: Database, actor: Actor, numbers: Sequence[str], tracking: str,
           method: str = "mail") -> Transmittal:
    """Seal `numbers` into one envelope with `tracking`; they become transmitted (re-sent)."""
    authority().require(actor, "passport.accept", what="send passport applications")
    tracking = re.sub(r"\s+", "", tracking or "").upper()
    if not _TRACKING.match(tracking):
        raise ValidationError("Tracking number: 6 to 40 letters, digits or -.")
    method = (method or "").strip().lower()
    if method not in METHODS:
        raise ValidationError("How it goes: mail or hand (hand-carried).")
    wanted = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not wanted:
        raise ValidationError("No applications to send.")
    today = clock.today()
    with db.write():
        if db.scalar("SELECT 1 FROM passport_transmittals WHERE tracking = ?", [tracking]):
            raise StateError(f"Tracking number {tracking} is already used.")
        apps = [get(db, n) for n in wanted]
        for a in apps:
            if a.status not in ("executed", "returned"):
                raise StateError(f"Application {a.number} is {a.status}: only executed (or "
                                 "returned) applications go into an envelope.")
        tid = db.insert("passport_transmittals", {
            "tracking": tracking, "method": method, "created_on": today.isoformat(),
            "created_at": clock.stamp(), "created_by": actor.username,
            "left_on": today.isoformat() if method == "mail" else None,
            "left_by": actor.username if method == "mail" else None})
        for a in apps:
            db.execute("UPDATE passport_applications SET transmittal_id = ?, status = ? "
                       "WHERE id = ?",
                       [tid, "resent" if a.status == "returned" else "transmitted", a.id])
        audit.record(db, actor, "passport.transmit", f"passport_transmittal:{tid}",
                     after={"tracking": tracking, "method": method,
                            "applications": [a.number for a in apps]})
    return get_transmittal(db, tid)


def get_transmittal(db: Database, tid: int | str) -> Transmittal:
    col = "id" if isinstance(tid, int) else "tracking"
    row = db.one(f"SELECT * FROM passport_transmittals WHERE {col} = ?",
                 [tid if isinstance(tid, int) else str(tid).strip().upper()])
    if row is None:
        raise NotFound(f"No transmittal {tid}.")
    apps = list_by(db, "a.transmittal_id = ?", [row["id"]])
    return Transmittal(row["id"], row["tracking"], row["method"],
                       dt.date.fromisoformat(row["created_on"]), row["created_by"],
                       dt.date.fromisoformat(row["left_on"]) if row["left_on"] else None,
                       tuple(apps))


def recent(db: Database, limit: int = 50) -> list[Transmittal]:
    return [get_transmittal(db, r["id"]) for r in db.all(
        "SELECT id FROM passport_transmittals ORDER BY id DESC LIMIT ?", [limit])]


def mark_left(db: Database, actor: Actor, tid: int) -> Transmittal:
    """A hand-carried envelope left the office today."""
    authority().require(actor, "passport.accept", what="send passport applications")
    with db.write():
        t = get_transmittal(db, tid)
        if t.left_on is not None:
            raise StateError(f"Envelope {t.tracking} left on {t.left_on.isoformat()}.")
        db.execute("UPDATE passport_transmittals SET left_on = ?, left_by = ? WHERE id = ?",
                   [clock.today().isoformat(), actor.username, t.id])
        audit.record(db, actor, "passport.transmittal_left", f"passport_transmittal:{t.id}",
                     after={"left_on": clock.today().isoformat()})
    return get_transmittal(db, tid)


def mark_returned(db: Database, actor: Actor, number: str, reason: str) -> Application:
    """The State Department sent an application back asking for more: it waits for the next
    envelope (then `resent`)."""
    authority().require(actor, "passport.accept", what="send passport applications")
    reason = clean_text(reason, field="What the State Department asked for", max_len=80,
                        required=True)
    with db.write():
        a = get(db, number)
        if a.status not in ("transmitted", "resent"):
            raise StateError(f"Application {a.number} is {a.status}: only a sent application "
                             "comes back.")
        db.execute("UPDATE passport_applications SET status = 'returned' WHERE id = ?", [a.id])
        audit.record(db, actor, "passport.returned", f"passport:{a.number}",
                     before={"status": a.status}, after={"status": "returned",
                                                         "reason": reason})
    return get(db, a.id)


@dataclass(frozen=True)
class Overdue:
    what: str  # "application" | "envelope"
    key: str
    since: dt.date
    business_days: int
    detail: str


def overdue(db: Database, on: dt.date | None = None) -> list[Overdue]:
    """Executed applications not yet in an envelope, and hand-carried envelopes not yet gone,
    past the data's business days (a returned application waits on the applicant: not late)."""
    on = on or clock.today()
    limit = rules_on(on).transmittal_business_days
    out: list[Overdue] = []
    for r in db.all("SELECT number, executed_on, executed_by FROM passport_applications "
                    "WHERE status = 'executed' AND executed_on IS NOT NULL "
                    "ORDER BY executed_on, id"):  # a returned one waits on the applicant
        since = dt.date.fromisoformat(r["executed_on"])
        days = business_days_between(since, on)
        if days > limit:
            out.append(Overdue("application", r["number"], since, days,
                               f"executed by {r['executed_by']}, not in an envelope"))
    for r in db.all("SELECT tracking, created_on, created_by FROM passport_transmittals "
                    "WHERE method = 'hand' AND left_on IS NULL ORDER BY created_on, id"):
        since = dt.date.fromisoformat(r["created_on"])
        days = business_days_between(since, on)
        if days > limit:
            out.append(Overdue("envelope", r["tracking"], since, days,
                               f"hand-carried, made by {r['created_by']}, not gone"))
    return out
