"""Deposit refunds (utility desk, F): the held deposits whose account has paid its run of bills
on time, and the refund of one (Enter / Y) or all of them (A).

The domain decides who is eligible (`deposits.deposit_refund_candidates`) and refunds: each
refund is a credit on the account and logs the customer's `deposit_refund` letter in the same
transaction (`letters.refund_deposits`); the letters then wait in the mailing queue (desk, M).
Every refund is asked first; Esc (or N) at the question changes nothing. What was refunded is
shown in the report viewer (P prints it).
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import deposits, letters, rates
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.reports import ReportScreen
from clerk_tui.widgets.literal import LiteralLabel, join


class DepositRefundsScreen(ClerkScreen):
    """Eligible deposits by account: Enter/Y refunds the highlighted one, A all of them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "refund_one", "Refund", id="deposit_refunds.one"),
        Binding("a", "refund_all", "Refund all", id="deposit_refunds.all"),
        Binding("escape", "back", "Back", id="deposit_refunds.back"),
    ]
    AUTO_FOCUS = "#refund-table"
    CSS_PATH = "../cashier.tcss"
    DEFAULT_CSS = """
    DepositRefundsScreen #refund-table { height: 1fr; margin: 0 1; }
    DepositRefundsScreen #refund-title, DepositRefundsScreen #refund-message,
    DepositRefundsScreen #refund-hint { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="deposit-refunds")
        self.title = "Deposit refunds"
        self.rows: list[deposits.RefundCandidate] = []
        self.busy = False

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Deposits due back to the customer", style="bold", id="refund-title")
        yield DataTable(id="refund-table", cursor_type="row", show_row_labels=False)
        yield LiteralLabel("", id="refund-message", classes="message")
        yield LiteralLabel("Enter/Y = refund this one    A = refund all    Esc = back",
                           style="dim", id="refund-hint")

    def on_mount(self) -> None:
        table = self.query_one("#refund-table", DataTable)
        for name, width in (("Account", 9), ("Customer", 18), ("Deposit", 10),
                            ("Why eligible", 32)):
            table.add_column(name, width=width)
        self.load()

    def load(self) -> None:
        table = self.query_one("#refund-table", DataTable)
        table.clear()
        try:
            self.rows = deposits.deposit_refund_candidates(self.session.db)
            need = rates.deposit_rule(clock.today()).refund_after_on_time_bills
        except ClerkError as e:
            self._say(str(e))
            return
        for c in self.rows:
            table.add_row(c.account_number, join(c.customer_name), format_money(c.amount_cents),
                          f"{c.on_time_bills} bills paid on time (need {need})",
                          key=str(c.deposit_id), height=None)
        if not self.rows:
            self._say("No deposits are due back: none has its run of on-time bills yet.")
        else:
            total = sum(c.amount_cents for c in self.rows)
            self._say(f"{len(self.rows)} deposit(s) due back, {format_money(total)}.")

    def _say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#refund-message", LiteralLabel).set_value(message)

    def _current(self) -> deposits.RefundCandidate | None:
        index = self.query_one("#refund-table", DataTable).cursor_row
        if not self.rows or not 0 <= index < len(self.rows):
            self._say("No deposit to refund.")
            return None
        return self.rows[index]

    @on(DataTable.RowSelected, "#refund-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_refund_one()

    def action_refund_one(self) -> None:
        c = self._current()
        if c is None or self.busy:
            return
        self._ask([c], f"Refund the {format_money(c.amount_cents)} deposit of "
                       f"{c.account_number} {c.customer_name} as a credit on the account, "
                       "and log the refund letter?")

    def action_refund_all(self) -> None:
        if not self.rows:
            self._say("No deposit to refund.")
            return
        if self.busy:
            return
        total = sum(c.amount_cents for c in self.rows)
        self._ask(list(self.rows), f"Refund all {len(self.rows)} deposits, "
                                   f"{format_money(total)}, as credits on their accounts, and "
                                   "log a refund letter for each?")

    def _ask(self, chosen: list[deposits.RefundCandidate], question: str) -> None:
        ids = [c.deposit_id for c in chosen]

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Nothing refunded. Nothing changed.")
                return
            self.busy = True

            def failed(e: ClerkError) -> None:
                self.busy = False
                self.load()  # the list as it is now (another clerk may have refunded one)
                self._say(f"Nothing refunded: {e}")

            fn = partial(letters.refund_deposits, self.session.db, self.session.actor, ids)
            self.session.run(fn, what="refund customer deposits", on_done=self._done,
                             on_error=failed, screen=self)

        self.session.confirm(question, answered, yes="Refund", no="Back")

    def _done(self, refunds: list[letters.DepositRefund] | None) -> None:
        self.busy = False
        if refunds is None:
            self._say("Not refunded: a supervisor's approval is needed. Nothing changed.")
            return
        self.load()
        total = sum(r.amount_cents for r in refunds)
        self._say(f"{len(refunds)} deposit(s) refunded, {format_money(total)}; letters to mail "
                  "(desk M).")
        self.app.push_screen(ReportScreen("Deposit refunds",
                                          letters.format_deposit_refunds(refunds)))

    def action_back(self) -> None:
        if not self.busy:
            self.app.pop_screen()
