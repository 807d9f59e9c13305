"""The appointment book: slots per agent per day from the data; book, move, cancel, no-show.

Why per agent: only a certified agent can take an application, so a slot belongs to one
agent, and a lapsed agent (on the day of the appointment) cannot be booked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.passports.agents import require_agent
from clerk_tui.domain.passports.applications import parse_date
from clerk_tui.domain.passports.rules import rules_on
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility.calendar import is_business_day


@dataclass(frozen=True)
class Appointment:
    id: int
    day: dt.date
    slot: str
    agent: str
    name: str | None
    status: str


def _row(r: dict) -> Appointment:
    return Appointment(r["id"], dt.date.fromisoformat(r["day"]), r["slot"], r["agent"],
                       r["name"], r["status"])


def get(db: Database, aid: int) -> Appointment:
    r = db.one("SELECT * FROM passport_appointments WHERE id = ?", [aid])
    if r is None:
        raise NotFound(f"No appointment {aid}.")
    return _row(r)


def day_book(db: Database, day: dt.date | None = None) -> list[Appointment]:
    """Who is coming on `day` (cancelled ones left out), by time."""
    day = day or clock.today()
    return [_row(r) for r in db.all(
        "SELECT * FROM passport_appointments WHERE day = ? AND status <> 'cancelled' "
        "ORDER BY slot, agent", [day.isoformat()])]


def free_slots(db: Database, day: dt.date, agent: str) -> list[str]:
    taken = {r["slot"] for r in db.all(
        "SELECT slot FROM passport_appointments WHERE day = ? AND agent = ? "
        "AND status IN ('booked', 'arrived')", [day.isoformat(), agent])}
    return [s for s in rules_on(day).slots() if s not in taken]


def _check_slot(db: Database, day: dt.date, slot: str, agent: str) -> None:
    if day < clock.today():
        raise ValidationError(f"{day.isoformat()} is in the past.")
    if not is_business_day(day):
        raise ValidationError(f"{day.isoformat()} is not a business day.")
    if slot not in rules_on(day).slots():
        raise ValidationError(f"{slot!r} is not a slot: {', '.join(rules_on(day).slots())}.")
    require_agent(db, agent, day)
    if slot not in free_slots(db, day, agent):
        raise StateError(f"{agent} is already booked at {slot} on {day.isoformat()}.")


def book(db: Database, actor: Actor, day: str | dt.date, slot: str, agent: str,
         name: str) -> Appointment:
    authority().require(actor, "passport.accept", what="book passport appointments")
    d = parse_date(day, "Day")
    slot = (slot or "").strip()
    name = clean_text(name, field="Name", max_len=80, required=True)
    with db.write():
        _check_slot(db, d, slot, agent)
        aid = db.insert("passport_appointments", {
            "day": d.isoformat(), "slot": slot, "agent": agent, "name": name,
            "booked_by": actor.username, "booked_at": clock.stamp()})
        audit.record(db, actor, "passport.appointment_book", f"passport_appointment:{aid}",
                     after={"day": d.isoformat(), "slot": slot, "agent": agent})
    return get(db, aid)


def move(db: Database, actor: Actor, aid: int, day: str | dt.date, slot: str,
         agent: str | None = None) -> Appointment:
    authority().require(actor, "passport.accept", what="book passport appointments")
    d = parse_date(day, "Day")
    with db.write():
        a = get(db, aid)
        if a.status != "booked":
            raise StateError(f"That appointment is {a.status.replace('_', '-')}.")
        agent = agent or a.agent
        db.execute("UPDATE passport_appointments SET status = 'cancelled' WHERE id = ?", [aid])
        _check_slot(db, d, slot.strip(), agent)
        db.execute("UPDATE passport_appointments SET day = ?, slot = ?, agent = ?, "
                   "status = 'booked' WHERE id = ?", [d.isoformat(), slot.strip(), agent, aid])
        audit.record(db, actor, "passport.appointment_move", f"passport_appointment:{aid}",
                     before={"day": a.day.isoformat(), "slot": a.slot, "agent": a.agent},
                     after={"day": d.isoformat(), "slot": slot.strip(), "agent": agent})
    return get(db, aid)


def _status(db: Database, actor: Actor, aid: int, status: str) -> Appointment:
    authority().require(actor, "passport.accept", what="book passport appointments")
    with db.write():
        a = get(db, aid)
        if a.status != "booked":
            raise StateError(f"That appointment is already {a.status.replace('_', '-')}.")
        if status == "no_show" and a.day > clock.today():
            raise StateError("An appointment in the future cannot be a no-show yet.")
        db.execute("UPDATE passport_appointments SET status = ? WHERE id = ?", [status, aid])
        audit.record(db, actor, f"passport.appointment_{status}", f"passport_appointment:{aid}",
                     before={"status": a.status}, after={"status": status})
    return get(db, aid)


def cancel(db: Database, actor: Actor, aid: int) -> Appointment:
    return _status(db, actor, aid, "cancelled")


def no_show(db: Database, actor: Actor, aid: int) -> Appointment:
    return _status(db, actor, aid, "no_show")


def arrived(db: Database, actor: Actor, aid: int) -> Appointment:
    return _status(db, actor, aid, "arrived")
