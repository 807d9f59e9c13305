"""Subpoenas and court papers: accept service, the civil deposit on Payments, reconcile after
the appearance (refund the excess in cash or by city check, or bill the rest), the court
calendar by officer. Only a cleared clerk sees any."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import subpoenas
from clerk_tui.domain.frontdesk.items import SUBPOENA
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.frontdesk.common import DeskReport, FdForm, FdList, pay_action, whole_check
from clerk_tui.screens.kit import Action, Field, Row, required


def _when_check(value: str) -> str | None:
    try:
        subpoenas._when(value, "")
    except subpoenas.ValidationError:
        return "a date and time, YYYY-MM-DD HH:MM."
    return None


def _money_check(value: str) -> str | None:
    try:
        parse_money(value)
    except subpoenas.ValidationError as e:
        return str(e)
    return None


def accept_form(session: Any) -> FdForm:
    def submit(v: dict[str, str]) -> subpoenas.Subpoena:
        return subpoenas.accept(session.db, session.actor, v["kind"].strip().lower(),
                                v["named"], v["case"], v["court"], v["appear"], v["served_by"],
                                days=int(v["days"]))

    def describe(s: subpoenas.Subpoena) -> str:
        fee = f"deposit {format_money(s.deposit_cents)}: F takes it" if s.deposit_cents \
            else "no fee"
        return f"{s.reference} accepted ({s.kind}), {fee}."

    return FdForm("Accept a subpoena", [
        Field("kind", "Kind", "civil", "civil / criminal / records", 8,
              check=lambda x: None if x.strip().lower() in subpoenas.KINDS else
              "civil, criminal or records."),
        Field("named", "Officer", "", "Officer or custodian named", 80,
              check=required("Officer")),
        Field("case", "Case", "", "Case number", 40, check=required("Case")),
        Field("court", "Court", "", "Court and department", 80, check=required("Court")),
        Field("appear", "Appear at", "", "YYYY-MM-DD HH:MM", 16, check=_when_check),
        Field("days", "Days", "1", "Days to appear", 2, check=whole_check),
        Field("served_by", "Served by", "", "Who served it", 80, check=required("Served by")),
    ], submit, describe)


def reconcile_form(session: Any, sid: int) -> FdForm:
    def submit(v: dict[str, str], override: Any = None) -> subpoenas.Settlement:
        return subpoenas.reconcile(session.db, session.actor, sid, parse_money(v["actual"]),
                                   method=v["method"].strip().lower(), override=override)

    def describe(d: subpoenas.Settlement) -> str:
        if d.billed_cents:
            return f"Kept {format_money(d.kept_cents)}; {format_money(d.billed_cents)} " \
                   "billed: B takes it."
        if d.refunded_cents:
            return f"Kept {format_money(d.kept_cents)}; refund " \
                   f"{format_money(d.refunded_cents)} by {d.method}."
        return f"Kept {format_money(d.kept_cents)}."

    return FdForm("Reconcile the deposit", [
        Field("actual", "Actual cost", "", "What the appearance cost, e.g. 275.00", 12,
              check=_money_check),
        Field("method", "Refund by", "cash", "cash (drawer) or check (city)", 5,
              check=lambda x: None if x.strip().lower() in ("cash", "check") else
              "cash or check."),
    ], submit, describe)


def subpoenas_list(session: Any) -> FdList:
    db = session.db

    def load() -> list[Row]:
        return [Row((s.id, s.reference),
                    (s.reference, s.kind, s.named[:18], s.appear_at.isoformat(" ", "minutes"),
                     format_money(s.deposit_cents) if s.deposit_cents else "-",
                     s.settled or ("held" if s.deposit_receipt_id else "due")))
                for s in subpoenas.all_open(db, session.actor)]

    def calendar_text() -> str:
        return subpoenas.format_calendar(subpoenas.calendar(db, session.actor), clock.today())

    return FdList("Subpoenas", ["Ref", "Kind", "Named", "Appear", "Deposit", "Status"], load, [
        Action("n", "Accept", open=lambda _k: accept_form(session), needs_row=False),
        pay_action("f", "Deposit", lambda: session, SUBPOENA, lambda k: k[1]),
        Action("r", "Reconcile", open=lambda k: reconcile_form(session, k[0])),
        pay_action("b", "Bill balance", lambda: session, SUBPOENA, lambda k: f"{k[1]}-BAL"),
        Action("c", "Court calendar", open=lambda _k: DeskReport("Court calendar",
                                                                  load=calendar_text),
               needs_row=False),
    ], empty="No subpoenas (or you are not cleared for police records).")
