"""F2 lookup of front-desk records (the manifest's finders; clerk_tui/domain/finders.py).

Each finder returns nothing at all for a clerk who is not cleared for police records, so the
lookup never tells an uncleared clerk that a registrant, request or impound exists. Visitors
are not police records: any clerk of the desk finds them by badge or name. Lookups are exact
or prefix matches on indexed columns only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import ALLOW, authority
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.frontdesk import records, registrants, vehicles, visitors


@dataclass(frozen=True)
class Found:
    """The shape of `clerk_tui.domain.finders.Found` (used until that module is on main)."""

    kind: str
    key: str
    title: str
    detail: str = ""
    rank: int = 50


def _found(**kw: Any) -> Any:
    try:
        from clerk_tui.domain.finders import Found as Platform  # type: ignore[import-not-found]
    except ImportError:
        return Found(**kw)
    return Platform(**kw)


def find_records(db: Database, actor: Actor, text: str, limit: int) -> list[Any]:
    """Registrants (name prefix), records requests (number, requester prefix) and vehicles
    (plate or VIN) — for a cleared clerk only."""
    out: list[Any] = []
    for r in registrants.find(db, actor, text, limit):
        out.append(_found(kind="fd_registrant", key=str(r.id), title=r.name,
                          detail=f"Registrant PC {r.type}, due {r.next_due}", rank=40))
    for q in records.find(db, actor, text, limit):
        out.append(_found(kind="fd_request", key=str(q.id), title=f"{q.number} {q.requester}",
                          detail=f"Records request, {q.status_label}, due {q.deadline}",
                          rank=40))
    for v in vehicles.find(db, actor, text, limit):
        out.append(_found(kind="fd_vehicle", key=str(v.id), title=f"{v.plate} {v.make}",
                          detail=f"Stored {v.stored_on} ({v.reason_code}), {v.status}",
                          rank=40))
    return out[:limit]


def find_visitors(db: Database, actor: Actor, text: str, limit: int) -> list[Any]:
    """A badge number (exact) or a visitor's name (prefix)."""
    if authority().mode(actor.role, visitors.PERMISSION) != ALLOW or not text.strip():
        return []
    t = text.strip()
    try:
        v = visitors.by_badge(db, t)
        return [_found(kind="fd_visitor", key=str(v.id), title=f"{v.badge} {v.name}",
                       detail=f"Visitor {v.in_at[:10]}", rank=30)]
    except ClerkError:  # not a badge, or no such badge: try the name
        pass
    like = t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.all("SELECT id FROM fd_visitors WHERE name LIKE ? ESCAPE '\\' "
                  "ORDER BY id DESC LIMIT ?", [like, limit])
    out = []
    for r in rows:
        v = visitors.get_visitor(db, r["id"])
        out.append(_found(kind="fd_visitor", key=str(v.id), title=f"{v.badge} {v.name}",
                          detail=f"Visitor {v.in_at[:10]}, "
                                 f"{'in the building' if v.inside else 'left'}", rank=60))
    return out
