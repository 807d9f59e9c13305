"""The front desk's F2 lookup finders (the manifest's `finders`; clerk_tui/domain/finders.py).

Registrants, records requests and impounds are police records: their finders return nothing
at all for a clerk who is not cleared (access.py), so the lookup never tells an uncleared
clerk that such a record exists; the manifest also names `frontdesk.records` as their
permission. A hit is not a view: opening it (the screen) writes the audited view. Visitors
are not police records: any clerk of the desk finds them by badge or name. Every query is
an exact or prefix match on an indexed column, with a LIMIT.
"""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import ALLOW, authority
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.finders import Found
from clerk_tui.domain.frontdesk import records, registrants, vehicles, visitors

REGISTRANT, REQUEST, IMPOUND, VISITOR = "offender", "pra-req", "impound", "visitor"
"""Kinds at most 8 characters: the lookup's Kind column is 8 wide (a registrant is an offender)."""


def find_registrants(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Registrants whose name starts with the text (cleared clerks only)."""
    return [Found(REGISTRANT, str(r.id), r.name, f"PC {r.type}, next due {r.next_due}")
            for r in registrants.find(db, actor, text, limit)]


def find_requests(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Records requests by number (exact: rank 0) or requester (prefix)."""
    return [Found(REQUEST, q.number, q.requester,
                  f"{q.status_label}, deadline {q.deadline}",
                  0 if q.number == text.strip().upper() else 50)
            for q in records.find(db, actor, text, limit)]


def find_impounds(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Stored vehicles by plate or VIN (exact)."""
    return [Found(IMPOUND, v.reference, f"{v.plate} {v.make}",
                  f"Stored {v.stored_on} CVC {v.reason_code}, {v.status}", 0)
            for v in vehicles.find(db, actor, text, limit)]


def find_visitors(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """A badge number (exact: rank 0) or a visitor's name (prefix)."""
    if authority().mode(actor.role, visitors.PERMISSION) != ALLOW or not text.strip():
        return []
    try:
        v = visitors.by_badge(db, text)
        return [Found(VISITOR, v.badge, v.name, f"Visitor {v.in_at[:10]}", 0)]
    except ClerkError:  # not a badge number, or no such badge: try the name
        pass
    return [Found(VISITOR, v.badge, v.name,
                  f"Visitor {v.in_at[:10]}, {'in the building' if v.inside else 'left'}")
            for v in visitors.find(db, text, limit)]
