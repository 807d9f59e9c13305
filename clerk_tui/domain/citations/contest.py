"""Contesting a citation (CVC 40215, 40230): administrative review, hearing, court appeal.

- Review: free; requested within 21 days of the citation or 14 days of the notice (the later,
  rolled to a business day). Later is refused unless a supervisor overrides with a reason.
  It freezes penalties (due.py) until the result: upheld, dismissed or reduced, with a reason
  and a letter to the owner.
- Hearing: within 21 days of the review result; needs a deposit of the amount due (item kind
  `citation_deposit`, held in trust) unless the person shows inability to pay. Freezes
  penalties too. A dismissal refunds the deposit (`refund_deposit`, the refund limits of
  authority.toml); an upheld or reduced result applies it to the citation.
- Court appeal: within 30 days of the hearing decision ($25 filing fee paid to the court,
  CVC 40230): the date filed and the outcome are recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.citations import dmv, letters
from clerk_tui.domain.citations.due import RESULTS, Event
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import (
    add_event,
    due_of,
    events_of,
    get_row,
    owner_of,
)
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text


@dataclass(frozen=True)
class Done:
    number: str
    message: str
    letter: str = ""
    override_by: str | None = None


def _has(events: list[Event], kind: str) -> bool:
    if kind == "hearing_requested":
        return hearing_open(events) or _has(events, "hearing_result")
    return any(e.kind == kind for e in events)


def hearing_open(events: list[Event]) -> bool:
    """A hearing requested and neither decided nor withdrawn (its deposit voided)."""
    n = 0
    for e in events:
        if e.kind == "hearing_requested":
            n += 1
        elif e.kind in ("hearing_withdrawn", "hearing_result"):
            n = 0
    return n > 0


def _open_for_contest(row: dict, events: list[Event], on: dt.date) -> None:
    d = due_of(row, events, on)
    if d.status in ("dismissed", "voided"):
        raise StateError(f"Citation {row['number']} is {d.label.lower()}.")


def request_review(db: Database, actor: Actor, number: str, reason: str = "", *,
                   on: dt.date | None = None, override: Override | None = None) -> Done:
    """Take a review request. After the deadline it needs a supervisor (and a reason)."""
    on = on or clock.today()
    reason = clean_text(reason, field="Reason", max_len=200)
    row = get_row(db, number)
    events = events_of(db, row["id"])
    if _has(events, "review_requested"):
        raise StateError(f"Citation {row['number']} already had a review requested.")
    _open_for_contest(row, events, on)
    review_by = due_of(row, events, on).deadlines["review_by"]
    approver = None
    if review_by is not None and on > review_by:
        if not reason:
            raise ValidationError(f"The review deadline was {review_by}: a late request needs "
                                  "a reason (and a supervisor).")
        approver = authority().require(
            actor, "citation.late_review", override=override,
            what=f"accept a review request after the deadline ({review_by})")
    else:
        authority().require(actor, "citation.review_request", what="take a review request")
    with db.write():
        add_event(db, actor, row["id"], "review_requested", on, reason=reason,
                  override_by=approver)
        audit.record(db, actor, "citation.review_request", f"citation:{row['number']}",
                     after={"on": on.isoformat(), "review_by": str(review_by),
                            "reason": reason}, override_by=approver)
    late = f" (late: approved by {approver})" if approver else ""
    return Done(row["number"], f"Review requested for {row['number']}{late}; penalties are "
                "frozen until the result.", override_by=approver)


def _result_letter(db: Database, actor: Actor, row: dict, result: str, reason: str,
                   on: dt.date) -> str:
    events = events_of(db, row["id"])
    d = due_of(row, events, on)
    owner = owner_of(db, row["plate"], row["state"])
    body = letters.render("review_result", {
        "date": on.isoformat(), "citation_number": row["number"], "plate": row["plate"],
        "owner_name": owner["name"] if owner else "Registered owner",
        "owner_address": owner["address"] if owner else "",
        "result": result.capitalize(), "reason": reason,
        "amount_due": format_money(d.due_cents),
        "hearing_by": str(d.deadlines.get("hearing_by") or "")})
    letters.store_letter(db, actor, row["id"], "review_result", body)
    return body


def _check_result(result: str, amount_cents: int | None, base: int) -> str:
    result = (result or "").strip().upper()
    if result not in RESULTS:
        raise ValidationError("The result is UPHELD, DISMISSED or REDUCED.")
    if result == "REDUCED" and (amount_cents is None or not 0 < amount_cents < base):
        raise ValidationError(f"A reduced result needs a new amount between $0.01 and "
                              f"{format_money(base - 1)}.")
    return result


def record_review_result(db: Database, actor: Actor, number: str, result: str, reason: str,
                         *, amount_cents: int | None = None, on: dt.date | None = None,
                         override: Override | None = None) -> Done:
    """The review's result with its reason and the letter to the owner."""
    on = on or clock.today()
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    row = get_row(db, number)
    events = events_of(db, row["id"])
    if not _has(events, "review_requested") or _has(events, "review_result"):
        raise StateError(f"Citation {row['number']} has no review waiting for a result.")
    base = due_of(row, events, on).base_cents
    result = _check_result(result, amount_cents, base)
    approver = authority().require(actor, "citation.review", what="record a review result")
    if result != "UPHELD":
        cut = base if result == "DISMISSED" else base - (amount_cents or 0)
        approver = authority().require(actor, "citation.dismiss", amount_cents=cut,
                                       limit="citation_dismiss", override=override,
                                       what="dismiss or reduce a citation") or approver
    with db.write():
        add_event(db, actor, row["id"], "review_result", on, reason_code=result,
                  amount_cents=amount_cents or 0, reason=reason, override_by=approver)
        if result == "DISMISSED":
            dmv.release_if_held(db, actor, row["id"], "dismissed", on)
        letter = _result_letter(db, actor, row, result, reason, on)
        audit.record(db, actor, "citation.review_result", f"citation:{row['number']}",
                     after={"result": result, "reason": reason, "amount_cents": amount_cents},
                     override_by=approver)
    return Done(row["number"], f"Review of {row['number']}: {result.lower()}; letter kept.",
                letter, approver)


def request_hearing(db: Database, actor: Actor, number: str, *, inability: bool,
                    reason: str = "", on: dt.date | None = None,
                    override: Override | None = None) -> Done:
    """A hearing request with inability to pay shown (no deposit). With a deposit the request
    is made by paying the `citation_deposit` item (see `DepositItem.after_post`)."""
    on = on or clock.today()
    row = get_row(db, number)
    events = events_of(db, row["id"])
    approver = check_hearing(db, actor, row, events, on, reason, override)
    if not inability:
        raise ValidationError("A hearing needs the deposit of the amount due: take it as a "
                              "payment (or record inability to pay).")
    with db.write():
        add_event(db, actor, row["id"], "hearing_requested", on, ref="inability",
                  reason=clean_text(reason, field="Reason", max_len=200),
                  override_by=approver)
        audit.record(db, actor, "citation.hearing_request", f"citation:{row['number']}",
                     after={"deposit": False, "inability": True}, override_by=approver)
    return Done(row["number"], f"Hearing requested for {row['number']} (inability to pay: "
                "no deposit).", override_by=approver)


def check_hearing(db: Database, actor: Actor, row: dict, events: list[Event], on: dt.date,
                  reason: str = "", override: Override | None = None) -> str | None:
    """Refuse a hearing request that is not possible now; returns a late approval's approver."""
    if not _has(events, "review_result"):
        raise StateError(f"Citation {row['number']}: a hearing follows a review result.")
    if _has(events, "hearing_requested"):
        raise StateError(f"Citation {row['number']} already has a hearing requested.")
    _open_for_contest(row, events, on)
    authority().require(actor, "citation.review_request", what="take a hearing request")
    hearing_by = due_of(row, events, on).deadlines["hearing_by"]
    if hearing_by is not None and on > hearing_by:
        if not reason:
            raise ValidationError(f"The hearing deadline was {hearing_by}: a late request "
                                  "needs a reason (and a supervisor).")
        return authority().require(actor, "citation.late_review", override=override,
                                   what=f"accept a hearing request after {hearing_by}")
    return None


def deposit_held(events: list[Event]) -> int:
    """Hearing deposit in trust: paid less refunded, applied or undone."""
    paid = sum(e.amount_cents for e in events if e.kind == "deposit_paid")
    out = sum(e.amount_cents for e in events
              if e.kind in ("deposit_refunded", "deposit_applied", "deposit_undone"))
    return paid - out


def record_hearing_result(db: Database, actor: Actor, number: str, result: str, reason: str,
                          *, amount_cents: int | None = None, on: dt.date | None = None,
                          override: Override | None = None) -> Done:
    """The hearing decision. Upheld or reduced: the deposit is applied to the citation (trust
    to revenue). Dismissed: the deposit waits for its refund (`refund_deposit`)."""
    on = on or clock.today()
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    row = get_row(db, number)
    events = events_of(db, row["id"])
    if not hearing_open(events):
        raise StateError(f"Citation {row['number']} has no hearing waiting for a decision.")
    base = due_of(row, events, on).base_cents
    result = _check_result(result, amount_cents, base)
    approver = authority().require(actor, "citation.hearing", what="record a hearing decision")
    if result != "UPHELD":
        cut = base if result == "DISMISSED" else base - (amount_cents or 0)
        approver = authority().require(actor, "citation.dismiss", amount_cents=cut,
                                       limit="citation_dismiss", override=override,
                                       what="dismiss or reduce a citation") or approver
    fees = citation_rules().fees(on)
    v = citation_rules().violation(row["violation_code"],
                                   dt.date.fromisoformat(row["issued_on"]))
    with db.write():
        add_event(db, actor, row["id"], "hearing_result", on, reason_code=result,
                  amount_cents=amount_cents or 0, reason=reason, override_by=approver)
        held = deposit_held(events_of(db, row["id"]))
        applied = 0
        if result == "DISMISSED":
            dmv.release_if_held(db, actor, row["id"], "dismissed", on)
        elif held:
            applied = min(held, due_of(row, events_of(db, row["id"]), on).due_cents)
            if applied:
                memo = f"hearing deposit applied {row['number']}"
                ledger.post(db, actor, "adjustment", [
                    ledger.Entry(book="trust", kind="transfer", amount_cents=applied,
                                 fund=fees.deposit_fund, gl_code=fees.deposit_gl, memo=memo),
                    ledger.Entry(book="revenue", kind="transfer", amount_cents=-applied,
                                 fund=v.fund, gl_code=v.gl_code, memo=memo)], memo=memo)
                add_event(db, actor, row["id"], "deposit_applied", on, amount_cents=applied)
                add_event(db, actor, row["id"], "payment", on, amount_cents=applied,
                          ref="deposit")
                if due_of(row, events_of(db, row["id"]), on).due_cents == 0:
                    dmv.release_if_held(db, actor, row["id"], "paid", on)
        audit.record(db, actor, "citation.hearing_result", f"citation:{row['number']}",
                     after={"result": result, "reason": reason, "applied_cents": applied},
                     override_by=approver)
    extra = f" Deposit of {format_money(held)} to refund." if result == "DISMISSED" and held \
        else (f" Deposit {format_money(applied)} applied." if applied else "")
    return Done(row["number"], f"Hearing on {row['number']}: {result.lower()}.{extra}",
                override_by=approver)


def refund_deposit(db: Database, actor: Actor, number: str, *, method: str = "cash",
                   override: Override | None = None) -> Done:
    """Refund a dismissed citation's hearing deposit from trust: cash from the clerk's open
    drawer or a city check (clearing, refunds payable), within the clerk's refund limit."""
    from clerk_tui.domain.cashier.rules import rules as cashier_rules
    from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open

    if method not in ("cash", "check"):
        raise ValidationError("Refund by cash or by city check.")
    row = get_row(db, number)
    events = events_of(db, row["id"])
    held = deposit_held(events)
    if held <= 0:
        raise StateError(f"Citation {row['number']} has no hearing deposit held.")
    if due_of(row, events, clock.today()).status != "dismissed":
        raise StateError(f"Citation {row['number']} is not dismissed: the deposit stays until "
                         "the decision.")
    approver = authority().require(actor, "refund.credit", amount_cents=held, limit="refund",
                                   override=override, what="refund a hearing deposit")
    fees = citation_rules().fees(clock.today())
    memo = f"hearing deposit refund {row['number']}"
    try:
        with db.write():
            if method == "cash":
                session = require_open(db, actor)
                if held > cash_on_hand(db, session):
                    raise ValidationError("Not enough cash in the drawer; refund by check.")
                other = ledger.Entry(book="drawer", kind="refund", amount_cents=-held,
                                     drawer_session_id=session.id, tender="cash", memo=memo)
            else:
                other = ledger.Entry(book="clearing", kind="refund", amount_cents=-held,
                                     gl_code=cashier_rules().gl["refunds_payable"], memo=memo)
            ledger.post(db, actor, "refund", [
                ledger.Entry(book="trust", kind="refund", amount_cents=held,
                             fund=fees.deposit_fund, gl_code=fees.deposit_gl, memo=memo),
                other], memo=memo)
            add_event(db, actor, row["id"], "deposit_refunded", clock.today(),
                      amount_cents=held, ref=method, override_by=approver)
            audit.record(db, actor, "citation.deposit_refund", f"citation:{row['number']}",
                         after={"amount_cents": held, "method": method}, override_by=approver)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("Today's business day is closed.") from None
        raise
    return Done(row["number"], f"Deposit {format_money(held)} refunded by {method}.",
                override_by=approver)


def record_appeal(db: Database, actor: Actor, number: str, filed_on: dt.date, *,
                  on: dt.date | None = None) -> Done:
    """The court appeal's filing date (within 30 days of the hearing decision)."""
    on = on or clock.today()
    row = get_row(db, number)
    events = events_of(db, row["id"])
    if not _has(events, "hearing_result"):
        raise StateError(f"Citation {row['number']}: an appeal follows a hearing decision.")
    if _has(events, "appeal_filed"):
        raise StateError(f"Citation {row['number']} already has an appeal recorded.")
    if filed_on > on:
        raise ValidationError("The filing date is in the future.")
    appeal_by = due_of(row, events, on).deadlines["appeal_by"]
    if appeal_by is not None and filed_on > appeal_by:
        raise ValidationError(f"The appeal deadline was {appeal_by} (CVC 40230): the court "
                              "will not take it; nothing recorded.")
    authority().require(actor, "citation.hearing", what="record a court appeal")
    with db.write():
        add_event(db, actor, row["id"], "appeal_filed", filed_on)
        audit.record(db, actor, "citation.appeal", f"citation:{row['number']}",
                     after={"filed_on": filed_on.isoformat()})
    return Done(row["number"], f"Appeal filed {filed_on} recorded.")


def record_appeal_result(db: Database, actor: Actor, number: str, result: str, reason: str,
                         *, amount_cents: int | None = None, on: dt.date | None = None,
                         override: Override | None = None) -> Done:
    on = on or clock.today()
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    row = get_row(db, number)
    events = events_of(db, row["id"])
    if not _has(events, "appeal_filed") or _has(events, "appeal_result"):
        raise StateError(f"Citation {row['number']} has no appeal waiting for its outcome.")
    result = _check_result(result, amount_cents, due_of(row, events, on).base_cents)
    approver = authority().require(actor, "citation.hearing", what="record a court outcome")
    with db.write():
        add_event(db, actor, row["id"], "appeal_result", on, reason_code=result,
                  amount_cents=amount_cents or 0, reason=reason)
        if result == "DISMISSED":
            dmv.release_if_held(db, actor, row["id"], "dismissed", on)
        audit.record(db, actor, "citation.appeal_result", f"citation:{row['number']}",
                     after={"result": result, "reason": reason}, override_by=approver)
    return Done(row["number"], f"Court appeal of {row['number']}: {result.lower()}.")
