"""Service desk screens: new account, service orders, meter reads, close and transfer.

Account `A` menu: O new service order, M enter a meter read, C close the account, T transfer
service. Utility desk (F11): N new account, L route list of open orders, W work the open
orders (dispatch, complete with the read, cancel).

Every job is a short form (`FormScreen`): Enter moves to the next field and, on the last one,
asks the domain; the domain's message is shown as is; Esc goes back and, before the job is
done, changes nothing. Everything typed by the public is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain import clock
from clerk_tui.domain.accounts import get_account
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import orders, reads, service
from clerk_tui.screens.base import AsksBeforeDiscarding, UsesSession
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.reports import ReportScreen
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, lines, literal
from clerk_tui.widgets.report_view import ReportView
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.db import Database


# ---- a short form -------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    value: str = ""
    placeholder: str = ""
    max_length: int = 120


Submit = Callable[[dict[str, str], Override | None], Any]


class FormScreen(AsksBeforeDiscarding, ModalScreen[Any]):
    """Fields one under another; Enter = next / OK, Ctrl+Y = OK, Esc = back.

    `submit(values, override)` calls the domain (a refusal is shown and the form stays open);
    `describe(result)` is what the clerk reads when it is done. `confirm(values)` may return a
    question asked first; `retry(error, values)` may return a question whose Yes submits again
    with values["_confirmed"] = "1" (e.g. a final read the clerk has checked).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "go", "OK", key_display="^Y", id="form.go"),
        Binding("escape", "back", "Back", id="form.back"),
    ]
    DEFAULT_CSS = """
    FormScreen #form-title { padding: 0 1; height: 1; text-style: bold; }
    FormScreen #form-heading { padding: 0 1; height: auto; max-height: 3; }
    FormScreen .form-row { height: 1; margin: 0 1; }
    FormScreen .form-label { width: 18; text-style: bold; }
    FormScreen .form-row Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    FormScreen #form-done { padding: 0 1; margin: 1 1 0 1; height: auto;
                            border: round $success; }
    FormScreen #form-message { padding: 0 1; height: auto; }
    FormScreen #form-hint { padding: 0 1; height: 1; }
    .-ascii FormScreen #form-done { border: ascii $success; }
    """

    def __init__(self, title: str, heading: str, fields: list[FormField], submit: Submit,
                 describe: Callable[[Any], str], *, what: str,
                 confirm: Callable[[dict[str, str]], str | None] | None = None,
                 retry: Callable[[ClerkError, dict[str, str]], str | None] | None = None,
                 yes: str = "OK") -> None:
        super().__init__(classes="opaque-screen")
        self.title = title
        self.heading = heading
        self.fields = fields
        self.submit = submit
        self.describe = describe
        self.what = what
        self.confirm = confirm
        self.retry = retry
        self.yes = yes
        self.busy = False
        self.result: Any = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield LiteralLabel(self.title, id="form-title")
        yield LiteralLabel(self.heading, id="form-heading")
        with Vertical(id="form-fields"):
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield LiteralLabel(f.label, classes="form-label")
                    yield ClerkInput(f.value, placeholder=f.placeholder,
                                     max_length=f.max_length, id=f"f-{f.id}")
        yield LiteralLabel("", id="form-done")
        yield LiteralLabel("", id="form-message", classes="message")
        yield LiteralLabel("Enter = next / OK    Ctrl+Y = OK    Esc = back (nothing changes)",
                           style="dim", id="form-hint")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#form-done", LiteralLabel).display = False
        if self.fields:
            self.query_one(f"#f-{self.fields[0].id}", Input).focus()
        self.prepare()

    def prepare(self) -> None:
        """Fill in what needs the app (headings, hints); subclasses extend it.

        (Not a second `on_mount`: Textual runs every class's own `on_mount`, base last.)"""

    def values(self) -> dict[str, str]:
        return {f.id: self.query_one(f"#f-{f.id}", Input).value.strip() for f in self.fields}

    def say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#form-message", LiteralLabel).set_value(message)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f"f-{f.id}" for f in self.fields]
        if event.input.id in ids and ids.index(event.input.id) < len(ids) - 1:
            self.query_one(f"#{ids[ids.index(event.input.id) + 1]}", Input).focus()
            return
        self.action_go()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return self.result is None
        return True

    def action_go(self) -> None:
        if self.busy or self.result is not None:
            return
        values = self.values()
        question = self.confirm(values) if self.confirm else None
        if question is None:
            self._run(values)
            return

        def answered(yes: bool) -> None:
            if yes:
                self._run(values)
            else:
                self.say("Not done. Nothing changed.")

        self.session.confirm(question, answered, yes=self.yes)

    def _run(self, values: dict[str, str]) -> None:
        self.busy = True
        self.say("Working…")

        def call(override: Override | None = None) -> Any:
            return self.submit(values, override)

        def failed(e: ClerkError) -> None:
            self.busy = False
            question = self.retry(e, values) if self.retry else None
            self.say(str(e))
            if question:
                def again(yes: bool) -> None:
                    if yes:
                        self._run({**values, "_confirmed": "1"})

                self.session.confirm(question, again, yes="Yes")

        self.session.run(call, what=self.what, on_done=self._done, on_error=failed,
                         screen=self)

    def _done(self, result: Any) -> None:
        self.busy = False
        if not self.is_attached:
            return
        if result is None:
            self.say("Not done: a supervisor's approval is needed. Nothing changed.")
            return
        self.result = result
        for inp in self.query(ClerkInput):
            inp.disabled = True
        done = self.query_one("#form-done", LiteralLabel)
        done.set_value(self.describe(result))
        done.display = True
        self.say("Done. Esc = back.")

    def has_unsaved_work(self) -> bool:
        return self.result is None and super().has_unsaved_work()

    def action_back(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(self.result))


class ChoiceScreen(ModalScreen["str | None"]):
    """Pick one of a few labelled choices: Up/Down + Enter; Esc changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
    ]
    AUTO_FOCUS = "#choice-list"

    def __init__(self, title: str, choices: list[tuple[str, str]],
                 then: Callable[[str], ModalScreen | None] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.choices = choices
        self.then = then

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-box"):
            yield LiteralLabel(self.heading, style="bold")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices],
                             id="choice-list")
            yield LiteralLabel("Up/Down, Enter = pick    Esc = cancel (nothing changes)",
                               style="dim")

    @on(OptionList.OptionSelected, "#choice-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        key = str(event.option.id)
        nxt = self.then(key) if self.then else None
        if nxt is not None:
            self.app.switch_screen(nxt)
        else:
            self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _db_actor(screen: UsesSession) -> tuple[Database, Actor]:
    return screen.session.db, screen.session.actor


def _int(text: str, what: str) -> int:
    t = text.replace(",", "").strip()
    if not t.isdigit():
        raise ValidationError(f"{what} is a whole number (digits only).")
    return int(t)


def _account_heading(db: Database, account_id: int) -> str:
    try:
        a = get_account(db, account_id)
    except ClerkError as e:
        return str(e)
    return f"Account {a.display_number}  {a.customer_name[:28]}  {a.service_address[:28]}"


class _AccountForm(FormScreen):
    """A form about one account: the heading is filled in once mounted (needs the app)."""

    account_id: int

    def prepare(self) -> None:
        self.query_one("#form-heading", LiteralLabel).set_value(
            _account_heading(self.session.db, self.account_id))


# ---- account actions ------------------------------------------------------------------------------
class OrderForm(_AccountForm):
    def __init__(self, account_id: int, kind: str) -> None:
        self.account_id = account_id
        self.kind = kind
        super().__init__(
            f"New service order: {orders.KIND_LABELS[kind]}", "", [
                FormField("priority", "Priority", "routine", "routine, urgent or emergency", 10),
                FormField("requested", "Requested date", clock.today().isoformat(),
                          "YYYY-MM-DD", 10),
                FormField("reason", "Reason", "", "What the tech should know", 200),
            ], self._submit, self._describe, what="create a service order")

    def _submit(self, v: dict[str, str], override: Override | None) -> orders.ServiceOrder:
        db, actor = _db_actor(self)
        return orders.create_order(db, actor, self.account_id, self.kind,
                                   priority=v["priority"].lower() or "routine",
                                   requested_on=v["requested"], reason=v["reason"])

    @staticmethod
    def _describe(o: orders.ServiceOrder) -> str:
        return (f"ORDER {o.id}: {o.label}, {o.priority}, requested {o.requested_on}. "
                "It is on the route list.")


def new_order(account_id: int) -> ChoiceScreen:
    return ChoiceScreen("Service order: what work?",
                        [(k, orders.KIND_LABELS[k]) for k in orders.KINDS],
                        lambda kind: OrderForm(account_id, kind))


class ReadForm(_AccountForm):
    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        super().__init__("Enter a meter read", "", [
            FormField("reading", "Reading", "", "Dials, e.g. 01234", 6),
            FormField("date", "Read date", clock.today().isoformat(), "YYYY-MM-DD", 10),
            FormField("kind", "Kind", "regular", "regular, estimated, final or check", 10),
        ], self._submit, self._describe, what="enter a meter read")

    def prepare(self) -> None:
        super().prepare()
        try:
            last = reads.list_reads(self.session.db, self.account_id, 1)
        except ClerkError:
            last = []
        if last:
            self.query_one("#form-heading", LiteralLabel).set_text(lines(
                _account_heading(self.session.db, self.account_id),
                f"Last read {last[0].reading} on {last[0].read_on} ({last[0].kind})"))

    def _submit(self, v: dict[str, str], override: Override | None) -> reads.MeterRead:
        db, actor = _db_actor(self)
        return reads.record_read(db, actor, self.account_id, _int(v["reading"], "A reading"),
                                 kind=v["kind"].lower() or "regular", read_on=v["date"])

    @staticmethod
    def _describe(r: reads.MeterRead) -> str:
        if r.flagged:
            return (f"READ {r.reading} on {r.read_on} FLAGGED: {r.flag_reason} "
                    f"Reread order {r.reread_order_id}; billing waits for it.")
        return f"READ {r.reading} on {r.read_on} accepted."


def _refund_choice(text: str) -> str:
    t = (text or "leave").lower()
    for choice in service.REFUND_CHOICES:
        if choice.startswith(t):
            return choice
    raise ValidationError("Credit: leave, check or cash.")


def _final_read_retry(e: ClerkError, v: dict[str, str]) -> str | None:
    if isinstance(e, ValidationError) and str(e).startswith("Final read not accepted"):
        return "The final read looks wrong. Checked it with the customer or the tech: use it?"
    return None


class CloseForm(_AccountForm):
    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        super().__init__("Close the account", "", [
            FormField("reading", "Final reading", "", "Dials now", 6),
            FormField("date", "Read date", clock.today().isoformat(), "YYYY-MM-DD", 10),
            FormField("credit", "Credit left", "check", "check (finance), cash, or leave", 6),
        ], self._submit, self._describe, what="close the account", yes="Close",
            confirm=lambda v: "Close this account: final bill, deposit applied?",
            retry=_final_read_retry)

    def _submit(self, v: dict[str, str], override: Override | None) -> service.ClosedService:
        db, actor = _db_actor(self)
        return service.close_service(db, actor, self.account_id,
                                     final_reading=_int(v["reading"], "The final reading"),
                                     read_on=v["date"], refund=_refund_choice(v["credit"]),
                                     confirmed=v.get("_confirmed") == "1", override=override)

    @staticmethod
    def _describe(c: service.ClosedService) -> str:
        parts = [f"CLOSED {c.account.display_number}."]
        if c.final_bill:
            parts.append(f"Final bill {format_money(c.final_bill.amount_cents)}.")
        if c.deposit_applied_cents:
            parts.append(f"Deposit {format_money(c.deposit_applied_cents)} applied.")
        if c.refund:
            parts.append(f"Refund {format_money(c.refund.amount_cents)} by {c.refund.method}.")
        parts.append(f"Balance {format_money(c.balance_cents)}.")
        return " ".join(parts)


class TransferForm(_AccountForm):
    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        super().__init__("Transfer service (customer moves)", "", [
            FormField("reading", "Final reading", "", "Dials at the old address", 6),
            FormField("date", "Read date", clock.today().isoformat(), "YYYY-MM-DD", 10),
            FormField("address", "New address", "", "Service address", 120),
            FormField("mailing", "Mailing address", "", "Blank = the new address", 200),
            FormField("on", "Turn on date", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], self._submit, self._describe, what="transfer service", yes="Transfer",
            confirm=lambda v: "Close this address and open the new one?",
            retry=_final_read_retry)

    def _submit(self, v: dict[str, str], override: Override | None
                ) -> service.TransferredService:
        db, actor = _db_actor(self)
        return service.transfer_service(
            db, actor, self.account_id, final_reading=_int(v["reading"], "The final reading"),
            read_on=v["date"], new_service_address=v["address"],
            new_mailing_address=v["mailing"] or None, requested_on=v["on"],
            confirmed=v.get("_confirmed") == "1")

    @staticmethod
    def _describe(t: service.TransferredService) -> str:
        new = t.opened.account
        return (f"MOVED to account {new.display_number} at {new.service_address}. "
                f"Balance carried {format_money(t.balance_moved_cents)}; deposit moved "
                f"{format_money(t.deposit_moved_cents)}. Turn-on order {t.opened.turn_on_order.id}.")


# ---- desk jobs ----------------------------------------------------------------------------------
class NewAccountForm(FormScreen):
    def __init__(self) -> None:
        super().__init__("New account (start service)",
                         "A deposit is charged when the rules ask for one.", [
            FormField("name", "Customer name", "", "As on the ID", 80),
            FormField("address", "Service address", "", "Street address", 120),
            FormField("mailing", "Mailing address", "", "Blank = the service address", 200),
            FormField("phone", "Phone", "", "(530) 555-0100", 24),
            FormField("services", "Services", "water,sewer,refuse", "water,sewer,refuse", 40),
            FormField("class", "Rate class", "residential", "residential, commercial…", 30),
            FormField("cycle", "Billing cycle", "1", "1-4", 2),
            FormField("size", "Meter size", '5/8"', '5/8", 3/4", 1", 2"', 6),
            FormField("on", "Turn on date", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], self._submit, self._describe, what="open an account")

    def _submit(self, v: dict[str, str], override: Override | None) -> service.OpenedService:
        db, actor = _db_actor(self)
        return service.open_service(
            db, actor, name=v["name"], service_address=v["address"],
            mailing_address=v["mailing"] or None, phone=v["phone"] or None,
            services=v["services"], rate_class=v["class"].lower(),
            cycle=_int(v["cycle"] or "1", "The billing cycle"), meter_size=v["size"] or None,
            requested_on=v["on"])

    @staticmethod
    def _describe(o: service.OpenedService) -> str:
        dep = (f"Deposit {format_money(o.deposit.amount_cents)} ({o.deposit_reason})"
               if o.deposit else (f"Deposit {o.deposit_reason}" if o.deposit_reason
                                  else "No deposit"))
        return (f"ACCOUNT {o.account.display_number} opened (pending). {dep}. "
                f"Turn-on order {o.turn_on_order.id} for {o.turn_on_order.requested_on}.")


class CompleteForm(FormScreen):
    def __init__(self, order: orders.ServiceOrder) -> None:
        self.order = order
        super().__init__(
            f"Complete order {order.id}: {order.label}",
            f"{order.account_number}  {order.service_address[:40]}  tech "
            f"{order.technician or ''}", [
                FormField("reading", "Reading", "", "Blank if no read was taken", 6),
                FormField("date", "Read date", clock.today().isoformat(), "YYYY-MM-DD", 10),
                FormField("notes", "Tech notes", "", "What the tech found", 1000),
            ], self._submit, self._describe, what="complete a service order")

    def _submit(self, v: dict[str, str], override: Override | None) -> orders.ServiceOrder:
        db, actor = _db_actor(self)
        reading = _int(v["reading"], "A reading") if v["reading"] else None
        return orders.complete_order(db, actor, self.order.id, reading=reading,
                                     read_on=v["date"], notes=v["notes"])

    @staticmethod
    def _describe(o: orders.ServiceOrder) -> str:
        return f"ORDER {o.id} completed by {o.completed_by}."


class OrdersScreen(UsesSession, ModalScreen[None]):
    """Open and dispatched orders in route order: D dispatch, C complete, X cancel, L list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "dispatch", "Dispatch", id="orders.dispatch"),
        Binding("c", "complete", "Complete", id="orders.complete"),
        Binding("x", "cancel_order", "Cancel order", id="orders.cancel"),
        Binding("l", "route", "Route list", id="orders.route"),
        Binding("escape", "back", "Back", id="orders.back"),
    ]
    AUTO_FOCUS = "#orders-list"
    DEFAULT_CSS = """
    OrdersScreen #orders-title { padding: 0 1; height: 1; text-style: bold; }
    OrdersScreen #orders-list { height: 1fr; }
    OrdersScreen #orders-message { padding: 0 1; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__(classes="opaque-screen")
        self.title = "Service orders"
        self.orders: list[orders.ServiceOrder] = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield LiteralLabel("Open service orders (route order)", id="orders-title")
        yield OptionList(id="orders-list")
        yield LiteralLabel("", id="orders-message", classes="message")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        db, _ = _db_actor(self)
        self.orders = orders.list_orders(db)
        ol = self.query_one("#orders-list", OptionList)
        keep = ol.highlighted
        ol.clear_options()
        for o in self.orders:
            # Two lines an order, nothing cut at 80 columns ("routin", "Turn on serv"): the
            # order, then its address (and technician) below.
            where = o.service_address + (f"  tech {o.technician}" if o.technician else "")
            prompt = join((f"{o.id:>5} ", "bold"), f"{o.requested_on}  ",
                          f"{o.priority:<9}  ", f"{o.label}  ", (o.status, "bold"))
            prompt.append("\n      ")
            prompt.append_text(literal(where))
            ol.add_option(Option(prompt, id=str(o.id)))
        if self.orders:
            ol.highlighted = min(keep or 0, len(self.orders) - 1)
        if not self.orders:
            self.say("No open service orders.")

    def say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#orders-message", LiteralLabel).set_value(message)

    def _current(self) -> orders.ServiceOrder | None:
        ol = self.query_one("#orders-list", OptionList)
        if ol.highlighted is None or not self.orders:
            self.say("No order picked.")
            return None
        return self.orders[ol.highlighted]

    def _call(self, fn: Callable[[], object], done: str) -> None:
        try:
            fn()
        except ClerkError as e:
            self.say(str(e))
            return
        self.refresh_list()
        self.say(done)

    def action_dispatch(self) -> None:
        o = self._current()
        if o is None:
            return
        db, actor = _db_actor(self)

        def typed(tech: str | None) -> None:
            if tech is None:
                return
            self._call(partial(orders.dispatch_order, db, actor, o.id, tech),
                       f"Order {o.id} dispatched to {tech}.")

        self.app.push_screen(TextPrompt(f"Dispatch order {o.id} to which technician?",
                                        max_length=60), typed)

    def action_complete(self) -> None:
        o = self._current()
        if o is not None:
            self.app.push_screen(CompleteForm(o))

    def action_cancel_order(self) -> None:
        o = self._current()
        if o is None:
            return
        db, actor = _db_actor(self)

        def typed(reason: str | None) -> None:
            if reason is None:
                return
            self._call(partial(orders.cancel_order, db, actor, o.id, reason),
                       f"Order {o.id} cancelled.")

        self.app.push_screen(TextPrompt(f"Cancel order {o.id}: why?", max_length=200), typed)

    def action_route(self) -> None:
        db, _ = _db_actor(self)
        self.app.push_screen(ReportScreen("Route list", orders.route_list(db)))

    def action_back(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            self.action_complete()


class RouteListScreen(ReportScreen):
    """The route list, read when the screen opens (the desk job needs no arguments), in a
    thread: the screen shows at once and the list follows."""

    def __init__(self) -> None:
        super().__init__("Route list", "")

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="route-list")
    def _read(self) -> None:
        try:
            text = orders.route_list(self.session.db)
        except ClerkError as e:
            self.app.call_from_thread(self._say, str(e))
            return
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.text = text
        if self.is_attached:
            self.query_one("#report-log", ReportView).show(text)
