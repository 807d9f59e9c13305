"""Registrants: the counter's local tickler (the state's registry is the record of truth).

Types from the data ([[registrants.type]]): PC 290, 457.1 and 186.30 (narcotics registration
was repealed in 2020 and is not offered). The next due date is the earliest of:
- the annual update: within the type's working days after the birthday;
- after a move: within the type's working days of the move;
- transient: every `transient_days` calendar days after the last registration;
- the data's special class (sexually violent predator): every `special_class_days` days.
Working days are business days on the utility desk's calendar. Every change appends a
history row; opening a registrant writes an audit row (who looked at whom). Only a clerk
cleared for police records sees or finds any of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.frontdesk import access
from clerk_tui.domain.frontdesk.rules import number, rule_set
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import calendar


@dataclass(frozen=True)
class RegType:
    code: str
    label: str
    annual_working_days: int
    move_working_days: int
    form: str


@dataclass(frozen=True)
class Registrant:
    id: int
    name: str
    birth_date: dt.date
    type: str
    tier: str
    special_class: bool
    transient: bool
    address: str
    moved_on: dt.date | None
    last_registered_on: dt.date
    next_due: dt.date
    appointment: str | None
    fee_for: dt.date | None = None
    fee_receipt_id: int | None = None

    @property
    def fee_reference(self) -> str:
        """The registration fee's receipt reference for the current visit: REG + registrant
        number + the registration date, so a void of an older visit's fee never unmarks the
        current one."""
        return f"REG{self.id}-{self.last_registered_on.strftime('%Y%m%d')}"

    @property
    def fee_paid(self) -> bool:
        return self.fee_receipt_id is not None and self.fee_for == self.last_registered_on


@dataclass(frozen=True)
class HistoryRow:
    at: str
    event: str
    detail: str
    form: str
    clerk: str


def types(on: dt.date | None = None) -> list[RegType]:
    out = []
    for n, t in enumerate(rule_set("registrants", on).get("type", []), start=1):
        try:
            out.append(RegType(str(t["code"]), str(t["label"]), int(t["annual_working_days"]),
                               int(t["move_working_days"]), str(t.get("form", ""))))
        except (KeyError, ValueError) as e:
            raise ValidationError(f"frontdesk rules: registrants.type #{n}: {e}") from None
    return out


def reg_type(code: str, on: dt.date | None = None) -> RegType:
    found = next((t for t in types(on) if t.code == code.strip()), None)
    if found is None:
        raise ValidationError(f"No registrant type {code!r}; one of "
                              f"{', '.join(t.code for t in types(on))}.")
    return found


def _birthday(birth: dt.date, year: int) -> dt.date:
    try:
        return birth.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 2, 28)


def next_due(type_code: str, birth_date: dt.date, last_registered_on: dt.date,
             moved_on: dt.date | None = None, transient: bool = False,
             special_class: bool = False) -> dt.date:
    """The earliest date by which the registrant must next appear."""
    t = reg_type(type_code, last_registered_on)
    b = _birthday(birth_date, last_registered_on.year)
    if b <= last_registered_on:
        b = _birthday(birth_date, last_registered_on.year + 1)
    due = [calendar.add_business_days(b, t.annual_working_days)]
    if moved_on is not None and moved_on >= last_registered_on:
        due.append(calendar.add_business_days(moved_on, t.move_working_days))
    if transient:
        due.append(last_registered_on + dt.timedelta(
            days=number("registrants", "transient_days", last_registered_on)))
    if special_class:
        due.append(last_registered_on + dt.timedelta(
            days=number("registrants", "special_class_days", last_registered_on)))
    return min(due)


_COLS = ("id, name, birth_date, type, tier, special_class, transient, address, moved_on, "
         "last_registered_on, next_due, appointment, fee_for, fee_receipt_id")


def _reg(r: dict) -> Registrant:
    return Registrant(r["id"], r["name"], dt.date.fromisoformat(r["birth_date"]), r["type"],
                      r["tier"], bool(r["special_class"]), bool(r["transient"]), r["address"],
                      dt.date.fromisoformat(r["moved_on"]) if r["moved_on"] else None,
                      dt.date.fromisoformat(r["last_registered_on"]),
                      dt.date.fromisoformat(r["next_due"]), r["appointment"],
                      dt.date.fromisoformat(r["fee_for"]) if r["fee_for"] else None,
                      r["fee_receipt_id"])


def _get(db: Database, rid: int) -> Registrant:
    r = db.one(f"SELECT {_COLS} FROM fd_registrants WHERE id = ?", [rid])
    if r is None:
        raise NotFound(f"No registrant #{rid}.")
    return _reg(r)


def _date(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date (YYYY-MM-DD).") from None


def _history(db: Database, actor: Actor, rid: int, event: str, detail: str,
             form: str = "") -> None:
    db.insert("fd_registrant_history", {"registrant_id": rid, "event": event,
                                        "detail": detail, "form": form,
                                        "at": clock.stamp(), "clerk": actor.username})


def register(db: Database, actor: Actor, name: str, birth_date: str | dt.date, type_code: str,
             address: str, registered_on: str | dt.date, *, tier: str = "",
             transient: bool = False, special_class: bool = False) -> Registrant:
    """A new registrant in the tickler, with the next due date computed from the data."""
    access.require_records(db, actor)
    name = clean_text(name, field="Name", max_len=80, required=True)
    address = clean_text(address, field="Address", max_len=120, required=not transient)
    tier = clean_text(tier, field="Tier", max_len=10)
    birth = _date(birth_date, "Birth date")
    registered = _date(registered_on, "Registered on")
    if birth >= registered or registered > clock.today():
        raise ValidationError("The dates do not make sense (birth before registration, "
                              "registration not in the future).")
    t = reg_type(type_code, registered)
    due = next_due(t.code, birth, registered, None, transient, special_class)
    with db.write():
        rid = db.insert("fd_registrants", {
            "name": name, "birth_date": birth.isoformat(), "type": t.code, "tier": tier,
            "special_class": int(special_class), "transient": int(transient),
            "address": address or "TRANSIENT", "last_registered_on": registered.isoformat(),
            "next_due": due.isoformat(), "created_by": actor.username,
            "created_at": clock.stamp()})
        _history(db, actor, rid, "registered", f"{t.label}; due {due}", t.form)
        audit.record(db, actor, "frontdesk.registrant_new", f"registrant:{rid}",
                     after={"type": t.code, "next_due": due.isoformat()})
        return _get(db, rid)


def _update(db: Database, actor: Actor, reg: Registrant, action: str, sets: dict,
            event: str, detail: str, form: str = "") -> Registrant:
    cols = ", ".join(f"{k} = ?" for k in sets)
    db.execute(f"UPDATE fd_registrants SET {cols} WHERE id = ?", [*sets.values(), reg.id])
    _history(db, actor, reg.id, event, detail, form)
    audit.record(db, actor, action, f"registrant:{reg.id}",
                 before={"next_due": reg.next_due.isoformat()}, after=sets)
    return _get(db, reg.id)


def record_registration(db: Database, actor: Actor, rid: int,
                        registered_on: str | dt.date) -> Registrant:
    """The registrant appeared and registered: the next due date moves on."""
    access.require_records(db, actor)
    on = _date(registered_on, "Registered on")
    if on > clock.today():
        raise ValidationError("A registration cannot be in the future.")
    with db.write():
        reg = _get(db, rid)
        if on < reg.last_registered_on:
            raise ValidationError(f"The last registration was {reg.last_registered_on}.")
        due = next_due(reg.type, reg.birth_date, on, None, reg.transient, reg.special_class)
        return _update(db, actor, reg, "frontdesk.registrant_update",
                       {"last_registered_on": on.isoformat(), "next_due": due.isoformat(),
                        "moved_on": None}, "registration", f"registered {on}; due {due}",
                       reg_type(reg.type, on).form)


def record_move(db: Database, actor: Actor, rid: int, address: str, moved_on: str | dt.date,
                transient: bool = False) -> Registrant:
    """A new address (or none: transient); the move's deadline counts in working days."""
    access.require_records(db, actor)
    address = clean_text(address, field="Address", max_len=120, required=not transient)
    moved = _date(moved_on, "Moved on")
    with db.write():
        reg = _get(db, rid)
        if moved < reg.last_registered_on:
            raise ValidationError(f"The last registration was {reg.last_registered_on}.")
        due = next_due(reg.type, reg.birth_date, reg.last_registered_on, moved, transient,
                       reg.special_class)
        return _update(db, actor, reg, "frontdesk.registrant_move",
                       {"address": address or "TRANSIENT", "moved_on": moved.isoformat(),
                        "transient": int(transient), "next_due": due.isoformat()},
                       "move", f"from {reg.address} to {address or 'TRANSIENT'} on {moved}")


def set_appointment(db: Database, actor: Actor, rid: int, when: str) -> Registrant:
    access.require_records(db, actor)
    when = clean_text(when, field="Appointment", max_len=40, required=True)
    with db.write():
        reg = _get(db, rid)
        return _update(db, actor, reg, "frontdesk.registrant_appointment",
                       {"appointment": when}, "appointment", when)


def parse_fee_reference(reference: str) -> tuple[int, dt.date]:
    """REG12-20260105 -> (12, 2026-01-05); anything else is refused with a clear message."""
    text = (reference or "").strip().upper()
    head, _, day = text.partition("-")
    try:
        if not head.startswith("REG"):
            raise ValueError
        return int(head[3:]), dt.datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise NotThisKind(f"{reference!r} is not a registration fee reference "
                              "(REG + number + -YYYYMMDD).") from None


def fee_due(db: Database, reference: str) -> Registrant:
    """The registrant whose current visit's fee `reference` names, refused if that is not
    the current registration, was not recorded today, or is paid already."""
    rid, on = parse_fee_reference(reference)
    reg = _get(db, rid)
    if on != reg.last_registered_on:
        raise StateError(f"Registrant #{rid}: the current registration is "
                         f"{reg.last_registered_on}, not {on}.")
    if reg.fee_paid:
        raise StateError(f"Registrant #{rid}: the registration fee for {on} is paid already.")
    if on != clock.today():
        # the fee is taken at the visit: paying an overdue registrant's old visit by mistake
        # would leave today's registration unpaid and the old one wrongly settled
        raise StateError(f"{reg.name}: the fee is for today's registration; record it first "
                         f"(last registered {on}).")
    return reg


def mark_fee_paid(db: Database, actor: Actor, reference: str, receipt_id: int | None) -> None:
    """Inside the payment's (or void's) transaction: the visit's fee is paid (or no longer).
    Only a cleared clerk may take it, so an uncleared one's payment rolls back whole; a void
    or NSF return is not refused (money is never stuck behind a visibility flag)."""
    if receipt_id is not None:
        access.require_records(db, actor)
    rid, on = parse_fee_reference(reference)
    reg = _get(db, rid)
    if receipt_id is None:
        if reg.fee_for != on:
            return  # an older visit's fee: the current visit's mark is not its to clear
        db.execute("UPDATE fd_registrants SET fee_receipt_id = NULL WHERE id = ?", [rid])
    else:
        db.execute("UPDATE fd_registrants SET fee_for = ?, fee_receipt_id = ? WHERE id = ?",
                   [on.isoformat(), receipt_id, rid])
    _history(db, actor, rid, "fee paid" if receipt_id else "fee voided",
             f"{reference} receipt #{receipt_id}" if receipt_id else reference)


def view(db: Database, actor: Actor, rid: int) -> tuple[Registrant, list[HistoryRow]]:
    """Open one registrant with their history; the view is audited."""
    access.require_records(db, actor)
    with db.write():
        reg = _get(db, rid)
        access.record_view(db, actor, "registrant", reg.id, reg.name)
    rows = db.all("SELECT at, event, detail, form, clerk FROM fd_registrant_history "
                  "WHERE registrant_id = ? ORDER BY id", [rid])
    return reg, [HistoryRow(**r) for r in rows]


def due_by(db: Database, actor: Actor, until: dt.date) -> list[Registrant]:
    """Registrants due on or before `until` (overdue first); nothing for the uncleared."""
    if not access.may_see_records(db, actor):
        return []
    return [_reg(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_registrants WHERE next_due <= ? ORDER BY next_due, id",
        [until.isoformat()])]


def fee_unpaid(db: Database, actor: Actor, on: dt.date | None = None) -> list[Registrant]:
    """Registered on `on` (today) with the visit's fee not yet paid: the clerk takes it right
    after recording the registration, when the registrant has left the due list."""
    if not access.may_see_records(db, actor):
        return []
    on = on or clock.today()
    return [r for r in (_reg(x) for x in db.all(
        f"SELECT {_COLS} FROM fd_registrants WHERE last_registered_on = ? ORDER BY name, id",
        [on.isoformat()])) if not r.fee_paid]


def due_this_week(db: Database, actor: Actor, on: dt.date | None = None) -> list[Registrant]:
    on = on or clock.today()
    return [r for r in due_by(db, actor, on + dt.timedelta(days=7)) if r.next_due >= on]


def overdue(db: Database, actor: Actor, on: dt.date | None = None) -> list[Registrant]:
    on = on or clock.today()
    return [r for r in due_by(db, actor, on - dt.timedelta(days=1))]


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Registrant]:
    if not access.may_see_records(db, actor) or not (text or "").strip():
        return []
    t = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [_reg(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_registrants WHERE name LIKE ? ESCAPE '\\' ORDER BY name "
        "LIMIT ?", [t, limit])]


def format_due(rows: list[Registrant], on: dt.date, title: str) -> str:
    out = [f"{title}  {on.isoformat()}", "",
           f"{'Name':<24}{'Type':<8}{'Last reg.':<11}{'Due':<11}Note"]
    for r in rows:
        note = "OVERDUE" if r.next_due < on else ("transient" if r.transient else "")
        out.append(f"{r.name[:23]:<24}{r.type:<8}{r.last_registered_on.isoformat():<11}"
                   f"{r.next_due.isoformat():<11}{note}")
    if not rows:
        out.append("Nobody.")
    return "\n".join(out)
