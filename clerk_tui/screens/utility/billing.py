"""Billing desk jobs: B billing run (preliminary register, then finalize), K late fees.

Billing run: pick the cycle, type the period end (Enter = today), and the preliminary register
opens in the report viewer (P prints it). Esc closes it and asks whether to finalize: Yes posts
the bills (billing.finalize: a CSR III needs a supervisor), No cancels the preliminary run —
nothing was billed, and the cycle can be run again after rereads come in.

Late fees: type the day (Enter = today); the fees that would be charged are shown first; Esc
asks whether to charge them.
"""

from __future__ import annotations

from functools import partial

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import billing
from clerk_tui.screens.reports import ReportScreen
from clerk_tui.screens.utility.service import FormField, FormScreen


class BillingRunForm(FormScreen):
    """Cycle and period end; OK makes the preliminary register and shows it."""

    def __init__(self) -> None:
        super().__init__("Billing run", "Cycle and the last read date to bill up to.", [
            FormField("cycle", "Cycle", "", "1-4", 2),
            FormField("end", "Period end", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], self._submit, self._describe, what="run billing")

    def prepare(self) -> None:
        try:
            cycles = billing.cycles(self.session.db)
        except ClerkError:
            cycles = []
        if cycles:
            self.query_one("#f-cycle").placeholder = (
                "Cycles with active accounts: " + ", ".join(map(str, cycles)))

    def _submit(self, v: dict[str, str], override: object) -> billing.Register:
        if not v["cycle"].isdigit():
            raise ValidationError("Type the billing cycle (a number).")
        return billing.create_run(self.session.db, self.session.actor, int(v["cycle"]),
                                  period_end=v["end"] or None)

    @staticmethod
    def _describe(reg: billing.Register) -> str:
        return (f"RUN {reg.run.id} preliminary: {len(reg.billed)} bills, "
                f"{format_money(reg.total_cents)}; {len(reg.skipped)} skipped.")

    def _done(self, result: object) -> None:
        super()._done(result)
        if isinstance(result, billing.Register):
            self.app.push_screen(ReportScreen(f"Billing register run {result.run.id}",
                                              billing.format_register(result)),
                                 partial(self._reviewed, result))

    def _reviewed(self, reg: billing.Register, _: object = None) -> None:
        if not reg.billed:
            # Nothing to finalize: the empty preliminary run is cancelled, so the cycle can be
            # run again once reads come in (asking "Finalize 0 bills, $0.00?" helps nobody).
            try:
                billing.cancel_run(self.session.db, self.session.actor, reg.run.id,
                                   "nothing to bill")
            except ClerkError as e:
                self.say(str(e))
                return
            self.say(f"Run {reg.run.id} has no bills ({len(reg.skipped)} skipped): nothing to "
                     "finalize. The run is cancelled; nothing was billed.")
            return
        question = (f"Finalize run {reg.run.id}: {len(reg.billed)} bills, "
                    f"{format_money(reg.total_cents)}? (No cancels the run; nothing is billed)")

        def answered(yes: bool) -> None:
            if not yes:
                def cancelled(_: object) -> None:
                    self.say(f"Run {reg.run.id} cancelled. Nothing was billed.")

                self.session.run(
                    lambda override=None: billing.cancel_run(
                        self.session.db, self.session.actor, reg.run.id,
                        "not finalized after review"),
                    what=f"cancel billing run {reg.run.id}", on_done=cancelled,
                    on_error=lambda e: self.say(str(e)), screen=self)
                return
            fn = partial(billing.finalize_run, self.session.db, self.session.actor,
                         reg.run.id)
            self.session.run(fn, what=f"finalize billing run {reg.run.id}",
                             on_done=self._finalized, on_error=lambda e: self.say(str(e)),
                             screen=self)

        self.session.confirm(question, answered, yes="Finalize", no="Cancel run")

    def _finalized(self, reg: billing.Register | None) -> None:
        if reg is None:
            self.say("Not finalized: a supervisor's approval is needed. The run is still "
                     "preliminary.")
            return
        self.say(f"RUN {reg.run.id} FINAL: {len(reg.billed)} bills posted, "
                 f"{format_money(reg.total_cents)}.")


class LateFeeForm(FormScreen):
    def __init__(self) -> None:
        super().__init__("Late fees", "Bills past due and unpaid get the late fee once.", [
            FormField("on", "Assess on", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], self._submit, self._describe, what="assess late fees")

    def _submit(self, v: dict[str, str], override: object) -> billing.LateFeeRun:
        fees = billing.late_fee_candidates(self.session.db, v["on"] or None)
        return billing.LateFeeRun(v["on"] or clock.today().isoformat(), None, fees)

    @staticmethod
    def _describe(run: billing.LateFeeRun) -> str:
        return f"{len(run.fees)} late fee(s) to charge, {format_money(run.total_cents)}."

    def _done(self, result: object) -> None:
        super()._done(result)
        if isinstance(result, billing.LateFeeRun):
            self.app.push_screen(ReportScreen("Late fees", billing.format_late_fees(
                result, preview=True)), partial(self._reviewed, result))

    def _reviewed(self, preview: billing.LateFeeRun, _: object = None) -> None:
        if not preview.fees:
            self.say("No late fees to charge.")
            return

        def answered(yes: bool) -> None:
            if not yes:
                self.say("No late fees charged. Nothing changed.")
                return
            try:
                run = billing.assess_late_fees(self.session.db, self.session.actor,
                                               preview.on)
            except ClerkError as e:
                self.say(str(e))
                return
            self.say(f"{len(run.fees)} late fee(s) charged, {format_money(run.total_cents)}.")

        self.session.confirm(f"Charge {len(preview.fees)} late fee(s), "
                    f"{format_money(preview.total_cents)}?", answered, yes="Charge")
