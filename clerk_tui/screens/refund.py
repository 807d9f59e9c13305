"""Refund an account's credit balance (account `A` menu, F).

The amount defaults to the whole credit (Enter on an empty amount takes it); the refund is paid
in cash from the clerk's open drawer or by a city check that finance issues (Ctrl+T switches).
Within the clerk's refund limit (`data/authority.toml`) it posts at once; above it a supervisor
approves at the point of action. A cash refund opens the drawer and prints a refund slip for
the customer to sign. Esc before the confirmation changes nothing.

The domain has the last word (`refund_credit`): never more than the credit, never more cash
than the drawer holds, a reason always.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.domain import clock, ledger
from clerk_tui.domain.accounts import Account, get_account
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier import RefundResult, current_session, refund_credit
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.kit import CASHIER_CSS, PostingModal
from clerk_tui.screens.station_calls import print_text_in_background
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal
from clerk_tui.widgets.statusbar import StatusBar

METHOD_LABELS = {"cash": "Cash from my drawer", "check": "City check (finance issues it)"}
SLIP_TITLE = "REFUND OF CREDIT BALANCE"


def refund_slip(result: RefundResult, account: Account, reason: str, *, clerk: str,
                workstation: str, at: str) -> str:
    """The slip the customer signs for a cash refund (plain text for `Station.print_text`)."""
    lines = [
        f"Refund no. {result.id}",
        f"Date {at[:16].replace('T', ' ')}",
        f"Clerk {clerk}  Station {workstation}",
        "",
        f"Account {result.account_number}",
        account.customer_name,
        account.service_address,
        "",
        f"Refunded ({'cash' if result.method == 'cash' else 'city check'}): "
        f"{format_money(result.amount_cents)}",
        f"Balance after refund: {format_money(result.new_balance_cents)}",
        f"Reason: {reason}",
    ]
    if result.override_by:
        lines.append(f"Approved by {result.override_by}")
    lines += ["", "", "Received by: ______________________", ""]
    return "\n".join(lines)


class RefundScreen(PostingModal):
    """Amount (Enter = the whole credit), reason, how it is paid; then it posts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "method", "Cash/check", key_display="^T", id="refund.method"),
        Binding("ctrl+y", "go", "Refund", key_display="^Y", id="refund.go"),
        Binding("escape", "back", "Back", id="refund.back"),
    ]
    AUTO_FOCUS = "#refund-amount"
    HINT_ID = "refund-hint"
    POSTING_ACTIONS = ("method", "go")
    CSS_PATH = CASHIER_CSS  # the kit's stylesheet and the cashier area's

    def __init__(self, account_id: int) -> None:
        super().__init__(id="refund")
        self.account_id = account_id
        self.account: Account | None = None
        self.credit_cents = 0
        self.method = "cash"
        self.result: RefundResult | None = None
        self.title = "Refund a credit balance"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield LiteralLabel("Refund a credit balance", id="refund-title")
        yield LiteralLabel("", id="refund-account")
        yield LiteralLabel("", id="refund-credit")
        with Horizontal(classes="refund-row"):
            yield LiteralLabel("Paid by", classes="refund-label")
            yield LiteralLabel("", id="refund-method")
        with Horizontal(classes="refund-row"):
            yield LiteralLabel("Amount", classes="refund-label")
            yield ClerkInput(placeholder="Amount", max_length=20, id="refund-amount")
        with Horizontal(classes="refund-row"):
            yield LiteralLabel("Reason", classes="refund-label")
            yield ClerkInput(placeholder="Why (e.g. account closed, overpaid)", max_length=200,
                             id="refund-reason")
        yield LiteralLabel("", id="refund-done")
        yield LiteralLabel("", id="kit-message", classes="message")
        yield LiteralLabel("Enter = next / refund    Ctrl+T = cash or check    Esc = back",
                           style="dim", id="refund-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#refund-done", LiteralLabel).display = False
        self._show_method()
        self.work(self._read, then=lambda read: self._loaded(*read))

    def _read(self) -> tuple[Account, int, bool]:
        """The account, its balance and whether a drawer is open (in a thread, through the
        session: no SQL on the UI thread)."""
        db, actor = self.session.db, self.session.actor
        account = get_account(db, self.account_id)
        balance = ledger.account_balance(db, self.account_id)
        return account, balance, balance < 0 and current_session(db, actor) is None

    def _loaded(self, account: Account, balance: int, no_drawer: bool) -> None:
        if not self.is_attached:
            return
        self.account = account
        self.credit_cents = max(-balance, 0)
        self.query_one("#refund-account", LiteralLabel).set_text(join(
            (f"Account {account.display_number}  ", "bold"), account.customer_name[:30],
            "  ", account.service_address[:30]))
        actor = self.session.actor
        limit = authority().limit(actor.role, "refund") if actor is not None else 0
        credit = self.query_one("#refund-credit", LiteralLabel)
        if self.credit_cents <= 0:
            credit.set_text(join(("No credit balance", "bold"),
                                 f": the account owes {format_money(max(balance, 0))}."))
            self._say("There is no credit on this account to refund.")
        else:
            credit.set_text(join(("Credit ", "bold"),
                                 (format_money(self.credit_cents), "bold"),
                                 f"    your refund limit {format_money(limit)}"
                                 " (above it a supervisor approves)"))
        self.query_one("#refund-amount", Input).placeholder = (
            f"Enter = {format_money(self.credit_cents)}" if self.credit_cents else "Amount")
        if self.credit_cents > 0 and no_drawer:
            self.method = "check"
            self._show_method()
            self._say("No drawer open here: refund by city check (or open your drawer, F8, "
                      "for cash).")

    def _show_method(self) -> None:
        self.query_one("#refund-method", LiteralLabel).set_text(
            literal(METHOD_LABELS[self.method], "bold reverse"))

    def action_method(self) -> None:
        if self.result is not None or self.busy:
            return
        self.method = "check" if self.method == "cash" else "cash"
        self._show_method()

    # ---- entering -------------------------------------------------------------------------
    @on(Input.Submitted, "#refund-amount")
    def _amount_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self._amount() is not None:
            self.query_one("#refund-reason", Input).focus()

    @on(Input.Submitted, "#refund-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go()

    def _amount(self) -> int | None:
        field = self.query_one("#refund-amount", Input)
        text = field.value.strip()
        if not text:
            if self.credit_cents <= 0:
                self._say("There is no credit on this account to refund.")
                return None
            return self.credit_cents
        try:
            return parse_money(text, allow_zero=False)
        except ClerkError as e:
            self._say(str(e))
            field.focus()
            return None

    # ---- posting --------------------------------------------------------------------------
    def action_go(self) -> None:
        if self.busy or self.result is not None or self.account is None:
            return
        cents = self._amount()
        if cents is None:
            return
        reason = self.query_one("#refund-reason", Input).value.strip()
        if not reason:
            self._say("Type the reason for the refund.")
            self.query_one("#refund-reason", Input).focus()
            return
        how = "in cash from your drawer" if self.method == "cash" else \
            "by a city check that finance issues"
        question = (f"Refund {format_money(cents)} to account {self.account.display_number} "
                    f"{how}?")

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Not refunded. Nothing changed.")
                return
            self.work(partial(refund_credit, method=self.method), self.session.db,
                      self.session.actor, self.account.number,  # type: ignore[union-attr]
                      cents, reason, then=partial(self._done, reason))

        self.ask(question, answered, yes="Refund", no="Stay")

    def _done(self, reason: str, result: RefundResult | None) -> None:
        if result is None:
            self._say("Not refunded: a supervisor's approval is needed. Nothing changed.")
            return
        self.result = result
        app = self.app
        for row in self.query(".refund-row"):
            row.display = False
        done = self.query_one("#refund-done", LiteralLabel)
        text = join(("REFUND ", "bold"), (str(result.id), "bold"),
                    f"   {format_money(result.amount_cents)} ",
                    ("in cash" if result.method == "cash" else "by city check", "bold"),
                    f"   balance now {format_money(result.new_balance_cents)}")
        if result.override_by:
            text.append_text(literal(f"   approved by {result.override_by}"))
        done.set_text(text)
        done.display = True
        self.credit_cents = max(-result.new_balance_cents, 0)
        if result.method == "cash":
            self._say(f"Give the customer {format_money(result.amount_cents)} and have them "
                      "sign the refund slip.")
            actor = self.session.actor
            assert self.account is not None
            slip = refund_slip(result, self.account, reason, clerk=actor.username,
                               workstation=actor.workstation, at=clock.stamp())
            print_text_in_background(app, SLIP_TITLE, slip, kick=True)
            self.session.refresh_drawer_state()
        else:
            self._say(f"Finance will issue a city check for {format_money(result.amount_cents)}"
                      f" (refund {result.id}).")
        self.posted()
