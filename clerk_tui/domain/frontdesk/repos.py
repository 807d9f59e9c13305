"""Repossessions: the repossessor's report (CVC 28) and the $15 fee (Gov. Code 41612).

The repossession agency must phone the police within an hour of taking the vehicle and send
written notice within one business day (data [[repossessions]]); a late notice is recorded
as it happened and flagged, never refused (the report is still the department's record).
The fee is paid by the DEBTOR before redeeming the vehicle: the clerk records who pays
(`record_payer`), the domain refuses the repossession agency as payer, and the fee item
(`fd_repo`, reference `REPO` + number) cannot be priced until a debtor-side payer is recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import (
    NotFound,
    NotThisKind,
    PermissionDenied,
    StateError,
    ValidationError,
)
from clerk_tui.domain.frontdesk.rules import number
from clerk_tui.domain.frontdesk.vehicles import plate_text
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import calendar

PERMISSION = "frontdesk.visitor"
PAYERS = ("debtor", "agency", "other")


@dataclass(frozen=True)
class Repo:
    id: int
    agency: str
    debtor: str
    plate: str
    vin: str
    make: str
    repossessed_at: dt.datetime
    phone_notice_at: dt.datetime
    written_notice_at: dt.datetime | None
    payer: str | None
    fee_receipt_id: int | None

    @property
    def reference(self) -> str:
        return f"REPO{self.id:06d}"

    def late_notices(self) -> list[str]:
        """Which CVC 28 notices came late (empty when both were on time)."""
        on = self.repossessed_at.date()
        out = []
        minutes = number("repossessions", "phone_notice_minutes", on)
        if self.phone_notice_at - self.repossessed_at > dt.timedelta(minutes=minutes):
            out.append(f"phone notice after {minutes} minutes")
        if self.written_notice_at is not None:
            days = number("repossessions", "written_notice_business_days", on)
            if self.written_notice_at.date() > calendar.add_business_days(on, days):
                out.append(f"written notice after {days} business day(s)")
        return out


def _when(value: str | dt.datetime, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    try:
        return dt.datetime.fromisoformat(str(value).strip().replace(" ", "T"))
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date and time "
                              "(YYYY-MM-DD HH:MM).") from None


_COLS = ("id, agency, debtor, plate, vin, make, repossessed_at, phone_notice_at, "
         "written_notice_at, payer, fee_receipt_id")


def _repo(r: dict) -> Repo:
    return Repo(r["id"], r["agency"], r["debtor"], r["plate"], r["vin"], r["make"],
                dt.datetime.fromisoformat(r["repossessed_at"]),
                dt.datetime.fromisoformat(r["phone_notice_at"]),
                dt.datetime.fromisoformat(r["written_notice_at"])
                if r["written_notice_at"] else None, r["payer"], r["fee_receipt_id"])


def get(db: Database, repo_id: int) -> Repo:
    r = db.one(f"SELECT {_COLS} FROM fd_repossessions WHERE id = ?", [repo_id])
    if r is None:
        raise NotFound(f"No repossession #{repo_id}.")
    return _repo(r)


def parse_reference(reference: str) -> int:
    m = re.fullmatch(r"\s*REPO(\d{1,9})\s*", reference.upper())
    if not m:
        raise NotThisKind(f"{reference!r} is not a repossession (REPO + number).")
    return int(m.group(1))


def intake(db: Database, actor: Actor, agency: str, debtor: str, plate: str, vin: str,
           make: str, repossessed_at: str | dt.datetime, phone_notice_at: str | dt.datetime,
           written_notice_at: str | dt.datetime | None = None) -> Repo:
    authority().require(actor, PERMISSION, what="take a repossession report")
    agency = clean_text(agency, field="Agency", max_len=80, required=True)
    debtor = clean_text(debtor, field="Debtor", max_len=80, required=True)
    plate = plate_text(plate)
    vin = clean_text(vin, field="VIN", max_len=17, required=True).upper()
    make = clean_text(make, field="Make", max_len=40, required=True)
    taken = _when(repossessed_at, "Repossessed at")
    phoned = _when(phone_notice_at, "Phone notice at")
    written = _when(written_notice_at, "Written notice at") if written_notice_at else None
    if phoned < taken or (written is not None and written < taken):
        raise ValidationError("A notice cannot come before the repossession.")
    if taken > clock.now():
        raise ValidationError("The repossession cannot be in the future.")
    with db.write():
        rid = db.insert("fd_repossessions", {
            "agency": agency, "debtor": debtor, "plate": plate, "vin": vin, "make": make,
            "repossessed_at": taken.isoformat(), "phone_notice_at": phoned.isoformat(),
            "written_notice_at": written.isoformat() if written else None,
            "created_by": actor.username, "created_at": clock.stamp()})
        repo = get(db, rid)
        audit.record(db, actor, "frontdesk.repo_intake", f"repo:{rid}",
                     after={"agency": agency, "plate": plate, "late": repo.late_notices()})
    return repo


def record_written_notice(db: Database, actor: Actor, repo_id: int,
                          at: str | dt.datetime) -> Repo:
    authority().require(actor, PERMISSION, what="record a repossession notice")
    when = _when(at, "Written notice at")
    with db.write():
        repo = get(db, repo_id)
        if when < repo.repossessed_at:
            raise ValidationError("A notice cannot come before the repossession.")
        db.execute("UPDATE fd_repossessions SET written_notice_at = ? WHERE id = ?",
                   [when.isoformat(), repo_id])
        audit.record(db, actor, "frontdesk.repo_notice", f"repo:{repo_id}",
                     after={"written_notice_at": when.isoformat()})
        return get(db, repo_id)


def record_payer(db: Database, actor: Actor, repo_id: int, payer: str, who: str) -> Repo:
    """Who pays the fee: the debtor (or someone for the debtor); never the agency."""
    authority().require(actor, PERMISSION, what="take a repossession fee")
    payer = clean_text(payer, field="Payer", max_len=80, required=True)
    if who not in PAYERS:
        raise ValidationError(f"Payer is one of {', '.join(PAYERS)}.")
    with db.write():
        repo = get(db, repo_id)
        if who == "agency" or payer.casefold() == repo.agency.casefold():
            raise PermissionDenied("The repossession fee is paid by the debtor before "
                                   "redeeming (Gov. Code 41612), not by the repossession "
                                   "agency.")
        if repo.fee_receipt_id is not None:
            raise StateError(f"The fee for {repo.plate} is paid already.")
        db.execute("UPDATE fd_repossessions SET payer = ? WHERE id = ?",
                   [f"{payer} ({who})", repo_id])
        audit.record(db, actor, "frontdesk.repo_payer", f"repo:{repo_id}",
                     after={"payer": payer, "who": who})
        return get(db, repo_id)


def mark_paid(db: Database, repo_id: int, receipt_id: int | None) -> None:
    db.execute("UPDATE fd_repossessions SET fee_receipt_id = ? WHERE id = ?",
               [receipt_id, repo_id])


def recent(db: Database, limit: int = 200) -> list[Repo]:
    return [_repo(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_repossessions ORDER BY id DESC LIMIT ?", [limit])]


def format_list(rows: list[Repo]) -> str:
    out = ["REPOSSESSIONS AND FEES", "",
           f"{'Ref':<11}{'Plate':<9}{'Agency':<18}{'Debtor':<18}{'Taken':<11}Fee"]
    for r in rows:
        fee = "paid" if r.fee_receipt_id else "due"
        late = " LATE" if r.late_notices() else ""
        out.append(f"{r.reference:<11}{r.plate:<9}{r.agency[:17]:<18}{r.debtor[:17]:<18}"
                   f"{r.repossessed_at.date().isoformat():<11}{fee}{late}")
    if not rows:
        out.append("No repossessions.")
    return "\n".join(out)
