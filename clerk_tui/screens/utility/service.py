"""Service desk screens: new account, service orders, meter reads, close and transfer.

Account `A` menu: O new service order, M enter a meter read, C close the account, T transfer
service. Utility desk (F11): N new account, L route list of open orders, W work the open
orders (dispatch, complete with the read, cancel).

Every job is a kit `Form` (clerk_tui/screens/kit/): Enter moves to the next field and, on the
last one, asks the domain (through the session's `run`, off the UI thread); the domain's
message is shown as is; Esc goes back and, before the job is done, changes nothing. Everything
typed by the public is shown literally.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import DataTable

from clerk_tui.domain import clock
from clerk_tui.domain.accounts import get_account
from clerk_tui.domain.actor import Override
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.utility import orders, reads, service
from clerk_tui.screens.kit import Action, Field, Form, ListAndAct, Picker, Row
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility.common import DeskReport, OnSession, digits, whole
from clerk_tui.widgets.literal import LiteralLabel, lines


class DeskForm(OnSession, Form):
    """A kit form whose domain work runs through the session (override retry included).

    Subclasses give `send(values)` (called off the UI thread; `override=` after a
    supervisor's approval) and `tell(result)`; `heading_text()` (also off the UI thread)
    fills the heading line when the form shows."""

    def __init__(self, title: str, fields: list[Field], *, heading: str = "",
                 what: str = "", account_id: int | None = None, **kw: Any) -> None:
        self.what = what
        self.account_id = account_id
        super().__init__(title, fields, self.send, self.tell, heading=heading,
                         load_heading=self.heading_text if account_id is not None else None,
                         **kw)

    close_when_done = False
    """True: once done, say `tell(result)` as a notice and close (a quick record)."""

    def send(self, values: dict[str, str], override: Override | None = None) -> Any:
        raise NotImplementedError

    def _done(self, result: Any) -> None:
        if self.close_when_done and result is not None:
            self.session.say(self.tell(result))
            self.dismiss(result)
            return
        super()._done(result)

    def tell(self, result: Any) -> str:
        return str(result)

    def heading_text(self) -> str | list[str]:
        """The heading's lines (each shown literally), read off the UI thread."""
        assert self.account_id is not None
        return _account_heading(self.session.db, self.account_id)

    def _heading(self, text: Any) -> None:
        rows = [text] if isinstance(text, str) else list(text)
        self.heading = "\n".join(rows)
        self.query_one("#kit-heading", LiteralLabel).set_text(lines(*rows))


def _account_heading(db: Any, account_id: int) -> str:
    try:
        a = get_account(db, account_id)
    except ClerkError as e:
        return str(e)
    return f"Account {a.display_number}  {a.customer_name[:28]}  {a.service_address[:28]}"


def _date(value: str = "") -> Field:
    return Field("date", "Read date", value or clock.today().isoformat(), "YYYY-MM-DD", 10)


def _reading(label: str, hint: str, *, blank: bool = False) -> list[Field]:
    """The meter's dials and the read date: the first two lines of every form with a read."""
    what = "A reading" if label == "Reading" else f"The {label.lower()}"
    return [Field("reading", label, "", hint, 6, check=digits(what, blank=blank)), _date()]


# ---- account actions ------------------------------------------------------------------------------
class OrderForm(DeskForm):
    def __init__(self, account_id: int, kind: str) -> None:
        self.kind = kind
        super().__init__(f"New service order: {orders.KIND_LABELS[kind]}", [
            Field("priority", "Priority", "routine", "routine, urgent or emergency", 10),
            Field("requested", "Requested date", clock.today().isoformat(), "YYYY-MM-DD", 10),
            Field("reason", "Reason", "", "What the tech should know", 200),
        ], what="create a service order", account_id=account_id)

    def send(self, v: dict[str, str], override: Override | None = None) -> orders.ServiceOrder:
        assert self.account_id is not None
        return orders.create_order(self.session.db, self.session.actor, self.account_id,
                                   self.kind, priority=v["priority"].lower() or "routine",
                                   requested_on=v["requested"], reason=v["reason"])

    def tell(self, o: orders.ServiceOrder) -> str:
        return (f"ORDER {o.id}: {o.label}, {o.priority}, requested {o.requested_on}. "
                "It is on the route list.")


class OrderKindPicker(Picker):
    """A (the order's kind) then the order form in its place."""

    def __init__(self, account_id: int) -> None:
        super().__init__("Service order: what work?",
                         [(k, orders.KIND_LABELS[k]) for k in orders.KINDS])
        self.account_id = account_id

    def picked(self, key: str) -> None:
        self.app.switch_screen(OrderForm(self.account_id, key))


def new_order(account_id: int) -> Picker:
    return OrderKindPicker(account_id)


class ReadForm(DeskForm):
    def __init__(self, account_id: int) -> None:
        super().__init__("Enter a meter read", [
            *_reading("Reading", "Dials, e.g. 01234"),
            Field("kind", "Kind", "regular", "regular, estimated, final or check", 10),
        ], what="enter a meter read", account_id=account_id)

    def heading_text(self) -> list[str]:
        heading = [_account_heading(self.session.db, self.account_id or 0)]
        assert self.account_id is not None
        try:
            last = reads.list_reads(self.session.db, self.account_id, 1)
        except ClerkError:
            last = []
        if last:
            heading.append(f"Last read {last[0].reading} on {last[0].read_on} "
                           f"({last[0].kind})")
        return heading

    def send(self, v: dict[str, str], override: Override | None = None) -> reads.MeterRead:
        assert self.account_id is not None
        return reads.record_read(self.session.db, self.session.actor, self.account_id,
                                 whole(v["reading"]), kind=v["kind"].lower() or "regular",
                                 read_on=v["date"])

    def tell(self, r: reads.MeterRead) -> str:
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


class CloseForm(DeskForm):
    def __init__(self, account_id: int) -> None:
        super().__init__("Close the account", [
            *_reading("Final reading", "Dials now"),
            Field("credit", "Credit left", "check", "check (finance), cash, or leave", 6),
        ], what="close the account", account_id=account_id, yes="Close",
            confirm=lambda v: "Close this account: final bill, deposit applied?",
            retry=_final_read_retry)

    def send(self, v: dict[str, str], override: Override | None = None
             ) -> service.ClosedService:
        assert self.account_id is not None
        return service.close_service(self.session.db, self.session.actor, self.account_id,
                                     final_reading=whole(v["reading"]), read_on=v["date"],
                                     refund=_refund_choice(v["credit"]),
                                     confirmed=v.get("_confirmed") == "1", override=override)

    def tell(self, c: service.ClosedService) -> str:
        parts = [f"CLOSED {c.account.display_number}."]
        if c.final_bill:
            parts.append(f"Final bill {format_money(c.final_bill.amount_cents)}.")
        if c.deposit_applied_cents:
            parts.append(f"Deposit {format_money(c.deposit_applied_cents)} applied.")
        if c.refund:
            parts.append(f"Refund {format_money(c.refund.amount_cents)} by {c.refund.method}.")
        parts.append(f"Balance {format_money(c.balance_cents)}.")
        return " ".join(parts)


class TransferForm(DeskForm):
    def __init__(self, account_id: int) -> None:
        super().__init__("Transfer service (customer moves)", [
            *_reading("Final reading", "Dials at the old address"),
            Field("address", "New address", "", "Service address", 120),
            Field("mailing", "Mailing address", "", "Blank = the new address", 200),
            Field("on", "Turn on date", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], what="transfer service", account_id=account_id, yes="Transfer",
            confirm=lambda v: "Close this address and open the new one?",
            retry=_final_read_retry)

    def send(self, v: dict[str, str], override: Override | None = None
             ) -> service.TransferredService:
        assert self.account_id is not None
        return service.transfer_service(
            self.session.db, self.session.actor, self.account_id,
            final_reading=whole(v["reading"]), read_on=v["date"],
            new_service_address=v["address"], new_mailing_address=v["mailing"] or None,
            requested_on=v["on"], confirmed=v.get("_confirmed") == "1")

    def tell(self, t: service.TransferredService) -> str:
        new = t.opened.account
        return (f"MOVED to account {new.display_number} at {new.service_address}. "
                f"Balance carried {format_money(t.balance_moved_cents)}; deposit moved "
                f"{format_money(t.deposit_moved_cents)}. Turn-on order {t.opened.turn_on_order.id}.")


# ---- desk jobs ----------------------------------------------------------------------------------
class NewAccountForm(DeskForm):
    def __init__(self) -> None:
        super().__init__("New account (start service)", [
            Field("name", "Customer name", "", "As on the ID", 80),
            Field("address", "Service address", "", "Street address", 120),
            Field("mailing", "Mailing address", "", "Blank = the service address", 200),
            Field("phone", "Phone", "", "(530) 555-0100", 24),
            Field("services", "Services", "water,sewer,refuse", "water,sewer,refuse", 40),
            Field("class", "Rate class", "residential", "residential, commercial…", 30),
            Field("cycle", "Billing cycle", "1", "1-4", 2,
                  check=digits("The billing cycle", blank=True)),
            Field("size", "Meter size", '5/8"', '5/8", 3/4", 1", 2"', 6),
            Field("on", "Turn on date", clock.today().isoformat(), "YYYY-MM-DD", 10),
        ], heading="A deposit is charged when the rules ask for one.", what="open an account")

    def send(self, v: dict[str, str], override: Override | None = None
             ) -> service.OpenedService:
        return service.open_service(
            self.session.db, self.session.actor, name=v["name"], service_address=v["address"],
            mailing_address=v["mailing"] or None, phone=v["phone"] or None,
            services=v["services"], rate_class=v["class"].lower(),
            cycle=whole(v["cycle"], 1), meter_size=v["size"] or None, requested_on=v["on"])

    def tell(self, o: service.OpenedService) -> str:
        dep = (f"Deposit {format_money(o.deposit.amount_cents)} ({o.deposit_reason})"
               if o.deposit else (f"Deposit {o.deposit_reason}" if o.deposit_reason
                                  else "No deposit"))
        return (f"ACCOUNT {o.account.display_number} opened (pending). {dep}. "
                f"Turn-on order {o.turn_on_order.id} for {o.turn_on_order.requested_on}.")


class CompleteForm(DeskForm):
    def __init__(self, order: orders.ServiceOrder) -> None:
        self.order = order
        super().__init__(f"Complete order {order.id}: {order.label}", [
            *_reading("Reading", "Blank if no read was taken", blank=True),
            Field("notes", "Tech notes", "", "What the tech found", 1000),
        ], heading=(f"{order.account_number}  {order.service_address[:40]}  tech "
                    f"{order.technician or ''}"), what="complete a service order")

    def send(self, v: dict[str, str], override: Override | None = None
             ) -> orders.ServiceOrder:
        return orders.complete_order(self.session.db, self.session.actor, self.order.id,
                                     reading=whole(v["reading"]), read_on=v["date"],
                                     notes=v["notes"])

    def tell(self, o: orders.ServiceOrder) -> str:
        return f"ORDER {o.id} completed by {o.completed_by}."


class OrdersScreen(OnSession, ListAndAct):
    """Open and dispatched orders in route order: D dispatch, C (or Enter) complete,
    X cancel, L the route list."""

    what = "work the service orders"

    def __init__(self) -> None:
        self.by_id: dict[int, orders.ServiceOrder] = {}
        super().__init__("Service orders",
                         ["Order", "Requested", "Priority", "Work", "Status", "Where"],
                         self._load, [
            Action("d", "Dispatch", prompt=lambda oid: TextPrompt(
                f"Dispatch order {oid} to which technician?", max_length=60),
                work=self._dispatch),
            Action("c", "Complete", open=lambda oid: CompleteForm(self.by_id[oid])),
            Action("x", "Cancel", prompt=lambda oid: TextPrompt(
                f"Cancel order {oid}: why?", max_length=200), work=self._cancel),
            Action("l", "Route list", open=lambda _oid: RouteListScreen(), needs_row=False),
        ], heading="Open service orders (route order)", empty="No open service orders.")

    def _load(self) -> list[Row]:
        found = orders.list_orders(self.session.db)
        self.by_id = {o.id: o for o in found}
        return [Row(o.id, (o.id, o.requested_on, o.priority, o.label, o.status,
                           o.service_address + (f"  tech {o.technician}" if o.technician
                                                else "")))
                for o in found]

    def _dispatch(self, oid: int, tech: str) -> str:
        orders.dispatch_order(self.session.db, self.session.actor, oid, tech)
        return f"Order {oid} dispatched to {tech}."

    def _cancel(self, oid: int, reason: str) -> str:
        orders.cancel_order(self.session.db, self.session.actor, oid, reason)
        return f"Order {oid} cancelled."

    @on(DataTable.RowSelected, "#kit-table")
    def _enter(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.act(self.actions[1])


class RouteListScreen(DeskReport):
    """The route list, read when the screen opens (the desk job needs no arguments), in a
    thread: the screen shows at once and the list follows."""

    what = "read the route list"

    def __init__(self) -> None:
        super().__init__("Route list", load=self._read)

    def _read(self) -> str:
        return orders.route_list(self.session.db)


