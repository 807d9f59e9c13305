"""Acceptance agents and the facility's annual compliance date.

Only a clerk recorded as a certified acceptance agent whose certification has not expired may
execute an application (the State Department's annual training); an administrator records
certifications (`passport.agent_admin`). The counter says plainly when a clerk's has lapsed,
and warns ahead of the lapse and of the facility's compliance date (days from the data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from clerk_tui.domain.passports.rules import rules_on


@dataclass(frozen=True)
class Agent:
    username: str
    full_name: str
    certified_on: dt.date
    expires_on: dt.date

    def lapsed(self, on: dt.date) -> bool:
        return on > self.expires_on

    def days_left(self, on: dt.date) -> int:
        return (self.expires_on - on).days

    def status(self, on: dt.date) -> str:
        if self.lapsed(on):
            return f"LAPSED {self.expires_on.isoformat()}"
        if self.days_left(on) <= rules_on(on).certification_warn_days:
            return f"expires in {self.days_left(on)} days"
        return "certified"


def _date(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{what}: {value!r} is not a date (YYYY-MM-DD).") from None


def _agent(row: dict) -> Agent:
    return Agent(row["username"], row.get("full_name") or "",
                 dt.date.fromisoformat(row["certified_on"]),
                 dt.date.fromisoformat(row["expires_on"]))


def list_agents(db: Database) -> list[Agent]:
    return [_agent(r) for r in db.all(
        "SELECT a.username, c.full_name, a.certified_on, a.expires_on FROM passport_agents a "
        "LEFT JOIN clerks c ON c.username = a.username ORDER BY a.expires_on, a.username")]


def get_agent(db: Database, username: str) -> Agent | None:
    row = db.one("SELECT a.username, c.full_name, a.certified_on, a.expires_on "
                 "FROM passport_agents a LEFT JOIN clerks c ON c.username = a.username "
                 "WHERE a.username = ?", [username])
    return _agent(row) if row else None


def record_certification(db: Database, actor: Actor, username: str,
                         certified_on: str | dt.date,
                         expires_on: str | dt.date | None = None) -> Agent:
    """An administrator records (or renews) a clerk's acceptance-agent certification; it runs
    the data's `certification_months` from the training date unless an expiry is given."""
    authority().require(actor, "passport.agent_admin",
                        what="record acceptance-agent certifications")
    username = (username or "").strip()
    cert = _date(certified_on, "Certification date")
    if cert > clock.today():
        raise ValidationError("The certification date cannot be in the future.")
    exp = _date(expires_on, "Expiry date") if expires_on else \
        clock.add_months(cert, rules_on(cert).certification_months)
    if exp <= cert:
        raise ValidationError("The expiry date must be after the certification date.")
    with db.write():
        if not db.scalar("SELECT 1 FROM clerks WHERE username = ?", [username]):
            raise NotFound(f"No clerk {username!r}.")
        before = get_agent(db, username)
        row = {"certified_on": cert.isoformat(), "expires_on": exp.isoformat(),
               "recorded_by": actor.username, "recorded_at": clock.stamp()}
        if before:
            db.execute("UPDATE passport_agents SET certified_on = ?, expires_on = ?, "
                       "recorded_by = ?, recorded_at = ? WHERE username = ?",
                       [*row.values(), username])
        else:
            db.insert("passport_agents", {"username": username, **row})
        audit.record(db, actor, "passport.agent_certified", f"clerk:{username}",
                     before=before and {"certified_on": before.certified_on.isoformat(),
                                        "expires_on": before.expires_on.isoformat()},
                     after={"certified_on": row["certified_on"],
                            "expires_on": row["expires_on"]})
    agent = get_agent(db, username)
    assert agent is not None
    return agent


def require_agent(db: Database, username: str, on: dt.date | None = None) -> Agent:
    """The clerk as a certified agent on `on`, or a plain refusal saying why not."""
    on = on or clock.today()
    agent = get_agent(db, username)
    if agent is None:
        raise PermissionDenied(f"{username} is not a certified passport acceptance agent: only "
                               "a certified agent may accept applications (an administrator "
                               "records certifications).")
    if agent.lapsed(on):
        raise PermissionDenied(f"{username}'s acceptance-agent certification lapsed on "
                               f"{agent.expires_on.isoformat()}: complete this year's training "
                               "and have an administrator record it before accepting "
                               "applications.")
    return agent


def agent_warning(db: Database, username: str, on: dt.date | None = None) -> str:
    """One line for the counter's header: lapsed, about to lapse, or empty."""
    on = on or clock.today()
    agent = get_agent(db, username)
    if agent is None:
        return f"{username} is not a certified acceptance agent."
    if agent.lapsed(on):
        return f"Your agent certification LAPSED on {agent.expires_on.isoformat()}."
    if agent.days_left(on) <= rules_on(on).certification_warn_days:
        return (f"Your agent certification expires {agent.expires_on.isoformat()} "
                f"({agent.days_left(on)} days).")
    return ""


def set_compliance_date(db: Database, actor: Actor, due: str | dt.date) -> dt.date:
    """The facility's next annual compliance date (an administrator records it)."""
    authority().require(actor, "passport.agent_admin", what="record the facility's compliance")
    day = _date(due, "Compliance date")
    with db.write():
        before = db.one("SELECT compliance_due FROM passport_facility WHERE id = 1")
        if before:
            db.execute("UPDATE passport_facility SET compliance_due = ?, recorded_by = ?, "
                       "recorded_at = ? WHERE id = 1", [day.isoformat(), actor.username,
                                                         clock.stamp()])
        else:
            db.insert("passport_facility", {"id": 1, "compliance_due": day.isoformat(),
                                            "recorded_by": actor.username,
                                            "recorded_at": clock.stamp()})
        audit.record(db, actor, "passport.facility_compliance", "passport_facility:1",
                     before=before, after={"compliance_due": day.isoformat()})
    return day


def compliance_due(db: Database) -> dt.date | None:
    v = db.scalar("SELECT compliance_due FROM passport_facility WHERE id = 1")
    return dt.date.fromisoformat(v) if v else None


def facility_warning(db: Database, on: dt.date | None = None) -> str:
    """Warn before the facility's annual compliance date runs out (and after)."""
    on = on or clock.today()
    due = compliance_due(db)
    if due is None:
        return "No facility compliance date is recorded."
    days = (due - on).days
    if days < 0:
        return f"Facility compliance was due {due.isoformat()}: OVERDUE."
    if days <= rules_on(on).compliance_warn_days:
        return f"Facility compliance due {due.isoformat()} ({days} days)."
    return ""
