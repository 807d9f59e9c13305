"""Misc. sales (F12): pick items by letter, code or a word of their name, say how many, then
Enter on an empty item field hands the sale to the payment screen (any tender, change,
receipt, void) exactly as Payments takes it.

Enter accepts the obvious default at each step: on the item field it takes the item picked
(or, when empty, goes to payment), on the quantity field an empty quantity is 1. Esc asks
before throwing lines away. The catalogue is read from `data/miscsales/items.toml` once per
process; pricing a misc. line reads no table, so nothing here runs SQL on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.miscsales import (
    CatalogueItem,
    Line,
    catalogue,
    day_report,
    format_day_report,
    price_line,
    sale_items,
)
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.screens.base import CounterScreen, unsaved_text
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

if TYPE_CHECKING:
    from clerk_tui.screens.payment import PaymentScreen

HINT = "Letter or code, Enter; how many, Enter (empty = 1); Enter on empty Item = pay"


def find_item(text: str) -> CatalogueItem:
    """One letter picks by key; otherwise an exact code, else the one item whose code or
    description contains the text. Several matches are named, so the clerk types more."""
    t = text.strip()
    if not t:
        raise ValidationError("Type an item's letter, code or part of its name.")
    items = catalogue().current(clock.today())
    if len(t) == 1:
        hit = next((i for i in items if i.key == t.lower()), None)
        if hit is None:
            raise ValidationError(f"No item on letter {t!r}.")
        return hit
    exact = [i for i in items if i.code == t.upper()]
    if exact:
        return exact[0]
    low = t.lower()
    found = [i for i in items if low in i.code.lower() or low in i.description.lower()]
    if not found:
        raise ValidationError(f"No misc. item matches {t!r}.")
    if len(found) > 1:
        raise ValidationError(f"{t!r} matches {', '.join(i.code for i in found[:5])}: "
                              "type more, or the letter.")
    return found[0]


class MiscSalesScreen(CounterScreen):
    """The catalogue, the lines of this sale and its total; payment happens on Payments."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "remove_line", "Remove", key_display="^R", id="miscsales.remove"),
        Binding("ctrl+o", "day_report", "Day report", key_display="^O",
                id="miscsales.report"),
    ]
    AUTO_FOCUS = "#misc-item"
    CSS_PATH = "miscsales.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="miscsales")
        self.lines: list[Line] = []
        self.picked: CatalogueItem | None = None
        self._handed: list[Line] = []
        self._payment: PaymentScreen | None = None
        self._payment_key = ""

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="misc-catalogue")
        with Horizontal(classes="misc-row"):
            yield LiteralLabel("Item", classes="misc-label")
            yield ClerkInput(placeholder="Letter, code or name", max_length=32, id="misc-item")
            yield ClerkInput(placeholder="Qty", max_length=6, restrict=r"[0-9-]*",
                             id="misc-qty")
        yield LiteralLabel("", id="misc-sale")
        yield LiteralLabel("", id="misc-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="misc-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_catalogue()
        self._refresh_sale()

    # ---- drawing --------------------------------------------------------------------------
    def _show_catalogue(self) -> None:
        out = Text()
        try:
            items = catalogue().current(clock.today())
        except ClerkError as e:
            self._say(str(e))
            return
        for n, i in enumerate(items):
            if n:
                out.append("\n")
            out.append_text(join((f" {i.key.upper()} ", "bold reverse"), " ",
                                 i.description[:44].ljust(45), i.code[:12].ljust(13),
                                 format_money(i.unit_cents).rjust(10)))
        self.query_one("#misc-catalogue", LiteralLabel).set_text(out)

    def _refresh_sale(self) -> None:
        out = Text()
        if not self.lines:
            out.append_text(literal("No items yet: a letter above, then Enter.", "dim"))
        for n, ln in enumerate(self.lines, start=1):
            if n > 1:
                out.append("\n")
            what = f"{ln.item.description} x {ln.quantity}"
            out.append_text(join(f"{n}. ", what[:58].ljust(60),
                                 format_money(ln.amount_cents).rjust(14)))
        if self.lines:
            out.append("\n")
            out.append_text(join(("TOTAL".ljust(63), "bold"),
                                 (format_money(self.total).rjust(14), "bold")))
        self.query_one("#misc-sale", LiteralLabel).set_text(out)
        qty = self._field("misc-qty")
        qty.placeholder = f"Enter = 1 (max {self.picked.max_quantity})" if self.picked \
            else "Qty"

    @property
    def total(self) -> int:
        return sum(ln.amount_cents for ln in self.lines)

    def _field(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _say(self, message: str = "", *, focus: str | None = None) -> None:
        self.query_one("#misc-message", LiteralLabel).set_value(message)
        if focus:
            self._field(focus).focus()

    def has_unsaved_work(self) -> bool:
        return bool(self.lines) or unsaved_text(self)

    # ---- picking --------------------------------------------------------------------------
    @on(Input.Submitted, "#misc-item")
    def _item_entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            if self.lines:
                self.action_pay()
            else:
                self._say("Pick an item first: its letter, then Enter.")
            return
        try:
            item = find_item(text)
        except ClerkError as e:
            self.picked = None
            self._say(str(e), focus="misc-item")
            self._refresh_sale()
            return
        self.picked = item
        self._say(f"{item.description}: {format_money(item.unit_cents)} each. How many?",
                  focus="misc-qty")
        self._refresh_sale()

    @on(Input.Submitted, "#misc-qty")
    def _qty_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.picked is None:
            self._say("Pick an item first.", focus="misc-item")
            return
        text = event.value.strip()
        try:
            qty = 1 if not text else int(text)
        except ValueError:
            self._say(f"{text!r} is not a quantity: a whole number, like 3.", focus="misc-qty")
            return
        try:
            line = price_line(self.picked.code, qty, clock.today())
            check_cents(self.total + line.amount_cents, "The sale total")
        except ClerkError as e:
            self._say(str(e), focus="misc-qty")
            return
        self.lines.append(line)
        self.picked = None
        self._field("misc-item").value = ""
        self._field("misc-qty").value = ""
        self._say(f"Added {line.item.description} x {line.quantity}: "
                  f"{format_money(line.amount_cents)}.", focus="misc-item")
        self._refresh_sale()

    def action_remove_line(self) -> None:
        if not self.lines:
            self._say("Nothing to remove.")
            return
        gone = self.lines.pop()
        self._say(f"Removed {gone.item.description} x {gone.quantity}.", focus="misc-item")
        self._refresh_sale()

    # ---- paying ---------------------------------------------------------------------------
    def action_pay(self) -> None:
        """Hand the lines to the payment screen: it prices them again, takes any tender and
        posts one receipt. Back here after it, a posted sale is gone and an unpaid one is
        still on the screen."""
        from clerk_tui.domain.cashier import SaleItem, SalePreview, price_items

        items: list[SaleItem] = sale_items(self.lines)
        db = self.session.db
        self._say("Pricing the sale…")

        def priced(preview: SalePreview | None) -> None:
            if preview is None or not self.is_attached:
                return
            pay = self.session.open_payment(self.counter, items, preview)
            self._handed, self.lines = self.lines, []
            self._payment, self._payment_key = pay, pay.key
            self._say("")
            self._refresh_sale()

        self.session.run(lambda override=None: price_items(db, items), what="price the sale",
                         on_done=priced, on_error=lambda e: self._say(str(e)), screen=self)

    def on_screen_resume(self) -> None:
        """Back from the payment screen: its sale was posted (a receipt, or N started another
        sale after one, which changes its key), still posting, or never paid."""
        pay, self._payment = self._payment, None
        if pay is None:
            return
        posted = pay.result is not None or pay.key != self._payment_key
        if pay.posting:
            self._handed = []
            self._say("That sale was still posting: check Ctrl+G on Payments before selling "
                      "it again.")
        elif posted:
            self._handed = []
            self._say("Paid. Next customer: a letter, then Enter.")
        else:  # not paid: the lines come back
            self.lines, self._handed = self._handed, []
            self._say("Not paid: the sale is still here.")
        self._refresh_sale()
        self._field("misc-item").focus()

    # ---- report ---------------------------------------------------------------------------
    def action_day_report(self) -> None:
        """Ctrl+O: today's misc. sales by item (voided/reversed shown apart), in the kit's
        report view; P prints it. The read runs through the session, never on the UI thread."""
        db = self.session.db
        day = clock.today()
        self._say("Reading today's sales…")

        def show(text: str | None) -> None:
            if text is None or not self.is_attached:
                return
            self._say("")
            self.app.push_screen(ReportScreen("Misc. sales by item", text,
                                              print_text=self.session.print_text,
                                              run=self.session.kit_run))

        self.session.run(lambda override=None: format_day_report(day_report(db, day), day),
                         what="read today's misc. sales", on_done=show,
                         on_error=lambda e: self._say(str(e)), screen=self)


COUNTER_SCREEN = MiscSalesScreen
