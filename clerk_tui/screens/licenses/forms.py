"""The new-application form and the renewal's question (this year's employees or gross
receipts). Shape checks here; the domain has the last word (its refusal keeps what was typed)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.records import Application
from clerk_tui.domain.licenses.rules import LOCATIONS, license_rules
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.kit import Field, Form
from clerk_tui.screens.prompts import TextPrompt

if TYPE_CHECKING:
    from clerk_tui.screens.licenses.screen import LicensesScreen
    from clerk_tui.session import Session

_LOC = {"c": "in_city", "o": "out_of_town", "h": "home", **{x: x for x in LOCATIONS}}


def _whole(text: str) -> str | None:
    t = text.strip()
    return None if not t or (t.isdigit() and len(t) <= 6) else "a whole number, like 4."


def _money_or_blank(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        parse_money(text)
    except ValidationError as e:
        return str(e)
    return None


def _date(text: str) -> str | None:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return "a date, YYYY-MM-DD."
    return None


def _class(text: str) -> str | None:
    codes = [c.code for c in license_rules().classes_on(clock.today())]
    return None if text.strip() in codes else f"one of {', '.join(codes)}."


def _location(text: str) -> str | None:
    return None if text.strip().lower() in _LOC or not text.strip() else \
        "C (in city), O (out of town), H (home)."


def values_to_application(v: dict[str, str]) -> Application:
    gross = v.get("gross", "").strip()
    return Application(
        business_name=v["name"], dba=v.get("dba", ""), owners=v["owners"],
        address=v["address"], location=_LOC[v["location"].strip().lower() or "c"],
        class_code=v["class"].strip(), employees=int(v.get("employees") or 0),
        gross_receipts_cents=parse_money(gross) if gross else None,
        contractor_no=v.get("contractor", ""), phone=v.get("phone", ""),
        email=v.get("email", ""),
        ownership=v.get("ownership", "sole").strip().lower() or "sole",
        mailing_address=v.get("mailing", ""),
        start_date=dt.date.fromisoformat(v["start"].strip()))


def application_form(session: Session) -> Form:
    """Ctrl+N: a new application; done, it dismisses with the License (routed, assessed)."""
    db, actor = session.db, session.actor
    classes = ", ".join(f"{c.code}" for c in license_rules().classes_on(clock.today()))
    return Form("New business license application", [
        Field("name", "Business name", "", "Legal name", 80),
        Field("dba", "DBA", "", "Doing business as (blank = none)", 80),
        Field("owners", "Owners", "", "Names, comma between", 160),
        Field("ownership", "Ownership", "", "Enter = sole; partnership, corporation, llc…",
              12),
        Field("address", "Location", "", "Street address of the business", 120),
        Field("location", "Where", "", "Enter = C in city; O out of town, H home", 11,
              check=_location),
        Field("class", "Class", "", classes, 6, check=_class),
        Field("start", "Start date", clock.today().isoformat(), "YYYY-MM-DD", 10, check=_date),
        Field("employees", "Employees", "", "Enter = 0", 6, check=_whole),
        Field("gross", "Gross receipts", "", "Estimated for the year (gross receipts classes)",
              16, check=_money_or_blank),
        Field("contractor", "Contractor lic.", "", "CSLB number (contractors)", 12),
        Field("phone", "Phone", "", "(530) 555-0100", 24),
        Field("email", "Email", "", "owner@example.com", 80),
        Field("mailing", "Mailing address", "", "Blank = the location", 160),
    ], submit=lambda v: records.apply(db, actor, values_to_application(v)),
        describe=_described, run=session.kit_run, yes="Apply")


def _described(lic: records.License) -> str:
    reviews = ", ".join(r.department_name for r in lic.reviews) or "none needed"
    return (f"License {lic.number} {lic.status.replace('_', ' ')}. Reviews: {reviews}. "
            f"Due: {format_money(lic.total_due_cents)}.")


def ask_renewal_facts(screen: LicensesScreen, number: str, year: int, what: str) -> None:
    """The renewal needs this year's employees or gross receipts before it can be priced."""
    db, actor = screen.session.db, screen.session.actor
    if what == "employees":
        prompt = TextPrompt(f"Renewal {year}: how many employees?", placeholder="e.g. 4",
                            max_length=6, check=_whole)
    else:
        prompt = TextPrompt(f"Renewal {year}: last year's gross receipts?",
                            placeholder="e.g. 250000.00", max_length=16,
                            check=lambda t: _money_or_blank(t) or
                            (None if t.strip() else "required."))

    def answered(text: Any) -> None:
        if text is None:
            screen.load(number, "Renewal not started.")
            return
        kw = {"employees": int(text)} if what == "employees" else \
            {"gross_receipts_cents": parse_money(text)}
        screen._run(lambda: records.renew(db, actor, number, year, **kw), "renew",
                    lambda lic: screen.show_license(lic, _msg(lic, year)))

    screen.app.push_screen(prompt, answered)


def _msg(lic: records.License | None, year: int) -> str:
    if lic is None:
        return ""
    return f"Renewal {year}: {format_money(lic.total_due_cents)} due. Enter = pay."
