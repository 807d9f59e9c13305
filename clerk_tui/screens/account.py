"""The account view: who, where, what they owe and since when, and what happened lately.

The main facts (customer, service address, status, balance due with aging, last payment,
alerts) sit in the top lines so they fit 80x24 with the first page of history below. History,
bills and notes share one panel (H / B / O) because three tables never fit one terminal;
PageUp/PageDown page the history through the domain (never the whole ledger in a table).
Everything comes from one `load_account` call, so the numbers agree with each other.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, DataTable

from clerk_tui.domain import accounts
from clerk_tui.domain.accounts import AccountView, LedgerPage
from clerk_tui.domain.cashier import ReceiptView, last_receipt_for_account
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money
from clerk_tui.screens.account_actions import AccountActionsScreen, actions_for
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter, get_counter
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.reprint import ReprintScreen
from clerk_tui.widgets.literal import LiteralLabel, join, literal

PAGE_SIZE = 8
"""History lines per page: what fits under the main facts at 80x24."""

_ALERT_STYLE = {"stop": "bold reverse", "warn": "bold", "info": ""}


class AccountScreen(CounterScreen):
    """One account, opened from lookup (or a scan); F3 takes a payment for it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "pay", "Pay", id="account.pay"),
        Binding("f2", "back", "Lookup", show=False, id="account.lookup"),
        Binding("n", "note", "Note", id="account.note"),
        Binding("r", "reprint", "Reprint", id="account.reprint"),
        Binding("a", "actions", "Actions", id="account.actions"),
        Binding("h", "panel('acct-ledger')", "History", show=False, id="account.history"),
        Binding("b", "panel('acct-bills')", "Bills", show=False, id="account.bills"),
        Binding("o", "panel('acct-notes-box')", "Notes", show=False, id="account.notes"),
        Binding("pagedown", "page(1)", "Older", show=False, priority=True,
                id="account.older"),
        Binding("pageup", "page(-1)", "Newer", show=False, priority=True,
                id="account.newer"),
    ]
    AUTO_FOCUS = "#acct-ledger"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter, account_id: int) -> None:
        super().__init__(counter, id="account")
        self.account_id = account_id
        self.view: AccountView | None = None
        self.page = 0
        self.title = "Account"

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Loading…", id="acct-head")
        yield LiteralLabel("", id="acct-money")
        yield LiteralLabel("", id="acct-alerts")
        with ContentSwitcher(initial="acct-ledger", id="acct-panels"):
            yield DataTable(id="acct-ledger", cursor_type="row", show_row_labels=False)
            yield DataTable(id="acct-bills", cursor_type="row", show_row_labels=False)
            with VerticalScroll(id="acct-notes-box"):
                yield LiteralLabel("", id="acct-notes")
        yield LiteralLabel("", id="acct-page")

    def on_mount(self) -> None:
        ledger = self.query_one("#acct-ledger", DataTable)
        ledger.add_column("Date", width=10)
        ledger.add_column("What", width=30)  # 78 columns in all: nothing under a scrollbar
        ledger.add_column("Amount", width=11)
        ledger.add_column("Balance", width=11)
        ledger.add_column("Rcpt", width=6)
        bills = self.query_one("#acct-bills", DataTable)
        bills.add_column("Bill date", width=10)
        bills.add_column("Due", width=10)
        bills.add_column("Period", width=23)
        bills.add_column("Use", width=7)
        bills.add_column("Amount", width=11)
        self.reload()

    def on_screen_resume(self) -> None:
        """Back from a payment: the balance and history have changed."""
        if self.view is not None:
            self.reload()

    # ---- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="account-load")
    def reload(self) -> None:
        try:
            view = accounts.load_account(self.session.db, self.account_id,
                                         page_size=PAGE_SIZE)
        except ClerkError as e:
            self.app.call_from_thread(self._say, str(e))
            return
        self.app.call_from_thread(self._show, view)

    def _say(self, message: str) -> None:
        if not self.is_attached:
            return  # the clerk moved on before the load finished
        self.query_one("#acct-page", LiteralLabel).set_value(message, "bold")

    def _show(self, view: AccountView) -> None:
        if not self.is_attached or not self.query("#acct-head"):
            return  # the clerk moved on (or the screen is being removed) before the load ended
        self.view = view
        self.page = 0
        a = view.account
        self.title = f"Account {a.display_number}"
        self.session.refresh_status()
        head = join((a.display_number, "bold"), "  ", (a.customer_name, "bold"),
                    "  [", a.status.upper(), "]")
        head.append("\n")
        where = ", ".join(p for p in (a.service_address, a.service_city, a.service_zip) if p)
        head.append_text(join(("Service: ", "dim"), where))
        head.append("\n")
        head.append_text(join(("Services: ", "dim"), ", ".join(a.services) or "none",
                              ("   Phone: ", "dim"), a.phone or "-",
                              ("   Rate: ", "dim"), a.rate_class))
        self.query_one("#acct-head", LiteralLabel).set_text(head)
        g = view.aging
        label = "Balance due " if view.balance_cents >= 0 else "Credit "
        money = join((label, "bold"), (format_money(abs(view.balance_cents)), "bold"),
                     ("   Current ", "dim"), format_money(g.current),
                     ("  30 ", "dim"), format_money(g.days_30),
                     ("  60 ", "dim"), format_money(g.days_60),
                     ("  90+ ", "dim"), format_money(g.days_90_plus))
        money.append("\n")
        last = view.last_payment
        if last is None:
            money.append_text(join(("Last payment: ", "dim"), "none on file"))
        else:
            rcpt = f" (receipt {last.receipt_number})" if last.receipt_number else ""
            money.append_text(join(("Last payment: ", "dim"), format_money(last.amount_cents),
                                   f" on {last.date}{rcpt}"))
        self.query_one("#acct-money", LiteralLabel).set_text(money)
        alerts = Text()
        for i, al in enumerate(view.alerts):
            if i:
                alerts.append("\n")
            alerts.append_text(literal(al.message, _ALERT_STYLE.get(al.level, "")))
        alerts_label = self.query_one("#acct-alerts", LiteralLabel)
        alerts_label.set_text(alerts)
        alerts_label.display = bool(view.alerts)
        self._show_history(view.history)
        bills = self.query_one("#acct-bills", DataTable)
        bills.clear()
        for b in view.bills:
            bills.add_row(literal(b.bill_date), literal(b.due_date),
                          literal(f"{b.period_start} - {b.period_end}"),
                          literal(str(b.consumption)), literal(format_money(b.amount_cents)))
        notes = Text()
        for i, n in enumerate(view.notes):
            if i:
                notes.append("\n")
            notes.append_text(join((f"{n.at[:16]} {n.clerk}: ", "dim"), n.text))
        if not view.notes:
            notes = literal("No notes. N adds one.", "dim")
        self.query_one("#acct-notes", LiteralLabel).set_text(notes)

    def _show_history(self, page: LedgerPage) -> None:
        table = self.query_one("#acct-ledger", DataTable)
        table.clear()
        for line in page.lines:
            what = line.description + (" (reversed)" if line.reversed else "")
            table.add_row(literal(line.date), literal(what),
                          literal(format_money(line.amount_cents).rjust(11)),
                          literal(format_money(line.balance_after_cents).rjust(11)),
                          literal(str(line.receipt_number or "")))
        self.query_one("#acct-page", LiteralLabel).set_value(
            f"History page {page.page + 1} of {page.pages}, newest first "
            f"(PgUp/PgDn; H history, B bills, O notes)" if page.total_lines
            else "No history yet.  (H history, B bills, O notes)")

    # ---- keys -----------------------------------------------------------------------------
    def action_page(self, step: int) -> None:
        """PageDown = older, PageUp = newer; the domain returns one page at a time."""
        if self.view is None:
            return
        self.query_one("#acct-panels", ContentSwitcher).current = "acct-ledger"
        new = self.page + step
        if new < 0:
            return
        db, account_id = self.session.db, self.account_id

        def shown(page: accounts.LedgerPage | None) -> None:
            if page is None or not self.is_attached or (not page.lines and new > 0):
                return
            self.page = new
            self._show_history(page)

        self.session.run(lambda override=None: accounts.ledger_history(db, account_id, new,
                                                                       PAGE_SIZE),
                         what="read the history", on_done=shown, screen=self)

    def action_panel(self, panel: str) -> None:
        self.query_one("#acct-panels", ContentSwitcher).current = panel
        target = self.query_one(f"#{panel}")
        if target.focusable:
            target.focus()

    def action_pay(self) -> None:
        """F3 here pays THIS account (the payment screen opens with it as the first item)."""
        if self.view is None:
            return
        counter = get_counter("payments")
        app = self.clerk_app
        if not self.session.may_open(counter):
            app.notify("Your role may not take payments.", severity="warning", markup=False)
            return
        from clerk_tui.screens.payment import PaymentScreen

        app.push_screen(PaymentScreen(counter, reference=self.view.account.display_number))

    def action_actions(self) -> None:
        """The account's duties menu (service orders, reads, adjustments, plans, refunds…)."""
        if self.view is None:
            return
        actions = actions_for(self.session.actor)
        title = f"Account {self.view.account.display_number}: what to do"

        menu = AccountActionsScreen(title, actions)

        def picked(letter: str | None) -> None:
            action = menu.action(letter)
            if action is not None and self.is_attached:
                self.app.push_screen(action.open(self.account_id))

        self.app.push_screen(menu, picked)

    def action_note(self) -> None:
        if self.view is None:
            return
        prompt = TextPrompt(f"Note on {self.view.account.display_number}",
                            placeholder="What happened (shown to every clerk)",
                            max_length=1000)

        def done(text: str | None) -> None:
            if text is None:
                return
            db, actor, account_id = self.session.db, self.session.actor, self.account_id

            def added(_: object) -> None:
                self.session.say("Note added.")
                if self.is_attached:
                    self.reload()

            self.session.run(lambda override=None: accounts.add_note(db, actor, account_id,
                                                                     text),
                             what="add the note", on_done=added)

        self.app.push_screen(prompt, done)

    def action_reprint(self) -> None:
        """R: the last receipt paid on this account as it will reprint (marked DUPLICATE);
        Enter prints it. Looking is free: only printing is audited as a reprint."""
        if self.view is None:
            return
        self._reprint()

    @work(thread=True, exclusive=True, group="account-reprint")
    def _reprint(self) -> None:
        app = self.clerk_app
        try:
            last = last_receipt_for_account(self.session.db, self.account_id)
            if last is None:
                app.call_from_thread(app.notify, "No receipt on file for this account.",
                                     markup=False)
                return
            preview = self.session.station.preview(last, duplicate=True)
        except ClerkError as e:
            app.call_from_thread(app.notify, str(e), severity="error", markup=False)
            return
        app.call_from_thread(self._show_reprint, last, preview)

    def _show_reprint(self, view: ReceiptView, preview: str) -> None:
        if self.is_attached and self.app.screen is self:
            self.app.push_screen(ReprintScreen(view, preview))
