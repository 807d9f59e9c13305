"""Visitors and their badges: check in, check out (badge scan or the list), who is in now.

A badge number is 'VB' + six digits + a Luhn check digit (`VB0000123`), printed on the badge
as a Code 128 barcode; scanning it at the desk checks the visitor out. A misread digit fails
the check digit instead of checking out someone else. At the day's end every badge still out
is flagged (`flag_unreturned`), so the list of missing badges survives the next morning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.text import clean_text

PERMISSION = "frontdesk.visitor"
BADGE = re.compile(r"[Vv][Bb]([0-9]{7})")


@dataclass(frozen=True)
class Visitor:
    id: int
    badge: str
    name: str
    company: str
    visiting: str
    purpose: str
    id_seen: bool
    business_date: str
    in_at: str
    in_by: str
    out_at: str | None
    out_how: str | None
    badge_missing: bool

    @property
    def inside(self) -> bool:
        return self.out_at is None


@dataclass(frozen=True)
class BadgeScan:
    """A scanned visitor badge (the scan kind `visitor_badge`)."""

    badge: str

    @property
    def display(self) -> str:
        return self.badge


def make_badge(n: int) -> str:
    if not isinstance(n, int) or not 0 < n < 1_000_000:
        raise ValidationError("A badge number is 1 to 999999.")
    digits = f"{n:06d}"
    return "VB" + digits + luhn_digit(digits)


def check_badge(text: str) -> str:
    """'vb0000123' or ' VB0000123 ' -> 'VB0000123'; refuses a wrong shape or check digit."""
    m = BADGE.fullmatch((text or "").strip())
    if not m:
        raise ValidationError(f"{text!r} is not a visitor badge (VB and 7 digits).")
    if not luhn_ok(m.group(1)):
        raise ValidationError(f"Badge VB{m.group(1)} has a wrong check digit: scan it again.")
    return "VB" + m.group(1)


def parse_badge(m: re.Match[str]) -> BadgeScan:
    """The scan kind's parser (named in the manifest)."""
    return BadgeScan(check_badge(m.group(0)))


_COLS = ("id, badge, name, company, visiting, purpose, id_seen, business_date, in_at, in_by, "
         "out_at, out_how, badge_missing")


def _visitor(r: dict) -> Visitor:
    return Visitor(r["id"], r["badge"], r["name"], r["company"], r["visiting"], r["purpose"],
                   bool(r["id_seen"]), r["business_date"], r["in_at"], r["in_by"], r["out_at"],
                   r["out_how"], bool(r["badge_missing"]))


def check_in(db: Database, actor: Actor, name: str, company: str, visiting: str,
             purpose: str, id_seen: bool) -> Visitor:
    """Log a visitor in and give them the next badge number (printed by the screen)."""
    authority().require(actor, PERMISSION, what="check visitors in")
    name = clean_text(name, field="Name", max_len=60, required=True)
    company = clean_text(company, field="Company", max_len=60)
    visiting = clean_text(visiting, field="Visiting", max_len=60, required=True)
    purpose = clean_text(purpose, field="Purpose", max_len=80, required=True)
    if not isinstance(id_seen, bool):
        raise ValidationError("ID seen is yes or no.")
    with db.write():
        n = int(db.scalar("SELECT coalesce(max(id), 0) FROM fd_visitors")) + 1
        badge = make_badge(n)
        vid = db.insert("fd_visitors", {
            "id": n, "badge": badge, "name": name, "company": company, "visiting": visiting,
            "purpose": purpose, "id_seen": int(id_seen),
            "business_date": clock.today().isoformat(), "in_at": clock.stamp(),
            "in_by": actor.username})
        v = get_visitor(db, vid)
        audit.record(db, actor, "frontdesk.visitor_in", f"visitor:{vid}",
                     after={"badge": badge, "name": name, "visiting": visiting})
    return v


def get_visitor(db: Database, visitor_id: int) -> Visitor:
    r = db.one(f"SELECT {_COLS} FROM fd_visitors WHERE id = ?", [visitor_id])
    if r is None:
        raise NotFound(f"No visitor #{visitor_id}.")
    return _visitor(r)


def by_badge(db: Database, badge: str) -> Visitor:
    badge = check_badge(badge)
    r = db.one(f"SELECT {_COLS} FROM fd_visitors WHERE badge = ?", [badge])
    if r is None:
        raise NotFound(f"No visitor has badge {badge}.")
    return _visitor(r)


def check_out(db: Database, actor: Actor, badge: str | None = None, *,
              visitor_id: int | None = None, how: str = "scan") -> Visitor:
    """Log a visitor out by their badge (scanned) or from the list (`visitor_id`)."""
    authority().require(actor, PERMISSION, what="check visitors out")
    if how not in ("scan", "list"):
        raise ValidationError("Check out by badge scan or from the list.")
    with db.write():
        v = by_badge(db, badge) if badge is not None else get_visitor(db, int(visitor_id or 0))
        if not v.inside:
            raise StateError(f"{v.name} ({v.badge}) already left at {v.out_at[11:16]}.")
        db.execute("UPDATE fd_visitors SET out_at = ?, out_by = ?, out_how = ?, "
                   "badge_missing = 0 WHERE id = ?",
                   [clock.stamp(), actor.username, how, v.id])
        after = get_visitor(db, v.id)
        audit.record(db, actor, "frontdesk.visitor_out", f"visitor:{v.id}",
                     after={"badge": v.badge, "how": how})
    return after


def in_building(db: Database) -> list[Visitor]:
    """Everyone checked in and not out, oldest first (the evacuation list)."""
    return [_visitor(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_visitors WHERE out_at IS NULL ORDER BY id")]


def day_log(db: Database, day: dt.date | None = None) -> list[Visitor]:
    day = day or clock.today()
    return [_visitor(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_visitors WHERE business_date = ? ORDER BY id",
        [day.isoformat()])]


def flag_unreturned(db: Database, actor: Actor, day: dt.date | None = None) -> list[Visitor]:
    """Day end: every visitor of `day` (or before) still checked in has a badge not returned."""
    authority().require(actor, PERMISSION, what="flag unreturned badges")
    day = day or clock.today()
    with db.write():
        ids = [r["id"] for r in db.all(
            "SELECT id FROM fd_visitors WHERE out_at IS NULL AND business_date <= ? "
            "AND badge_missing = 0", [day.isoformat()])]
        if ids:
            db.executemany("UPDATE fd_visitors SET badge_missing = 1 WHERE id = ?",
                           [(i,) for i in ids])
            audit.record(db, actor, "frontdesk.badges_missing", f"day:{day.isoformat()}",
                         after={"visitors": ids})
    return [get_visitor(db, i) for i in ids]


def missing_badges(db: Database) -> list[Visitor]:
    return [_visitor(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_visitors WHERE badge_missing = 1 AND out_at IS NULL "
        "ORDER BY id")]


def find(db: Database, text: str, limit: int) -> list[Visitor]:
    """Visitors whose name starts with the text, newest first (an indexed prefix match)."""
    like = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [_visitor(r) for r in db.all(
        f"SELECT {_COLS} FROM fd_visitors WHERE name LIKE ? ESCAPE '\\' ORDER BY id DESC "
        "LIMIT ?", [like, limit])]


def badge_lines(v: Visitor) -> list[str]:
    """What the badge says above its barcode."""
    return ["VISITOR", v.name[:40], (v.company or "")[:40], f"Visiting: {v.visiting[:30]}",
            f"In: {v.in_at[:16].replace('T', ' ')}", "Return this badge when you leave"]


def format_in_building(rows: list[Visitor], now: str) -> str:
    """The evacuation list: who is in the building now."""
    out = [f"VISITORS IN THE BUILDING  {now[:16].replace('T', ' ')}", "",
           f"{'Badge':<11}{'Name':<24}{'Visiting':<20}{'In':<6}ID"]
    for v in rows:
        out.append(f"{v.badge:<11}{v.name[:23]:<24}{v.visiting[:19]:<20}{v.in_at[11:16]:<6}"
                   f"{'yes' if v.id_seen else 'NO'}")
    if not rows:
        out.append("Nobody is checked in.")
    out += ["", f"{len(rows)} visitor(s) in the building."]
    return "\n".join(out)


def format_day_log(rows: list[Visitor], day: dt.date) -> str:
    out = [f"VISITOR LOG  {day.isoformat()}", "",
           f"{'Badge':<11}{'Name':<20}{'Company':<14}{'Visiting':<14}{'In':<6}{'Out':<6}"]
    for v in rows:
        out.append(f"{v.badge:<11}{v.name[:19]:<20}{v.company[:13]:<14}{v.visiting[:13]:<14}"
                   f"{v.in_at[11:16]:<6}"
                   f"{(v.out_at or '')[11:16] or ('MISSING' if v.badge_missing else 'in'):<6}")
    if not rows:
        out.append("No visitors on this day.")
    missing = sum(1 for v in rows if v.badge_missing and v.inside)
    out += ["", f"{len(rows)} visitor(s); {missing} badge(s) not returned."]
    return "\n".join(out)
