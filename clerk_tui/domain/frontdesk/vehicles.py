"""Stored and impounded vehicles: the hold, the release checklist, the fee, the release form,
and the post-storage hearing.

A reason code comes from data/frontdesk/rules.toml ([[vehicles.reason]]) with its hold in
days (CVC 14602.6: 30 days; CVC 22651 storage: none). Before the hold ends a release is
refused unless a supervisor has recorded one of the data's legal exceptions (permission
`frontdesk.exception`; a clerk gets the supervisor-override dialog). A release needs every
checklist item, the release fee paid (item kind `fd_release`, reference `VEH` + number) and
gets a release number printed on the release form. A post-storage hearing (CVC 22852) must be
requested within the data's days of the storage notice; it is held within 48 hours
excluding weekends and holidays (business days, utility calendar).

Impounds are police records: only a cleared clerk sees or changes them (access.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.frontdesk import access
from clerk_tui.domain.frontdesk.rules import money, number, rule_set, words
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import calendar

_PLATE = re.compile(r"^[A-Z0-9]{1,8}$")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{11,17}$")  # no I, O or Q in a VIN


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    hold_days: int


@dataclass(frozen=True)
class Vehicle:
    id: int
    plate: str
    vin: str
    make: str
    owner: str
    stored_on: dt.date
    reason_code: str
    hold_until: dt.date
    status: str
    checklist: dict[str, bool]
    exception: str | None
    exception_by: str | None
    fee_receipt_id: int | None
    release_number: str | None
    released_at: str | None
    released_to: str | None
    hearing_requested_on: str | None
    hearing_on: str | None
    hearing_outcome: str | None

    @property
    def reference(self) -> str:
        return f"VEH{self.id:06d}"

    def held(self, on: dt.date) -> bool:
        return on < self.hold_until and not self.exception


def reasons(on: dt.date | None = None) -> list[Reason]:
    out = []
    for n, r in enumerate(rule_set("vehicles", on).get("reason", []), start=1):
        try:
            out.append(Reason(str(r["code"]), str(r["label"]), int(r["hold_days"])))
        except (KeyError, ValueError) as e:
            raise ValidationError(f"frontdesk rules: vehicles.reason #{n}: {e}") from None
    return out


def reason(code: str, on: dt.date | None = None) -> Reason:
    found = next((r for r in reasons(on) if r.code == code.strip()), None)
    if found is None:
        raise ValidationError(f"No storage reason {code!r}; one of "
                              f"{', '.join(r.code for r in reasons(on))}.")
    return found


def checklist_items(v: Vehicle | None = None, on: dt.date | None = None) -> list[str]:
    items = words("vehicles", "checklist", on)
    if v is not None and v.checklist.get(_legal_owner(on)) is not None:
        items.append(_legal_owner(on))
    return items


def _legal_owner(on: dt.date | None) -> str:
    return str(rule_set("vehicles", on).get("legal_owner_item", "Legal owner's release"))


_COLS = ("id, plate, vin, make, owner, stored_on, reason_code, hold_until, status, "
         "checklist_json, exception, exception_by, fee_receipt_id, release_number, released_at, "
         "released_to, hearing_requested_on, hearing_on, hearing_outcome")


def _vehicle(r: dict) -> Vehicle:
    return Vehicle(r["id"], r["plate"], r["vin"], r["make"], r["owner"],
                   dt.date.fromisoformat(r["stored_on"]), r["reason_code"],
                   dt.date.fromisoformat(r["hold_until"]), r["status"],
                   json.loads(r["checklist_json"]), r["exception"], r["exception_by"],
                   r["fee_receipt_id"], r["release_number"], r["released_at"], r["released_to"],
                   r["hearing_requested_on"], r["hearing_on"], r["hearing_outcome"])


def _get(db: Database, vehicle_id: int) -> Vehicle:
    r = db.one(f"SELECT {_COLS} FROM fd_vehicles WHERE id = ?", [vehicle_id])
    if r is None:
        raise NotFound(f"No stored vehicle #{vehicle_id}.")
    return _vehicle(r)


def get(db: Database, actor: Actor, vehicle_id: int) -> Vehicle:
    access.require_records(db, actor)
    return _get(db, vehicle_id)


def parse_reference(reference: str) -> int:
    m = re.fullmatch(r"\s*VEH(\d{1,9})\s*", reference.upper())
    if not m:
        raise NotThisKind(f"{reference!r} is not a vehicle release (VEH + number).")
    return int(m.group(1))


def plate_text(plate: str) -> str:
    p = re.sub(r"[\s-]", "", plate or "").upper()
    if not _PLATE.match(p):
        raise ValidationError("Plate: 1 to 8 letters and digits.")
    return p


def store(db: Database, actor: Actor, plate: str, vin: str, make: str, owner: str,
          stored_on: str | dt.date, reason_code: str) -> Vehicle:
    access.require_records(db, actor)
    plate = plate_text(plate)
    vin = (vin or "").strip().upper()
    if not _VIN.match(vin):
        raise ValidationError("VIN: 11 to 17 letters and digits (no I, O or Q).")
    make = clean_text(make, field="Make", max_len=40, required=True)
    owner = clean_text(owner, field="Owner", max_len=80)
    try:
        stored = stored_on if isinstance(stored_on, dt.date) else \
            dt.date.fromisoformat(str(stored_on).strip())
    except ValueError:
        raise ValidationError(f"Stored on {stored_on!r} is not a date (YYYY-MM-DD).") from None
    if stored > clock.today():
        raise ValidationError("A vehicle cannot be stored in the future.")
    why = reason(reason_code, stored)
    hold = stored + dt.timedelta(days=why.hold_days)
    with db.write():
        vid = db.insert("fd_vehicles", {
            "plate": plate, "vin": vin, "make": make, "owner": owner,
            "stored_on": stored.isoformat(), "reason_code": why.code,
            "hold_until": hold.isoformat(), "status": "stored",
            "checklist_json": json.dumps({k: False for k in checklist_items(on=stored)}),
            "created_by": actor.username, "created_at": clock.stamp()})
        audit.record(db, actor, "frontdesk.vehicle_store", f"vehicle:{vid}",
                     after={"plate": plate, "reason": why.code, "hold_until": hold.isoformat()})
        v = _get(db, vid)
    return v


def _change(db: Database, actor: Actor, v: Vehicle, action: str, sets: dict,
            override_by: str | None = None) -> Vehicle:
    cols = ", ".join(f"{k} = ?" for k in sets)
    db.execute(f"UPDATE fd_vehicles SET {cols} WHERE id = ?", [*sets.values(), v.id])
    audit.record(db, actor, action, f"vehicle:{v.id}", before={"status": v.status},
                 after={k: val for k, val in sets.items() if k != "checklist_json"},
                 override_by=override_by)
    return _get(db, v.id)


def check_items(db: Database, actor: Actor, vehicle_id: int, items: list[str],
                legal_owner: bool = False) -> Vehicle:
    """Tick the checklist items seen (a legal owner's release adds its letter)."""
    access.require_records(db, actor)
    with db.write():
        v = _get(db, vehicle_id)
        if v.status == "released":
            raise StateError(f"{v.plate} was released already.")
        marks = dict(v.checklist)
        if legal_owner:
            marks.setdefault(_legal_owner(v.stored_on), False)
        for item in items:
            if item not in marks:
                raise ValidationError(f"{item!r} is not on the release checklist.")
            marks[item] = True
        v = _change(db, actor, v, "frontdesk.vehicle_checklist",
                    {"checklist_json": json.dumps(marks)})
    return v


def record_exception(db: Database, actor: Actor, vehicle_id: int, exception: str,
                     override: Override | None = None) -> Vehicle:
    """A supervisor records the legal exception that allows a release before the hold ends."""
    access.require_records(db, actor)
    approver = authority().require(actor, "frontdesk.exception", override=override,
                                   what="release an impounded vehicle early")
    with db.write():
        v = _get(db, vehicle_id)
        if exception not in words("vehicles", "exceptions", v.stored_on):
            raise ValidationError("The exception must be one of the rules file's list.")
        v = _change(db, actor, v, "frontdesk.vehicle_exception",
                    {"exception": exception, "exception_by": approver or actor.username},
                    override_by=approver)
    return v


def release_fee(v: Vehicle) -> int:
    return money("vehicles", "release_fee", v.stored_on)


def release(db: Database, actor: Actor, vehicle_id: int, released_to: str) -> Vehicle:
    """Release: after the hold (or a recorded exception), checklist complete, fee paid."""
    access.require_records(db, actor)
    released_to = clean_text(released_to, field="Released to", max_len=80, required=True)
    today = clock.today()
    with db.write():
        v = _get(db, vehicle_id)
        if v.status == "released":
            raise StateError(f"{v.plate} was released already ({v.release_number}).")
        if v.held(today):
            raise StateError(f"{v.plate} is held until {v.hold_until} ({v.reason_code}): a "
                             "supervisor must record the legal exception first.")
        missing = [k for k, done in v.checklist.items() if not done]
        if missing:
            raise StateError(f"Checklist not complete: {', '.join(missing)}.")
        if v.fee_receipt_id is None:
            raise StateError(f"Take the release fee ({format_money(release_fee(v))}) first.")
        n = int(db.scalar("SELECT count(*) FROM fd_vehicles WHERE release_number IS NOT NULL"))
        v = _change(db, actor, v, "frontdesk.vehicle_release", {
            "status": "released", "release_number": f"VR{today.year % 100:02d}-{n + 1:05d}",
            "released_at": clock.stamp(), "released_to": released_to})
    return v


def request_hearing(db: Database, actor: Actor, vehicle_id: int,
                    requested_on: dt.date | None = None) -> Vehicle:
    """Record a post-storage hearing request; refused after the data's days."""
    access.require_records(db, actor)
    requested_on = requested_on or clock.today()
    with db.write():
        v = _get(db, vehicle_id)
        last = v.stored_on + dt.timedelta(days=number("vehicles", "hearing_request_days",
                                                      v.stored_on))
        if requested_on > last:
            raise StateError(f"A hearing had to be requested by {last}.")
        if v.hearing_requested_on:
            raise StateError(f"A hearing was requested on {v.hearing_requested_on}.")
        on = calendar.add_business_days(requested_on, number(
            "vehicles", "hearing_within_business_days", v.stored_on))
        v = _change(db, actor, v, "frontdesk.vehicle_hearing", {
            "hearing_requested_on": requested_on.isoformat(), "hearing_on": on.isoformat()})
    return v


def hearing_outcome(db: Database, actor: Actor, vehicle_id: int, outcome: str) -> Vehicle:
    access.require_records(db, actor)
    outcome = clean_text(outcome, field="Outcome", max_len=200, required=True)
    with db.write():
        v = _get(db, vehicle_id)
        if not v.hearing_requested_on:
            raise StateError("No hearing was requested for this vehicle.")
        v = _change(db, actor, v, "frontdesk.vehicle_hearing_outcome",
                    {"hearing_outcome": outcome})
    return v


def mark_paid(db: Database, vehicle_id: int, receipt_id: int | None) -> None:
    db.execute("UPDATE fd_vehicles SET fee_receipt_id = ?, "
               "status = CASE WHEN status = 'released' THEN status "
               "WHEN ? IS NULL THEN 'stored' ELSE 'ready' END WHERE id = ?",
               [receipt_id, receipt_id, vehicle_id])


def stored(db: Database, actor: Actor, include_released: bool = False) -> list[Vehicle]:
    """Vehicles in storage (or all); nothing for an uncleared clerk."""
    if not access.may_see_records(db, actor):
        return []
    where = "" if include_released else "WHERE status != 'released'"
    return [_vehicle(r) for r in db.all(f"SELECT {_COLS} FROM fd_vehicles {where} "
                                        "ORDER BY stored_on, id")]


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Vehicle]:
    if not access.may_see_records(db, actor):
        return []
    t = re.sub(r"[\s-]", "", text or "").upper()
    if not t:
        return []
    return [_vehicle(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_vehicles WHERE plate = ? OR vin = ? ORDER BY id DESC LIMIT ?",
        [t, t, limit])]


def release_form(v: Vehicle) -> str:
    """The printed release form (the tow yard keeps it)."""
    if v.release_number is None:
        raise StateError("The vehicle is not released yet.")
    lines = [f"VEHICLE RELEASE  {v.release_number}", "",
             f"Plate: {v.plate}   VIN: {v.vin}", f"Make: {v.make}",
             f"Stored: {v.stored_on}   Reason: CVC {v.reason_code}",
             f"Released: {(v.released_at or '')[:16].replace('T', ' ')}",
             f"Released to: {v.released_to}", ""]
    lines += [f"[x] {k}" for k in v.checklist]
    if v.exception:
        lines += ["", f"Early release: {v.exception}", f"Approved by: {v.exception_by}"]
    lines += ["", "Signature of person taking the vehicle:", "", "_" * 36]
    return "\n".join(lines)


def format_list(rows: list[Vehicle], on: dt.date) -> str:
    out = [f"STORED AND IMPOUNDED VEHICLES  {on.isoformat()}", "",
           f"{'Plate':<9}{'Make':<14}{'Stored':<11}{'Reason':<10}{'Hold to':<11}{'Status':<10}"
           "Release"]
    for v in rows:
        out.append(f"{v.plate:<9}{v.make[:13]:<14}{v.stored_on.isoformat():<11}"
                   f"{v.reason_code[:9]:<10}{v.hold_until.isoformat():<11}{v.status:<10}"
                   f"{v.release_number or ''}")
    if not rows:
        out.append("No vehicles.")
    return "\n".join(out)
