"""The retention purge: personal fields of old applications are erased; counts and money stay.

After the data's `retention_days` (counted from execution, or from the start of an application
never executed) an application keeps its number, form, product, service, age group, status,
fees, instrument number and amount, receipts, transmittal and agent, so the monthly counts,
the revenue and every money reference still add up, but loses the applicant's name, date of
birth and parents, the payer's name on its State fee instrument (once every application it
paid is purged) and the name on old appointments. Each run is one audited transaction with a
`passport_purges` row (how many, up to which day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.passports.rules import rules_on


@dataclass(frozen=True)
class PurgeResult:
    cutoff: dt.date
    applications: int
    appointments: int


def cutoff(on: dt.date | None = None) -> dt.date:
    on = on or clock.today()
    return on - dt.timedelta(days=rules_on(on).retention_days)


def due(db: Database, on: dt.date | None = None) -> int:
    """How many applications a purge would erase today."""
    return int(db.scalar(
        "SELECT count(*) FROM passport_applications WHERE purged_at IS NULL "
        "AND coalesce(executed_on, started_on) < ?", [cutoff(on).isoformat()]))


def purge(db: Database, actor: Actor, on: dt.date | None = None) -> PurgeResult:
    """Erase the personal fields of applications older than the retention period."""
    authority().require(actor, "passport.purge", what="purge old passport applications")
    cut = cutoff(on).isoformat()
    at = clock.stamp()
    with db.write():
        ids = [r["id"] for r in db.all(
            "SELECT id FROM passport_applications WHERE purged_at IS NULL "
            "AND coalesce(executed_on, started_on) < ? ORDER BY id", [cut])]
        db.executemany(
            "UPDATE passport_applications SET applicant_name = NULL, name_key = NULL, "
            "birth_date = NULL, parents = NULL, purged_at = ?, purged_by = ? WHERE id = ?",
            [(at, actor.username, i) for i in ids])
        db.execute("UPDATE passport_instruments SET payer = NULL WHERE payer IS NOT NULL "
                   "AND NOT EXISTS (SELECT 1 FROM passport_applications a WHERE "
                   "a.instrument_id = passport_instruments.id AND a.purged_at IS NULL)")
        appts = int(db.scalar("SELECT count(*) FROM passport_appointments WHERE day < ? "
                              "AND name IS NOT NULL", [cut]))
        db.execute("UPDATE passport_appointments SET name = NULL WHERE day < ?", [cut])
        db.insert("passport_purges", {"run_at": at, "run_by": actor.username, "cutoff": cut,
                                      "applications": len(ids), "appointments": appts})
        audit.record(db, actor, "passport.purge", f"passport_purge:{cut}",
                     after={"cutoff": cut, "applications": len(ids), "appointments": appts,
                            "first_id": ids[0] if ids else None,
                            "last_id": ids[-1] if ids else None})
    return PurgeResult(dt.date.fromisoformat(cut), len(ids), appts)
