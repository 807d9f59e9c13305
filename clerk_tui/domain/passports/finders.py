"""F2 lookup of passport applications: by number, by date of birth, or by the start of a name.

Why only these: personal data is looked up by what the applicant tells the clerk (their name
or date of birth), with indexed exact/prefix reads only (name_key, birth_date), and purged
applications (no personal fields left) are never found by name or birth date.
"""

from __future__ import annotations

import datetime as dt
import re

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import DENY, authority
from clerk_tui.domain.finders import Found
from clerk_tui.domain.passports.applications import name_key

KIND = "passport"
_NUMBER = re.compile(r"^PA\d{1,7}$")


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Applications for `text`: `PA…` number (prefix), `YYYY-MM-DD` birth date, or a name
    prefix of at least two letters. Nothing for a clerk who may not accept passports."""
    if authority().mode(actor.role, "passport.accept") == DENY:
        return []
    t = " ".join((text or "").split())
    if not t or limit <= 0:
        return []
    cols = ("SELECT number, applicant_name, birth_date, status, product, started_on "
            "FROM passport_applications ")
    up = t.upper().replace(" ", "")
    if _NUMBER.match(up):
        rows = db.all(cols + "WHERE number >= ? AND number < ? ORDER BY number LIMIT ?",
                      [up, up + "\uffff", limit])
        rank = 0 if len(up) == 9 else 10  # the whole number: first, as an exact account
    else:
        try:
            birth = dt.date.fromisoformat(t)
        except ValueError:
            birth = None
        if birth is not None:
            rows = db.all(cols + "WHERE birth_date = ? AND purged_at IS NULL "
                          "ORDER BY id DESC LIMIT ?", [birth.isoformat(), limit])
            rank = 20
        elif len(t) >= 2 and not t.isdigit():
            key = name_key(t)
            rows = db.all(cols + "WHERE name_key >= ? AND name_key < ? "
                          "ORDER BY name_key, id DESC LIMIT ?", [key, key + "\uffff", limit])
            rank = 40
        else:
            return []
    return [Found(KIND, r["number"], r["applicant_name"] or "(purged)",
                  f"born {r['birth_date'] or '-'} {r['status']}", rank) for r in rows]
