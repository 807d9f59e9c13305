"""Finding citations: by number (typed or scanned), notice number, plate with or without
state, or registered owner name — for the F4 screen and the F2 lookup.

Every path is an indexed exact or prefix lookup (citations.number UNIQUE, (plate, state),
the notice partial index, citation_owners.name_key), so a search stays within the lookup goal
at a million citations (bench/lookup_citations.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations.imports import name_key
from clerk_tui.domain.citations.numbers import looks_like_number, parse_notice, parse_number
from clerk_tui.domain.citations.store import CitationView, by_plate, clean_plate, view_of
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.finders import Found
from clerk_tui.domain.money import format_money

_PLATE_STATE = re.compile(r"^\s*([A-Za-z0-9 -]{1,10}?)\s*(?:[ /,]\s*([A-Za-z]{2}))?\s*$")
_NOTICE = re.compile(r"^\s*[Nn]\s*-?\s*\d{9}\s*$")
MAX_OWNER_PLATES = 20


@dataclass(frozen=True)
class Search:
    """What a search found: the citations and how they were found (for the heading)."""

    how: str
    views: list[CitationView]

    @property
    def owed_cents(self) -> int:
        return sum(v.due.due_cents for v in self.views)


def _plate_state(text: str) -> tuple[str, str | None] | None:
    m = _PLATE_STATE.match(text)
    if not m:
        return None
    plate, state = m.group(1), m.group(2)
    try:
        return clean_plate(plate), state.upper() if state else None
    except ValidationError:
        return None


def search(db: Database, text: str, on: dt.date | None = None) -> Search:
    """Citation number, notice number, plate [state] or owner name, in that order."""
    t = (text or "").strip()
    on = on or clock.today()
    if not t:
        raise ValidationError("Type a citation number, plate, notice number or owner name.")
    if len(t) > 60:
        raise ValidationError("That is too long for a search (60 characters at most).")
    if looks_like_number(t):
        number = parse_number(t)
        row = db.one("SELECT * FROM citations WHERE number = ?", [number])
        if row is None:
            raise NotFound(f"No citation {number} on file.")
        return Search(f"Citation {number}", [view_of(db, row, on)])
    if _NOTICE.match(t):
        notice = parse_notice(t)
        cid = db.scalar("SELECT citation_id FROM citation_events WHERE kind = 'notice' "
                        "AND ref = ?", [notice])
        if cid is None:
            raise NotFound(f"No notice {notice} on file.")
        row = db.one("SELECT * FROM citations WHERE id = ?", [cid])
        assert row is not None
        return Search(f"Notice {notice}", [view_of(db, row, on)])
    ps = _plate_state(t)
    if ps is not None:
        views = by_plate(db, ps[0], ps[1], on)
        if views:
            where = f"{ps[0]} {ps[1]}" if ps[1] else ps[0]
            return Search(f"Plate {where}: {len(views)} citation(s)", views)
    key = name_key(t)
    if len(key) >= 2:
        plates = db.all("SELECT DISTINCT plate, state FROM citation_owners "
                        "WHERE name_key >= ? AND name_key < ? LIMIT ?",
                        [key, key + "\uffff", MAX_OWNER_PLATES])
        views = [v for p in plates for v in by_plate(db, p["plate"], p["state"], on)]
        if views:
            return Search(f"Owner {key}: {len(views)} citation(s)", views)
    raise NotFound(f"No citation, plate, notice or owner matches {t[:30]!r}.")


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """The F2 lookup's finder: each citation found, keyed by its number. Indexed reads only;
    a search that finds nothing returns nothing (F2 shows the other counters' hits)."""
    try:
        found = search(db, text)
    except (NotFound, ValidationError):
        return []
    exact = looks_like_number(text) or bool(_NOTICE.match(text or ""))
    out = []
    for v in found.views[:limit]:
        r = v.row
        out.append(Found("citation", v.number,
                         f"Citation {v.number} {r['plate']} {r['state']}",
                         f"{r['issued_on']} {v.violation[:24]} {v.due.label}, due "
                         f"{format_money(v.due.due_cents)}",
                         rank=0 if exact else 40))
    return out


def owed_by_busiest_plates(db: Database, plates: int = 40) -> list[tuple[str, str, int]]:
    """(number, plate, due) of the owed citations of the plates with the most citations
    (the keystroke bench's targets; also a quick look at repeat offenders)."""
    out = []
    for p in db.all("SELECT plate, state, count(*) AS n FROM citations GROUP BY plate, state "
                    "ORDER BY n DESC LIMIT ?", [plates]):
        for v in by_plate(db, p["plate"], p["state"]):
            if v.due.due_cents > 0 and v.due.status in ("open", "partial", "hold"):
                out.append((v.number, p["plate"], v.due.due_cents))
    return out
