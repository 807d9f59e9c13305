"""Who may see police records, and the record of who looked.

Registrants, records requests, impounds and subpoenas are seen only by a clerk whose role
allows `frontdesk.records` (data/authority.toml) AND whom an admin has cleared for police
records here. The role says what the job includes; the clearance says this person passed the
department's background check, which a role cannot. Everything that lists, finds or reports
those records asks `may_see_records` first and returns nothing when it says no, so an
uncleared clerk does not learn that a record exists. Each view of a registrant or a records
request writes an audit row (`frontdesk.view`: who looked at whom), and `views_report` lists
them for a supervisor.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import ALLOW, authority
from clerk_tui.domain.errors import NotFound, PermissionDenied
from clerk_tui.domain.text import clean_text

RECORDS = "frontdesk.records"
VIEW_ACTION = "frontdesk.view"


@dataclass(frozen=True)
class Clearance:
    username: str
    cleared: bool
    reason: str
    set_by: str
    set_at: str


def clearance(db: Database, username: str) -> Clearance | None:
    """The clearance in force for `username` (the latest one set), None if never set."""
    row = db.one("SELECT username, cleared, reason, set_by, set_at FROM fd_clearances "
                 "WHERE username = ? ORDER BY id DESC LIMIT 1", [username])
    if row is None:
        return None
    return Clearance(row["username"], bool(row["cleared"]), row["reason"], row["set_by"],
                     row["set_at"])


def is_cleared(db: Database, username: str) -> bool:
    c = clearance(db, username)
    return bool(c and c.cleared)


def set_clearance(db: Database, actor: Actor, username: str, cleared: bool, reason: str,
                  override: Override | None = None) -> Clearance:
    """An admin clears (or uncleares) a clerk for police records; audited, never edited."""
    authority().require(actor, "frontdesk.clear", override=override,
                        what="clear a clerk for police records")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    with db.write():
        if db.scalar("SELECT 1 FROM clerks WHERE username = ?", [username]) is None:
            raise NotFound(f"No clerk {username!r}.")
        before = clearance(db, username)
        db.insert("fd_clearances", {"username": username, "cleared": int(bool(cleared)),
                                    "reason": reason, "set_by": actor.username,
                                    "set_at": clock.stamp()})
        after = clearance(db, username)
        assert after is not None
        audit.record(db, actor, "frontdesk.clearance", f"clerk:{username}",
                     before={"cleared": bool(before and before.cleared)},
                     after={"cleared": after.cleared, "reason": reason})
    return after


def may_see_records(db: Database, actor: Actor) -> bool:
    """True only for a clerk whose role allows police records and who is cleared."""
    auth.check_actor(actor)
    if authority().mode(actor.role, RECORDS) != ALLOW:
        return False
    return is_cleared(db, actor.username)


def require_records(db: Database, actor: Actor) -> None:
    """Refuse a clerk who may not see police records (the message names no record)."""
    if not may_see_records(db, actor):
        raise PermissionDenied("Police records: you are not cleared to see them "
                               "(ask an administrator).")


def record_view(db: Database, actor: Actor, kind: str, record_id: int, subject: str) -> None:
    """Write the audit row for one view of a sensitive record (inside the caller's write)."""
    audit.record(db, actor, VIEW_ACTION, f"{kind}:{record_id}", after={"subject": subject})


@dataclass(frozen=True)
class View:
    at: str
    clerk: str
    workstation: str
    entity: str
    subject: str


def views(db: Database, actor: Actor, day: dt.date | None = None) -> list[View]:
    """Every view of a registrant or records request on `day` (a supervisor's report)."""
    authority().require(actor, "frontdesk.views", what="see who viewed police records")
    day = day or clock.today()
    rows = db.all("SELECT at, clerk, workstation, entity, after_json FROM audit_log "
                  "WHERE action = ? AND at >= ? AND at < ? ORDER BY seq",
                  [VIEW_ACTION, day.isoformat(), (day + dt.timedelta(days=1)).isoformat()])
    return [View(r["at"], r["clerk"], r["workstation"], r["entity"],
                 json.loads(r["after_json"] or "{}").get("subject", "")) for r in rows]


def format_views(rows: list[View], day: dt.date) -> str:
    out = [f"POLICE RECORD VIEWS  {day.isoformat()}", "",
           f"{'Time':<9}{'Clerk':<12}{'Station':<12}{'Record':<16}Subject"]
    for v in rows:
        out.append(f"{v.at[11:19]:<9}{v.clerk[:11]:<12}{v.workstation[:11]:<12}"
                   f"{v.entity[:15]:<16}{v.subject[:28]}")
    if not rows:
        out.append("No views on this day.")
    out += ["", f"{len(rows)} view(s)."]
    return "\n".join(out)
