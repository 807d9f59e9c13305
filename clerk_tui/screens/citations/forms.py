"""The citations counter's forms and menus: key in a citation, review request, hearing
request, decisions (results, appeals, dismissals, voids, corrections, deposit refund).

Each form's `submit` is domain work run through the session (thread, supervisor-override
retry: a late review or a dismissal over the clerk's limit asks for a supervisor there)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import parse_money
from clerk_tui.screens.kit import Choice, Field, Form, LetterMenu, required
from clerk_tui.screens.utility.common import OnSession

if TYPE_CHECKING:
    from clerk_tui.screens.citations.screen import CitationsScreen
    from clerk_tui.session import Session


class CitationForm(OnSession, Form):
    """A kit form with the status bar, its work through the session."""


def _date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return "a date, YYYY-MM-DD."
    return None


def _when(value: str) -> str | None:
    try:
        dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return "a date and time, YYYY-MM-DD HH:MM."
    return None


def _money(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        parse_money(value)
    except ValidationError as e:
        return str(e)
    return None


def key_in_form(session: Session) -> Form:
    """A handwritten citation, keyed from the paper (checked like an imported one)."""
    from clerk_tui.domain import clock
    from clerk_tui.domain.citations import store
    from clerk_tui.domain.citations.rules import citation_rules

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        when = dt.datetime.fromisoformat(v["issued"])
        fine = citation_rules().violation(v["code"], when.date()).fine_cents
        c = store.NewCitation(v["number"], when, v["location"], v["plate"], v["state"], None,
                              v["make"], v["colour"], "", v["code"], fine, v["officer"],
                              v["remarks"])
        store.key_in(db, actor, c)
        return store.check_new(c).number

    now = clock.now().strftime("%Y-%m-%d %H:%M")
    return CitationForm("Key in a handwritten citation", [
        Field("number", "Citation no.", placeholder="C and 9 digits", max_length=12,
              check=required("Citation no.")),
        Field("issued", "Issued at", now, "YYYY-MM-DD HH:MM", 16, check=_when),
        Field("plate", "Plate", placeholder="e.g. 7ABC123", max_length=10, check=required("Plate")),
        Field("state", "State", "CA", max_length=2, check=required("State")),
        Field("code", "Violation", placeholder="code, e.g. 22500(E)", max_length=16,
              check=required("Violation")),
        Field("location", "Location", max_length=80, check=required("Location")),
        Field("officer", "Officer badge", max_length=12, check=required("Officer badge")),
        Field("make", "Make", max_length=20),
        Field("colour", "Colour", max_length=20),
        Field("remarks", "Remarks", max_length=200),
    ], submit, lambda n: f"Citation {n} is on file.", heading="The fine comes from the "
        "violation code (data/citations/violations.toml).")


def review_request(session: Session, number: str, review_by: str) -> Form:
    from clerk_tui.domain.citations import contest

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return contest.request_review(db, actor, number, v["reason"],
                                      override=override).message

    return CitationForm(f"Review request: {number}", [
        Field("reason", "Reason", placeholder="why contested; needed after the deadline",
              max_length=200)], submit, str,
        heading=f"Free; within the deadline ({review_by}). Later: a supervisor and a reason.")


def _result_form(session: Session, number: str, stage: str) -> Form:
    from clerk_tui.domain.citations import contest

    db, actor = session.db, session.actor
    fn = {"review": contest.record_review_result, "hearing": contest.record_hearing_result,
          "appeal": contest.record_appeal_result}[stage]

    def submit(v: dict[str, str], override: Any = None) -> str:
        amount = parse_money(v["amount"]) if v["amount"] else None
        done = fn(db, actor, number, v["result"], v["reason"], amount_cents=amount,
                  override=override)
        return done.message

    return CitationForm(f"{stage.capitalize()} result: {number}", [
        Field("result", "Result", placeholder="UPHELD, DISMISSED or REDUCED", max_length=10,
              check=required("Result")),
        Field("reason", "Reason", max_length=200, check=required("Reason")),
        Field("amount", "New amount", placeholder="only when REDUCED", max_length=12,
              check=_money)], submit, str)


def _appeal_form(session: Session, number: str) -> Form:
    from clerk_tui.domain import clock
    from clerk_tui.domain.citations import contest

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return contest.record_appeal(db, actor, number,
                                     dt.date.fromisoformat(v["filed"])).message

    return CitationForm(f"Court appeal filed: {number}", [
        Field("filed", "Filed on", clock.today().isoformat(), "YYYY-MM-DD", 10, check=_date)],
        submit, str, heading="Within 30 days of the hearing decision (CVC 40230; the $25 "
        "filing fee is paid to the court).")


def _dismiss_form(session: Session, number: str, void: bool) -> Form:
    from clerk_tui.domain.citations import corrections

    db, actor = session.db, session.actor
    codes = corrections.reasons("void" if void else "dismiss")

    def submit(v: dict[str, str], override: Any = None) -> str:
        return corrections.dismiss(db, actor, number, v["code"], v["note"], void=void,
                                   override=override).message

    word = "Void" if void else "Dismiss"
    return CitationForm(f"{word} citation {number}", [
        Field("code", "Reason code", placeholder=", ".join(codes)[:60], max_length=12,
              check=required("Reason code")),
        Field("note", "Note", max_length=200)], submit, str,
        heading="; ".join(f"{k} {v}" for k, v in codes.items())[:150])


def _correct_form(session: Session, number: str) -> Form:
    from clerk_tui.domain.citations import corrections

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return corrections.correct(db, actor, number, v["proof"]).message

    return CitationForm(f"Proof of correction: {number}", [
        Field("proof", "Proof seen", placeholder="e.g. DMV registration card 2026, officer "
              "sign-off", max_length=200, check=required("Proof seen"))], submit, str)


def _refund_form(session: Session, number: str) -> Form:
    from clerk_tui.domain.citations import contest

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return contest.refund_deposit(db, actor, number, method=v["method"].strip().lower(),
                                      override=override).message

    return CitationForm(f"Refund hearing deposit: {number}", [
        Field("method", "Method", "cash", "cash or check", 5, check=required("Method"))], submit, str)


def _dmv_payment_form(session: Session, number: str) -> Form:
    from clerk_tui.domain import clock
    from clerk_tui.domain.citations import refunds

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return refunds.record_dmv_payment(db, actor, number, parse_money(v["amount"]),
                                          dt.date.fromisoformat(v["paid"]), v["ref"]).message

    return CitationForm(f"Payment made at DMV: {number}", [
        Field("amount", "Amount", max_length=12, check=_money),
        Field("paid", "Paid on", clock.today().isoformat(), "YYYY-MM-DD", 10, check=_date),
        Field("ref", "DMV reference", max_length=30, check=required("DMV reference"))], submit, str)


def _overpaid_form(session: Session, number: str) -> Form:
    from clerk_tui.domain.citations import refunds

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return refunds.refund_overpayment(db, actor, number, v["reason"],
                                          method=v["method"].strip().lower(),
                                          override=override).message

    return CitationForm(f"Refund an overpayment: {number}", [
        Field("reason", "Reason", "paid at DMV and at the counter", max_length=200,
              check=required("Reason")),
        Field("method", "Method", "check", "cash or check", 5, check=required("Method"))], submit, str)


def _release_form(session: Session, number: str) -> Form:
    from clerk_tui.domain.citations import dmv

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        return dmv.release_by_hand(db, actor, number, v["reason"], override=override)

    return CitationForm(f"Release the DMV hold: {number}", [
        Field("reason", "Reason", placeholder="e.g. DMV file discrepancy: wrong plate",
              max_length=200, check=required("Reason"))], submit, str)


def letters_text(db: Any, number: str) -> str:
    """Every letter sent on the citation, as it was sent (domain read, run in a thread)."""
    from clerk_tui.domain.citations.letters import letters_of
    from clerk_tui.domain.citations.store import get_row

    sent = letters_of(db, get_row(db, number)["id"])
    if not sent:
        return f"No letters were sent on citation {number}."
    return "\n\n".join(f"--- {r['kind']} {r['generated_at']} ({r['clerk']}) ---\n{r['body']}"
                       for r in sent)


def decide_menu(screen: CitationsScreen, number: str) -> None:
    """D: the decisions on the highlighted citation."""
    session = screen.session
    forms = {
        "r": lambda: _result_form(session, number, "review"),
        "h": lambda: _result_form(session, number, "hearing"),
        "a": lambda: _appeal_form(session, number),
        "o": lambda: _result_form(session, number, "appeal"),
        "x": lambda: _dismiss_form(session, number, False),
        "v": lambda: _dismiss_form(session, number, True),
        "c": lambda: _correct_form(session, number),
        "f": lambda: _refund_form(session, number),
        "m": lambda: _dmv_payment_form(session, number),
        "p": lambda: _overpaid_form(session, number),
        "l": lambda: _release_form(session, number),
    }

    def picked(letter: str | None) -> None:
        if letter == "t":
            from clerk_tui.screens.citations.jobs import report

            report(screen, f"Letters: {number}", lambda: letters_text(session.db, number))
        elif letter in forms:
            screen.app.push_screen(forms[letter](), lambda _: screen.refresh_found())

    screen.app.push_screen(LetterMenu(f"Decide: {number}", [
        Choice("r", "Review result (letter to the owner)"),
        Choice("h", "Hearing decision"),
        Choice("a", "Court appeal filed"),
        Choice("o", "Court appeal outcome"),
        Choice("x", "Dismiss (reason code)"),
        Choice("v", "Void (reason code)"),
        Choice("c", "Proof of correction (fix-it: CVC 40225)"),
        Choice("f", "Refund the hearing deposit (dismissed)"),
        Choice("m", "Record a payment made at DMV"),
        Choice("p", "Refund an overpayment (paid twice, or dismissed after paying)"),
        Choice("l", "Release the DMV hold by hand (discrepancy)"),
        Choice("t", "Letters sent on it (as sent; P prints)"),
    ]), picked)


def hearing_menu(screen: CitationsScreen, number: str) -> None:
    """H: a hearing request, with the deposit (a trust payment) or inability to pay."""
    from clerk_tui.domain.citations import contest

    session = screen.session
    db, actor = session.db, session.actor

    def picked(letter: str | None) -> None:
        if letter == "d":
            screen.pay([number], kind="citation_deposit")
        elif letter == "i":
            def submit(v: dict[str, str], override: Any = None) -> str:
                return contest.request_hearing(db, actor, number, inability=True,
                                               reason=v["reason"], override=override).message

            screen.app.push_screen(CitationForm(f"Hearing request: {number}", [
                Field("reason", "Inability", placeholder="what was shown (benefits letter, "
                      "income)", max_length=200, check=required("Inability"))], submit, str),
                lambda _: screen.refresh_found())

    screen.app.push_screen(LetterMenu(f"Hearing request: {number}", [
        Choice("d", "With the deposit of the amount due (payment, held in trust)"),
        Choice("i", "Inability to pay shown (no deposit)"),
    ]), picked)
