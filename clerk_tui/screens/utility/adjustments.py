"""Adjustments and assistance at the account: adjust a bill (J), take an assistance
application (I), record a medical certification (K) — from the account screen's `A` menu — and
the assistance approvals queue (V) on the utility desk for CSR III and up.

Each dialog gathers what the domain needs and hands it over; the domain computes the default
amount, checks the rule and the clerk's limit, and has the last word. Over the clerk's limit the
app's supervisor-override modal appears at the point of posting; Esc anywhere posts nothing.
Everything the public typed (names, notes) is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain import accounts, clock
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, format_plain, parse_money
from clerk_tui.domain.utility import adjustments as adj
from clerk_tui.domain.utility import assistance as aid
from clerk_tui.screens.base import AsksBeforeDiscarding, ClerkScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.prompts import ReasonPicker, TextPrompt
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join

if TYPE_CHECKING:
    from clerk_tui.db import Database

SERVICE_LABELS = {"water": "Water", "sewer": "Sewer", "refuse": "Refuse (garbage)"}


class PickList(ModalScreen["str | None"]):
    """Pick one line (Up/Down + Enter); Esc cancels. Lines are shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picklist.cancel"),
    ]
    AUTO_FOCUS = "#pick-list"

    def __init__(self, title: str, choices: list[tuple[str, str]], empty: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.choices = choices
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick-box"):
            yield LiteralLabel(self.heading, style="bold", id="pick-title")
            if self.choices:
                yield OptionList(*[Option(join(text), id=key) for key, text in self.choices],
                                 id="pick-list")
            else:
                yield LiteralLabel(self.empty or "Nothing to pick.", id="pick-list")
            yield LiteralLabel("Up/Down, Enter = pick    Esc = cancel (nothing changes)",
                               style="dim")

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _account_title(db: Database, account_id: int) -> str:
    try:
        a = accounts.get_account(db, account_id)
    except ClerkError:
        return f"account {account_id}"
    return f"{a.display_number}  {a.customer_name}"


# ---- adjust a bill ---------------------------------------------------------------------------
class AdjustBillScreen(AsksBeforeDiscarding, ModalScreen["adj.Adjustment | None"]):
    """Reason -> bill -> (service, credit/charge, months) -> amount and note -> post.

    The pickers come first as their own small modals; Esc on any of them closes this dialog
    with nothing posted. The form shows the rule's explanation and its default amount (typing
    replaces it); Enter in the note field posts.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="adjust.cancel"),
    ]
    AUTO_FOCUS = ""

    def __init__(self, account_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.account_id = account_id
        self.rule: adj.ReasonRule | None = None
        self.bill_id: int | None = None
        self.service: str | None = None
        self.direction = adj.CREDIT
        self.months: int | None = None
        self.proposal: adj.Proposal | None = None
        self.bill_dates: dict[int, str] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="adjust-box"):
            yield LiteralLabel("Adjust a bill", style="bold", id="adjust-title")
            yield LiteralLabel("", id="adjust-what")
            yield LiteralLabel("", id="adjust-explain")
            yield ClerkInput(placeholder="Amount, e.g. 40.00", max_length=20,
                             select_on_focus=True, id="adjust-amount")
            yield ClerkInput(placeholder="Note (why)", max_length=adj.NOTE_MAX,
                             id="adjust-note")
            yield LiteralLabel("", id="adjust-message", classes="message")
            yield LiteralLabel("Enter = next / post    Esc = cancel (nothing is posted)",
                               style="dim", id="adjust-keys")

    def on_mount(self) -> None:
        self.query_one("#adjust-title", LiteralLabel).set_value(
            f"Adjust a bill: {_account_title(self.session.db, self.account_id)}", "bold")
        try:
            reasons = adj.rules().in_force()
        except ClerkError as e:
            self._say(str(e))
            return
        self.app.push_screen(
            ReasonPicker("Adjustment reason", {r.code: f" {r.label}" for r in reasons}),
            self._reason_picked)

    # ---- the pickers ----------------------------------------------------------------------
    def _reason_picked(self, code: str | None) -> None:
        if code is None:
            self.dismiss(None)
            return
        try:
            self.rule = adj.rules().rule(code)
            bills = adj.bills_to_adjust(self.session.db, self.account_id)
        except ClerkError as e:
            self._say(str(e))
            return
        method = self.rule.method
        if method == "late_fee":
            bills = [b for b in bills if b.late_fee_cents]
        self.bill_dates = {b.bill_id: b.bill_date for b in bills}
        choices = []
        if method == "billing_error":
            choices.append(("none", "No particular bill (the account)"))
        for b in bills:
            fee = (f"  late fee {format_money(b.late_fee_cents)}" if b.late_fee_cents else "")
            choices.append((str(b.bill_id), f"{b.bill_date}  {b.consumption:>4} HCF  "
                                            f"{format_money(b.amount_cents):>11}{fee}"))
        empty = ("No bill on this account has a late fee to reverse." if method == "late_fee"
                 else "This account has no bills to adjust.")
        self.app.push_screen(PickList(f"{self.rule.label}: which bill?", choices, empty),
                             self._bill_picked)

    def _bill_picked(self, key: str | None) -> None:
        if key is None:
            self.dismiss(None)
            return
        self.bill_id = None if key == "none" else int(key)
        assert self.rule is not None
        if self.rule.method == "billing_error":
            self.app.push_screen(
                PickList("Which service was billed wrong?",
                         [(s, SERVICE_LABELS.get(s, s)) for s in self.rule.services]),
                self._service_picked)
        elif self.rule.method == "vacation_refuse":
            top = self.rule.max_months

            def check(text: str) -> str | None:
                ok = text.strip().isascii() and text.strip().isdigit()
                return None if ok and 1 <= int(text) <= top else f"Type 1 to {top}."

            self.app.push_screen(TextPrompt(f"Months away (1 to {top})", max_length=2,
                                            check=check), self._months_typed)
        else:
            self._propose()

    def _service_picked(self, service: str | None) -> None:
        if service is None:
            self.dismiss(None)
            return
        self.service = service
        self.app.push_screen(
            PickList("Credit or charge?", [
                (adj.CREDIT, "Credit: the customer owes less"),
                (adj.CHARGE, "Charge: the customer owes more")]),
            self._direction_picked)

    def _direction_picked(self, direction: str | None) -> None:
        if direction is None:
            self.dismiss(None)
            return
        self.direction = direction
        self._propose()

    def _months_typed(self, text: str | None) -> None:
        if text is None:
            self.dismiss(None)
            return
        self.months = int(text.strip())
        self._propose()

    def _propose(self) -> None:
        assert self.rule is not None
        try:
            p = adj.propose(self.session.db, self.account_id, self.rule.code,
                            bill_id=self.bill_id, service=self.service, months=self.months)
        except ClerkError as e:
            self._say(str(e))
            self.query_one("#adjust-explain", LiteralLabel).set_value(
                "This adjustment cannot be made. Esc = back.")
            self.query_one("#adjust-amount", Input).disabled = True
            self.query_one("#adjust-note", Input).disabled = True
            return
        self.proposal = p
        where = ("the account" if p.bill_id is None
                 else f"bill of {self.bill_dates.get(p.bill_id, p.bill_id)}")
        sign = "charge" if self.direction == adj.CHARGE else "credit"
        what = join(("Reason: ", "dim"), p.reason.code, "  ", p.reason.label)
        what.append("\n")
        what.append_text(join(("On: ", "dim"), where, ("   Service: ", "dim"), p.service,
                              "   ", (sign.upper(), "bold")))
        self.query_one("#adjust-what", LiteralLabel).set_text(what)
        self.query_one("#adjust-explain", LiteralLabel).set_value(p.explanation)
        amount = self.query_one("#adjust-amount", Input)
        if p.amount_cents is not None:
            amount.value = format_plain(p.amount_cents)
        if p.reason.method == "late_fee":
            amount.disabled = True
            self.query_one("#adjust-note", Input).focus()
        else:
            amount.focus()
        if p.reason.note_required:
            self.query_one("#adjust-note", Input).placeholder = "Note (why) - required"

    # ---- the form ------------------------------------------------------------------------
    @on(Input.Submitted, "#adjust-amount")
    def _amount_done(self) -> None:
        try:
            parse_money(self.query_one("#adjust-amount", Input).value, allow_zero=False)
        except ClerkError as e:
            self._say(str(e))
            return
        self._say("")
        self.query_one("#adjust-note", Input).focus()

    @on(Input.Submitted, "#adjust-note")
    def _note_done(self) -> None:
        if self.proposal is None or self.busy:
            return
        p = self.proposal
        text = self.query_one("#adjust-amount", Input).value
        try:
            cents = parse_money(text, allow_zero=False) if text.strip() else p.amount_cents
        except ClerkError as e:
            self._say(str(e))
            self.query_one("#adjust-amount", Input).focus()
            return
        if cents is None:
            self._say("Type the amount.")
            self.query_one("#adjust-amount", Input).focus()
            return
        note = self.query_one("#adjust-note", Input).value
        fn = partial(adj.adjust, self.session.db, self.session.actor, self.account_id, p.reason.code,
                     amount=cents, direction=self.direction, bill_id=p.bill_id,
                     service=self.service, months=self.months, note=note)
        self.busy = True
        self._say("Posting…")
        what = f"adjust a bill: {p.reason.label}, {format_money(cents)}"
        self.session.run(fn, what=what, on_done=self._posted, on_error=self._refused,
                         screen=self)

    def _posted(self, result: adj.Adjustment | None) -> None:
        self.busy = False
        if not self.is_attached:
            return
        if result is None:
            self._say("Not posted: it needs a supervisor's approval.")
            return
        verb = "Credit" if result.amount_cents < 0 else "Charge"
        by = f" (approved by {result.override_by})" if result.override_by else ""
        self.app.notify(f"{verb} of {format_money(abs(result.amount_cents))} posted{by}. "
                        f"Balance now {format_money(result.balance_after_cents or 0)}.",
                        markup=False)
        self.dismiss(result)

    def _refused(self, error: ClerkError) -> None:
        self.busy = False
        if self.is_attached:
            self._say(str(error))

    def _say(self, message: str) -> None:
        self.query_one("#adjust-message", LiteralLabel).set_value(message)

    def action_cancel(self) -> None:
        if not self.busy:
            self.leave_or_ask(lambda: self.dismiss(None))


# ---- assistance application ------------------------------------------------------------------
class AssistanceScreen(AsksBeforeDiscarding, ModalScreen[None]):
    """What is on file, and a new application: programme, household size, income, note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="assistance.cancel"),
    ]
    AUTO_FOCUS = "#aid-program"

    def __init__(self, account_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        try:
            programs = aid.rules().in_force()
            on_file = aid.enrollments(self.session.db, self.account_id)[:3]
        except ClerkError as e:
            programs, on_file = [], []
            problem = str(e)
        else:
            problem = ""
        with Vertical(classes="dialog", id="aid-box"):
            yield LiteralLabel(f"Assistance: {_account_title(self.session.db, self.account_id)}",
                               style="bold", id="aid-title")
            lines = [f"{e.program_label}: {e.status}"
                     + (f" until {e.expires_on}" if e.status == "approved" else "")
                     + f" (applied {e.applied_on})" for e in on_file]
            yield LiteralLabel("On file: " + ("; ".join(lines) if lines else "nothing"),
                               id="aid-on-file")
            yield OptionList(*[Option(join(p.label), id=p.code) for p in programs],
                             id="aid-program")
            yield ClerkInput(placeholder="Household size (people)", max_length=2,
                             restrict=r"[0-9]*", id="aid-household")
            yield ClerkInput(placeholder="Annual household income, e.g. 32000", max_length=20,
                             id="aid-income")
            yield ClerkInput(placeholder="Note (optional)", max_length=aid.NOTE_MAX,
                             id="aid-note")
            yield LiteralLabel(problem, id="aid-message", classes="message")
            yield LiteralLabel("Enter = next / take application    Esc = cancel",
                               style="dim")

    @on(OptionList.OptionSelected, "#aid-program")
    def _program(self) -> None:
        self.query_one("#aid-household", Input).focus()

    @on(Input.Submitted, "#aid-household")
    def _household(self) -> None:
        self.query_one("#aid-income", Input).focus()

    @on(Input.Submitted, "#aid-income")
    def _income(self) -> None:
        self.query_one("#aid-note", Input).focus()

    @on(Input.Submitted, "#aid-note")
    def _take(self) -> None:
        programs = self.query_one("#aid-program", OptionList)
        index = programs.highlighted
        if index is None:
            self._say("Pick the programme (Up/Down, Enter).")
            programs.focus()
            return
        code = programs.get_option_at_index(index).id or ""
        try:
            e = aid.take(self.session.db, self.session.actor, self.account_id, code,
                         household_size=self.query_one("#aid-household", Input).value,
                         annual_income=self.query_one("#aid-income", Input).value,
                         note=self.query_one("#aid-note", Input).value)
        except ClerkError as err:
            self._say(str(err))
            return
        over = (f" Income is over the {format_money(e.income_limit_cents)} limit for "
                f"{e.household_size}." if e.over_limit else "")
        self.app.notify(f"{e.program_label} application taken: waiting for a CSR III's "
                        f"approval.{over}", markup=False)
        self.dismiss(None)

    def _say(self, message: str) -> None:
        self.query_one("#aid-message", LiteralLabel).set_value(message)

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))


# ---- medical certification -------------------------------------------------------------------
class MedicalCertificationScreen(AsksBeforeDiscarding, ModalScreen[None]):
    """Record a medical certification received (keeps the account off the shutoff list)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="medical.cancel"),
    ]
    AUTO_FOCUS = "#med-received"

    def __init__(self, account_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        try:
            current = aid.current_certification(self.session.db, self.account_id)
            days = aid.rules().medical.valid_days
        except ClerkError:
            current, days = None, 180
        with Vertical(classes="dialog", id="med-box"):
            yield LiteralLabel(f"Medical certification: {_account_title(self.session.db, self.account_id)}",
                               style="bold", id="med-title")
            yield LiteralLabel(
                f"On file: received {current.received_on}, good until {current.expires_on}"
                if current else "On file: none", id="med-on-file")
            yield ClerkInput(clock.today().isoformat(), placeholder="Received on (YYYY-MM-DD)",
                             max_length=10, select_on_focus=True, id="med-received")
            yield ClerkInput(placeholder=f"Expires on (blank = {days} days)", max_length=10,
                             id="med-expires")
            yield ClerkInput(placeholder="Note (doctor, equipment)", max_length=aid.NOTE_MAX,
                             id="med-note")
            yield LiteralLabel("", id="med-message", classes="message")
            yield LiteralLabel("Enter = next / record    Esc = cancel (nothing changes)",
                               style="dim")

    @on(Input.Submitted, "#med-received")
    def _received(self) -> None:
        self.query_one("#med-expires", Input).focus()

    @on(Input.Submitted, "#med-expires")
    def _expires(self) -> None:
        self.query_one("#med-note", Input).focus()

    @on(Input.Submitted, "#med-note")
    def _record(self) -> None:
        try:
            cert = aid.record_certification(
                self.session.db, self.session.actor, self.account_id,
                received_on=self.query_one("#med-received", Input).value,
                expires_on=self.query_one("#med-expires", Input).value.strip() or None,
                note=self.query_one("#med-note", Input).value)
        except ClerkError as e:
            self.query_one("#med-message", LiteralLabel).set_value(str(e))
            return
        self.app.notify(f"Medical certification recorded: good until {cert.expires_on}.",
                        markup=False)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))


# ---- the approvals queue (desk) --------------------------------------------------------------
class AssistanceQueueScreen(ClerkScreen):
    """Pending applications, oldest first: A approves, D denies (with a reason), Esc back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", id="aid_queue.approve"),
        Binding("d", "deny", "Deny", id="aid_queue.deny"),
        Binding("escape", "back", "Back", id="aid_queue.back"),
    ]
    AUTO_FOCUS = "#queue-table"
    CSS_PATH = "../cashier.tcss"

    def __init__(self) -> None:
        super().__init__(id="assistance-queue")
        self.title = "Assistance approvals"
        self.rows: list[aid.Enrollment] = []

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Pending assistance applications (oldest first)", style="bold")
        yield DataTable(id="queue-table", cursor_type="row", show_row_labels=False)
        yield LiteralLabel("", id="queue-detail")
        yield LiteralLabel("", id="queue-message", classes="message")

    def on_mount(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        for name, width in (("Applied", 10), ("Account", 9), ("Customer", 16), ("Program", 8),
                            ("HH", 2), ("Income", 11), ("", 4)):
            table.add_column(name, width=width)
        self.load()

    def load(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        table.clear()
        try:
            self.rows = aid.pending(self.session.db)
        except ClerkError as e:
            self._say(str(e))
            return
        for e in self.rows:
            table.add_row(e.applied_on, e.account_number, join(e.customer_name), e.program,
                          str(e.household_size), format_money(e.annual_income_cents),
                          "OVER" if e.over_limit else "", key=str(e.id), height=None)
        if not self.rows:
            self.query_one("#queue-detail", LiteralLabel).set_value(
                "No applications are waiting.")
        else:
            self._detail(0)

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        e = self.rows[index]
        self.query_one("#queue-detail", LiteralLabel).set_value(
            f"{e.program_label}: limit {format_money(e.income_limit_cents)} for "
            f"{e.household_size}; taken by {e.taken_by}. Note: {e.note or '-'}")

    def _current(self) -> aid.Enrollment | None:
        index = self.query_one("#queue-table", DataTable).cursor_row
        if not self.rows or not 0 <= index < len(self.rows):
            self._say("Nothing to decide.")
            return None
        return self.rows[index]

    def _do(self, call: Callable[[], aid.Enrollment], done: str) -> bool:
        try:
            call()
        except ClerkError as e:
            self._say(str(e))
            return False
        self._say(done)
        self.load()
        return True

    def action_approve(self) -> None:
        e = self._current()
        if e is None:
            return
        app = self.clerk_app
        try:
            aid.approve(self.session.db, self.session.actor, e.id)
        except aid.OverIncomeLimit as warn:
            def confirmed(yes: bool | None) -> None:
                if not yes:
                    self._say("Not approved.")
                    return

                def why(text: str | None) -> None:
                    if text is None:
                        self._say("Not approved.")
                        return
                    self._do(lambda: aid.approve(self.session.db, self.session.actor, e.id,
                                                 accept_over_limit=True, note=text),
                             f"Approved over the limit: {e.customer_name}.")

                app.push_screen(TextPrompt("Why approve over the income limit?",
                                           check=lambda t: None if t.strip() else
                                           "Say why (kept with the enrolment)."), why)

            app.push_screen(ConfirmScreen(str(warn), yes="Approve anyway", no="Back"),
                            confirmed)
            return
        except ClerkError as err:
            self._say(str(err))
            return
        self._say(f"Approved: {e.customer_name}, {e.program_label}.")
        self.load()

    def action_deny(self) -> None:
        e = self._current()
        if e is None:
            return
        app = self.clerk_app

        def reason(text: str | None) -> None:
            if text is None:
                return
            self._do(lambda: aid.deny(self.session.db, self.session.actor, e.id, reason=text),
                     f"Denied: {e.customer_name}, {e.program_label}.")

        app.push_screen(TextPrompt("Why is it denied? (the customer is told)",
                                   check=lambda t: None if t.strip() else "Say why."), reason)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _say(self, message: str) -> None:
        self.query_one("#queue-message", LiteralLabel).set_value(message)
