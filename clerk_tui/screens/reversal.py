"""Reverse a payment after its drawer has closed, or post a check the bank returned (NSF).

Reached from Reports (F9: R, N) and from an account's `A` menu (R, N: the account's last
receipt is filled in). The clerk types (or keeps) a receipt number and Enter shows the receipt
exactly as it was posted — number, date, items, tenders — before anything can change; Enter
again (or Ctrl+Y) asks for the reason, then "are you sure?", then, for a CSR II/III, a
supervisor's override at the point of action. Esc at any step changes nothing.

The domain does the work and has the last word (`reverse_receipt`, `nsf_return`): a reversal
writes entries mirroring the receipt's and lands the drawer side in suspense (or, with Ctrl+O,
hands the money back from the reverser's open drawer); an NSF return charges the check back,
adds the returned-check fee from `data/fees.toml` ($25 the first time, $35 after) and flags the
account to take no more checks. An already voided or reversed receipt is shown with what
happened to it, and nothing is offered.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input

from clerk_tui.domain import clock
from clerk_tui.domain.accounts import Account, get_account
from clerk_tui.domain.cashier import (
    NsfResult,
    ReceiptView,
    VoidResult,
    cashier_rules,
    get_receipt,
    last_receipt_for_account,
    nsf_return,
    reverse_receipt,
)
from clerk_tui.domain.cashier.sessions import get_session
from clerk_tui.domain.cashier.tenders import LABELS as TENDER_LABELS
from clerk_tui.domain.cashier.voids import nsf_fee_code
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.fees import fee_schedule
from clerk_tui.domain.money import format_money
from clerk_tui.screens.kit import CASHIER_CSS, PostingModal
from clerk_tui.screens.prompts import ReasonPicker, TextPrompt
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal
from clerk_tui.widgets.statusbar import StatusBar

MODES: dict[str, tuple[str, str]] = {
    # mode: (heading, permission)
    "reverse": ("Reverse a payment from a closed drawer", "payment.reverse"),
    "nsf": ("NSF: a check the bank returned unpaid", "payment.nsf"),
}
_DONE = {"void": "VOIDED", "reversal": "REVERSED", "nsf": "RETURNED UNPAID (NSF)"}
_DONE_WORDS = {"void": "voided", "reversal": "reversed", "nsf": "returned unpaid (NSF)"}


def receipt_text(r: ReceiptView, drawer_state: str = "") -> Text:
    """The receipt as posted, every piece literal (names and references are public text)."""
    drawer = f"drawer {r.drawer_session_id}" + (f" ({drawer_state})" if drawer_state else "")
    out = join(("Receipt ", "bold"), (str(r.number), "bold"),
               f"   {r.issued_at[:16].replace('T', ' ')}",
               f"   {drawer}")
    out.append("\n")
    out.append_text(join(f"Clerk {r.clerk} @ {r.workstation}   business day {r.business_date}"))
    if r.payer:
        out.append("\n")
        out.append_text(join("Paid by ", r.payer))
    for item in r.items:
        out.append("\n")
        out.append_text(join(f"{item.line}. ", item.description[:50].ljust(51),
                             format_money(item.amount_cents).rjust(13)))
        if item.reference and item.reference not in item.description:
            out.append("\n")
            out.append_text(join("     ", item.reference[:60]))
    out.append("\n")
    out.append_text(join(("TOTAL".ljust(54), "bold"),
                         (format_money(r.total_cents).rjust(13), "bold")))
    for t in r.tenders:
        detail = ""
        if t.check_number:
            detail = f" No. {t.check_number}"
        elif t.card_last4:
            detail = f" x{t.card_last4}"
        out.append("\n")
        out.append_text(join(f"   {TENDER_LABELS.get(t.kind, t.kind)}{detail}"[:54].ljust(54),
                             format_money(t.tendered_cents).rjust(13)))
    if r.change_cents:
        out.append("\n")
        out.append_text(join("CHANGE".ljust(54), format_money(r.change_cents).rjust(13)))
    if r.void is not None:
        v = r.void
        by = f" (approved by {v.override_by})" if v.override_by else ""
        out.append("\n")
        out.append_text(join((_DONE.get(v.kind, v.kind.upper()), "bold reverse"),
                             f" {v.at[:16].replace('T', ' ')} by {v.clerk}{by}"
                             f"  reason {v.reason_code}"))
        if v.reason:
            out.append("\n")
            out.append_text(join("   ", v.reason))
    return out


class ReversalScreen(PostingModal):
    """Type a receipt number, see the receipt, then reverse it or post its returned check."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "go", "Post", key_display="^Y", id="reversal.go"),
        Binding("ctrl+o", "cash_back", "Cash back", key_display="^O", id="reversal.cash_back"),
        Binding("escape", "back", "Back", id="reversal.back"),
    ]
    AUTO_FOCUS = "#rev-number"
    HINT_ID = "rev-hint"
    CSS_PATH = CASHIER_CSS  # the kit's stylesheet and the cashier area's

    def __init__(self, mode: str = "reverse", *, account_id: int | None = None,
                 number: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {sorted(MODES)}")
        super().__init__(id=f"reversal-{mode}")
        self.mode = mode
        self.account_id = account_id
        self.start_number = number
        self.receipt: ReceiptView | None = None
        self.blocked = ""
        """Why the receipt shown cannot be done (already reversed, not a check…), or ""."""
        self.drawer_state = ""
        self.cash_back = False
        self.result: VoidResult | NsfResult | None = None
        self.title = MODES[mode][0]

    # ---- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield LiteralLabel(MODES[self.mode][0], id="rev-title")
        with Horizontal(id="rev-row"):
            yield LiteralLabel("Receipt no.", id="rev-label")
            yield ClerkInput(placeholder="Receipt number", max_length=12,
                             restrict=r"[0-9 ]*", id="rev-number")
            yield LiteralLabel("", id="rev-account")
        with VerticalScroll(id="rev-box"):
            yield LiteralLabel("Type the receipt number and press Enter to see it.",
                               id="rev-receipt")
        yield LiteralLabel("", id="rev-mode")
        yield LiteralLabel("", id="kit-message", classes="message")
        yield LiteralLabel("Enter = show the receipt, Enter again = go on    "
                           "Esc = back (nothing changes)", style="dim", id="rev-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self._show_mode()
        if self.account_id is None:
            if self.start_number is not None:
                self._look_up(self.start_number)
            return
        self.work(self._read_account, self.account_id, then=self._account_read)

    def _read_account(self, account_id: int) -> tuple[Account, int | None]:
        """The account and (unless one was given) its last receipt: read in a thread."""
        account = get_account(self.session.db, account_id)
        number = self.start_number
        if number is None:
            last = last_receipt_for_account(self.session.db, account_id)
            number = last.number if last is not None else None
        return account, number

    def _account_read(self, read: tuple[Account, int | None]) -> None:
        account, number = read
        self.query_one("#rev-account", LiteralLabel).set_text(join(
            f"Account {account.display_number}  ", account.customer_name[:30]))
        if number is None:
            self._say("No receipt on file for this account: type the receipt number.")
        else:
            self._look_up(number)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cash_back":
            return self.mode == "reverse" and self.result is None
        return super().check_action(action, parameters)

    def _show_mode(self) -> None:
        label = self.query_one("#rev-mode", LiteralLabel)
        if self.mode == "nsf":
            label.set_text(literal("The check is charged back to what it paid, the returned-"
                                   "check fee is added and the account is flagged NO CHECKS.",
                                   "dim"))
        elif self.cash_back:
            label.set_text(join(("Money back: ", "bold"),
                                ("IN CASH FROM YOUR OPEN DRAWER", "bold reverse"),
                                ("   (Ctrl+O = to suspense instead)", "dim")))
        else:
            label.set_text(join(("Money back: ", "bold"),
                                "to suspense (accounting re-applies or refunds it)",
                                ("   Ctrl+O = cash", "dim")))

    def _number(self) -> int | None:
        text = self.query_one("#rev-number", Input).value.replace(" ", "")
        if not text.isdigit():
            self._say("Type the receipt number (digits only).")
            return None
        return int(text)

    # ---- looking a receipt up -------------------------------------------------------------
    @on(Input.Submitted, "#rev-number")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy or self.result is not None:
            return
        number = self._number()
        if number is None:
            return
        if self.receipt is not None and self.receipt.number == number:
            self.action_go()
            return
        self._look_up(number)

    def _look_up(self, number: int) -> None:
        """Show receipt `number` (read in a thread) and say whether it can be done."""
        self.query_one("#rev-number", Input).value = str(number)
        self.receipt, self.blocked = None, ""
        self.work(self._read_receipt, number, then=partial(self._show_receipt, number),
                  refused=lambda _: self.query_one("#rev-receipt", LiteralLabel).set_value(
                      "Type the receipt number and press Enter to see it."))

    def _read_receipt(self, number: int) -> tuple[ReceiptView, str, str]:
        """The receipt, its drawer's state and (NSF) the fee it would add."""
        db = self.session.db
        r = get_receipt(db, number)
        state = get_session(db, r.drawer_session_id).state
        return r, state, self._fee_preview(r) if self.mode == "nsf" else ""

    def _show_receipt(self, number: int, read: tuple[ReceiptView, str, str]) -> None:
        r, state, fee = read
        self.receipt = r
        self.drawer_state = state
        self.query_one("#rev-receipt", LiteralLabel).set_text(receipt_text(r, state))
        note = ""
        if self.account_id is not None and \
                all(i.account_id != self.account_id for i in r.items):
            note = " Note: this receipt did not pay this account."
        if r.void is not None:
            self.blocked = (f"Receipt {number} is already {_DONE_WORDS.get(r.void.kind, 'undone')}"
                            ": nothing to do.")
        elif self.mode == "reverse" and state in ("open", "balancing"):
            self.blocked = (f"Receipt {number} is still in an open drawer: void it on the "
                            "payment screen (or by its clerk) instead.")
        elif self.mode == "nsf" and not any(t.kind == "check" for t in r.tenders):
            self.blocked = f"Receipt {number} was not paid by check."
        if self.blocked:
            self._say(self.blocked + note)
            return
        verb = "reverse" if self.mode == "reverse" else "post its returned check"
        extra = f" {fee}" if fee else ""
        self._say(f"Enter (or Ctrl+Y) to {verb}.{extra}{note}")

    def _fee_preview(self, r: ReceiptView) -> str:
        """The returned-check fee (a read: called in the thread of `_read_receipt`)."""
        account_id = next((i.account_id for i in r.items if i.account_id), None)
        if account_id is None:
            return "No account on this receipt: no fee, no flag."
        try:
            fee = fee_schedule().get(nsf_fee_code(self.session.db, account_id),
                                     clock.today())
        except ClerkError:
            return ""
        return f"Fee {format_money(fee.amount_cents)} ({fee.description})."

    # ---- doing it -------------------------------------------------------------------------
    def action_cash_back(self) -> None:
        if self.mode != "reverse" or self.result is not None:
            return
        self.cash_back = not self.cash_back
        self._show_mode()

    def action_go(self) -> None:
        if self.busy or self.result is not None:
            return
        number = self._number()
        if number is None:
            return
        if self.receipt is None or self.receipt.number != number:
            self._look_up(number)
            return  # the clerk sees the receipt first, then presses again
        if self.blocked:
            self._say(self.blocked)
            return
        if self.mode == "reverse":
            codes = cashier_rules().reason_codes("reversal")
            self.app.push_screen(ReasonPicker(f"Reverse receipt {number}: why?", codes),
                                 partial(self._reason_picked, number))
        else:
            self.app.push_screen(TextPrompt(f"Returned check on receipt {number}: the bank's "
                                            "reason (optional)",
                                            placeholder="e.g. insufficient funds"),
                                 partial(self._nsf_reason, number))

    def _reason_picked(self, number: int, code: str | None) -> None:
        if not code:
            self._say("Not reversed: no reason picked. Nothing changed.")
            return
        assert self.receipt is not None
        where = ("hand back the money in cash from your drawer" if self.cash_back
                 else "move the money to suspense")
        question = (f"Reverse receipt {number} for {format_money(self.receipt.total_cents)} "
                    f"({code})? This puts the amount back on what it paid and will {where}.")

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Not reversed. Nothing changed.")
                return
            self.work(partial(reverse_receipt, refund_from_drawer=self.cash_back),
                      self.session.db, self.session.actor, number, code, then=self._done)

        self.ask(question, answered, yes="Reverse", no="Stay")

    def _nsf_reason(self, number: int, reason: str | None) -> None:
        if reason is None:
            self._say("Not posted. Nothing changed.")
            return
        assert self.receipt is not None
        checks = [t for t in self.receipt.tenders if t.kind == "check"]
        amount = sum(t.tendered_cents for t in checks)
        numbers = ", ".join(t.check_number or "?" for t in checks)
        question = (f"Post check {numbers} ({format_money(amount)}) on receipt {number} as "
                    "returned unpaid? The amount goes back on the account, the returned-check "
                    "fee is added and the account takes no more checks.")

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Not posted. Nothing changed.")
                return
            self.work(nsf_return, self.session.db, self.session.actor, number, reason,
                      then=self._done)

        self.ask(question, answered, yes="Post NSF", no="Stay")

    def _done(self, result: VoidResult | NsfResult | None) -> None:
        if result is None:
            self._say("Not done: a supervisor's approval is needed. Nothing changed.")
            return
        self.result = result
        r = result.receipt
        self.receipt = r
        self.query_one("#rev-receipt", LiteralLabel).set_text(receipt_text(r, self.drawer_state))
        if isinstance(result, NsfResult):
            fee = (f" Fee {format_money(result.fee_cents)} ({result.fee_code}) added and the "
                   "account flagged NO CHECKS." if result.account_id is not None else "")
            self._say(f"Receipt {r.number}: returned check of "
                      f"{format_money(result.returned_cents)} charged back.{fee}")
        else:
            where = (f"Give back {format_money(r.total_cents)} from your drawer."
                     if self.cash_back else "The money is in suspense for accounting.")
            self._say(f"Receipt {r.number} reversed ({r.void.reason_code if r.void else ''})."
                      f" {where}")
            if self.cash_back:
                self.session.refresh_drawer_state()
        self.posted()


def open_reverse(account_id: int) -> ReversalScreen:
    """The `A` menu's "Reverse a payment" (cashier manifest)."""
    return ReversalScreen("reverse", account_id=account_id)


def open_nsf(account_id: int) -> ReversalScreen:
    """The `A` menu's "NSF returned check" (cashier manifest)."""
    return ReversalScreen("nsf", account_id=account_id)
