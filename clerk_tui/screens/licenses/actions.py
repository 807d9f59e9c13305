"""Ctrl+O on F5: what can be done to the license shown. Each choice is offered only when the
license's state allows it; the domain checks permissions again (a refusal is said)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clerk_tui.domain.licenses import records
from clerk_tui.screens.kit import Choice, LetterMenu, Picker
from clerk_tui.screens.prompts import TextPrompt

if TYPE_CHECKING:
    from clerk_tui.screens.licenses.screen import LicensesScreen


def open_actions(screen: LicensesScreen) -> None:
    lic = screen.license
    if lic is None:
        screen._say("Find a license first.")
        return
    live = lic.status in records.LIVE
    open_ = lic.status not in ("closed", "denied")
    next_year = (lic.current_term.year + 1) if lic.current_term else None
    choices = [
        Choice("v", "Record a review decision", bool(lic.pending_reviews)),
        Choice("i", "Issue the license", lic.status == "approved"),
        Choice("r", f"Renew for {next_year}", live and next_year is not None),
        Choice("c", "Print the certificate (and save the PDF)", live),
        Choice("d", "Sell a duplicate certificate (printed once paid)", live),
        Choice("g", "Gross receipts declared (confidential)", True),
        Choice("h", "History", True),
        Choice("l", "Change location (re-routed review)", open_),
        Choice("w", "Change owner (a new license)", open_),
        Choice("x", "Close the business", open_),
        Choice("e", "Edit phone, email, mailing address", open_),
        Choice("f", "Refund the fees paid (denied or closed)",
               lic.status in ("denied", "closed")),
    ]
    screen.app.push_screen(LetterMenu(f"License {lic.number}", choices),
                           lambda letter: _chosen(screen, letter) if letter else None)


def _chosen(screen: LicensesScreen, letter: str) -> None:
    lic = screen.license
    assert lic is not None
    db, actor = screen.session.db, screen.session.actor
    number = lic.number
    if letter == "v":
        items = [(str(r.id), f"{r.department_name}: {r.reason}"[:66])
                 for r in lic.pending_reviews]
        screen.app.push_screen(Picker("Which review?", items),
                               lambda rid: _decide(screen, int(rid)) if rid else None)
    elif letter == "i":
        screen._run(lambda: records.issue(db, actor, number), "issue",
                    lambda new: screen.show_license(new, f"License {number} issued. "
                                                    "Ctrl+O C prints the certificate."))
    elif letter == "r":
        screen.open_renewal(number, lic.current_term.year + 1)  # type: ignore[union-attr]
    elif letter == "c":
        from clerk_tui.screens.licenses.certificates import print_certificate

        print_certificate(screen, number)
    elif letter == "d":
        _sell_duplicate(screen, number)
    elif letter == "g":
        _gross(screen, number)
    elif letter == "h":
        _history(screen)
    elif letter == "l":
        _move(screen, number)
    elif letter == "w":
        _ask(screen, "New owner(s), comma between:", 160,
             lambda text: screen._run(lambda: records.change_owner(db, actor, number, text),
                                      "change owner",
                                      lambda new: screen.show_license(
                                          new, f"New license {new.number if new else ''}; "
                                          f"{number} closed.")))
    elif letter == "f":
        _refund(screen, number)
    elif letter == "e":
        _contact(screen)
    elif letter == "x":
        _ask(screen, f"Close license {number}: why?", 200,
             lambda text: screen._run(lambda: records.close(db, actor, number, text), "close",
                                      lambda new: screen.show_license(new, "Closed.")))


def _ask(screen: LicensesScreen, title: str, max_length: int, then: Any) -> None:
    screen.app.push_screen(TextPrompt(title, max_length=max_length,
                                      check=lambda t: None if t.strip() else "required."),
                           lambda text: then(text) if text else None)


def _decide(screen: LicensesScreen, review_id: int) -> None:
    db, actor = screen.session.db, screen.session.actor
    menu = LetterMenu("Decision", [Choice("a", "Approved"),
                                   Choice("c", "Approved with conditions"),
                                   Choice("d", "Denied (closes the application)")])

    def send(decision: str, note: str = "") -> None:
        screen._run(lambda: records.decide_review(db, actor, review_id, decision, note),
                    "record the review",
                    lambda new: screen.show_license(new, f"Review recorded: {decision}."))

    def picked(letter: str | None) -> None:
        if letter == "a":
            send("approved")
        elif letter in ("c", "d"):
            decision = "conditions" if letter == "c" else "denied"
            _ask(screen, "Conditions:" if letter == "c" else "Why denied?", 200,
                 lambda note: send(decision, note))

    screen.app.push_screen(menu, picked)


def _sell_duplicate(screen: LicensesScreen, number: str) -> None:
    from clerk_tui.domain.cashier import SaleItem, price_items

    db = screen.session.db
    items = [SaleItem("license", f"{number}-DUP")]

    def priced(preview: Any) -> None:
        if preview is None:
            return
        pay = screen.session.open_payment(screen.counter, items, preview)
        screen._payment, screen._payment_key = pay, pay.key
        screen.duplicate_for = number

    screen._run(lambda: price_items(db, items), "price the duplicate", priced)


def _gross(screen: LicensesScreen, number: str) -> None:
    from clerk_tui.domain.money import format_money
    from clerk_tui.screens.kit import ReportScreen

    db, actor = screen.session.db, screen.session.actor

    def show(rows: list | None) -> None:
        if rows is None:
            return
        text = "\n".join([f"GROSS RECEIPTS DECLARED  license {number}",
                          "Confidential (Municipal Code 5.04.400): this look is logged.", ""]
                         + [f"{y}  {format_money(c):>16}" for y, c in rows]
                         + ([] if rows else ["None declared."]))
        screen.app.push_screen(ReportScreen("Gross receipts", text))

    screen._run(lambda: records.gross_receipts(db, actor, number), "read gross receipts", show)


def _history(screen: LicensesScreen) -> None:
    from clerk_tui.screens.kit import ReportScreen

    lic = screen.license
    assert lic is not None
    lines = [f"HISTORY  license {lic.number}  {lic.title}"[:78], ""]
    lines += [f"{at[:16]}  {clerk[:10]:<10}  {event}  {detail}"[:78]
              for at, clerk, event, detail in lic.history]
    screen.app.push_screen(ReportScreen("License history", "\n".join(lines),
                                        print_text=screen.session.print_text,
                                        run=screen.session.kit_run))


def _move(screen: LicensesScreen, number: str) -> None:
    from clerk_tui.screens.kit import Field
    from clerk_tui.screens.kit.prompt import Prompt

    db, actor = screen.session.db, screen.session.actor
    where = {"c": "in_city", "o": "out_of_town", "h": "home"}

    class MovePrompt(Prompt):
        def answer(self, values: dict[str, str]) -> tuple[str, str]:
            return values["address"], values["where"]

    prompt = MovePrompt("New location", [
        Field("address", "Address", placeholder="Street address", max_length=120,
              check=lambda t: None if t.strip() else "required."),
        Field("where", "Where", "C", "C in city, O out of town, H home", 1,
              check=lambda t: None if t.strip().lower() in where else "C, O or H."),
    ], name="move")

    def moved(answer: Any) -> None:
        if not answer:
            return
        address, w = answer
        screen._run(lambda: records.change_location(db, actor, number, address,
                                                    where[w.strip().lower()]),
                    "move", lambda new: screen.show_license(new, "Moved; reviews routed."))

    screen.app.push_screen(prompt, moved)


def _refund(screen: LicensesScreen, number: str) -> None:
    """C cash / K city check, then the reason; above the role's limit a supervisor approves
    (the session's override dialog), then the refund posts."""
    from clerk_tui.domain.licenses import refunds
    from clerk_tui.domain.money import format_money

    db, actor = screen.session.db, screen.session.actor

    def how(answer: Any) -> None:
        if not answer:
            return
        method = "cash" if answer.strip().lower() == "c" else "check"

        def done(r: Any) -> None:
            if r is not None:
                screen.load(number, f"Refunded {format_money(r.amount_cents)} by {r.method}.")

        _ask(screen, "Why is it refunded?", 200, lambda reason: screen.session.run(
            lambda override=None: refunds.refund_license(db, actor, number, method, reason,
                                                         override=override),
            what="refund license fees", on_done=done,
            on_error=lambda e: screen._say(str(e)), screen=screen))

    screen.app.push_screen(TextPrompt(f"Refund license {number}: C cash, K city check",
                                      max_length=1, check=lambda t: None if t.strip().lower()
                                      in ("c", "k") else "C or K."), how)


def _contact(screen: LicensesScreen) -> None:
    from clerk_tui.screens.kit import Field
    from clerk_tui.screens.kit.prompt import Prompt

    lic = screen.license
    assert lic is not None
    db, actor = screen.session.db, screen.session.actor

    class ContactPrompt(Prompt):
        def answer(self, values: dict[str, str]) -> dict[str, str]:
            return values

    prompt = ContactPrompt(f"Contact for license {lic.number}", [
        Field("phone", "Phone", lic.phone, "Phone", 24),
        Field("email", "Email", lic.email, "Email", 80),
        Field("mailing", "Mailing", lic.mailing_address, "Mailing address (blank = location)",
              160),
    ], name="contact")

    def answered(v: Any) -> None:
        if not v:
            return
        screen._run(lambda: records.update_contact(db, actor, lic.number, phone=v["phone"],
                                                   email=v["email"],
                                                   mailing_address=v["mailing"]),
                    "change the contact", lambda new: screen.show_license(new, "Saved."))

    screen.app.push_screen(prompt, answered)
