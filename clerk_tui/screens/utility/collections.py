"""Collections at the counter: payment plans, extensions, letters and restoring service (account
`A` menu: P, X, E, S), and the office's runs (utility desk F11: D notices, S shutoff list,
R collection referrals).

Every screen here is a thin layer over `domain/utility/`: the domain decides (SB 998 rules,
limits, what is eligible), the screen shows its answer literally and asks before anything is
written. Esc before the confirmation changes nothing. Runs show their result as a report
(`ReportScreen`: P prints it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain import clock
from clerk_tui.domain.accounts import Account, get_account
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.domain.utility import delinquency, letters, plans, referrals
from clerk_tui.paths import data_home
from clerk_tui.screens.kit import KitAsks, KitModal, print_message
from clerk_tui.screens.utility.common import DeskReport, OnSession
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join
from clerk_tui.widgets.statusbar import StatusBar

CSS = """
CollectionsScreen .c-title { padding: 0 1; height: 1; text-style: bold; }
CollectionsScreen .c-line { padding: 0 1; height: auto; }
CollectionsScreen .c-row { height: 3; margin: 0 1; }
CollectionsScreen .c-label { width: 16; padding: 1 1 0 0; text-style: bold; }
CollectionsScreen .c-input { width: 24; }
CollectionsScreen #c-list { height: 1fr; max-height: 14; margin: 0 1; }
CollectionsScreen #c-message, CollectionsScreen .c-hint { padding: 0 1; }
"""


def letters_folder() -> str:
    """Where saved letters go (one file per letter, named by its number)."""
    return str(data_home() / "letters")


def referrals_folder() -> str:
    return str(data_home() / "referrals")


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ClerkError(f"{field}: type a date as YYYY-MM-DD.") from None


class CollectionsScreen(KitAsks, OnSession, KitModal[None]):
    """Common frame: status bar, title, account line, message, footer; Esc goes back.

    What the screen shows is read through the session's `run` (off the UI thread): the
    account and its standing, and whatever `read()` adds; `loaded(extra)` puts it on screen.
    `reload(say)` reads again after a change and then says `say`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="collections.back"),
    ]
    DEFAULT_CSS = CSS
    heading = ""

    def __init__(self, account_id: int) -> None:
        super().__init__(classes="kit-opaque")
        self.account_id = account_id
        self.account: Account | None = None
        self.title = self.heading
        self.what = self.heading.lower()

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield LiteralLabel(self.heading, classes="c-title")
        yield LiteralLabel("", id="c-account", classes="c-line")
        yield LiteralLabel("", id="c-balance", classes="c-line")
        yield from self.compose_body()
        yield LiteralLabel("", id="kit-message", classes="kit-message")
        yield ClerkFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.reload()

    def reload(self, then_say: str = "") -> None:
        self.work(self._read_all, then=lambda data: self._fill(data, then_say))

    def _read_all(self) -> tuple[Account, delinquency.Standing, object]:
        db = self.session.db
        return (get_account(db, self.account_id), delinquency.standing_of(db, self.account_id),
                self.read())

    def read(self) -> object:
        """What else the screen shows (off the UI thread)."""
        return None

    def _fill(self, data: tuple[Account, delinquency.Standing, object], then_say: str) -> None:
        a, st, extra = data
        self.account = a
        self.query_one("#c-account", LiteralLabel).set_text(join(
            (f"{a.display_number}  ", "bold"), a.customer_name[:28], "  ",
            a.service_address[:30]))
        self.query_one("#c-balance", LiteralLabel).set_text(join(
            (f"Balance {format_money(st.balance_cents)}", "bold"),
            f"   past due {format_money(st.past_due_cents)}"
            + (f" ({st.days_past_due} days)" if st.days_past_due else "")))
        self.loaded(st, extra)
        if then_say:
            self.say(then_say)

    def loaded(self, standing: delinquency.Standing, extra: Any) -> None:
        """The account is on screen: fill the rest (UI thread, no SQL)."""

    def say(self, message: str) -> None:
        self._say(message)

    def action_back(self) -> None:
        if not self.busy:
            self.leave_or_ask(lambda: self.dismiss(None))


# ---- payment plan and extension ------------------------------------------------------------------
@dataclass(frozen=True)
class _PlanState:
    current: plans.Plan | None
    standing: plans.Standing | None
    limit: int
    max_installments: int


class PlanScreen(CollectionsScreen):
    """Amount (Enter = the balance), installments and first due date; or an extension's date."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "go", "Post", key_display="^Y", id="plan.go"),
        Binding("ctrl+k", "cancel_plan", "Cancel plan", key_display="^K", id="plan.cancel"),
    ]
    AUTO_FOCUS = "#plan-amount"

    def __init__(self, account_id: int, *, extension: bool = False) -> None:
        self.extension = extension
        self.heading = "Extension (pay by a date)" if extension else "Payment plan"
        super().__init__(account_id)
        self.balance = 0
        self.current: plans.Plan | None = None

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="plan-current", classes="c-line")
        with Horizontal(classes="c-row"):
            yield LiteralLabel("Amount", classes="c-label")
            yield ClerkInput(placeholder="Amount", max_length=20, id="plan-amount",
                             classes="c-input")
        if self.extension:
            with Horizontal(classes="c-row"):
                yield LiteralLabel("Pay by", classes="c-label")
                yield ClerkInput(placeholder="YYYY-MM-DD", max_length=10, id="plan-date",
                                 classes="c-input")
        else:
            with Horizontal(classes="c-row"):
                yield LiteralLabel("Installments", classes="c-label")
                yield ClerkInput(placeholder="e.g. 6", max_length=2, id="plan-count",
                                 classes="c-input")
            with Horizontal(classes="c-row"):
                yield LiteralLabel("First due", classes="c-label")
                yield ClerkInput(placeholder=f"Enter = {clock.today().isoformat()}",
                                 max_length=10, id="plan-date", classes="c-input")
        yield LiteralLabel("Enter = next / post    Ctrl+K = cancel the current plan    "
                           "Esc = back", classes="c-hint kit-hint")

    def read(self) -> _PlanState:
        db = self.session.db
        current = plans.active_plan(db, self.account_id)
        actor = self.session.actor
        return _PlanState(current, plans.standing(db, current) if current else None,
                          authority().limit(actor.role, "payment_plan"),
                          plans.plan_rules().max_installments)

    def loaded(self, standing: delinquency.Standing, extra: Any) -> None:
        state: _PlanState = extra
        self.balance = max(0, standing.balance_cents)
        self.query_one("#plan-amount", Input).placeholder = (
            f"Enter = {format_money(self.balance)}" if self.balance else "Amount")
        self.current = state.current
        box = self.query_one("#plan-current", LiteralLabel)
        if self.current is None or state.standing is None:
            box.set_value(f"No active plan. Up to {state.max_installments} installments; "
                          f"your limit {format_money(state.limit)} (above it a supervisor "
                          "approves).")
        else:
            st = state.standing
            nxt = (f"next {format_money(st.next_due.amount_cents)} due {st.next_due.due_on}"
                   if st.next_due else "paid up")
            box.set_value(f"Active {self.current.label.lower()}: "
                          f"{format_money(self.current.amount_cents)} in "
                          f"{len(self.current.installments)}, paid "
                          f"{format_money(st.paid_cents)}, {nxt}. Ctrl+K cancels it.")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(ClerkInput))
        i = fields.index(event.input)
        if i + 1 < len(fields):
            fields[i + 1].focus()
        else:
            self.action_go()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def action_go(self) -> None:
        if self.busy or self.account is None:
            return
        try:
            text = self._value("#plan-amount")
            cents = parse_money(text, allow_zero=False) if text else self.balance
            if cents <= 0:
                raise ClerkError("The account owes nothing: there is nothing to arrange.")
            if self.extension:
                if not self._value("#plan-date"):
                    raise ClerkError("Type the pay-by date (YYYY-MM-DD).")
                pay_by = _date(self._value("#plan-date"), "Pay by")
                fn = partial(plans.create_extension, self.session.db, self.session.actor,
                             self.account_id, amount_cents=cents, pay_by=pay_by)
                question = f"Extension: {format_money(cents)} by {pay_by.isoformat()}?"
            else:
                count_text = self._value("#plan-count")
                if not count_text.isdigit():
                    raise ClerkError("Type the number of installments.")
                count = int(count_text)
                first = (_date(self._value("#plan-date"), "First due")
                         if self._value("#plan-date") else clock.today())
                sched = plans.installment_schedule(cents, max(count, 1), first)
                fn = partial(plans.create_plan, self.session.db, self.session.actor,
                             self.account_id, amount_cents=cents, installments=count,
                             first_due=first)
                question = (f"Plan: {format_money(cents)} in {count} installments of "
                            f"{format_money(sched[0].amount_cents)}"
                            + (f" (last {format_money(sched[-1].amount_cents)})"
                               if sched[-1].amount_cents != sched[0].amount_cents else "")
                            + f" from {first.isoformat()}?")
        except ClerkError as e:
            self.say(str(e))
            return
        self.ask(question, lambda yes: self.work(fn, then=self._done) if yes
                 else self.say("Nothing changed."), yes="Post")

    def _done(self, plan: plans.Plan | None) -> None:
        if plan is None:
            self.say("Not posted: a supervisor's approval is needed. Nothing changed.")
            return
        for field in self.query(ClerkInput):
            field.value = ""
        approved = f" Approved by {plan.override_by}." if plan.override_by else ""
        self.reload(f"{plan.label} {plan.id} posted: {len(plan.installments)} installment(s), "
                    f"last due {plan.installments[-1].due_on}. Agreement letter logged."
                    f"{approved}")

    def action_cancel_plan(self) -> None:
        if self.current is None or self.busy:
            self.say("There is no active plan to cancel.")
            return
        from clerk_tui.screens.prompts import TextPrompt

        plan_id = self.current.id

        def entered(reason: str | None) -> None:
            if not reason:
                self.say("Not cancelled. Nothing changed.")
                return
            self.work(plans.cancel_plan, self.session.db, self.session.actor, plan_id, reason,
                      then=lambda _: self.reload(f"Plan {plan_id} cancelled."))

        self.app.push_screen(TextPrompt("Why is the plan cancelled?", max_length=200), entered)


# ---- letters -----------------------------------------------------------------------------------
GENERATED_HERE = ("reminder", "past_due")
"""Letters a clerk may generate by hand; notices, agreements and refunds come from their runs."""


class LettersScreen(CollectionsScreen):
    """The account's letters, newest first: Enter shows one, G generates, P prints, W saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "generate", "Generate", id="letters.generate"),
        Binding("p", "print", "Print", id="letters.print"),
        Binding("w", "save", "Save", id="letters.save"),
    ]
    AUTO_FOCUS = "#c-list"
    heading = "Letters"

    def __init__(self, account_id: int) -> None:
        super().__init__(account_id)
        self.letters: list[letters.Letter] = []

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="c-list")
        yield LiteralLabel("Enter = read    G = generate    P = print    W = save to a file    "
                           "Esc = back", classes="c-hint kit-hint")

    def read(self) -> list[letters.Letter]:
        return letters.letters_for(self.session.db, self.account_id)

    def loaded(self, standing: delinquency.Standing, extra: Any) -> None:
        self.letters = list(extra)
        box = self.query_one("#c-list", OptionList)
        box.clear_options()
        for ltr in self.letters:
            where = ("printed" if ltr.delivered == "printed" else
                     "saved" if ltr.delivered.startswith("file:") else "to mail")
            box.add_option(Option(join((f"{ltr.generated_at[:10]}  ", "bold"),
                                       f"{ltr.label:<24}{ltr.addressee:<10}{where}"),
                                  id=str(ltr.id)))
        if self.letters:
            box.highlighted = 0
        else:
            self.say("No letters yet. G generates a reminder or past-due letter.")

    def _selected(self) -> letters.Letter | None:
        box = self.query_one("#c-list", OptionList)
        if box.highlighted is None or not self.letters:
            self.say("Pick a letter first (Up/Down).")
            return None
        return self.letters[box.highlighted]

    @on(OptionList.OptionSelected, "#c-list")
    def _open_letter(self, event: OptionList.OptionSelected) -> None:
        ltr = next((x for x in self.letters if str(x.id) == event.option.id), None)
        if ltr is not None:
            self.app.push_screen(DeskReport(f"{ltr.label} {ltr.id}", ltr.body))

    def action_generate(self) -> None:
        from clerk_tui.screens.prompts import ReasonPicker

        kinds = {k: letters.LABELS[k] for k in GENERATED_HERE}
        db, actor, account_id = self.session.db, self.session.actor, self.account_id

        def issue(kind: str) -> letters.Letter:
            st = delinquency.standing_of(db, account_id)
            return letters.issue_letter(db, actor, account_id, kind, context={
                "amount_past_due": format_money(st.past_due_cents),
                "days_past_due": str(st.days_past_due),
                "plan_offer": delinquency.delinquency_rules().plan_offer})

        def picked(kind: str | None) -> None:
            if kind:
                self.work(issue, kind, then=lambda ltr: self.reload(
                    f"{ltr.label} {ltr.id} generated: P prints it, W saves it."))

        self.app.push_screen(ReasonPicker("Generate which letter?", kinds), picked)

    def action_print(self) -> None:
        ltr = self._selected()
        if ltr is None:
            return
        title = f"{ltr.label} {ltr.id}"
        db, actor, station = self.session.db, self.session.actor, self.session.station

        def job() -> str:
            letters.check_not_held(db, ltr.id)  # returned mail (issue 17)
            result = station.print_text(title, ltr.body)
            if result.ok:
                letters.mark_delivered(db, actor, ltr.id, "printed")
            return print_message(title, result)

        self.work(job, then=self.reload)

    def action_save(self) -> None:
        ltr = self._selected()
        if ltr is None:
            return
        db, actor = self.session.db, self.session.actor

        def job() -> str:
            letters.check_not_held(db, ltr.id)  # returned mail (issue 17)
            try:
                path = letters.save_letter(ltr, letters_folder())
            except OSError as e:
                raise ClerkError(f"Not saved: {e}") from e
            letters.mark_delivered(db, actor, ltr.id, f"file:{path}")
            return f"Saved to {path}"

        self.work(job, then=self.reload)


# ---- restore service ---------------------------------------------------------------------------
class RestoreScreen(CollectionsScreen):
    """Shows the fee (low-income cap applied) and raises the restore order on Ctrl+Y/Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "hours", "After hours", key_display="^T", id="restore.hours"),
        Binding("ctrl+y", "go", "Restore", key_display="^Y", id="restore.go"),
    ]
    AUTO_FOCUS = "#restore-note"
    heading = "Restore service after a shutoff"

    def __init__(self, account_id: int) -> None:
        super().__init__(account_id)
        self.after_hours = False
        self.done = False
        self.quote: delinquency.RestoreQuote | None = None

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="restore-fee", classes="c-line")
        with Horizontal(classes="c-row"):
            yield LiteralLabel("Note", classes="c-label")
            yield ClerkInput(placeholder="Optional note for the technician", max_length=200,
                             id="restore-note")
        yield LiteralLabel("Enter = restore    Ctrl+T = regular/after hours    Esc = back",
                           classes="c-hint kit-hint")

    def read(self) -> delinquency.RestoreQuote:
        return delinquency.restore_quote(self.session.db, self.account_id,
                                         after_hours=self.after_hours)

    def loaded(self, standing: delinquency.Standing, extra: Any) -> None:
        q: delinquency.RestoreQuote = extra
        self.quote = q
        hours = "after hours" if self.after_hours else "regular hours"
        cap = " (low-income cap applied)" if q.capped else \
            " (low-income customer)" if q.low_income else ""
        self.query_one("#restore-fee", LiteralLabel).set_text(join(
            ("Reconnection fee ", "bold"), (format_money(q.fee_cents), "bold"),
            f", {hours}{cap}"))
        if q.problem:
            self.say(q.problem)

    def action_hours(self) -> None:
        if not self.done and not self.busy:
            self.after_hours = not self.after_hours
            self.reload()

    @on(Input.Submitted, "#restore-note")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        q = self.quote
        if self.busy or self.done or self.account is None or q is None:
            return
        if q.problem:
            self.say(q.problem)
            return
        note = self.query_one("#restore-note", Input).value
        restore = partial(delinquency.restore_service, self.session.db, self.session.actor,
                          self.account_id, after_hours=self.after_hours, note=note)

        def restored(r: delinquency.Restoration | None) -> None:
            if r is None:
                self.say("Not done: a supervisor's approval is needed. Nothing changed.")
                return
            self.done = True
            self.mark_saved()
            self.say(f"Restore order #{r.order_id} raised; {format_money(r.fee_cents)} "
                     "reconnection fee charged to the account.")

        self.ask(f"Restore service and charge {format_money(q.fee_cents)}?",
                 lambda yes: self.work(restore, then=restored) if yes
                 else self.say("Nothing changed."), yes="Restore")


# ---- desk runs ---------------------------------------------------------------------------------
class RunScreen(OnSession, KitModal[None]):
    """Explains a run, runs it on Enter (through the session's `run`, off the UI thread), then
    shows its report in its place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "run", "Run", id="run.go"),
        Binding("escape", "back", "Back", id="run.back"),
    ]
    WORKING = "Running…"

    def __init__(self, title: str, explain: str, job: Callable[..., str]) -> None:
        super().__init__()
        self.heading = title
        self.what = title.lower()
        self.explain = explain
        self.job = job

    def compose(self) -> ComposeResult:
        with Vertical(classes="kit-dialog", id="run-box"):
            yield LiteralLabel(self.heading, classes="kit-title")
            yield LiteralLabel(self.explain)
            yield LiteralLabel("", id="kit-message", classes="kit-message")
            yield LiteralLabel("Enter = run    Esc = cancel (nothing changes)",
                               classes="kit-hint")

    def action_run(self) -> None:
        if not self.busy:
            self.work(self._job, then=self._show)

    def _job(self) -> str:
        try:
            return self.job(self.session.db, self.session.actor)
        except OSError as e:  # a referral file that cannot be written: said, nothing else
            raise ClerkError(f"Not done: {e.strerror or e}") from e

    def _show(self, text: str | None) -> None:
        if text is not None:
            self.app.switch_screen(DeskReport(self.heading, text))

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)


def _notices_job(db, actor) -> str:  # type: ignore[no-untyped-def]
    return delinquency.format_run(delinquency.run_notices(db, actor))


def _shutoff_job(db, actor) -> str:  # type: ignore[no-untyped-def]
    return delinquency.format_run(delinquency.run_shutoffs(db, actor))


def _referral_job(db, actor) -> str:  # type: ignore[no-untyped-def]
    return referrals.format_batch(referrals.refer_accounts(db, actor, referrals_folder()))


def notices_run() -> RunScreen:
    return RunScreen("Delinquency notices",
                     f"Send today's ({clock.today().isoformat()}) reminders, past-due notices "
                     "and SB 998 shutoff notices (with the Occupant copies). Letters are logged "
                     "on each account.", _notices_job)


def shutoff_run() -> RunScreen:
    return RunScreen("Shutoff list",
                     f"List today's ({clock.today().isoformat()}) shutoffs for nonpayment and "
                     "raise their turn-off orders. Accounts on a payment plan, with a medical "
                     "certification, or whose notice is too recent are left out.", _shutoff_job)


def referral_run() -> RunScreen:
    return RunScreen("Collection referrals",
                     "Refer closed accounts past the balance and age thresholds to the "
                     f"collection agency; the file is written to {referrals_folder()}.",
                     _referral_job)


def open_extension(account_id: int) -> PlanScreen:
    """The `A` menu's "Extension (pay by a date)" (utility manifest)."""
    return PlanScreen(account_id, extension=True)
