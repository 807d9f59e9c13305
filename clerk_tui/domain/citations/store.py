"""Citations in the database: write one (checked), record an event (audited), read the
history back as the pure `due` function's input, and the view the screens show.

Why every change is an event: the amount due and the status are computed from the history
(`due.amount_due`), so the tables are append-only and a correction is a new event, never an
edit. Each write runs in one `db.write()` with its `audit.record`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations.due import Due, Event, Facts, amount_due
from clerk_tui.domain.citations.numbers import parse_number
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.money import check_cents
from clerk_tui.domain.text import clean_text

PLATE = re.compile(r"^[A-Z0-9]{1,8}$")
STATE = re.compile(r"^[A-Z]{2}$")


def business_roll(d: dt.date) -> dt.date:
    """A deadline on a weekend or a city holiday (data/utility/holidays.toml, the one calendar)
    moves to the next business day (CCP 12a). A year missing from the holiday list counts
    weekends only: a deadline must never refuse to compute."""
    from clerk_tui.domain.utility.calendar import holidays

    days = holidays().days
    while d.weekday() >= 5 or d in days:
        d += dt.timedelta(days=1)
    return d


def clean_plate(text: str) -> str:
    """A plate as DMV files it: upper case, no spaces or dashes, 1-8 letters/digits."""
    p = re.sub(r"[\s-]", "", str(text or "")).upper()
    if not PLATE.match(p):
        raise ValidationError(f"Plate {str(text)[:20]!r}: 1 to 8 letters and digits.")
    return p


def clean_state(text: str) -> str:
    s = str(text or "").strip().upper()
    if not STATE.match(s):
        raise ValidationError(f"State {str(text)[:10]!r}: two letters, e.g. CA.")
    return s


@dataclass(frozen=True)
class NewCitation:
    """A citation as the handheld wrote it or a clerk keyed it (checked by `check_new`)."""

    number: str
    issued_at: dt.datetime
    location: str
    plate: str
    state: str
    reg_expiry: dt.date | None
    make: str
    colour: str
    body: str
    violation_code: str
    fine_cents: int
    officer: str
    remarks: str = ""


def check_new(c: NewCitation) -> NewCitation:
    """Refuse anything wrong with one citation (a message naming the field), or return it
    cleaned: number and check digit, plate/state, a known violation whose fine matches the
    data for the issue date, no future issue date, text cleaned of control characters."""
    number = parse_number(c.number)
    if not isinstance(c.issued_at, dt.datetime):
        raise ValidationError("Issued at: a date and time (YYYY-MM-DD HH:MM).")
    if c.issued_at.date() > clock.today():
        raise ValidationError(f"Issued at {c.issued_at:%Y-%m-%d}: is in the future.")
    v = citation_rules().violation(c.violation_code, c.issued_at.date())
    check_cents(c.fine_cents, "Fine")
    if c.fine_cents != v.fine_cents:
        raise ValidationError(f"Fine {c.fine_cents / 100:.2f} does not match violation {v.code} "
                              f"({v.fine_cents / 100:.2f} on {c.issued_at:%Y-%m-%d}).")
    return NewCitation(
        number, c.issued_at.replace(microsecond=0, tzinfo=None),
        clean_text(c.location, field="Location", max_len=80, required=True),
        clean_plate(c.plate), clean_state(c.state), c.reg_expiry,
        clean_text(c.make, field="Make", max_len=20), clean_text(c.colour, field="Colour",
                                                                 max_len=20),
        clean_text(c.body, field="Body style", max_len=10), v.code, c.fine_cents,
        clean_text(c.officer, field="Officer badge", max_len=12, required=True),
        clean_text(c.remarks, field="Remarks", max_len=200))


def insert_citation(db: Database, actor: Actor, c: NewCitation, *, source: str,
                    import_id: int | None = None) -> int:
    """Insert one checked citation (inside the caller's write); returns its id."""
    return db.insert("citations", {
        "number": c.number, "issued_at": c.issued_at.isoformat(sep=" "),
        "issued_on": c.issued_at.date().isoformat(), "location": c.location, "plate": c.plate,
        "state": c.state, "reg_expiry": c.reg_expiry.isoformat() if c.reg_expiry else None,
        "make": c.make, "colour": c.colour, "body": c.body,
        "violation_code": c.violation_code, "fine_cents": c.fine_cents, "officer": c.officer,
        "remarks": c.remarks, "source": source, "import_id": import_id,
        "created_at": clock.stamp(), "clerk": actor.username})


def key_in(db: Database, actor: Actor, c: NewCitation) -> int:
    """A handwritten citation keyed by a clerk: checked like an imported one; a number that
    is already on file is refused (the same paper keyed twice)."""
    c = check_new(c)
    with db.write():
        if db.scalar("SELECT 1 FROM citations WHERE number = ?", [c.number]):
            raise ValidationError(f"Citation {c.number} is already on file.")
        cid = insert_citation(db, actor, c, source="keyed")
        audit.record(db, actor, "citation.key", f"citation:{c.number}",
                     after={"plate": c.plate, "state": c.state, "violation": c.violation_code,
                            "fine_cents": c.fine_cents})
    return cid


def add_event(db: Database, actor: Actor, citation_id: int, kind: str, on: dt.date, *,
              amount_cents: int = 0, ref: str = "", reason_code: str = "", reason: str = "",
              receipt_id: int | None = None, override_by: str | None = None) -> int:
    """Append one event (inside the caller's write; the caller audits)."""
    return db.insert("citation_events", {
        "citation_id": citation_id, "kind": kind, "on_date": on.isoformat(),
        "amount_cents": amount_cents, "ref": ref, "reason_code": reason_code,
        "reason": reason, "receipt_id": receipt_id, "at": clock.stamp(),
        "clerk": actor.username, "override_by": override_by})


def facts_of(row: dict[str, Any]) -> Facts:
    return Facts(row["id"], row["number"], dt.date.fromisoformat(row["issued_on"]),
                 row["violation_code"], row["fine_cents"])


def events_of(db: Database, citation_id: int) -> list[Event]:
    return [Event(r["kind"], dt.date.fromisoformat(r["on_date"]), r["amount_cents"], r["ref"],
                  r["reason_code"], r["receipt_id"], r["id"])
            for r in db.all("SELECT * FROM citation_events WHERE citation_id = ? ORDER BY id",
                            [citation_id])]


def events_for(db: Database, ids: list[int]) -> dict[int, list[Event]]:
    """Events of many citations in one read (lists, jobs)."""
    out: dict[int, list[Event]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        for r in db.all(f"SELECT * FROM citation_events WHERE citation_id IN ({marks}) "
                        "ORDER BY id", part):
            out[r["citation_id"]].append(Event(
                r["kind"], dt.date.fromisoformat(r["on_date"]), r["amount_cents"], r["ref"],
                r["reason_code"], r["receipt_id"], r["id"]))
    return out


def due_of(row: dict[str, Any], events: list[Event], on: dt.date | None = None) -> Due:
    return amount_due(facts_of(row), events, on or clock.today(), citation_rules(),
                      business_roll)


@dataclass(frozen=True)
class CitationView:
    """A citation as the screens show it: what was written, the owner, what it owes today."""

    row: dict[str, Any]
    due: Due
    owner: str
    violation: str

    @property
    def number(self) -> str:
        return self.row["number"]

    @property
    def id(self) -> int:
        return self.row["id"]


def owner_of(db: Database, plate: str, state: str) -> dict[str, Any] | None:
    return db.one("SELECT name, address, responded_on FROM citation_owners "
                  "WHERE plate = ? AND state = ? ORDER BY id DESC LIMIT 1", [plate, state])


def view_of(db: Database, row: dict[str, Any], on: dt.date | None = None) -> CitationView:
    on = on or clock.today()
    due = due_of(row, events_of(db, row["id"]), on)
    own = owner_of(db, row["plate"], row["state"])
    try:
        v = citation_rules().violation(row["violation_code"], dt.date.fromisoformat(
            row["issued_on"])).description
    except NotFound:
        v = row["violation_code"]
    return CitationView(row, due, own["name"] if own else "", v)


def get_row(db: Database, number: str) -> dict[str, Any]:
    number = parse_number(number)
    row = db.one("SELECT * FROM citations WHERE number = ?", [number])
    if row is None:
        raise NotFound(f"No citation {number} on file.")
    return row


def get_citation(db: Database, number: str, on: dt.date | None = None) -> CitationView:
    return view_of(db, get_row(db, number), on)


def by_plate(db: Database, plate: str, state: str | None = None,
             on: dt.date | None = None) -> list[CitationView]:
    """Every citation of a plate (any state unless one is given), newest first."""
    plate = clean_plate(plate)
    if state:
        rows = db.all("SELECT * FROM citations WHERE plate = ? AND state = ? "
                      "ORDER BY issued_at DESC, id DESC", [plate, clean_state(state)])
    else:
        rows = db.all("SELECT * FROM citations WHERE plate = ? ORDER BY issued_at DESC, id DESC",
                      [plate])
    evs = events_for(db, [r["id"] for r in rows])
    on = on or clock.today()
    out = []
    owners: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (r["plate"], r["state"])
        if key not in owners:
            own = owner_of(db, *key)
            owners[key] = own["name"] if own else ""
        try:
            v = citation_rules().violation(r["violation_code"],
                                           dt.date.fromisoformat(r["issued_on"])).description
        except NotFound:
            v = r["violation_code"]
        out.append(CitationView(r, due_of(r, evs[r["id"]], on), owners[key], v))
    return out
