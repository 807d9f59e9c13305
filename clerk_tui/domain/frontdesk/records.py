"""Records requests under the California Public Records Act, and victims' free copies.

Deadlines (data/frontdesk/rules.toml [[cpra]]):
- an ordinary request is decided within `decide_days` CALENDAR days of receipt (Gov. Code
  7922.535(a)); a last day on a weekend or holiday moves to the next business day (CCP 12a);
- one extension, by written notice given before the first deadline, of up to
  `extension_max_days` calendar days, for a reason from the data's list (7922.535(b)-(c));
- a victim's request for the incident report (Family Code 6228) is answered within
  `victim_business_days` BUSINESS days of the request, or `victim_extension_business_days`
  with good cause, and the copy is free.
Business days are the utility desk's calendar (domain/utility/calendar.py).

Every function here refuses a clerk who is not cleared for police records (access.py), and
opening one request (`view_request`) writes an audit row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.frontdesk import access
from clerk_tui.domain.frontdesk.rules import money, number, rule_set, words
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import calendar

CHANNELS = ("counter", "mail", "email", "phone", "web")
OPEN = ("received", "extended", "ready")
UNDECIDED = ("received", "extended")
STATUS_LABELS = {"received": "Received", "extended": "Extended", "ready": "Ready",
                 "released": "Released", "released_part": "Released in part",
                 "denied": "Denied", "withdrawn": "Withdrawn", "closed": "Closed"}


@dataclass(frozen=True)
class Request:
    id: int
    number: str
    requester: str
    contact: str
    records: str
    received_on: dt.date
    channel: str
    victim: bool
    due_on: dt.date
    extended_to: dt.date | None
    extension_reason: str | None
    status: str
    released: str
    withheld: str
    exemption: str
    pages: int
    fee_receipt_id: int | None
    decided_on: str | None

    @property
    def deadline(self) -> dt.date:
        return self.extended_to or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def overdue(self, on: dt.date) -> bool:
        return self.status in UNDECIDED and self.deadline < on

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _date(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{what} {value!r} is not a date (YYYY-MM-DD).") from None


def _roll(d: dt.date, on: dt.date) -> dt.date:
    return calendar.next_business_day(d) if rule_set("cpra", on).get("roll_to_business_day") \
        else d


def decision_due(received_on: dt.date, victim: bool) -> dt.date:
    """The first deadline: 10 calendar days (rolled past a holiday), or a victim's 5 business
    days (Family Code 6228)."""
    if victim:
        return calendar.add_business_days(received_on,
                                          number("cpra", "victim_business_days", received_on))
    return _roll(received_on + dt.timedelta(days=number("cpra", "decide_days", received_on)),
                 received_on)


def extension_limit(req: Request) -> dt.date:
    """The latest date an extension may set."""
    if req.victim:
        return calendar.add_business_days(
            req.received_on, number("cpra", "victim_extension_business_days", req.received_on))
    return _roll(req.due_on + dt.timedelta(
        days=number("cpra", "extension_max_days", req.received_on)), req.received_on)


_COLS = ("id, number, requester, contact, records, received_on, channel, victim, due_on, "
         "extended_to, extension_reason, status, released, withheld, exemption, pages, "
         "fee_receipt_id, decided_on")


def _request(r: dict) -> Request:
    return Request(r["id"], r["number"], r["requester"], r["contact"], r["records"],
                   dt.date.fromisoformat(r["received_on"]), r["channel"], bool(r["victim"]),
                   dt.date.fromisoformat(r["due_on"]),
                   dt.date.fromisoformat(r["extended_to"]) if r["extended_to"] else None,
                   r["extension_reason"], r["status"], r["released"], r["withheld"],
                   r["exemption"], r["pages"], r["fee_receipt_id"], r["decided_on"])


def _get(db: Database, request_id: int) -> Request:
    r = db.one(f"SELECT {_COLS} FROM fd_requests WHERE id = ?", [request_id])
    if r is None:
        raise NotFound(f"No records request #{request_id}.")
    return _request(r)


REQUEST_NUMBER = re.compile(r"PRA\d{2}-\d{5}")
"""A request number as `intake` makes it (PRA26-00001)."""


def by_number(db: Database, number_text: str) -> Request:
    """The request with that number. Text that is not shaped like a request number is a
    ValidationError, not NotFound: the payment screen offers every typed code to every item
    kind and shows a NotFound first, so "No records request 'COPY*0'" must not hide the
    misc. item's own message."""
    if not REQUEST_NUMBER.fullmatch(number_text.strip().upper()):
        raise NotThisKind(f"{number_text.strip()[:40]!r} is not a records request number "
                              "(PRA26-00001).")
    r = db.one(f"SELECT {_COLS} FROM fd_requests WHERE number = ?",
               [number_text.strip().upper()])
    if r is None:
        raise NotFound(f"No records request {number_text.strip()!r}.")
    return _request(r)


def intake(db: Database, actor: Actor, requester: str, contact: str, records: str,
           received_on: str | dt.date, channel: str, victim: bool = False) -> Request:
    """A new request: its number, and its deadline from the date it was received."""
    access.require_records(db, actor)
    requester = clean_text(requester, field="Requester", max_len=80, required=True)
    contact = clean_text(contact, field="Contact", max_len=80)
    records = clean_text(records, field="Records asked for", max_len=400, required=True)
    received = _date(received_on, "Received")
    if received > clock.today():
        raise ValidationError("A request cannot be received in the future.")
    if channel not in CHANNELS:
        raise ValidationError(f"Channel is one of {', '.join(CHANNELS)}.")
    due = decision_due(received, bool(victim))
    with db.write():
        n = int(db.scalar("SELECT coalesce(max(id), 0) FROM fd_requests")) + 1
        num = f"PRA{received.year % 100:02d}-{n:05d}"
        rid = db.insert("fd_requests", {
            "id": n, "number": num, "requester": requester, "contact": contact,
            "records": records, "received_on": received.isoformat(), "channel": channel,
            "victim": int(bool(victim)), "due_on": due.isoformat(), "status": "received",
            "created_by": actor.username, "created_at": clock.stamp()})
        req = _get(db, rid)
        audit.record(db, actor, "frontdesk.request_intake", f"request:{rid}",
                     after={"number": num, "due_on": due.isoformat(), "victim": req.victim})
    return req


def view_request(db: Database, actor: Actor, request_id: int) -> Request:
    """Open one request: refused unless cleared; the view is audited (who looked at whom)."""
    access.require_records(db, actor)
    with db.write():
        req = _get(db, request_id)
        access.record_view(db, actor, "request", req.id, f"{req.number} {req.requester}")
    return req


def _change(db: Database, actor: Actor, req: Request, action: str, sets: dict,
            after: dict) -> Request:
    cols = ", ".join(f"{k} = ?" for k in sets)
    db.execute(f"UPDATE fd_requests SET {cols} WHERE id = ?", [*sets.values(), req.id])
    audit.record(db, actor, action, f"request:{req.id}",
                 before={"status": req.status}, after=after)
    return _get(db, req.id)


def extend(db: Database, actor: Actor, request_id: int, reason: str, days: int) -> Request:
    """The one extension: before the first deadline, up to the data's days, a listed reason."""
    access.require_records(db, actor)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValidationError("The extension is a whole number of days, at least 1.")
    with db.write():
        req = _get(db, request_id)
        if req.extended_to is not None:
            raise StateError(f"{req.number} was already extended once (to {req.extended_to}).")
        if req.status not in UNDECIDED:
            raise StateError(f"{req.number} is {req.status_label.lower()}: nothing to extend.")
        if clock.today() > req.due_on:
            raise StateError(f"{req.number}: the extension notice had to go by {req.due_on}.")
        reasons = words("cpra", "extension_reasons", req.received_on)
        if not req.victim and reason not in reasons:
            raise ValidationError("The extension needs one of the reasons in the rules file.")
        if req.victim:
            reason = clean_text(reason, field="Good cause", max_len=200, required=True)
            new = calendar.add_business_days(req.due_on, days)
        else:
            new = _roll(req.due_on + dt.timedelta(days=days), req.received_on)
        limit = extension_limit(req)
        if new > limit:
            raise ValidationError(f"{req.number} may be extended to {limit} at the latest "
                                  f"(you asked for {new}).")
        req = _change(db, actor, req, "frontdesk.request_extend",
                      {"extended_to": new.isoformat(), "extension_reason": reason,
                       "status": "extended"},
                      {"extended_to": new.isoformat(), "reason": reason})
    return req


def copy_fee(req: Request) -> int:
    """What the copies cost: nothing for a victim (Family Code 6228), else per page."""
    if req.victim:
        return 0
    return req.pages * money("cpra", "copy_per_page", req.received_on)


def prepare(db: Database, actor: Actor, request_id: int, pages: int, released: str,
            withheld: str = "", exemption: str = "") -> Request:
    """The records are gathered: how many pages, what goes out and what is held back (with
    the exemption cited). The request waits as `ready` for its copy fee, if any."""
    access.require_records(db, actor)
    if not isinstance(pages, int) or isinstance(pages, bool) or not 0 <= pages <= 100_000:
        raise ValidationError("Pages is a whole number, 0 to 100000.")
    released = clean_text(released, field="Released", max_len=400, required=True)
    withheld = clean_text(withheld, field="Withheld", max_len=400)
    with db.write():
        req = _get(db, request_id)
        if req.status not in UNDECIDED:
            raise StateError(f"{req.number} is {req.status_label.lower()}.")
        if withheld and exemption not in words("cpra", "exemptions", req.received_on):
            raise ValidationError("Withholding records needs an exemption from the rules file.")
        req = _change(db, actor, req, "frontdesk.request_ready",
                      {"pages": pages, "released": released, "withheld": withheld,
                       "exemption": exemption if withheld else "", "status": "ready",
                       "decided_on": clock.today().isoformat()},
                      {"pages": pages, "withheld": bool(withheld), "exemption": exemption})
    return req


def release(db: Database, actor: Actor, request_id: int) -> Request:
    """Hand the copies over: refused until the copy fee is paid (a victim's are free)."""
    access.require_records(db, actor)
    with db.write():
        req = _get(db, request_id)
        if req.status != "ready":
            raise StateError(f"{req.number} is {req.status_label.lower()}, not ready.")
        if copy_fee(req) and req.fee_receipt_id is None:
            raise StateError(f"{req.number}: take the copy fee "
                             f"({format_money(copy_fee(req))}) first.")
        status = "released_part" if req.withheld else "released"
        req = _change(db, actor, req, "frontdesk.request_release", {"status": status},
                      {"status": status})
    return req


def deny(db: Database, actor: Actor, request_id: int, exemption: str) -> Request:
    access.require_records(db, actor)
    with db.write():
        req = _get(db, request_id)
        if req.status not in OPEN:
            raise StateError(f"{req.number} is {req.status_label.lower()}.")
        if exemption not in words("cpra", "exemptions", req.received_on):
            raise ValidationError("A denial cites an exemption from the rules file.")
        req = _change(db, actor, req, "frontdesk.request_deny",
                      {"status": "denied", "exemption": exemption,
                       "decided_on": clock.today().isoformat()}, {"exemption": exemption})
    return req


def set_status(db: Database, actor: Actor, request_id: int, status: str) -> Request:
    """Withdrawn by the requester, or closed after release/denial."""
    access.require_records(db, actor)
    if status not in ("withdrawn", "closed"):
        raise ValidationError("Only withdrawn or closed can be set directly.")
    with db.write():
        req = _get(db, request_id)
        if status == "withdrawn" and req.status not in OPEN:
            raise StateError(f"{req.number} is {req.status_label.lower()}.")
        if status == "closed" and req.status in OPEN:
            raise StateError(f"{req.number} is still open: release, deny or withdraw it first.")
        req = _change(db, actor, req, f"frontdesk.request_{status}", {"status": status},
                      {"status": status})
    return req


def open_requests(db: Database, actor: Actor) -> list[Request]:
    """Open requests by deadline; nothing at all for a clerk who is not cleared."""
    if not access.may_see_records(db, actor):
        return []
    rows = db.all(f"SELECT {_COLS} FROM fd_requests WHERE status IN ('received', 'extended', "
                  "'ready') ORDER BY coalesce(extended_to, due_on), id")
    return [_request(r) for r in rows]


def overdue(db: Database, actor: Actor, on: dt.date | None = None) -> list[Request]:
    on = on or clock.today()
    return [r for r in open_requests(db, actor) if r.overdue(on)]


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Request]:
    """By number (exact) or requester (prefix); nothing for an uncleared clerk."""
    if not access.may_see_records(db, actor) or not text.strip():
        return []
    t = text.strip()
    rows = db.all(f"SELECT {_COLS} FROM fd_requests WHERE number = ? "
                  "UNION SELECT {_COLS} FROM fd_requests WHERE requester LIKE ? ESCAPE '\\' "
                  "LIMIT ?".replace("{_COLS}", _COLS),
                  [t.upper(), _like(t), limit])
    return [_request(r) for r in rows]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def mark_paid(db: Database, reference: str, receipt_id: int | None) -> None:
    """The copy fee item's hooks (inside the payment's transaction)."""
    db.execute("UPDATE fd_requests SET fee_receipt_id = ? WHERE number = ?",
               [receipt_id, reference])


# ---- letters ------------------------------------------------------------------------------
LETTERS = ("acknowledgement", "extension", "release", "denial")


def letter_text(req: Request, kind: str, today: dt.date) -> str:
    """The letter's text (plain, at most 78 columns)."""
    responsible = str(rule_set("cpra", req.received_on).get("responsible", ""))
    head = [today.isoformat(), "", req.requester, req.contact, "",
            f"Re: Public records request {req.number}, received {req.received_on}", ""]
    if kind == "acknowledgement":
        body = ["We received your request for:", f"  {req.records[:70]}", "",
                f"We will tell you by {req.due_on} whether we hold disclosable records."]
        if req.victim:
            body.append("As a victim (Family Code 6228) your copy is free of charge.")
    elif kind == "extension":
        if req.extended_to is None:
            raise StateError(f"{req.number} has not been extended.")
        body = ["We need more time to respond, because of:", f"  {req.extension_reason}", "",
                f"We will tell you by {req.extended_to} (Gov. Code 7922.535(b))."]
    elif kind == "release":
        if req.status not in ("ready", "released", "released_part"):
            raise StateError(f"{req.number} is not ready for release.")
        body = [f"Records released: {req.released[:60]}", f"Pages: {req.pages}",
                f"Copy fee: {format_money(copy_fee(req))}"]
        if req.withheld:
            body += [f"Withheld: {req.withheld[:60]}", f"Exemption: {req.exemption}"]
            body += ["", f"Person responsible for withholding: {responsible}"]
    elif kind == "denial":
        if req.status != "denied":
            raise StateError(f"{req.number} has not been denied.")
        body = ["Your request is denied.", f"Exemption: {req.exemption}", "",
                f"Person responsible for the denial: {responsible}",
                "(Gov. Code 7922.540(a))"]
    else:
        raise ValidationError(f"Letters are {', '.join(LETTERS)}.")
    return "\n".join([*head, *body, "", "Police Department Records Unit"])


def write_letter(db: Database, actor: Actor, request_id: int, kind: str) -> str:
    """Compose the letter, keep a copy (append-only) and return its text to print."""
    access.require_records(db, actor)
    with db.write():
        req = _get(db, request_id)
        text = letter_text(req, kind, clock.today())
        lid = db.insert("fd_letters", {"request_id": req.id, "kind": kind, "body": text,
                                       "at": clock.stamp(), "clerk": actor.username})
        audit.record(db, actor, "frontdesk.request_letter", f"request:{req.id}",
                     after={"letter": lid, "kind": kind})
    return text


# ---- reports ------------------------------------------------------------------------------
def format_open(rows: list[Request], on: dt.date) -> str:
    """Open requests with their deadlines (the deadline calendar), overdue marked."""
    out = [f"RECORDS REQUESTS OPEN  {on.isoformat()}", "",
           f"{'Number':<13}{'Requester':<20}{'Received':<11}{'Deadline':<11}{'Status':<11}"]
    for r in rows:
        mark = "OVERDUE" if r.overdue(on) else ("victim" if r.victim else "")
        out.append(f"{r.number:<13}{r.requester[:19]:<20}{r.received_on.isoformat():<11}"
                   f"{r.deadline.isoformat():<11}{r.status_label[:10]:<11}{mark}")
    if not rows:
        out.append("No open requests.")
    out += ["", f"{len(rows)} open; {sum(r.overdue(on) for r in rows)} overdue."]
    return "\n".join(out)


def format_calendar(rows: list[Request], on: dt.date) -> str:
    """The deadline calendar: each day that has a decision due, with its requests (overdue
    days first, marked), so the records unit sees the weeks ahead at a glance."""
    out = [f"RECORDS REQUEST DEADLINE CALENDAR  from {on.isoformat()}", ""]
    days: dict[dt.date, list[Request]] = {}
    for r in rows:
        if r.status in UNDECIDED:
            days.setdefault(r.deadline, []).append(r)
    for day in sorted(days):
        mark = "  OVERDUE" if day < on else ("  TODAY" if day == on else "")
        out.append(f"{day.isoformat()} {day.strftime('%a')}{mark}")
        for r in days[day]:
            out.append(f"    {r.number:<13}{r.requester[:30]:<31}{r.status_label}"
                       f"{'  victim' if r.victim else ''}")
    if not days:
        out.append("No decisions due.")
    return "\n".join(out)
