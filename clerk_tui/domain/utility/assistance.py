"""Discount / assistance programme applications, and medical certifications on file.

Why two steps (take, then approve): an application is taken at the counter by any CSR, but the
discount costs the utility money every month, so a CSR III or supervisor decides it — and, per
`separate_approver` in the data, never the same person who took it. Only *approved*,
unexpired enrolments are discounted by billing (which reads `assistance_enrollments` and looks
the discount up by `program` code in `data/utility/rates.toml`).

Income rule (documented choice): an application over the programme's income limit for the
household size CAN be taken — the customer has a dated record of applying, and the clerk sees
"over the limit" at once — but approval then follows the programme's `over_limit` rule:
"refuse" (only a denial is possible) or "warn" (the approver must confirm and say why; the
reason is kept on the enrolment and in the audit row).

Medical certification: a doctor's certification keeps an account off the SB 998 shutoff list
until it expires (collections reads `current_certification`). By default it runs
`valid_days` (180) from the day it was received.

`expires_on` (enrolments and certifications alike) is the LAST day covered, inclusive — what
billing and collections compare with `expires_on >= day`.

Income is integer cents (annual household income), parsed strictly like every amount.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, PermissionDenied, StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money, parse_money
from clerk_tui.domain.text import clean_text
from clerk_tui.paths import reference_data_dir

OVER_LIMIT_RULES = ("refuse", "warn")
MAX_HOUSEHOLD = 20
NOTE_MAX = 200


# ---- rules (data) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Program:
    code: str
    label: str
    effective: dt.date
    income_limits: tuple[int, ...]
    per_extra_person_cents: int
    over_limit: str
    enrolment_months: int
    separate_approver: bool

    def income_limit(self, household_size: int) -> int:
        """Most annual income (cents) for a household of this many people."""
        if household_size <= len(self.income_limits):
            return self.income_limits[household_size - 1]
        extra = household_size - len(self.income_limits)
        return self.income_limits[-1] + extra * self.per_extra_person_cents


@dataclass(frozen=True)
class MedicalRule:
    valid_days: int = 180
    max_backdate_days: int = 30
    max_valid_days: int = 365


@dataclass(frozen=True)
class AssistanceRules:
    programs: tuple[Program, ...]
    medical: MedicalRule

    def program(self, code: str, on: dt.date | None = None) -> Program:
        on = on or clock.today()
        wanted = (code or "").strip().lower()
        found = rulefile.effective((p for p in self.programs if p.code == wanted), on)
        if found is None:
            raise ValidationError(f"{code!r} is not an assistance programme in force on {on}.")
        return found

    def in_force(self, on: dt.date | None = None) -> list[Program]:
        on = on or clock.today()
        return [self.program(c, on) for c in dict.fromkeys(p.code for p in self.programs)
                if any(p.code == c and p.effective <= on for p in self.programs)]


def _program(raw: dict, where: str) -> Program:
    with rulefile.row_errors(where):
        limits = tuple(rulefile.money_field(v, f"{where}: income_limits") for v in raw["income_limits"])
        p = Program(
            code=str(raw["code"]).strip().lower(), label=str(raw["label"]),
            effective=dt.date.fromisoformat(str(raw["effective"])), income_limits=limits,
            per_extra_person_cents=rulefile.money_field(raw.get("per_extra_person", "0"),
                                          f"{where}: per_extra_person"),
            over_limit=str(raw.get("over_limit", "refuse")),
            enrolment_months=int(raw.get("enrolment_months", 12)),
            separate_approver=bool(raw.get("separate_approver", True)),
        )
    if not p.income_limits:
        raise ValidationError(f"{where}: income_limits needs at least one amount.")
    if p.over_limit not in OVER_LIMIT_RULES:
        raise ValidationError(f"{where}: over_limit must be one of {', '.join(OVER_LIMIT_RULES)}.")
    if p.enrolment_months < 1:
        raise ValidationError(f"{where}: enrolment_months must be 1 or more.")
    return p


def load_rules(path: Path | None = None) -> AssistanceRules:
    path = path or reference_data_dir() / "utility" / "assistance.toml"
    raw = rulefile.load_rules(path)
    programs = tuple(_program(r, f"{path}: program #{i + 1}")
                     for i, r in enumerate(raw.get("program", [])))
    med = raw.get("medical_certification", {})
    try:
        medical = MedicalRule(int(med.get("valid_days", 180)),
                              int(med.get("max_backdate_days", 30)),
                              int(med.get("max_valid_days", 365)))
    except (TypeError, ValueError) as e:
        raise ValidationError(f"{path}: medical_certification: {e}") from None
    if medical.valid_days < 1 or medical.max_valid_days < medical.valid_days:
        raise ValidationError(f"{path}: medical_certification days do not make sense.")
    return AssistanceRules(programs, medical)


@functools.cache
def rules() -> AssistanceRules:
    """Loaded once per process: the rules file is read at first use, not per call."""
    return load_rules()


# ---- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Enrollment:
    id: int
    account_id: int
    account_number: str
    customer_name: str
    program: str
    program_label: str
    applied_on: str
    status: str
    household_size: int
    annual_income_cents: int
    income_limit_cents: int
    taken_by: str
    decided_by: str | None
    decided_on: str | None
    expires_on: str | None
    note: str

    @property
    def over_limit(self) -> bool:
        return self.annual_income_cents > self.income_limit_cents


class OverIncomeLimit(ValidationError):
    """Approving needs the approver to confirm (programme rule "warn"): retry with
    `accept_over_limit=True` and a note saying why."""


_SQL = ("SELECT e.*, a.number AS account_number, c.name AS customer_name "
        "FROM assistance_enrollments e JOIN accounts a ON a.id = e.account_id "
        "JOIN customers c ON c.id = a.customer_id ")


def _enrollment(row: dict, rs: AssistanceRules) -> Enrollment:
    applied = dt.date.fromisoformat(row["applied_on"])
    try:
        prog = rs.program(row["program"], applied)
        label, limit = prog.label, prog.income_limit(row["household_size"] or 1)
    except ValidationError:  # a programme since removed from the file
        label, limit = row["program"], 0
    number = row["account_number"]
    return Enrollment(
        id=row["id"], account_id=row["account_id"], account_number=f"{number[:7]}-{number[7:]}",
        customer_name=row["customer_name"], program=row["program"], program_label=label,
        applied_on=row["applied_on"], status=row["status"],
        household_size=row["household_size"] or 0,
        annual_income_cents=row["annual_income_cents"] or 0, income_limit_cents=limit,
        taken_by=row["taken_by"], decided_by=row["decided_by"], decided_on=row["decided_on"],
        expires_on=row["expires_on"], note=row["note"])


def get_enrollment(db: Database, enrollment_id: int, *,
                   rule_set: AssistanceRules | None = None) -> Enrollment:
    row = db.one(_SQL + "WHERE e.id = ?", [enrollment_id])
    if not row:
        raise NotFound(f"No assistance application with id {enrollment_id}.")
    return _enrollment(row, rule_set or rules())


def enrollments(db: Database, account_id: int, *,
                rule_set: AssistanceRules | None = None) -> list[Enrollment]:
    """All of an account's applications, newest first."""
    rs = rule_set or rules()
    return [_enrollment(r, rs) for r in db.all(_SQL + "WHERE e.account_id = ? ORDER BY e.id DESC",
                                               [account_id])]


def pending(db: Database, *, limit: int = 200,
            rule_set: AssistanceRules | None = None) -> list[Enrollment]:
    """The approvals queue: pending applications, oldest first."""
    rs = rule_set or rules()
    return [_enrollment(r, rs) for r in db.all(
        _SQL + "WHERE e.status = 'pending' ORDER BY e.applied_on, e.id LIMIT ?", [limit])]


def active_enrollments(db: Database, account_id: int, on: dt.date | None = None, *,
                       rule_set: AssistanceRules | None = None) -> list[Enrollment]:
    """What billing discounts: approved and not expired on `on` (expires_on is the last day
    covered)."""
    on_text = (on or clock.today()).isoformat()
    rs = rule_set or rules()
    return [_enrollment(r, rs) for r in db.all(
        _SQL + "WHERE e.account_id = ? AND e.status = 'approved' AND e.decided_on <= ? "
        "AND (e.expires_on IS NULL OR e.expires_on >= ?) ORDER BY e.id",
        [account_id, on_text, on_text])]


# ---- validation ------------------------------------------------------------------------------
def parse_household(value: int | str) -> int:
    if isinstance(value, bool):
        raise ValidationError("Household size is a whole number of people.")
    if isinstance(value, str):
        s = value.strip()
        if not s.isascii() or not s.isdigit():
            raise ValidationError(f"{value!r} is not a household size (a whole number, 1 to "
                                  f"{MAX_HOUSEHOLD}).")
        value = int(s)
    if not isinstance(value, int) or not 1 <= value <= MAX_HOUSEHOLD:
        raise ValidationError(f"Household size must be 1 to {MAX_HOUSEHOLD} people.")
    return value


def parse_income(value: int | str) -> int:
    if isinstance(value, str):
        return parse_money(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("Income is whole cents, zero or more.")
    return check_cents(value, "The income")


def parse_date(value: str | dt.date, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    s = (value or "").strip()
    try:
        if len(s) != 10:
            raise ValueError
        return dt.date.fromisoformat(s)
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not a date (YYYY-MM-DD).") from None


# ---- applications ----------------------------------------------------------------------------
def take(db: Database, actor: Actor, account_id: int, program: str, *,
         household_size: int | str, annual_income: int | str, note: str = "",
         rule_set: AssistanceRules | None = None) -> Enrollment:
    """Take an application (status 'pending'). Over the income limit is taken too (see module
    docstring); one open (pending or approved, unexpired) application per programme."""
    authority().require(actor, "assistance.take", what="take an assistance application")
    rs = rule_set or rules()
    today = clock.today()
    prog = rs.program(program, today)
    size = parse_household(household_size)
    income = parse_income(annual_income)
    note = clean_text(note, field="Note", max_len=NOTE_MAX)
    with db.write():
        acct = db.one("SELECT number, status FROM accounts WHERE id = ?", [account_id])
        if not acct:
            raise NotFound(f"No account with id {account_id}.")
        if acct["status"] == "closed":
            raise StateError("The account is closed: a discount needs an open account.")
        open_one = db.one(
            "SELECT status, expires_on FROM assistance_enrollments WHERE account_id = ? AND "
            "program = ? AND (status = 'pending' OR (status = 'approved' AND "
            "(expires_on IS NULL OR expires_on >= ?)))", [account_id, prog.code, today.isoformat()])
        if open_one:
            what = ("is waiting for approval" if open_one["status"] == "pending"
                    else f"is approved until {open_one['expires_on']}")
            raise StateError(f"This account's {prog.label} application {what}.")
        eid = db.insert("assistance_enrollments", {
            "account_id": account_id, "program": prog.code, "applied_on": today.isoformat(),
            "status": "pending", "household_size": size, "annual_income_cents": income,
            "taken_by": actor.username, "note": note})
        e = get_enrollment(db, eid, rule_set=rs)
        audit.record(db, actor, "assistance.take", f"account:{acct['number']}",
                     after={"enrollment_id": eid, "program": prog.code, "household_size": size,
                            "annual_income_cents": income,
                            "income_limit_cents": e.income_limit_cents,
                            "over_limit": e.over_limit})
    return e


def _pending_for_decision(db: Database, actor: Actor, enrollment_id: int,
                          rs: AssistanceRules) -> tuple[Enrollment, Program]:
    e = get_enrollment(db, enrollment_id, rule_set=rs)
    if e.status != "pending":
        raise StateError(f"That application is already {e.status}.")
    prog = rs.program(e.program, dt.date.fromisoformat(e.applied_on))
    return e, prog


def approve(db: Database, actor: Actor, enrollment_id: int, *, note: str = "",
            accept_over_limit: bool = False,
            rule_set: AssistanceRules | None = None) -> Enrollment:
    """Approve a pending application: billing discounts it from today until expires_on."""
    authority().require(actor, "assistance.approve", what="approve an assistance application")
    rs = rule_set or rules()
    note = clean_text(note, field="Note", max_len=NOTE_MAX)
    today = clock.today()
    with db.write():
        e, prog = _pending_for_decision(db, actor, enrollment_id, rs)
        if prog.separate_approver and e.taken_by == actor.username:
            raise PermissionDenied("You took this application: another CSR III or supervisor "
                                   "must approve it.")
        if e.over_limit:
            over = (f"Income {format_money(e.annual_income_cents)} is over the "
                    f"{format_money(e.income_limit_cents)} limit for a household of "
                    f"{e.household_size}")
            if prog.over_limit == "refuse":
                raise ValidationError(f"{over}: {prog.label} cannot be approved; deny it.")
            if not accept_over_limit:
                raise OverIncomeLimit(f"{over}. Approve anyway? Say why in the note.")
            if not note:
                raise ValidationError(f"{over}: say why it is approved anyway.")
        expires = (clock.add_months(today, prog.enrolment_months)
                   - dt.timedelta(days=1)).isoformat()  # the last day covered
        new_note = e.note if not note else (f"{e.note} | {note}" if e.note else note)
        db.execute("UPDATE assistance_enrollments SET status = 'approved', decided_by = ?, "
                   "decided_on = ?, expires_on = ?, note = ? WHERE id = ? AND status = 'pending'",
                   [actor.username, today.isoformat(), expires, new_note[:1000], e.id])
        audit.record(db, actor, "assistance.approve", f"enrollment:{e.id}",
                     before={"status": "pending"},
                     after={"status": "approved", "program": e.program,
                            "account": e.account_number, "expires_on": expires,
                            "over_limit": e.over_limit, "note": note})
        return get_enrollment(db, e.id, rule_set=rs)


def deny(db: Database, actor: Actor, enrollment_id: int, *, reason: str,
         rule_set: AssistanceRules | None = None) -> Enrollment:
    """Deny a pending application; the reason is kept (the customer is told why)."""
    authority().require(actor, "assistance.approve", what="deny an assistance application")
    rs = rule_set or rules()
    reason = clean_text(reason, field="Reason", max_len=NOTE_MAX, required=True)
    today = clock.today()
    with db.write():
        e, _prog = _pending_for_decision(db, actor, enrollment_id, rs)
        new_note = f"{e.note} | denied: {reason}" if e.note else f"denied: {reason}"
        db.execute("UPDATE assistance_enrollments SET status = 'denied', decided_by = ?, "
                   "decided_on = ?, note = ? WHERE id = ? AND status = 'pending'",
                   [actor.username, today.isoformat(), new_note[:1000], e.id])
        audit.record(db, actor, "assistance.deny", f"enrollment:{e.id}",
                     before={"status": "pending"},
                     after={"status": "denied", "program": e.program,
                            "account": e.account_number, "reason": reason})
        return get_enrollment(db, e.id, rule_set=rs)


def end(db: Database, actor: Actor, enrollment_id: int, *, reason: str,
        rule_set: AssistanceRules | None = None) -> Enrollment:
    """End an enrolment (moved out, no longer eligible) or withdraw a pending application.

    Ending an approved discount takes the approver's permission (it changes what billing
    charges); withdrawing a pending one only the taker's. Billing stops discounting from the
    day it ends (expires_on becomes yesterday, the last day covered)."""
    rs = rule_set or rules()
    reason = clean_text(reason, field="Reason", max_len=NOTE_MAX, required=True)
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    with db.write():
        e = get_enrollment(db, enrollment_id, rule_set=rs)
        if e.status not in ("pending", "approved"):
            raise StateError(f"That application is already {e.status}.")
        permission = "assistance.approve" if e.status == "approved" else "assistance.take"
        authority().require(actor, permission, what="end an assistance enrolment")
        expires = yesterday if e.status == "approved" else e.expires_on
        new_note = f"{e.note} | ended: {reason}" if e.note else f"ended: {reason}"
        db.execute("UPDATE assistance_enrollments SET status = 'ended', expires_on = ?, "
                   "note = ? WHERE id = ?", [expires, new_note[:1000], e.id])
        audit.record(db, actor, "assistance.end", f"enrollment:{e.id}",
                     before={"status": e.status, "expires_on": e.expires_on},
                     after={"status": "ended", "expires_on": expires, "reason": reason})
        return get_enrollment(db, e.id, rule_set=rs)


# ---- medical certifications ------------------------------------------------------------------
@dataclass(frozen=True)
class MedicalCertification:
    id: int
    account_id: int
    received_on: str
    expires_on: str
    clerk: str
    note: str


def _cert(row: dict) -> MedicalCertification:
    return MedicalCertification(row["id"], row["account_id"], row["received_on"],
                                row["expires_on"], row["clerk"], row["note"])


def record_certification(db: Database, actor: Actor, account_id: int, *,
                         received_on: str | dt.date | None = None,
                         expires_on: str | dt.date | None = None, note: str = "",
                         rule_set: AssistanceRules | None = None) -> MedicalCertification:
    """Record a medical certification received for the account (default: today, expiring
    `valid_days` later). Not backdated more than `max_backdate_days`, never future-dated, and
    a typed expiry must fall after the received day and within `max_valid_days`."""
    authority().require(actor, "medical.record", what="record a medical certification")
    rs = rule_set or rules()
    rule = rs.medical
    today = clock.today()
    received = parse_date(received_on, "Received on") if received_on else today
    if received > today:
        raise ValidationError("Received on cannot be in the future.")
    if (today - received).days > rule.max_backdate_days:
        raise ValidationError(f"Received on is more than {rule.max_backdate_days} days ago: "
                              "ask for a current certification.")
    if expires_on:
        expires = parse_date(expires_on, "Expires on")
        if expires <= received:
            raise ValidationError("Expires on must be after the day it was received.")
        if (expires - received).days > rule.max_valid_days:
            raise ValidationError(f"A certification runs at most {rule.max_valid_days} days.")
    else:
        expires = received + dt.timedelta(days=rule.valid_days)
    if expires < today:
        raise ValidationError("That certification has already expired.")
    note = clean_text(note, field="Note", max_len=NOTE_MAX)
    with db.write():
        acct = db.one("SELECT number FROM accounts WHERE id = ?", [account_id])
        if not acct:
            raise NotFound(f"No account with id {account_id}.")
        cid = db.insert("medical_certifications", {
            "account_id": account_id, "received_on": received.isoformat(),
            "expires_on": expires.isoformat(), "clerk": actor.username, "note": note})
        audit.record(db, actor, "medical.record", f"account:{acct['number']}",
                     after={"certification_id": cid, "received_on": received.isoformat(),
                            "expires_on": expires.isoformat(), "note": note})
        return _cert(db.one("SELECT * FROM medical_certifications WHERE id = ?", [cid]))


def current_certification(db: Database, account_id: int,
                          on: dt.date | None = None) -> MedicalCertification | None:
    """The certification in force on `on` (received on or before, expires_on on or after: the
    last day covered), latest expiry first — what keeps the account off the shutoff list."""
    on_text = (on or clock.today()).isoformat()
    row = db.one("SELECT * FROM medical_certifications WHERE account_id = ? AND "
                 "received_on <= ? AND expires_on >= ? ORDER BY expires_on DESC, id DESC LIMIT 1",
                 [account_id, on_text, on_text])
    return _cert(row) if row else None


def certifications(db: Database, account_id: int) -> list[MedicalCertification]:
    return [_cert(r) for r in db.all("SELECT * FROM medical_certifications WHERE account_id = ? "
                                     "ORDER BY received_on DESC, id DESC", [account_id])]
