"""Drawer (F8): open with a bank, move cash in and out, count blind, and close.

Every action is a line in one list (arrows + Enter) and a letter, so a clerk who knows the
letter never looks at the list. The screen shows the drawer's state and opening bank but
never the expected total: the close is a blind count, and the over/short appears only after
the domain has recorded the count. Supervisor actions (approve, reopen) are in the same list;
the domain refuses them for other roles, and overrides are asked for at the point of action.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier import (
    CloseResult,
    DrawerCount,
    SessionReport,
    approval_note_problem,
    approve_session,
    awaiting_approval,
    begin_balancing,
    current_session,
    format_report,
    list_sessions,
    open_session,
    paid_in,
    paid_out,
    pickup,
    reopen_session,
    submit_count,
    x_report,
    z_report,
)
from clerk_tui.domain.cashier.sessions import SessionView
from clerk_tui.domain.cashier.tenders import LABELS as TENDER_LABELS
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.count import CountScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.prompts import AmountPrompt, ReasonPicker, TextPrompt
from clerk_tui.widgets.literal import LiteralLabel, join, literal

ACTIONS: tuple[tuple[str, str, str], ...] = (
    # (letter, action, what the list says)
    ("o", "open_default", "Open drawer with the standard bank"),
    ("k", "open_counted", "Open drawer, counting the bank"),
    ("i", "paid_in", "Paid-in (cash into the drawer)"),
    ("u", "paid_out", "Paid-out (petty cash voucher)"),
    ("p", "pickup", "Pickup (cash to the safe)"),
    ("x", "x_report", "X report (totals so far)"),
    ("b", "balance", "Begin balancing (no more payments)"),
    ("c", "count", "Count and close (blind count)"),
    ("z", "z_report", "Z report (after the count)"),
    ("a", "approve", "Approve a counted drawer (supervisor)"),
    ("e", "reopen", "Reopen a drawer (supervisor)"),
)


class DrawerScreen(CounterScreen):
    """The clerk's drawer session, start to finish."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter, action, text.split(" (")[0], show=False, id=f"drawer.{action}")
        for letter, action, text in ACTIONS
    ]
    AUTO_FOCUS = "#drawer-actions"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="drawer")
        self.last_close: CloseResult | None = None

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="drawer-state")
        options = [Option(join((f"{letter.upper()}  ", "bold"), text), id=action)
                   for letter, action, text in ACTIONS]
        yield OptionList(*options, id="drawer-actions")
        yield LiteralLabel("", id="drawer-message", classes="message")

    def on_mount(self) -> None:
        self.refresh_state()

    def on_screen_resume(self) -> None:
        # Ctrl+Q over the count screen pops back through this screen after the clerk has
        # signed out: there is no drawer to show then.
        if self.session.signed_in:
            self.refresh_state()

    # ---- state ----------------------------------------------------------------------------
    def refresh_state(self) -> None:
        """Read the clerk's drawer in a thread; `_show_state` draws it."""
        self._read_state()

    @work(thread=True, exclusive=True, group="drawer-state")
    def _read_state(self) -> None:
        try:
            s = current_session(self.session.db, self.session.actor)
        except ClerkError as e:
            self.app.call_from_thread(self._show_state, None, str(e))
            return
        self.app.call_from_thread(self._show_state, s, "")

    def _show_state(self, s: SessionView | None, problem: str) -> None:
        if not self.is_attached:
            return
        label = self.query_one("#drawer-state", LiteralLabel)
        if problem:
            label.set_value(problem)
            return
        if s is None:
            text = literal("No drawer open here. O opens one with the "
                           f"{format_money(authority().default_opening_bank)} bank.")
        else:
            word = {"open": "OPEN", "balancing": "BEING COUNTED"}.get(s.state, s.state.upper())
            text = join(("Drawer ", "bold"), (str(s.id), "bold"), "  ", (word, "bold"),
                        f"  since {s.opened_at[11:16]} on {s.business_date}",
                        f"   opening bank {format_money(s.opening_bank_cents)}")
        if self.last_close is not None:
            text.append("\n")
            text.append_text(self._close_text(self.last_close))
        label.set_text(text)
        self.session.refresh_drawer_state()

    @staticmethod
    def _close_text(r: CloseResult) -> Text:
        """The result of the blind count: shown only once the count is on file."""
        out = literal(f"{'':<12}{'Counted':>12}{'Expected':>12}{'Over/short':>12}", "dim")
        out.append("\n")
        for kind in ("cash", "check", "money_order"):
            out.append_text(literal(f"{TENDER_LABELS[kind]:<12}"
                                    f"{format_money(r.counted[kind]):>12}"
                                    f"{format_money(r.expected[kind]):>12}"
                                    f"{format_money(r.over_short[kind]):>12}"))
            out.append("\n")
        verdict = "OVER" if r.over_short_cents > 0 else "SHORT" if r.over_short_cents else \
            "BALANCED"
        out.append_text(join((f"{verdict} {format_money(abs(r.over_short_cents))}", "bold"),
                             f"   drawer {r.session_id} is {r.state}"))
        if r.needs_approval:
            out.append("\n")
            out.append_text(literal(f"Beyond the {format_money(r.tolerance_cents)} tolerance: "
                                    "a supervisor must approve.", "bold"))
        if r.missing_checks:
            out.append("\n")
            out.append_text(literal("Checks on receipts but not counted: "
                                    + ", ".join(r.missing_checks), "bold"))
        if r.unexpected_checks:
            out.append("\n")
            out.append_text(literal("Checks counted but on no receipt: "
                                    + ", ".join(r.unexpected_checks), "bold"))
        return out

    def _say(self, message: str) -> None:
        self.query_one("#drawer-message", LiteralLabel).set_value(message)

    def _refused(self, error: ClerkError) -> None:
        """A domain refusal, shown as written; nothing changed."""
        self._say(str(error))

    def _posted(self, done: str, then: Callable[[Any], object] | None = None,
                what: str = "it") -> Callable[[Any], None]:
        """`on_done` for a post through `session.run`: say `done` and redraw the drawer, then
        `then(result)`. None back means the supervisor's approval was cancelled: nothing done."""

        def finished(result: object) -> None:
            if result is None:
                self._say(f"Not done: {what} needs a supervisor's approval.")
                return
            self._say(done)
            self.refresh_state()
            if then is not None:
                then(result)

        return finished

    @on(OptionList.OptionSelected, "#drawer-actions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            getattr(self, f"action_{event.option.id}")()

    # ---- opening --------------------------------------------------------------------------
    def action_open_default(self) -> None:
        db, actor = self.session.db, self.session.actor
        self.session.run(lambda override=None: open_session(db, actor), what="open drawer",
                         on_done=self._posted("Drawer opened with the standard bank. Count it "
                                              "before your first sale."),
                         on_error=self._refused, screen=self)

    def action_open_counted(self) -> None:

        def counted(count: DrawerCount) -> None:
            db, actor = self.session.db, self.session.actor
            self.session.run(lambda override=None: open_session(db, actor, count),
                             what="open drawer", on_error=self._refused, screen=self,
                             on_done=self._posted(
                                 f"Drawer opened with {format_money(count.cash_cents)}."))

        self.app.push_screen(CountScreen(closing=False, on_count=counted))

    # ---- cash movements -------------------------------------------------------------------
    def _movement(self, title: str, number_label: str,
                  call: Callable[[int, str, str], Callable[..., object]], done: str) -> None:
        def entered(values: tuple[int, str, str] | None) -> None:
            if values is None:
                return
            cents, reason, number = values
            what = title.lower()
            self.session.run(call(cents, reason, number), what=what, on_error=self._refused,
                             screen=self, on_done=self._posted(
                                 f"{done} {format_money(cents)} recorded.", what=what))

        self.app.push_screen(AmountPrompt(title, number_label=number_label), entered)

    def action_paid_in(self) -> None:
        self._movement("Paid-in", "", lambda c, r, n: partial(paid_in, self.session.db, self.session.actor, c, r),
                       "Paid-in of")

    def action_paid_out(self) -> None:
        self._movement("Paid-out", "Voucher number",
                       lambda c, r, n: partial(paid_out, self.session.db, self.session.actor, c, r, n),
                       "Paid-out of")

    def action_pickup(self) -> None:
        self._movement("Pickup", "Bag number (optional)",
                       lambda c, r, n: partial(pickup, self.session.db, self.session.actor, c, r, bag=n),
                       "Pickup of")

    # ---- reports --------------------------------------------------------------------------
    def action_x_report(self) -> None:
        self._report("X report", x_report)

    def action_z_report(self) -> None:
        self._report("Z report", z_report)

    def _report(self, title: str, make: Callable[[Database, Actor], SessionReport]) -> None:
        """Read and format the report in a thread; show it in the kit's `ReportScreen`, where
        P prints it on this workstation's printer (also in a thread)."""
        db, actor = self.session.db, self.session.actor

        def shown(text: str | None) -> None:
            if text is None or not self.is_attached:
                return
            self._say("")
            self.app.push_screen(ReportScreen(title, text, print_text=self.session.print_text,
                                              run=self.session.kit_run))

        self.session.run(lambda override=None: format_report(make(db, actor)), what=title,
                         on_done=shown, on_error=self._refused, screen=self)

    # ---- closing --------------------------------------------------------------------------
    def action_balance(self) -> None:

        def go(yes: bool) -> None:
            if yes:
                db, actor = self.session.db, self.session.actor
                self.session.run(lambda override=None: begin_balancing(db, actor),
                                 what="begin balancing", on_error=self._refused, screen=self,
                                 on_done=self._posted(
                                     "Balancing: no more payments. C counts the drawer."))

        self.session.confirm("Begin balancing? The drawer takes no more payments.", go, yes="Balance")

    def action_count(self) -> None:
        db, actor = self.session.db, self.session.actor
        self.session.run(lambda override=None: current_session(db, actor), what="read",
                         on_done=self._count_session, on_error=self._refused, screen=self)

    def _count_session(self, s: SessionView | None) -> None:
        if s is None:
            self._say("You have no drawer open at this workstation.")
            return

        def closed(result: object) -> None:
            if isinstance(result, CloseResult):
                self.last_close = result
                self.refresh_state()

        def counted(count: DrawerCount) -> None:
            db, actor = self.session.db, self.session.actor
            self.session.run(lambda override=None: submit_count(db, actor, count),
                             what="count", on_error=self._refused, screen=self,
                             on_done=self._posted("Count recorded. Z prints the Z report.",
                                                  closed))

        self.app.push_screen(CountScreen(closing=True, on_count=counted))

    # ---- supervisor -----------------------------------------------------------------------
    def _pick_session(self, title: str, sessions: list, then: Callable[[int], None]) -> None:
        if not sessions:
            self._say("No drawers are waiting for that.")
            return
        choices = {str(s.id): f"{s.clerk} @ {s.workstation}  {s.business_date}  {s.state}"
                   for s in sessions}

        def picked(code: str | None) -> None:
            if code:
                then(int(code))

        self.app.push_screen(ReasonPicker(title, choices), picked)

    def action_approve(self) -> None:
        db = self.session.db
        self.session.run(lambda override=None: awaiting_approval(db), what="read",
                         on_done=self._approve_from, on_error=self._refused, screen=self)

    def _approve_from(self, waiting: list[SessionView]) -> None:
        states = {s.id: s.state for s in waiting}

        def chosen(session_id: int) -> None:
            def noted(note: str | None) -> None:
                if note is None:
                    return
                what = f"approve drawer {session_id}"
                self.session.run(
                    partial(approve_session, self.session.db, self.session.actor, session_id,
                            note), what=what, on_error=self._refused, screen=self,
                    on_done=self._posted(f"Drawer {session_id} approved.", what=what))

            # Beyond tolerance an empty note is refused in the dialog, which stays open.
            self.app.push_screen(TextPrompt(f"Approve drawer {session_id}: note (needed when "
                                       "over/short is beyond tolerance)",
                                       check=partial(approval_note_problem,
                                                     states.get(session_id, ""))), noted)

        self._pick_session("Approve which drawer?", waiting, chosen)

    def action_reopen(self) -> None:
        db = self.session.db
        self.session.run(lambda override=None: [
            s for s in list_sessions(db, business_date=clock.today().isoformat())
            if s.state != "open"], what="read", on_done=self._reopen_from,
            on_error=self._refused, screen=self)

    def _reopen_from(self, sessions: list[SessionView]) -> None:

        def chosen(session_id: int) -> None:
            def reasoned(reason: str | None) -> None:
                if reason is None:
                    return
                db, actor = self.session.db, self.session.actor
                self.session.run(lambda override=None: reopen_session(db, actor, session_id,
                                                                      reason),
                                 what="reopen drawer", on_error=self._refused, screen=self,
                                 on_done=self._posted(f"Drawer {session_id} reopened."))

            self.app.push_screen(TextPrompt(f"Reopen drawer {session_id}: why?"), reasoned)

        self._pick_session("Reopen which drawer?", sessions, chosen)


COUNTER_SCREEN = DrawerScreen
