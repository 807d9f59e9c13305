"""Adjustments and assistance at the account: adjust a bill (J), take an assistance
application (I), record a medical certification (K) — from the account screen's `A` menu — and
the assistance approvals queue (V) on the utility desk for CSR III and up.

Each dialog gathers what the domain needs and hands it over; the domain computes the default
amount, checks the rule and the clerk's limit, and has the last word. Over the clerk's limit the
app's supervisor-override modal appears at the point of posting; Esc anywhere posts nothing.
Everything the public typed (names, notes) is shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain import accounts, clock
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, format_plain, parse_money
from clerk_tui.domain.utility import adjustments as adj
from clerk_tui.domain.utility import assistance as aid
from clerk_tui.screens.kit import (
    Action,
    Field,
    KitAsks,
    KitModal,
    ListAndAct,
    Picker,
    Refused,
    Row,
)
from clerk_tui.screens.prompts import ReasonPicker, TextPrompt
from clerk_tui.screens.utility.common import OnSession
from clerk_tui.screens.utility.service import DeskForm
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join

if TYPE_CHECKING:
    from clerk_tui.db import Database

SERVICE_LABELS = {"water": "Water", "sewer": "Sewer", "refuse": "Refuse (garbage)"}


def _account_title(db: Database, account_id: int) -> str:
    try:
        a = accounts.get_account(db, account_id)
    except ClerkError:
        return f"account {account_id}"
    return f"{a.display_number}  {a.customer_name}"


class AccountDialog(KitAsks, OnSession, KitModal[Any]):
    """A dialog about one account: Esc cancels (asking first when something was typed, never
    while a posting runs); domain work through the session (`work`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="utility.dialog.cancel"),
    ]

    def __init__(self, account_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.account_id = account_id

    def action_cancel(self) -> None:
        if not self.busy:
            self.leave_or_ask(lambda: self.dismiss(None))


# ---- adjust a bill ---------------------------------------------------------------------------
class AdjustBillScreen(AccountDialog):
    """Reason -> bill -> (service, credit/charge, months) -> amount and note -> post.

    The pickers come first as their own small modals; Esc on any of them closes this dialog
    with nothing posted. The form shows the rule's explanation and its default amount (typing
    replaces it); Enter in the note field posts.
    """

    AUTO_FOCUS = ""

    def __init__(self, account_id: int) -> None:
        super().__init__(account_id)
        self.rule: adj.ReasonRule | None = None
        self.bill_id: int | None = None
        self.service: str | None = None
        self.direction = adj.CREDIT
        self.months: int | None = None
        self.proposal: adj.Proposal | None = None
        self.bill_dates: dict[int, str] = {}

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
        # The account and the rules file are read through the session, off the UI thread.
        db, account_id = self.session.db, self.account_id
        self.work(lambda: (_account_title(db, account_id), adj.rules().in_force()),
                  then=self._start)

    def _start(self, loaded: tuple[str, list[adj.ReasonRule]]) -> None:
        title, reasons = loaded
        self.query_one("#adjust-title", LiteralLabel).set_value(
            f"Adjust a bill: {title}", "bold")
        self.app.push_screen(
            ReasonPicker("Adjustment reason", {r.code: f" {r.label}" for r in reasons}),
            self._reason_picked)

    # ---- the pickers ----------------------------------------------------------------------
    def _reason_picked(self, code: str | None) -> None:
        if code is None:
            self.dismiss(None)
            return
        db, account_id = self.session.db, self.account_id
        self.work(lambda: (adj.rules().rule(code), adj.bills_to_adjust(db, account_id)),
                  then=self._bills_read)

    def _bills_read(self, loaded: tuple[adj.ReasonRule, list[Any]]) -> None:
        self.rule, bills = loaded
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
        self.app.push_screen(Picker(f"{self.rule.label}: which bill?", choices, empty=empty),
                             self._bill_picked)

    def _bill_picked(self, key: str | None) -> None:
        if key is None:
            self.dismiss(None)
            return
        self.bill_id = None if key == "none" else int(key)
        assert self.rule is not None
        if self.rule.method == "billing_error":
            self.app.push_screen(
                Picker("Which service was billed wrong?",
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
            Picker("Credit or charge?", [
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
        self.work(partial(adj.propose, self.session.db, self.account_id, self.rule.code,
                          bill_id=self.bill_id, service=self.service, months=self.months),
                  then=self._proposed, refused=self._cannot)

    def _cannot(self, refused: Refused) -> None:
        """The domain refused the proposal (its message is shown): nothing to type."""
        self.query_one("#adjust-explain", LiteralLabel).set_value(
            "This adjustment cannot be made. Esc = back.")
        self.query_one("#adjust-amount", Input).disabled = True
        self.query_one("#adjust-note", Input).disabled = True

    def _proposed(self, p: adj.Proposal) -> None:
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

    def _say(self, message: str, style: str = "") -> None:
        self.query_one("#adjust-message", LiteralLabel).set_value(message, style)

# ---- assistance application ------------------------------------------------------------------
class AssistanceScreen(AccountDialog):
    """What is on file, and a new application: programme, household size, income, note."""

    AUTO_FOCUS = "#aid-program"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="aid-box"):
            yield LiteralLabel("Assistance", style="bold", id="aid-title")
            yield LiteralLabel("On file: …", id="aid-on-file")
            yield OptionList(id="aid-program")
            yield ClerkInput(placeholder="Household size (people)", max_length=2,
                             restrict=r"[0-9]*", id="aid-household")
            yield ClerkInput(placeholder="Annual household income, e.g. 32000", max_length=20,
                             id="aid-income")
            yield ClerkInput(placeholder="Note (optional)", max_length=aid.NOTE_MAX,
                             id="aid-note")
            yield LiteralLabel("", id="aid-message", classes="message")
            yield LiteralLabel("Enter = next / take application    Esc = cancel",
                               style="dim")

    def on_mount(self) -> None:
        # The account, its applications and the programmes file are read off the UI thread.
        db, account_id = self.session.db, self.account_id
        self.work(lambda: (_account_title(db, account_id), aid.rules().in_force(),
                           aid.enrollments(db, account_id)[:3]), then=self._loaded)

    def _loaded(self, loaded: tuple[str, list[Any], list[aid.Enrollment]]) -> None:
        title, programs, on_file = loaded
        self.query_one("#aid-title", LiteralLabel).set_value(f"Assistance: {title}", "bold")
        lines = [f"{e.program_label}: {e.status}"
                 + (f" until {e.expires_on}" if e.status == "approved" else "")
                 + f" (applied {e.applied_on})" for e in on_file]
        self.query_one("#aid-on-file", LiteralLabel).set_value(
            "On file: " + ("; ".join(lines) if lines else "nothing"))
        options = self.query_one("#aid-program", OptionList)
        options.add_options([Option(join(p.label), id=p.code) for p in programs])
        if programs:
            options.highlighted = 0

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
        self.work(partial(aid.take, self.session.db, self.session.actor, self.account_id, code,
                          household_size=self.query_one("#aid-household", Input).value,
                          annual_income=self.query_one("#aid-income", Input).value,
                          note=self.query_one("#aid-note", Input).value),
                  then=self._taken)

    def _taken(self, e: aid.Enrollment) -> None:
        over = (f" Income is over the {format_money(e.income_limit_cents)} limit for "
                f"{e.household_size}." if e.over_limit else "")
        self.app.notify(f"{e.program_label} application taken: waiting for a CSR III's "
                        f"approval.{over}", markup=False)
        self.dismiss(None)

    def _say(self, message: str, style: str = "") -> None:
        self.query_one("#aid-message", LiteralLabel).set_value(message, style)

# ---- medical certification -------------------------------------------------------------------
class MedicalCertificationScreen(DeskForm):
    """Record a medical certification received (keeps the account off the shutoff list)."""

    close_when_done = True

    def __init__(self, account_id: int) -> None:
        super().__init__("Medical certification", [
            Field("received", "Received on", clock.today().isoformat(), "YYYY-MM-DD", 10),
            Field("expires", "Expires on", "", "YYYY-MM-DD (blank = the rule's days)", 10),
            Field("note", "Note", "", "Doctor, equipment", aid.NOTE_MAX),
        ], what="record a medical certification", account_id=account_id)

    def heading_text(self) -> list[str]:
        assert self.account_id is not None
        current = aid.current_certification(self.session.db, self.account_id)
        days = aid.rules().medical.valid_days
        return [_account_title(self.session.db, self.account_id),
                (f"On file: received {current.received_on}, good until {current.expires_on}"
                 if current else "On file: none") + f". Blank expiry = {days} days."]

    def send(self, v: dict[str, str], override: object = None) -> aid.MedicalCertification:
        assert self.account_id is not None
        return aid.record_certification(self.session.db, self.session.actor, self.account_id,
                                        received_on=v["received"],
                                        expires_on=v["expires"] or None, note=v["note"])

    def tell(self, cert: aid.MedicalCertification) -> str:
        return f"Medical certification recorded: good until {cert.expires_on}."


# ---- the approvals queue (desk) --------------------------------------------------------------
@dataclass(frozen=True)
class _OverLimit:
    """Approving was refused as over the income limit: the approver may confirm."""

    enrollment_id: int
    warning: str


class AssistanceQueueScreen(OnSession, ListAndAct):
    """Pending applications, oldest first: A approves, D denies (with a reason), Esc back.
    The line under the table tells the highlighted application's limit, taker and note."""

    what = "decide an assistance application"

    def __init__(self) -> None:
        self.pending: dict[int, aid.Enrollment] = {}
        super().__init__("Assistance approvals",
                         ["Applied", "Account", "Customer", "Program", "HH", "Income", ""],
                         self._load, [
            Action("a", "Approve", work=self._approve, said=self._approved),
            Action("d", "Deny", prompt=lambda _id: TextPrompt(
                "Why is it denied? (the customer is told)",
                check=lambda t: None if t.strip() else "Say why."), work=self._deny),
        ], heading="Pending assistance applications (oldest first)",
            empty="No applications are waiting.")

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield widget
            if widget.id == "kit-table":
                yield LiteralLabel("", id="queue-detail", classes="kit-hint")

    def _load(self) -> list[Row]:
        found = aid.pending(self.session.db)
        self.pending = {e.id: e for e in found}
        return [Row(e.id, (e.applied_on, e.account_number, e.customer_name, e.program,
                           str(e.household_size), format_money(e.annual_income_cents),
                           "OVER" if e.over_limit else "")) for e in found]

    def _fill(self, rows: list[Row]) -> None:
        super()._fill(rows)
        self._detail()

    @on(DataTable.RowHighlighted, "#kit-table")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        row = self.current()
        e = self.pending.get(row.key) if row is not None else None
        self.query_one("#queue-detail", LiteralLabel).set_value(
            "" if e is None else
            f"{e.program_label}: limit {format_money(e.income_limit_cents)} for "
            f"{e.household_size}; taken by {e.taken_by}. Note: {e.note or '-'}")

    def _approve(self, enrollment_id: int) -> aid.Enrollment | _OverLimit:
        try:
            return aid.approve(self.session.db, self.session.actor, enrollment_id)
        except aid.OverIncomeLimit as warn:
            return _OverLimit(enrollment_id, str(warn))

    def _approved(self, result: aid.Enrollment | _OverLimit) -> str:
        if isinstance(result, _OverLimit):
            return result.warning
        return f"Approved: {result.customer_name}, {result.program_label}."

    def _did(self, action: Action, result: object) -> None:
        super()._did(action, result)
        if isinstance(result, _OverLimit):
            self._over_limit(result)

    def _over_limit(self, over: _OverLimit) -> None:
        """Approve anyway? Then why (kept with the enrolment); Esc at either: not approved."""
        db, actor, eid = self.session.db, self.session.actor, over.enrollment_id

        def why(text: str | None) -> None:
            if text is None:
                self._say("Not approved.")
                return
            self.work(partial(aid.approve, db, actor, eid, accept_over_limit=True, note=text),
                      then=lambda e: self.action_reload(
                          f"Approved over the limit: {e.customer_name}."))

        def confirmed(yes: bool) -> None:
            if not yes:
                self._say("Not approved.")
                return
            self.app.push_screen(TextPrompt("Why approve over the income limit?",
                                            check=lambda t: None if t.strip() else
                                            "Say why (kept with the enrolment)."), why)

        self.ask(over.warning, confirmed, yes="Approve anyway", no="Back")

    def _deny(self, enrollment_id: int, reason: str) -> str:
        e = aid.deny(self.session.db, self.session.actor, enrollment_id, reason=reason)
        return f"Denied: {e.customer_name}, {e.program_label}."
