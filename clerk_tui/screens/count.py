"""Counting a drawer by denomination: the opening bank, or the blind closing count.

Quantities, never totals, are typed (the count itself is kept, reprinted and used for the
deposit's currency/coin split). The closing count is blind: this screen shows only what the
clerk has counted, never what the drawer should hold; the over/short appears on the drawer
screen after the domain has recorded the count. Checks and money orders are listed as
"number amount" pairs separated by commas, as they come out of the drawer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.widgets import Input

from clerk_tui.domain.cashier import DENOMINATIONS, CountedItem, DrawerCount
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import get_counter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel

MAX_LISTED = 200


def parse_items(text: str, label: str) -> list[CountedItem]:
    """'1001 25.00, 1002 40' -> two items; the domain's parse_money checks each amount."""
    items: list[CountedItem] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        if len(bits) != 2:
            raise ValidationError(f"{label}: write each as 'number amount', e.g. 1001 25.00 "
                                  f"(got {part!r}).")
        number, amount = bits
        items.append(CountedItem(number, parse_money(amount, allow_zero=False)))
    if len(items) > MAX_LISTED:
        raise ValidationError(f"{label}: at most {MAX_LISTED} listed here.")
    return items


class CountScreen(CounterScreen):
    """Enter moves to the next field; Enter on the last field submits the count."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "submit", "Submit", key_display="^Y", id="count.submit"),
    ]
    AUTO_FOCUS = "#count-twenties"
    CSS_PATH = "cashier.tcss"

    def __init__(self, *, closing: bool, on_count: Callable[[DrawerCount], None]) -> None:
        super().__init__(get_counter("drawer"), id="count")
        self.closing = closing
        self.on_count = on_count
        self.title = "Blind count" if closing else "Opening bank"

    def compose_body(self) -> ComposeResult:
        what = ("Count the drawer. It is blind: over/short shows only after you submit."
                if self.closing else "Count the opening bank by denomination")
        yield LiteralLabel(what, style="bold", id="count-title")
        with Grid(id="count-grid"):
            for d in DENOMINATIONS:
                yield LiteralLabel(d.label, classes="count-label")
                yield ClerkInput(placeholder="0", restrict=r"[0-9]*", max_length=6,
                                 compact=True, id=f"count-{d.code}", classes="count-input")
        if self.closing:
            # Labels of their own: a placeholder alone would vanish once the clerk types.
            with Horizontal(classes="count-list-row"):
                yield LiteralLabel("Checks", classes="count-list-label")
                yield ClerkInput(placeholder="number amount, number amount, ...",
                                 max_length=4000, compact=True, id="count-checks")
            with Horizontal(classes="count-list-row"):
                yield LiteralLabel("Money orders", classes="count-list-label")
                yield ClerkInput(placeholder="number amount, ...", max_length=4000,
                                 compact=True, id="count-mos")
        yield LiteralLabel("Counted: $0.00", id="count-total")
        yield LiteralLabel("", id="count-message", classes="message")
        yield LiteralLabel("Enter = next field (last field submits)    ^Y = submit    "
                           "Esc = cancel", style="dim")

    def _fields(self) -> list[Input]:
        return list(self.query(ClerkInput))

    def build(self) -> DrawerCount:
        """The count as typed; raises the domain's ValidationError for anything wrong."""
        quantities: dict[str, int] = {}
        for d in DENOMINATIONS:
            text = self.query_one(f"#count-{d.code}", Input).value.strip()
            if text:
                quantities[d.code] = int(text)
        checks = mos = []
        if self.closing:
            checks = parse_items(self.query_one("#count-checks", Input).value, "Checks")
            mos = parse_items(self.query_one("#count-mos", Input).value, "Money orders")
        count = DrawerCount(quantities, tuple(checks), tuple(mos))
        count.validate()
        return count

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        try:
            count = self.build()
        except (ClerkError, ValueError):
            return
        parts = [f"cash {format_money(count.cash_cents)}"]
        if self.closing:
            parts.append(f"checks {format_money(count.check_cents)} ({len(count.checks)})")
            parts.append(f"money orders {format_money(count.money_order_cents)} "
                         f"({len(count.money_orders)})")
        self.query_one("#count-total", LiteralLabel).set_value("Counted: " + ", ".join(parts))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self._fields()
        index = fields.index(event.input)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        try:
            count = self.build()
        except ClerkError as e:
            self.query_one("#count-message", LiteralLabel).set_value(str(e))
            return
        if self.closing and not count.cash_cents and not count.checks and not count.money_orders:
            self.query_one("#count-message", LiteralLabel).set_value(
                "Nothing counted: type how many of each bill and coin.")
            return
        if not self.closing and not count.cash_cents:
            self.query_one("#count-message", LiteralLabel).set_value(
                "The opening bank is empty: count it, or Esc and press O for the default.")
            return
        if self.closing:
            self.session.confirm(
                "Submit this count? It cannot be changed afterwards (a recount needs a "
                "supervisor).", lambda yes: self._finish(count) if yes else None,
                yes="Submit", no="Keep counting")
        else:
            self._finish(count)

    def _finish(self, count: DrawerCount) -> None:
        callback = self.on_count
        self.app.pop_screen()
        callback(count)
