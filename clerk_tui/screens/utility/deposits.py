"""Deposit refunds (utility desk, F): the held deposits whose account has paid its run of bills
on time, and the refund of one (Enter / Y) or all of them (A).

The domain decides who is eligible (`deposits.deposit_refund_candidates`) and refunds: each
refund is a credit on the account and logs the customer's `deposit_refund` letter in the same
transaction (`letters.refund_deposits`); the letters then wait in the mailing queue (desk, M).
Every refund is asked first; Esc (or N) at the question changes nothing. What was refunded is
shown in the report viewer (P prints it). A kit list (`ListAndAct`): the list is read and the
refunds posted through the session's `run`, off the UI thread.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.widgets import DataTable

from clerk_tui.domain import clock
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import deposits, letters, rates
from clerk_tui.screens.kit import Action, ListAndAct, Row
from clerk_tui.screens.utility.common import DeskReport, OnSession


class DepositRefundsScreen(OnSession, ListAndAct):
    """Eligible deposits by account: Enter/Y refunds the highlighted one, A all of them."""

    what = "refund customer deposits"

    def __init__(self) -> None:
        self.candidates: dict[int, deposits.RefundCandidate] = {}
        one = Action("y", "Refund this one", work=self._refund_one, ask=self._ask_one,
                     said=self._said, show=self._report)
        every = replace(one, letter="a", label="Refund all", work=self._refund_all,
                        ask=self._ask_all)
        super().__init__("Deposit refunds", ["Account", "Customer", "Deposit", "Why eligible"],
                         self._load, [one, every], heading="Deposits due back to the customer",
            empty="No deposits are due back: none has its run of on-time bills yet.",
            summary=self._summary)

    def _load(self) -> list[Row]:
        found = deposits.deposit_refund_candidates(self.session.db)
        need = rates.deposit_rule(clock.today()).refund_after_on_time_bills
        self.candidates = {c.deposit_id: c for c in found}
        return [Row(c.deposit_id, (c.account_number, c.customer_name,
                                   format_money(c.amount_cents),
                                   f"{c.on_time_bills} bills paid on time (need {need})"))
                for c in found]

    def _summary(self, rows: list[Row]) -> str:
        total = sum(c.amount_cents for c in self.candidates.values())
        return f"{len(rows)} deposit(s) due back, {format_money(total)}."

    def _ask_one(self, deposit_id: int) -> str:
        c = self.candidates[deposit_id]
        return (f"Refund the {format_money(c.amount_cents)} deposit of {c.account_number} "
                f"{c.customer_name} as a credit on the account, and log the refund letter?")

    def _ask_all(self, _key: object) -> str:
        total = sum(c.amount_cents for c in self.candidates.values())
        return (f"Refund all {len(self.candidates)} deposits, {format_money(total)}, as "
                "credits on their accounts, and log a refund letter for each?")

    def _refund_one(self, deposit_id: int) -> list[letters.DepositRefund]:
        return letters.refund_deposits(self.session.db, self.session.actor, [deposit_id])

    def _refund_all(self, _key: object) -> list[letters.DepositRefund]:
        """Every deposit listed when the question was asked (as it said)."""
        return letters.refund_deposits(self.session.db, self.session.actor,
                                       list(self.candidates))

    @staticmethod
    def _said(refunds: list[letters.DepositRefund]) -> str:
        total = sum(r.amount_cents for r in refunds)
        return (f"{len(refunds)} deposit(s) refunded, {format_money(total)}; letters to mail "
                "(desk M).")

    @staticmethod
    def _report(refunds: list[letters.DepositRefund]) -> DeskReport:
        return DeskReport("Deposit refunds", letters.format_deposit_refunds(refunds))

    @on(DataTable.RowSelected, "#kit-table")
    def _enter(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.act(self.actions[0])
