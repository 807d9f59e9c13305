"""The license record: application, routing, reviews, issue, renewal, close, change of owner or
location, and reading a license back (gross receipts apart: they are confidential).

Every change runs in one transaction that also writes a `license_history` line and an audit
row, so the record's past is never lost even though the license row's status changes in place.
Permissions are data (authority.toml): `license.renew` to take an application or a renewal,
`license.issue` to issue, `license.review.<dept>` to record that department's decision,
`license.gross_receipts` to see declared receipts (every look is audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.licenses import due as duemod
from clerk_tui.domain.licenses import tax as taxmod
from clerk_tui.domain.licenses.numbers import FIRST_SERIAL, license_number, parse_number
from clerk_tui.domain.licenses.rules import LOCATIONS, General, LicenseRules, license_rules
from clerk_tui.domain.text import clean_text

STATUSES = ("applied", "in_review", "approved", "issued", "expired", "delinquent", "closed",
            "denied")
OWNERSHIPS = ("sole", "partnership", "corporation", "llc", "nonprofit", "other")
DECISIONS = ("approved", "conditions", "denied")
DECISION_LABELS = {"pending": "pending", "approved": "approved",
                   "conditions": "approved with conditions", "denied": "denied",
                   "withdrawn": "withdrawn"}
LIVE = ("issued", "expired", "delinquent")
"""Statuses of a license that was issued and not closed: it can be renewed."""
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "applied": ("in_review", "approved", "denied", "closed"),
    "in_review": ("approved", "denied", "closed"),
    "approved": ("issued", "in_review", "closed"),
    "issued": ("expired", "delinquent", "in_review", "closed"),
    "expired": ("issued", "delinquent", "in_review", "closed"),
    "delinquent": ("issued", "in_review", "closed"),
    "closed": (),
    "denied": (),
}
"""The status machine: every change of status is one of these (anything else is a bug, and
is refused rather than written)."""


def key(text: str) -> str:
    """Upper case, single spaces: the form names are looked up by (prefix, indexed)."""
    return " ".join((text or "").upper().split())


@dataclass(frozen=True)
class Application:
    """What the clerk types for a new license (or a change of owner)."""

    business_name: str
    owners: str
    address: str
    class_code: str
    location: str = "in_city"
    dba: str = ""
    ownership: str = "sole"
    mailing_address: str = ""
    phone: str = ""
    email: str = ""
    start_date: dt.date | None = None
    employees: int = 0
    gross_receipts_cents: int | None = None
    contractor_no: str = ""


@dataclass(frozen=True)
class Review:
    id: int
    department: str
    department_name: str
    reason: str
    status: str
    note: str
    decided_by: str | None
    decided_at: str | None
    created_at: str

    @property
    def label(self) -> str:
        return DECISION_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Term:
    id: int
    year: int
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date
    new_business: bool
    employees: int
    charges: duemod.TermCharges
    bid_zone: str


@dataclass(frozen=True)
class License:
    """A license as the counter shows it (never the gross receipts)."""

    id: int
    number: str
    business_name: str
    dba: str
    ownership: str
    owners: str
    address: str
    location: str
    mailing_address: str
    phone: str
    email: str
    class_code: str
    class_name: str
    start_date: dt.date
    employees: int
    contractor_no: str
    bid_zone: str
    status: str
    replaces_id: int | None
    terms: tuple[Term, ...] = ()
    reviews: tuple[Review, ...] = ()
    history: tuple[tuple[str, str, str, str], ...] = ()
    """(at, clerk, event, detail), oldest first."""
    dues: tuple[duemod.Due, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"{self.business_name} dba {self.dba}" if self.dba else self.business_name

    @property
    def total_due_cents(self) -> int:
        return sum(d.total_cents for d in self.dues)

    @property
    def pending_reviews(self) -> list[Review]:
        return [r for r in self.reviews if r.status == "pending"]

    @property
    def current_term(self) -> Term | None:
        return self.terms[-1] if self.terms else None


# ---- routing (pure) --------------------------------------------------------------------------
def route(rules: LicenseRules, class_code: str, location: str,
          on: dt.date) -> list[tuple[str, str]]:
    """The departments that review an application of this class at this location, each with
    why, in the data's order (class first, then the routes); no department twice."""
    cls = rules.class_on(class_code, on)
    out: dict[str, str] = {}
    if location != "out_of_town":
        for d in cls.departments:
            out.setdefault(d, f"{cls.name} (class {cls.code})")
    for r in rules.routes:
        if r.effective > on:
            continue
        if ("*" in r.classes or class_code in r.classes) and r.location in ("*", location):
            for d in r.departments:
                out.setdefault(d, r.note)
    return list(out.items())


# ---- reading ---------------------------------------------------------------------------------
def _date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _terms(db: Database, license_id: int) -> list[Term]:
    rows = db.all("SELECT * FROM license_terms WHERE license_id = ? ORDER BY year", [license_id])
    return [Term(r["id"], r["year"], _date(r["starts_on"]), _date(r["ends_on"]),
                 _date(r["due_on"]), bool(r["new_business"]), r["employees"],
                 duemod.TermCharges(r["year"], _date(r["due_on"]), r["tax_cents"],
                                    r["casp_city_cents"], r["casp_state_cents"], r["hop_cents"],
                                    r["bid_cents"]), r["bid_zone"]) for r in rows]


def paid_for(db: Database, term_id: int) -> duemod.Paid:
    """Net paid per part of a term, and the day its tax was paid in full."""
    rows = db.all("SELECT part, amount_cents, paid_on FROM license_payments WHERE term_id = ? "
                  "ORDER BY id", [term_id])
    parts: dict[str, int] = {}
    tax_paid_on: dt.date | None = None
    tax = db.scalar("SELECT tax_cents FROM license_terms WHERE id = ?", [term_id]) or 0
    for r in rows:
        parts[r["part"]] = parts.get(r["part"], 0) + r["amount_cents"]
        if r["part"] == "TAX":
            if parts["TAX"] >= tax and tax_paid_on is None:
                tax_paid_on = _date(r["paid_on"])
            elif parts["TAX"] < tax:
                tax_paid_on = None
    return duemod.Paid(parts, tax_paid_on)


def dues(db: Database, license_id: int, on: dt.date | None = None) -> list[duemod.Due]:
    """What each term of a license still owes on `on` (terms owing nothing are left out). A
    denied application owes nothing: the license never was."""
    on = on or clock.today()
    out: list[duemod.Due] = []
    if db.scalar("SELECT status FROM licenses WHERE id = ?", [license_id]) == "denied":
        return out
    for t in _terms(db, license_id):
        g = license_rules().general_on(t.starts_on)
        d = duemod.amount_due(t.charges, paid_for(db, t.id), on, g)
        if d.total_cents:
            out.append(d)
    return out


def _reviews(db: Database, license_id: int) -> list[Review]:
    rules = license_rules()
    out = []
    for r in db.all("SELECT * FROM license_reviews WHERE license_id = ? ORDER BY id",
                    [license_id]):
        try:
            name = rules.department(r["department"]).name
        except NotFound:
            name = r["department"]
        out.append(Review(r["id"], r["department"], name, r["reason"], r["status"], r["note"],
                          r["decided_by"], r["decided_at"], r["created_at"]))
    return out


def license_id_for(db: Database, number_or_id: str | int) -> int:
    if isinstance(number_or_id, int):
        return number_or_id
    number = parse_number(number_or_id)
    found = db.scalar("SELECT id FROM licenses WHERE number = ?", [number])
    if found is None:
        raise NotFound(f"No license {number}.")
    return int(found)


def get_license(db: Database, number_or_id: str | int, on: dt.date | None = None) -> License:
    """The license, its terms, reviews, history and what it owes on `on` (today)."""
    lid = license_id_for(db, number_or_id)
    r = db.one("SELECT * FROM licenses WHERE id = ?", [lid])
    if r is None:
        raise NotFound(f"No license #{lid}.")
    on = on or clock.today()
    try:
        class_name = license_rules().class_on(r["class_code"], on).name
    except NotFound:
        class_name = r["class_code"]
    history = tuple((h["at"], h["clerk"], h["event"], h["detail"]) for h in db.all(
        "SELECT at, clerk, event, detail FROM license_history WHERE license_id = ? ORDER BY id",
        [lid]))
    return License(r["id"], r["number"], r["business_name"], r["dba"], r["ownership"],
                   r["owners"], r["address"], r["location"], r["mailing_address"], r["phone"],
                   r["email"], r["class_code"], class_name, _date(r["start_date"]),
                   r["employees"], r["contractor_no"], r["bid_zone"], r["status"],
                   r["replaces_id"], tuple(_terms(db, lid)), tuple(_reviews(db, lid)), history,
                   tuple(dues(db, lid, on)))


def gross_receipts(db: Database, actor: Actor, number_or_id: str | int) -> list[tuple[int, int]]:
    """The gross receipts declared for each year: only for `license.gross_receipts`, and every
    look is written to the audit log (who saw whose receipts, when)."""
    authority().require(actor, "license.gross_receipts", what="see declared gross receipts")
    lid = license_id_for(db, number_or_id)
    with db.write():
        rows = db.all("SELECT year, gross_receipts_cents FROM license_terms WHERE license_id = ? "
                      "AND gross_receipts_cents IS NOT NULL ORDER BY year", [lid])
        audit.record(db, actor, "license.gross_receipts.view", f"license:{lid}",
                     after={"years": [r["year"] for r in rows]})
    return [(r["year"], r["gross_receipts_cents"]) for r in rows]


# ---- writing ---------------------------------------------------------------------------------
def history(db: Database, actor: Actor, license_id: int, event: str, detail: str = "") -> None:
    db.insert("license_history", {"license_id": license_id, "at": clock.stamp(),
                                  "clerk": actor.username, "event": event, "detail": detail})


def _set_status(db: Database, actor: Actor, license_id: int, status: str, why: str) -> None:
    before = db.scalar("SELECT status FROM licenses WHERE id = ?", [license_id])
    if before == status:
        return
    if status not in TRANSITIONS.get(before, ()):
        raise StateError(f"A license that is {before} cannot become {status}.")
    db.execute("UPDATE licenses SET status = ? WHERE id = ?", [status, license_id])
    history(db, actor, license_id, f"status {status}", why)


def _clean_app(app: Application, rules: LicenseRules, on: dt.date) -> Application:
    name = clean_text(app.business_name, field="Business name", max_len=80, required=True)
    owners = clean_text(app.owners, field="Owners", max_len=160, required=True)
    address = clean_text(app.address, field="Address", max_len=120, required=True)
    if app.location not in LOCATIONS:
        raise ValidationError(f"Location must be one of {', '.join(LOCATIONS)}.")
    if app.ownership not in OWNERSHIPS:
        raise ValidationError(f"Ownership must be one of {', '.join(OWNERSHIPS)}.")
    cls = rules.class_on(app.class_code, on)
    contractor = clean_text(app.contractor_no, field="Contractor licence", max_len=12)
    if cls.contractor_license and not (contractor.isdigit() and 5 <= len(contractor) <= 10):
        raise ValidationError(f"{cls.name}: the CSLB contractor licence number is required "
                              "(5 to 10 digits).")
    start = app.start_date or on
    if start > on + dt.timedelta(days=366):
        raise ValidationError("The start date is more than a year away.")
    if not isinstance(app.employees, int) or isinstance(app.employees, bool):
        raise ValidationError("Employees is a whole number.")
    taxmod.check_facts(cls, app.employees, app.gross_receipts_cents)
    email = clean_text(app.email, field="Email", max_len=80)
    if email and (email.count("@") != 1 or " " in email or "." not in email.split("@")[1]):
        raise ValidationError(f"Email {email!r} is not an address (name@example.com).")
    return Application(
        name, owners, address, cls.code, app.location,
        clean_text(app.dba, field="DBA", max_len=80), app.ownership,
        clean_text(app.mailing_address, field="Mailing address", max_len=160),
        clean_text(app.phone, field="Phone", max_len=24),
        email, start, app.employees,
        app.gross_receipts_cents, contractor)


def _open_term(db: Database, actor: Actor, license_id: int, year: int, *, class_code: str,
               location: str, address: str, start: dt.date, new_business: bool,
               employees: int, gross_receipts_cents: int | None, home_first_year: bool) -> int:
    """Assess one license year (tax, CASp split, home-occupation permit, BID) and store it."""
    rules = license_rules()
    starts = dt.date(year, 1, 1)
    g = rules.general_on(starts)
    cls = rules.class_on(class_code, starts)
    tax = taxmod.term_tax(cls, g, location=location, year=year, start=start,
                          new_business=new_business, employees=employees,
                          gross_receipts_cents=gross_receipts_cents)
    casp = taxmod.casp_split(g)
    zone = taxmod.bid_zone_for(address, rules.zones_on(starts)) if location != "out_of_town" \
        else None
    bid = taxmod.bid_assessment(zone, tax) if zone else 0
    due_on = new_term_due(g, starts, start if new_business and start.year == year else None)
    return db.insert("license_terms", {
        "license_id": license_id, "year": year, "starts_on": starts.isoformat(),
        "ends_on": dt.date(year, 12, 31).isoformat(), "due_on": due_on.isoformat(),
        "new_business": int(new_business), "employees": employees,
        "gross_receipts_cents": gross_receipts_cents, "tax_cents": tax,
        "casp_city_cents": casp.city_cents, "casp_state_cents": casp.state_cents,
        "hop_cents": g.home_occupation_fee_cents if home_first_year else 0,
        "bid_cents": bid, "bid_zone": zone.code if zone else "",
        "created_at": clock.stamp(), "created_by": actor.username})


def new_term_due(g: General, starts: dt.date, new_start: dt.date | None = None) -> dt.date:
    """The tax of a term is due `due_months` into it (the last day before); a new business
    that starts later than that has the same time from its start."""
    base = starts if new_start is None or new_start <= starts else new_start
    due = clock.add_months(base, g.due_months) - dt.timedelta(days=1) if g.due_months else base
    if new_start is not None and new_start > starts:
        due = max(due, clock.add_months(starts, g.due_months) - dt.timedelta(days=1))
    return min(due, dt.date(starts.year, 12, 31))


def _route_reviews(db: Database, actor: Actor, license_id: int, class_code: str,
                   location: str, on: dt.date) -> int:
    routed = route(license_rules(), class_code, location, on)
    for dept, reason in routed:
        db.insert("license_reviews", {"license_id": license_id, "department": dept,
                                      "reason": reason, "created_at": clock.stamp()})
    if routed:
        history(db, actor, license_id, "routed", ", ".join(d for d, _ in routed))
    return len(routed)


def _insert_license(db: Database, actor: Actor, a: Application, replaces: int | None) -> int:
    next_id = int(db.scalar("SELECT coalesce(max(id), 0) + 1 FROM licenses"))
    number = license_number(FIRST_SERIAL + next_id)
    zone = taxmod.bid_zone_for(a.address, license_rules().zones_on(clock.today())) \
        if a.location != "out_of_town" else None
    lid = db.insert("licenses", {
        "number": number, "business_name": a.business_name, "name_key": key(a.business_name),
        "dba": a.dba, "dba_key": key(a.dba), "ownership": a.ownership, "owners": a.owners,
        "address": a.address, "address_key": key(a.address), "location": a.location,
        "mailing_address": a.mailing_address, "phone": a.phone, "email": a.email,
        "class_code": a.class_code, "start_date": (a.start_date or clock.today()).isoformat(),
        "employees": a.employees, "contractor_no": a.contractor_no,
        "bid_zone": zone.code if zone else "", "status": "applied", "replaces_id": replaces,
        "created_at": clock.stamp(), "created_by": actor.username})
    for owner in [o.strip() for o in a.owners.replace(";", ",").split(",") if o.strip()]:
        db.insert("license_owners", {"license_id": lid, "name": owner, "name_key": key(owner)})
    return lid


def apply(db: Database, actor: Actor, app: Application, *, replaces: int | None = None) -> License:
    """Take a new application: number it, assess this year's term (prorated for a new
    business), route it to the reviewing departments. With no review it is approved at once."""
    authority().require(actor, "license.renew", what="take a business license application")
    on = clock.today()
    a = _clean_app(app, license_rules(), on)
    start = a.start_date or on
    with db.write():
        lid = _insert_license(db, actor, a, replaces)
        history(db, actor, lid, "applied", f"class {a.class_code}, {a.location}")
        year = max(on.year, start.year)
        _open_term(db, actor, lid, year, class_code=a.class_code, location=a.location,
                   address=a.address, start=start, new_business=start.year >= on.year,
                   employees=a.employees, gross_receipts_cents=a.gross_receipts_cents,
                   home_first_year=a.location == "home")
        n = _route_reviews(db, actor, lid, a.class_code, a.location, on)
        _set_status(db, actor, lid, "in_review" if n else "approved",
                    f"{n} review(s)" if n else "no review needed")
        audit.record(db, actor, "license.apply", f"license:{lid}",
                     after={"class": a.class_code, "location": a.location, "reviews": n})
    return get_license(db, lid)


def decide_review(db: Database, actor: Actor, review_id: int, decision: str,
                  note: str = "") -> License:
    """Record one department's decision. Only a clerk with that department's permission may;
    a denial denies the application (and queues the denial letter); the last approval
    approves it."""
    if decision not in DECISIONS:
        raise ValidationError(f"Decision must be one of {', '.join(DECISIONS)}.")
    note = clean_text(note, field="Note", max_len=200, required=decision != "approved")
    row = db.one("SELECT * FROM license_reviews WHERE id = ?", [review_id])
    if row is None:
        raise NotFound(f"No review #{review_id}.")
    dept = license_rules().department(row["department"])
    authority().require(actor, dept.permission, what=f"record a {dept.name} review")
    with db.write():
        row = db.one("SELECT * FROM license_reviews WHERE id = ?", [review_id])
        assert row is not None
        if row["status"] != "pending":
            raise StateError(f"{dept.name} already decided: "
                             f"{DECISION_LABELS.get(row['status'], row['status'])}.")
        lid = row["license_id"]
        status = db.scalar("SELECT status FROM licenses WHERE id = ?", [lid])
        if status in ("closed", "denied"):
            raise StateError(f"The application is {status}.")
        db.execute("UPDATE license_reviews SET status = ?, note = ?, decided_by = ?, "
                   "decided_at = ? WHERE id = ?",
                   [decision, note, actor.username, clock.stamp(), review_id])
        history(db, actor, lid, f"review {dept.code} {decision}", note)
        if decision == "denied":
            db.execute("UPDATE license_reviews SET status = 'withdrawn' WHERE license_id = ? "
                       "AND status = 'pending'", [lid])
            _set_status(db, actor, lid, "denied", f"{dept.name}: {note}")
            from clerk_tui.domain.licenses.notices import queue_letter
            queue_letter(db, actor, lid, "denial", clock.today().strftime("%Y-%m"),
                         extra=f"{dept.name}: {note}")
        elif not db.scalar("SELECT 1 FROM license_reviews WHERE license_id = ? AND "
                           "status = 'pending'", [lid]):
            _set_status(db, actor, lid, "approved", "every review approved")
        audit.record(db, actor, "license.review", f"license:{lid}",
                     after={"department": dept.code, "decision": decision})
    return get_license(db, lid)


def issue(db: Database, actor: Actor, number_or_id: str | int) -> License:
    """Issue an approved license whose reviews are all approved and whose tax is paid."""
    authority().require(actor, "license.issue", what="issue a business license")
    lid = license_id_for(db, number_or_id)
    with db.write():
        lic = get_license(db, lid)
        if lic.status != "approved":
            raise StateError(f"License {lic.number} is {lic.status}: only an approved "
                             "application is issued.")
        if lic.pending_reviews:
            raise StateError("Reviews pending: " + ", ".join(
                r.department_name for r in lic.pending_reviews) + ".")
        if any(r.status == "denied" for r in lic.reviews):
            raise StateError("A department denied this application.")
        if lic.total_due_cents:
            raise StateError(f"License {lic.number}: the tax is not paid "
                             f"({lic.total_due_cents / 100:,.2f} due).")
        _set_status(db, actor, lid, "issued", "reviews approved, tax paid")
        audit.record(db, actor, "license.issue", f"license:{lid}")
    return get_license(db, lid)


def renewal_facts_needed(db: Database, number_or_id: str | int, year: int) -> str | None:
    """What a renewal must ask ("employees", "gross_receipts") or None (a flat tax)."""
    lic = get_license(db, number_or_id)
    base = license_rules().class_on(lic.class_code, dt.date(year, 1, 1)).base
    return {"per_employee": "employees", "gross_receipts": "gross_receipts"}.get(base)


def renew(db: Database, actor: Actor, number_or_id: str | int, year: int, *,
          employees: int | None = None, gross_receipts_cents: int | None = None) -> License:
    """Open the license's term for `year` (once: a term already open is returned as it is).
    Employees and gross receipts are this year's declaration where the tax needs them."""
    authority().require(actor, "license.renew", what="renew a business license")
    lid = license_id_for(db, number_or_id)
    with db.write():
        lic = get_license(db, lid)
        if any(t.year == year for t in lic.terms):
            return lic
        if lic.status not in LIVE:
            raise StateError(f"License {lic.number} is {lic.status}: it cannot be renewed.")
        last = lic.current_term
        if last is not None and year != last.year + 1:
            raise ValidationError(f"License {lic.number} runs to {last.year}: renew "
                                  f"{last.year + 1} first.")
        today = clock.today()
        if year > today.year + 1:
            raise ValidationError(f"{year} is too far ahead to renew.")
        emp = lic.employees if employees is None else employees
        _open_term(db, actor, lid, year, class_code=lic.class_code, location=lic.location,
                   address=lic.address, start=lic.start_date, new_business=False,
                   employees=emp, gross_receipts_cents=gross_receipts_cents,
                   home_first_year=False)
        if employees is not None and employees != lic.employees:
            db.execute("UPDATE licenses SET employees = ? WHERE id = ?", [employees, lid])
        history(db, actor, lid, f"renewal {year} assessed",
                f"employees {emp}" + (", gross receipts declared"
                                      if gross_receipts_cents is not None else ""))
        audit.record(db, actor, "license.renew", f"license:{lid}", after={"year": year})
    return get_license(db, lid)


def mark_paid_up(db: Database, actor: Actor, license_id: int) -> None:
    """After a payment (inside its transaction): a lapsed license that owes nothing for a term
    that covers today is issued again."""
    status = db.scalar("SELECT status FROM licenses WHERE id = ?", [license_id])
    if status not in ("expired", "delinquent"):
        return
    if dues(db, license_id):
        return
    if db.scalar("SELECT 1 FROM license_terms WHERE license_id = ? AND ends_on >= ?",
                 [license_id, clock.today().isoformat()]):
        _set_status(db, actor, license_id, "issued", "renewal paid")


def close(db: Database, actor: Actor, number_or_id: str | int, reason: str) -> License:
    """Close the business; the record and its history stay (a closed license is never reused)."""
    authority().require(actor, "license.renew", what="close a business license")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    lid = license_id_for(db, number_or_id)
    with db.write():
        status = db.scalar("SELECT status FROM licenses WHERE id = ?", [lid])
        if status in ("closed", "denied"):
            raise StateError(f"The license is already {status}.")
        db.execute("UPDATE license_reviews SET status = 'withdrawn' WHERE license_id = ? AND "
                   "status = 'pending'", [lid])
        _set_status(db, actor, lid, "closed", reason)
        audit.record(db, actor, "license.close", f"license:{lid}", after={"reason": reason})
    return get_license(db, lid)


def change_owner(db: Database, actor: Actor, number_or_id: str | int, owners: str,
                 business_name: str | None = None, ownership: str | None = None) -> License:
    """A new owner is a new license (new number, new application routed as usual); the old one
    closes, pointing at the new one in its history."""
    old = get_license(db, number_or_id)
    if old.status in ("closed", "denied"):
        raise StateError(f"License {old.number} is {old.status}.")
    app = Application(business_name or old.business_name, owners, old.address, old.class_code,
                      old.location, old.dba, ownership or old.ownership, old.mailing_address,
                      old.phone, old.email, clock.today(), old.employees, None
                      if license_rules().class_on(old.class_code, clock.today()).base
                      != "gross_receipts" else 0, old.contractor_no)
    with db.write():
        new = apply(db, actor, app, replaces=old.id)
        close(db, actor, old.id, f"owner changed: new license {new.number}")
        history(db, actor, new.id, "replaces", f"license {old.number}")
    return get_license(db, new.id)


def change_location(db: Database, actor: Actor, number_or_id: str | int, address: str,
                    location: str) -> License:
    """A move keeps the number; the new location is routed for review again."""
    authority().require(actor, "license.renew", what="change a license's location")
    address = clean_text(address, field="Address", max_len=120, required=True)
    if location not in LOCATIONS:
        raise ValidationError(f"Location must be one of {', '.join(LOCATIONS)}.")
    lid = license_id_for(db, number_or_id)
    with db.write():
        lic = get_license(db, lid)
        if lic.status in ("closed", "denied"):
            raise StateError(f"License {lic.number} is {lic.status}.")
        zone = taxmod.bid_zone_for(address, license_rules().zones_on(clock.today())) \
            if location != "out_of_town" else None
        db.execute("UPDATE licenses SET address = ?, address_key = ?, location = ?, "
                   "bid_zone = ? WHERE id = ?",
                   [address, key(address), location, zone.code if zone else "", lid])
        history(db, actor, lid, "moved", f"{lic.address} -> {address} ({location})")
        n = _route_reviews(db, actor, lid, lic.class_code, location, clock.today())
        if n:
            _set_status(db, actor, lid, "in_review", "new location routed for review")
        audit.record(db, actor, "license.move", f"license:{lid}",
                     before={"address": lic.address, "location": lic.location},
                     after={"address": address, "location": location, "reviews": n})
    return get_license(db, lid)


def update_contact(db: Database, actor: Actor, number_or_id: str | int, *, phone: str,
                   email: str, mailing_address: str) -> License:
    """Change how to reach the business (phone, email, mailing address); the history keeps
    what it was."""
    authority().require(actor, "license.renew", what="change a license's contact details")
    phone = clean_text(phone, field="Phone", max_len=24)
    email = clean_text(email, field="Email", max_len=80)
    mailing = clean_text(mailing_address, field="Mailing address", max_len=160)
    if email and (email.count("@") != 1 or " " in email or "." not in email.split("@")[1]):
        raise ValidationError(f"Email {email!r} is not an address (name@example.com).")
    lid = license_id_for(db, number_or_id)
    with db.write():
        before = db.one("SELECT phone, email, mailing_address FROM licenses WHERE id = ?", [lid])
        if before is None:
            raise NotFound(f"No license #{lid}.")
        after = {"phone": phone, "email": email, "mailing_address": mailing}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            db.execute("UPDATE licenses SET phone = ?, email = ?, mailing_address = ? "
                       "WHERE id = ?", [phone, email, mailing, lid])
            history(db, actor, lid, "contact changed", "; ".join(
                f"{k}: {before[k] or '-'} -> {v or '-'}" for k, v in changed.items()))
            audit.record(db, actor, "license.contact", f"license:{lid}",
                         before={k: before[k] for k in changed}, after=changed)
    return get_license(db, lid)


def pending_reviews(db: Database, on: dt.date | None = None) -> list[dict]:
    """Every pending review with its license and age in days, oldest first (the desk list)."""
    on = on or clock.today()
    rows = db.all("SELECT r.id, r.department, r.reason, r.created_at, l.number, "
                  "l.business_name FROM license_reviews r JOIN licenses l ON l.id = r.license_id "
                  "WHERE r.status = 'pending' ORDER BY r.created_at, r.id")
    for r in rows:
        r["age_days"] = (on - _date(r["created_at"][:10])).days
    return rows
