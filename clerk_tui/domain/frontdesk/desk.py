"""The rest of the desk: the phone message log, ride-along applications and clearance letters.

- Messages (any clerk of the desk): caller, call-back number, for whom, the message, who took
  it, and when it was done. Not police records.
- Ride-alongs (police records: a background check): the applicant's age on the day of the
  application and the number of rides in the last 12 months come from the data's rules
  ([[ridealongs]]); an appointment needs the signed waiver and a clear background check.
- Clearance ("no record") letters (police records): identity verified at the counter, the fee
  (item kind `fd_letter`, reference LTR + number) paid, then the letter is printed once
  (reprints say DUPLICATE). Whether the person has a record is the records unit's call
  (`clear`); the desk only issues what it was told.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.frontdesk import access
from clerk_tui.domain.frontdesk.rules import money, number, rule_set
from clerk_tui.domain.text import clean_text

VISITOR_PERMISSION = "frontdesk.visitor"


def _date(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date (YYYY-MM-DD).") from None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# ---- phone messages -----------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    id: int
    caller: str
    callback: str
    for_whom: str
    message: str
    taken_by: str
    taken_at: str
    done_at: str | None


def _message(r: dict) -> Message:
    return Message(**r)


def take_message(db: Database, actor: Actor, caller: str, callback: str, for_whom: str,
                 message: str) -> Message:
    authority().require(actor, VISITOR_PERMISSION, what="take a phone message")
    caller = clean_text(caller, field="Caller", max_len=80, required=True)
    callback = clean_text(callback, field="Call back", max_len=40)
    for_whom = clean_text(for_whom, field="For", max_len=60, required=True)
    message = clean_text(message, field="Message", max_len=300, required=True)
    with db.write():
        mid = db.insert("fd_messages", {"caller": caller, "callback": callback,
                                        "for_whom": for_whom, "message": message,
                                        "taken_by": actor.username, "taken_at": clock.stamp()})
        audit.record(db, actor, "frontdesk.message", f"message:{mid}",
                     after={"for": for_whom, "caller": caller})
    return _message(db.one("SELECT * FROM fd_messages WHERE id = ?", [mid]) or {})


def message_done(db: Database, actor: Actor, mid: int) -> Message:
    authority().require(actor, VISITOR_PERMISSION, what="close a phone message")
    with db.write():
        row = db.one("SELECT * FROM fd_messages WHERE id = ?", [mid])
        if row is None:
            raise NotFound(f"No message #{mid}.")
        if row["done_at"]:
            raise StateError(f"That message was done at {row['done_at'][11:16]}.")
        db.execute("UPDATE fd_messages SET done_at = ? WHERE id = ?", [clock.stamp(), mid])
        audit.record(db, actor, "frontdesk.message_done", f"message:{mid}")
        return _message(db.one("SELECT * FROM fd_messages WHERE id = ?", [mid]) or {})


def open_messages(db: Database) -> list[Message]:
    return [_message(r) for r in db.all(
        "SELECT * FROM fd_messages WHERE done_at IS NULL ORDER BY id")]


# ---- ride-alongs --------------------------------------------------------------------------
@dataclass(frozen=True)
class RideAlong:
    id: int
    name: str
    birth_date: str
    phone: str
    applied_on: str
    waiver_signed: bool
    background: str
    appointment: str | None


def _ride(r: dict) -> RideAlong:
    return RideAlong(r["id"], r["name"], r["birth_date"], r["phone"], r["applied_on"],
                     bool(r["waiver_signed"]), r["background"], r["appointment"])


def _get_ride(db: Database, rid: int) -> RideAlong:
    r = db.one("SELECT * FROM fd_ridealongs WHERE id = ?", [rid])
    if r is None:
        raise NotFound(f"No ride-along application #{rid}.")
    return _ride(r)


def apply_ridealong(db: Database, actor: Actor, name: str, birth_date: str | dt.date,
                    phone: str, waiver_signed: bool) -> RideAlong:
    """A new application: refused under the data's age or over its rides per 12 months."""
    access.require_records(db, actor)
    name = clean_text(name, field="Name", max_len=80, required=True)
    phone = clean_text(phone, field="Phone", max_len=40)
    birth = _date(birth_date, "Born")
    today = clock.today()
    minimum = number("ridealongs", "min_age", today)
    if age_on(birth, today) < minimum:
        raise ValidationError(f"A rider must be at least {minimum} (department policy).")
    year_ago = today - dt.timedelta(days=365)
    rides = int(db.scalar("SELECT count(*) FROM fd_ridealongs WHERE name = ? AND birth_date = ? "
                          "AND applied_on > ? AND background != 'refused'",
                          [name, birth.isoformat(), year_ago.isoformat()]))
    most = number("ridealongs", "max_per_year", today)
    if rides >= most:
        raise ValidationError(f"{name} has had {rides} ride-along(s) in 12 months "
                              f"(at most {most}).")
    with db.write():
        rid = db.insert("fd_ridealongs", {
            "name": name, "birth_date": birth.isoformat(), "phone": phone,
            "applied_on": today.isoformat(), "waiver_signed": int(bool(waiver_signed)),
            "created_by": actor.username, "created_at": clock.stamp()})
        audit.record(db, actor, "frontdesk.ridealong", f"ridealong:{rid}",
                     after={"name": name, "waiver": bool(waiver_signed)})
        return _get_ride(db, rid)


def ridealong_background(db: Database, actor: Actor, rid: int, result: str) -> RideAlong:
    access.require_records(db, actor)
    if result not in ("clear", "refused"):
        raise ValidationError("The background check is clear or refused.")
    with db.write():
        ride = _get_ride(db, rid)
        db.execute("UPDATE fd_ridealongs SET background = ? WHERE id = ?", [result, rid])
        audit.record(db, actor, "frontdesk.ridealong_background", f"ridealong:{rid}",
                     before={"background": ride.background}, after={"background": result})
        return _get_ride(db, rid)


def ridealong_appointment(db: Database, actor: Actor, rid: int, when: str,
                          waiver_signed: bool | None = None) -> RideAlong:
    """Book the ride: the waiver signed (now, if `waiver_signed`) and the background clear."""
    access.require_records(db, actor)
    when = clean_text(when, field="Appointment", max_len=40, required=True)
    with db.write():
        ride = _get_ride(db, rid)
        waiver = ride.waiver_signed or bool(waiver_signed)
        if rule_set("ridealongs").get("waiver_required", True) and not waiver:
            raise StateError("The rider has not signed the waiver.")
        if ride.background != "clear":
            raise StateError(f"The background check is {ride.background}.")
        db.execute("UPDATE fd_ridealongs SET appointment = ?, waiver_signed = ? WHERE id = ?",
                   [when, int(waiver), rid])
        audit.record(db, actor, "frontdesk.ridealong_appointment", f"ridealong:{rid}",
                     after={"appointment": when})
        return _get_ride(db, rid)


def ridealongs(db: Database, actor: Actor) -> list[RideAlong]:
    if not access.may_see_records(db, actor):
        return []
    return [_ride(r) for r in db.all("SELECT * FROM fd_ridealongs ORDER BY id DESC LIMIT 200")]


# ---- clearance letters --------------------------------------------------------------------
@dataclass(frozen=True)
class ClearanceLetter:
    id: int
    name: str
    birth_date: str
    purpose: str
    id_seen: str
    fee_receipt_id: int | None
    printed_at: str | None

    @property
    def reference(self) -> str:
        return f"LTR{self.id:06d}"


def _letter(r: dict) -> ClearanceLetter:
    return ClearanceLetter(r["id"], r["name"], r["birth_date"], r["purpose"], r["id_seen"],
                           r["fee_receipt_id"], r["printed_at"])


def get_letter(db: Database, lid: int) -> ClearanceLetter:
    r = db.one("SELECT * FROM fd_clearance_letters WHERE id = ?", [lid])
    if r is None:
        raise NotFound(f"No clearance letter #{lid}.")
    return _letter(r)


def parse_letter_reference(reference: str) -> int:
    m = re.fullmatch(r"\s*LTR(\d{1,9})\s*", (reference or "").upper())
    if not m:
        raise NotThisKind(f"{reference!r} is not a clearance letter (LTR + number).")
    return int(m.group(1))


def request_letter(db: Database, actor: Actor, name: str, birth_date: str | dt.date,
                   purpose: str, id_seen: str) -> ClearanceLetter:
    """The person asks in person; the clerk names the ID seen (refused without one)."""
    access.require_records(db, actor)
    name = clean_text(name, field="Name", max_len=80, required=True)
    purpose = clean_text(purpose, field="Purpose", max_len=120, required=True)
    id_seen = clean_text(id_seen, field="ID seen", max_len=60, required=True)
    birth = _date(birth_date, "Born")
    with db.write():
        lid = db.insert("fd_clearance_letters", {
            "name": name, "birth_date": birth.isoformat(), "purpose": purpose,
            "id_seen": id_seen, "created_by": actor.username, "created_at": clock.stamp()})
        audit.record(db, actor, "frontdesk.clearance_letter", f"letter:{lid}",
                     after={"name": name, "id_seen": id_seen})
        return get_letter(db, lid)


def letter_fee(on: dt.date | None = None) -> int:
    return money("letters", "clearance_fee", on)


def mark_letter_paid(db: Database, lid: int, receipt_id: int | None) -> None:
    db.execute("UPDATE fd_clearance_letters SET fee_receipt_id = ? WHERE id = ?",
               [receipt_id, lid])


def print_letter(db: Database, actor: Actor, lid: int) -> str:
    """The letter's text, once the fee is paid; a second print says DUPLICATE."""
    access.require_records(db, actor)
    with db.write():
        letter = get_letter(db, lid)
        if letter.fee_receipt_id is None:
            raise StateError(f"{letter.reference}: take the fee first.")
        duplicate = letter.printed_at is not None
        text = "\n".join([
            *(["*** DUPLICATE ***", ""] if duplicate else []),
            clock.today().isoformat(), "", "TO WHOM IT MAY CONCERN", "",
            f"At the request of {letter.name} (born {letter.birth_date}), whose identity was "
            f"verified by {letter.id_seen},",
            "a search of this department's local records was made for the purpose of:",
            f"  {letter.purpose}", "",
            "This letter covers this department's records only; it is not a state or federal",
            "criminal history check.", "", "Records Unit, Police Department",
            f"Letter {letter.reference}"])
        if not duplicate:
            db.execute("UPDATE fd_clearance_letters SET printed_at = ?, body = ? WHERE id = ?",
                       [clock.stamp(), text, lid])
        audit.record(db, actor, "frontdesk.clearance_letter_print", f"letter:{lid}",
                     after={"duplicate": duplicate})
    return text


def letters(db: Database, actor: Actor) -> list[ClearanceLetter]:
    if not access.may_see_records(db, actor):
        return []
    return [_letter(r) for r in db.all(
        "SELECT * FROM fd_clearance_letters ORDER BY id DESC LIMIT 200")]
