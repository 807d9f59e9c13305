"""Billing desk jobs: B billing run (preliminary register, then finalize), K late fees.

Billing run: pick the cycle, type the period end (Enter = today), and the preliminary register
opens in the report viewer (P prints it). Esc closes it and asks whether to finalize: Yes posts
the bills (billing.finalize: a CSR III needs a supervisor), No cancels the preliminary run —
nothing was billed, and the cycle can be run again after rereads come in.

Late fees: type the day (Enter = today); the fees that would be charged are shown first; Esc
asks whether to charge them. Every domain call runs through the session (off the UI thread).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.actor import Override
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import billing
from clerk_tui.screens.kit import Field
from clerk_tui.screens.utility.common import DeskReport
from clerk_tui.screens.utility.service import DeskForm


class BillingRunForm(DeskForm):
    """Cycle and period end; OK makes the preliminary register and shows it."""

    def __init__(self) -> None:
        super().__init__("Billing run", [
            Field("cycle", "Cycle", "", "1-4", 2,
                  check=lambda v: None if v.isdigit() else "type the billing cycle (a number)."),
            Field("end", "Period end", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], heading="Cycle and the last read date to bill up to.", what="run billing")

    def on_mount(self) -> None:
        self.work(billing.cycles, self.session.db, then=self._cycles)

    def _cycles(self, cycles: Any) -> None:
        if cycles:
            self.field("cycle").placeholder = (
                "Cycles with active accounts: " + ", ".join(map(str, cycles)))

    def send(self, v: dict[str, str], override: Override | None = None) -> billing.Register:
        return billing.create_run(self.session.db, self.session.actor, int(v["cycle"]),
                                  period_end=v["end"] or None)

    def tell(self, reg: billing.Register) -> str:
        return (f"RUN {reg.run.id} preliminary: {len(reg.billed)} bills, "
                f"{format_money(reg.total_cents)}; {len(reg.skipped)} skipped.")

    def _done(self, result: Any) -> None:
        super()._done(result)
        if isinstance(result, billing.Register):
            self.app.push_screen(DeskReport(f"Billing register run {result.run.id}",
                                            billing.format_register(result)),
                                 partial(self._reviewed, result))

    def _reviewed(self, reg: billing.Register, _: object = None) -> None:
        db, actor, run_id = self.session.db, self.session.actor, reg.run.id
        if not reg.billed:
            # Nothing to finalize: the empty preliminary run is cancelled, so the cycle can be
            # run again once reads come in (asking "Finalize 0 bills, $0.00?" helps nobody).
            self.work(billing.cancel_run, db, actor, run_id, "nothing to bill",
                      then=lambda _: self._say(
                          f"Run {run_id} has no bills ({len(reg.skipped)} skipped): nothing "
                          "to finalize. The run is cancelled; nothing was billed."))
            return
        question = (f"Finalize run {run_id}: {len(reg.billed)} bills, "
                    f"{format_money(reg.total_cents)}? (No cancels the run; nothing is billed)")

        def answered(yes: bool) -> None:
            if yes:
                self.work(partial(billing.finalize_run, db, actor, run_id),
                          then=self._finalized)
            else:
                self.work(billing.cancel_run, db, actor, run_id, "not finalized after review",
                          then=lambda _: self._say(
                              f"Run {run_id} cancelled. Nothing was billed."))

        self.ask(question, answered, yes="Finalize", no="Cancel run")

    def _finalized(self, reg: billing.Register | None) -> None:
        if reg is None:
            self._say("Not finalized: a supervisor's approval is needed. The run is still "
                      "preliminary.")
            return
        self._say(f"RUN {reg.run.id} FINAL: {len(reg.billed)} bills posted, "
                  f"{format_money(reg.total_cents)}.")


class LateFeeForm(DeskForm):
    def __init__(self) -> None:
        super().__init__("Late fees", [
            Field("on", "Assess on", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], heading="Bills past due and unpaid get the late fee once.", what="assess late fees")

    def send(self, v: dict[str, str], override: Override | None = None) -> billing.LateFeeRun:
        fees = billing.late_fee_candidates(self.session.db, v["on"] or None)
        return billing.LateFeeRun(v["on"] or clock.today().isoformat(), None, fees)

    def tell(self, run: billing.LateFeeRun) -> str:
        return f"{len(run.fees)} late fee(s) to charge, {format_money(run.total_cents)}."

    def _done(self, result: Any) -> None:
        super()._done(result)
        if isinstance(result, billing.LateFeeRun):
            self.app.push_screen(DeskReport("Late fees", billing.format_late_fees(
                result, preview=True)), partial(self._reviewed, result))

    def _reviewed(self, preview: billing.LateFeeRun, _: object = None) -> None:
        if not preview.fees:
            self._say("No late fees to charge.")
            return

        def charged(run: billing.LateFeeRun) -> None:
            self._say(f"{len(run.fees)} late fee(s) charged, {format_money(run.total_cents)}.")

        def answered(yes: bool) -> None:
            if not yes:
                self._say("No late fees charged. Nothing changed.")
                return
            self.work(billing.assess_late_fees, self.session.db, self.session.actor,
                      preview.on, then=charged)

        self.ask(f"Charge {len(preview.fees)} late fee(s), "
                 f"{format_money(preview.total_cents)}?", answered, yes="Charge")
