"""DS-11 applications: the applicant, what is applied for, the checklist the agent walks
through, and execution.

Each checklist answer is an append-only row (the latest per step is in force) with the agent
and time; answers are yes/no or a document TYPE from the data, never a document number or a
copy (personal data: only what the log needs). An application cannot be marked executed
until every required step is done, its State fee instrument is recorded and the city's fees
are paid; only a certified, unexpired acceptance agent may start or execute one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.passports.agents import require_agent
from clerk_tui.domain.passports.fees import age_group, age_on, state_fee
from clerk_tui.domain.passports.rules import PRODUCTS, data, rules_on
from clerk_tui.domain.text import clean_text

NUMBER = re.compile(r"^PA\d{7}$")

YES_NO = ("yes", "no")
MINOR_CONSENT = ("both", "ds3053", "sole")
TEEN_CONSENT = ("own_id", "parent")
PHOTO = ("here", "brought")


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    answers: tuple[str, ...] | None  # None: a document type from the data's list
    done_when: tuple[str, ...] = ("yes",)


STEPS: tuple[Step, ...] = (
    Step("citizenship", "Evidence of citizenship seen", None),
    Step("identity", "Evidence of identity seen", None),
    Step("copies", "Photocopies made (front and back)", YES_NO),
    Step("consent", "Parents / guardians", MINOR_CONSENT + TEEN_CONSENT, MINOR_CONSENT + TEEN_CONSENT),
    Step("photo", "Photo", PHOTO, PHOTO),
    Step("oath", "Oath administered", YES_NO),
    Step("signature", "Signature witnessed", YES_NO),
    Step("sealed", "Envelope sealed", YES_NO),
)
STEP_BY_CODE = {s.code: s for s in STEPS}

CONSENT_LABELS = {
    "both": "Both parents/guardians present",
    "ds3053": "One present + absent parent's DS-3053",
    "sole": "One with sole legal authority (document)",
    "own_id": "16-17: applicant's own ID",
    "parent": "16-17: parent present with ID",
}


@dataclass(frozen=True)
class Answer:
    answer: str
    detail: str
    by: str
    at: str


@dataclass(frozen=True)
class Application:
    id: int
    number: str
    form: str
    started_on: dt.date
    name: str | None
    birth_date: dt.date | None
    parents: str | None
    age_group: str
    product: str
    expedite: bool
    delivery: bool
    file_search: bool
    state_fee_cents: int
    status: str
    executed_at: str | None
    executed_by: str | None
    instrument: str | None  # "check 1234 $230.00"
    instrument_id: int | None
    exec_receipt: int | None
    photo_receipt: int | None
    transmittal: str | None
    purged: bool
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def service(self) -> str:
        s = "expedited" if self.expedite else "routine"
        return s + (" + 1-2 day" if self.delivery else "")

    def steps(self) -> list[Step]:
        """The steps this application needs: parents only for applicants under 18."""
        return [s for s in STEPS if s.code != "consent" or self.age_group != "adult"]

    def step_done(self, step: Step) -> bool:
        a = self.answers.get(step.code)
        return bool(a and a.answer in step.done_when if step.answers is not None else a)

    def missing(self) -> list[str]:
        """What still stops execution, in checklist order (empty = ready)."""
        out = [s.label for s in self.steps() if not self.step_done(s)]
        if self.instrument_id is None:
            out.append("State Department fee check / money order")
        if self.exec_receipt is None:
            out.append("Execution fee paid")
        photo = self.answers.get("photo")
        if photo and photo.answer == "here" and self.photo_receipt is None:
            out.append("Photo fee paid")
        return out


def application_number(n: int) -> str:
    body = f"{n:06d}"  # 9 characters in all: the lookup's Number column
    return f"PA{body}{luhn_digit(body)}"


def parse_number(text: str) -> str:
    """`PA0000018` (any case, spaces ignored) -> the number, checked by its Luhn digit."""
    t = re.sub(r"\s+", "", text or "").upper()
    if not NUMBER.match(t) or not luhn_ok(t[2:]):
        raise ValidationError(f"{text!r} is not a passport application number (PA and 7 "
                              "digits).")
    return t


@dataclass(frozen=True)
class ApplicationScan:
    """A scanned or typed application number (the barcode on the counter's worksheet)."""

    number: str


def parse_scan(m: re.Match[str]) -> ApplicationScan:
    """Scan kind `passport`: PA + 7 digits whose last is the Luhn check digit."""
    return ApplicationScan(parse_number("PA" + m.group(1)))


def parse_date(text: str | dt.date, what: str) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(f"{what}: {str(text)[:20]!r} is not a date (YYYY-MM-DD).") from None


_COLUMNS = ("a.id, a.number, a.form, a.started_on, a.applicant_name, a.birth_date, a.parents, "
            "a.age_group, a.product, a.expedite, a.delivery, a.file_search, a.state_fee_cents, "
            "a.status, a.executed_at, a.executed_by, a.instrument_id, a.purged_at, "
            "i.kind AS ikind, i.number AS inumber, i.amount_cents AS iamount, "
            "re.number AS exec_no, rp.number AS photo_no, t.tracking")
_FROM = ("FROM passport_applications a "
         "LEFT JOIN passport_instruments i ON i.id = a.instrument_id "
         "LEFT JOIN receipts re ON re.id = a.exec_receipt_id "
         "LEFT JOIN receipts rp ON rp.id = a.photo_receipt_id "
         "LEFT JOIN passport_transmittals t ON t.id = a.transmittal_id")


def _view(db: Database, row: dict) -> Application:
    from clerk_tui.domain.money import format_money

    answers: dict[str, Answer] = {}
    for s in db.all("SELECT step, answer, detail, recorded_by, recorded_at FROM passport_steps "
                    "WHERE application_id = ? ORDER BY id", [row["id"]]):
        answers[s["step"]] = Answer(s["answer"], s["detail"], s["recorded_by"], s["recorded_at"])
    inst = None
    if row["instrument_id"]:
        kind = "money order" if row["ikind"] == "money_order" else "check"
        inst = f"{kind} {row['inumber']} {format_money(row['iamount'])}"
    return Application(
        row["id"], row["number"], row["form"], dt.date.fromisoformat(row["started_on"]),
        row["applicant_name"], dt.date.fromisoformat(row["birth_date"])
        if row["birth_date"] else None, row["parents"], row["age_group"], row["product"],
        bool(row["expedite"]), bool(row["delivery"]), bool(row["file_search"]),
        row["state_fee_cents"], row["status"], row["executed_at"], row["executed_by"], inst,
        row["instrument_id"], row["exec_no"], row["photo_no"], row["tracking"],
        bool(row["purged_at"]), answers)


def get(db: Database, number_or_id: str | int) -> Application:
    if isinstance(number_or_id, int):
        row = db.one(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", [number_or_id])
    else:
        row = db.one(f"SELECT {_COLUMNS} {_FROM} WHERE a.number = ?",
                     [parse_number(number_or_id)])
    if row is None:
        raise NotFound(f"No passport application {number_or_id}.")
    return _view(db, row)


def list_by(db: Database, where: str, params: list, order: str = "a.id") -> list[Application]:
    """Applications matching a WHERE clause of this module's callers (domain only)."""
    return [_view(db, r) for r in db.all(f"SELECT {_COLUMNS} {_FROM} WHERE {where} "
                                          f"ORDER BY {order}", params)]


def name_key(name: str) -> str:
    return " ".join(name.upper().split())


def start(db: Database, actor: Actor, name: str, birth_date: str | dt.date, product: str, *,
          expedite: bool = False, delivery: bool = False, file_search: bool = False,
          parents: str = "") -> Application:
    """Open an application at the counter: the applicant, product and service, and the State
    fee those make (the check the applicant must write)."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    today = clock.today()
    require_agent(db, actor.username, today)
    name = clean_text(name, field="Applicant name", max_len=80, required=True)
    parents = clean_text(parents, field="Parents/guardians", max_len=120)
    birth = parse_date(birth_date, "Date of birth")
    product = (product or "").strip().lower()
    if product not in PRODUCTS:
        raise ValidationError(f"Product: one of {', '.join(PRODUCTS)}.")
    group = age_group(birth, today)
    if group == "minor" and not parents:
        raise ValidationError(f"The applicant is {age_on(birth, today)}: name the parents or "
                              "guardians (both, or the one present).")
    fee = state_fee(product, group, today, expedite=expedite, delivery=delivery,
                    file_search=file_search)
    with db.write():
        db.execute("UPDATE counters SET value = value + 1 WHERE name = 'passport_application'")
        n = int(db.scalar("SELECT value FROM counters WHERE name = 'passport_application'"))
        number = application_number(n)
        aid = db.insert("passport_applications", {
            "number": number, "started_on": today.isoformat(), "applicant_name": name,
            "name_key": name_key(name), "birth_date": birth.isoformat(),
            "parents": parents or None, "age_group": group, "product": product,
            "expedite": int(expedite), "delivery": int(delivery),
            "file_search": int(file_search), "state_fee_cents": fee.total_cents,
            "created_at": clock.stamp(), "created_by": actor.username})
        # No personal fields in the audit chain (it is never purged): the number and the fee.
        audit.record(db, actor, "passport.start", f"passport:{number}",
                     after={"product": product, "age_group": group,
                            "state_fee_cents": fee.total_cents})
    return get(db, aid)


def check_consent(group: str, how: str, on: dt.date, notarised_on: dt.date | None = None,
                  id_copy: bool = False) -> None:
    """The minors' rules (22 CFR 51.28, numbers from the data): under 16 both parents, or one
    with the absent one's notarised DS-3053 no older than the limit plus a copy of their ID,
    or one with sole authority; 16-17 their own ID or a parent present with ID."""
    r = rules_on(on)
    if group == "adult":
        raise ValidationError("The applicant is an adult: no parents' step.")
    if group == "minor":
        if how not in MINOR_CONSENT:
            raise ValidationError(f"Under {r.minor_age}: both parents, one with a DS-3053, "
                                  "or one with sole authority.")
        if how == "ds3053":
            if notarised_on is None:
                raise ValidationError("DS-3053: the date it was notarised is required.")
            if notarised_on > on:
                raise ValidationError("DS-3053: the notarised date is in the future.")
            age = (on - notarised_on).days
            if age > r.ds3053_max_age_days:
                raise ValidationError(
                    f"DS-3053 notarised {notarised_on.isoformat()} is {age} days old: at most "
                    f"{r.ds3053_max_age_days}. The absent parent must sign a new one.")
            if not id_copy:
                raise ValidationError("DS-3053: a copy of the absent parent's ID (front and "
                                      "back) must come with it.")
    elif how not in TEEN_CONSENT:
        raise ValidationError("16-17: the applicant's own ID, or a parent present with ID.")


def _open_app(db: Database, number: str) -> Application:
    app = get(db, number)
    if app.status != "open":
        raise StateError(f"Application {app.number} is {app.status}: its checklist is closed.")
    return app


def record_step(db: Database, actor: Actor, number: str, step: str, answer: str, *,
                notarised_on: str | dt.date | None = None, id_copy: bool = False
                ) -> Application:
    """Record one checklist answer (a later answer replaces it; both stay in the log)."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    s = STEP_BY_CODE.get(step)
    if s is None:
        raise ValidationError(f"No checklist step {step!r}.")
    answer = (answer or "").strip()
    today = clock.today()
    detail = ""
    app = _open_app(db, number)
    if s.answers is None:
        codes = {e.code for e in data().documents(step, today)}
        answer = answer.upper()
        if answer not in codes:
            if any(ch.isdigit() for ch in answer) and not rules_on(today).document_numbers_allowed:
                raise ValidationError(f"{s.label}: the log keeps the document TYPE only, never "
                                      f"its number: one of {', '.join(sorted(codes))}.")
            raise ValidationError(f"{s.label}: one of {', '.join(sorted(codes))} (the document "
                                  "TYPE; never its number).")
    elif step == "consent":
        answer = answer.lower()
        if s not in app.steps():
            raise ValidationError("The applicant is an adult: no parents' step.")
        d = parse_date(notarised_on, "DS-3053 notarised") if notarised_on else None
        check_consent(app.age_group, answer, today, d, id_copy)
        if answer == "ds3053" and d:
            detail = f"notarised {d.isoformat()}; ID copy yes"
    else:
        answer = answer.lower()
        if answer not in s.answers:
            raise ValidationError(f"{s.label}: {' or '.join(s.answers)}.")
    with db.write():
        _open_app(db, number)
        db.insert("passport_steps", {"application_id": app.id, "step": step, "answer": answer,
                                     "detail": detail, "recorded_by": actor.username,
                                     "recorded_at": clock.stamp()})
        audit.record(db, actor, "passport.step", f"passport:{app.number}",
                     after={"step": step, "answer": answer, "detail": detail})
    return get(db, app.id)


def execute(db: Database, actor: Actor, number: str) -> Application:
    """Mark the application executed by this agent now, once nothing is missing."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    today = clock.today()
    require_agent(db, actor.username, today)
    with db.write():
        app = _open_app(db, number)
        missing = app.missing()
        if missing:
            raise StateError(f"Not yet: {'; '.join(missing)}.")
        at = clock.stamp()
        db.execute("UPDATE passport_applications SET status = 'executed', executed_at = ?, "
                   "executed_by = ?, executed_on = ? WHERE id = ?",
                   [at, actor.username, today.isoformat(), app.id])
        audit.record(db, actor, "passport.execute", f"passport:{app.number}",
                     before={"status": "open"}, after={"status": "executed", "at": at})
    return get(db, app.id)


def cancel(db: Database, actor: Actor, number: str, reason: str) -> Application:
    """Abandon an open application (the applicant left); paid city fees are voided or
    reversed on the cashier's screens, never here."""
    authority().require(actor, "passport.accept", what="accept passport applications")
    reason = clean_text(reason, field="Reason", max_len=80, required=True)
    with db.write():
        app = _open_app(db, number)
        db.execute("UPDATE passport_applications SET status = 'cancelled' WHERE id = ?",
                   [app.id])
        audit.record(db, actor, "passport.cancel", f"passport:{app.number}",
                     before={"status": "open"}, after={"status": "cancelled", "reason": reason})
    return get(db, app.id)
