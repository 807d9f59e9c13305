"""Licenses (F5): find a license (number, name, DBA, owner, address), see its status, term,
reviews and what it owes; Enter on the empty find field takes the payment (every charge on one
receipt, on the ordinary payment screen). Ctrl+N takes a new application; Ctrl+O is what can be
done to the license shown (reviews, issue, renew, certificate, close, changes); Ctrl+T is the
counter's jobs and reports.

A scanned renewal notice opens the renewal here with the amount due: Enter, then Enter on the
payment screen's tendered field (exact cash), is the whole renewal. Every domain call runs
through the session (a thread), never on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.due import LABELS
from clerk_tui.domain.licenses.finders import search
from clerk_tui.domain.licenses.records import License
from clerk_tui.domain.money import format_money
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import Picker
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

if TYPE_CHECKING:
    from clerk_tui.screens.payment import PaymentScreen

HINT = "Number, name, DBA, owner or address, Enter; Enter on empty = pay what is due"


class LicensesScreen(CounterScreen):
    """One license at a time: found, shown, paid, acted on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_application", "New", key_display="^N", id="licenses.new"),
        Binding("ctrl+o", "actions", "Actions", key_display="^O", id="licenses.actions"),
        Binding("ctrl+t", "jobs", "Jobs/reports", key_display="^T", id="licenses.jobs"),
    ]
    AUTO_FOCUS = "#lic-find"
    CSS_PATH = "licenses.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="licenses")
        self.license: License | None = None
        self._payment: PaymentScreen | None = None
        self._payment_key = ""
        self.duplicate_for: str | None = None
        """A duplicate certificate being sold: printed (marked DUPLICATE) once it is paid."""
        self.pending: Any = None
        """Set by a scan before the screen is shown: run once it is (the renewal to open)."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="lic-row"):
            yield LiteralLabel("Find", classes="lic-label")
            yield ClerkInput(placeholder="License no., business name, DBA, owner, address",
                             max_length=80, id="lic-find")
        yield LiteralLabel("", id="lic-detail")
        yield LiteralLabel("", id="lic-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="lic-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._show()
        if self.pending is not None:
            then, self.pending = self.pending, None
            self.call_after_refresh(then, self)

    # ---- helpers --------------------------------------------------------------------------
    def _say(self, message: str = "") -> None:
        self.query_one("#lic-message", LiteralLabel).set_value(message)

    def _find_field(self) -> Input:
        return self.query_one("#lic-find", Input)

    def _run(self, fn: Any, what: str, then: Any) -> None:
        """Domain work in a thread; a refusal is said on the message line."""
        self.session.run(lambda override=None: fn(), what=what, on_done=then,
                         on_error=lambda e: self._say(str(e)), screen=self)

    def _show(self) -> None:
        out = Text()
        lic = self.license
        if lic is None:
            out.append_text(literal("No license shown: find one above, or Ctrl+N for a new "
                                    "application.", "dim"))
            self.query_one("#lic-detail", LiteralLabel).set_text(out)
            return
        status = lic.status.replace("_", " ").upper()
        out.append_text(join((f"License {lic.number}", "bold"), "  ", (status, "reverse"),
                             f"   Class {lic.class_code} {lic.class_name}"[:50]))
        out.append("\n")
        out.append_text(literal(lic.title[:76], "bold"))
        out.append("\n")
        out.append_text(literal(f"Owners: {lic.owners} ({lic.ownership})"[:60].ljust(61)
                                + f"Employees {lic.employees}"))
        out.append("\n")
        where = {"in_city": "in city", "out_of_town": "out of town",
                 "home": "home occupation"}[lic.location]
        out.append_text(literal(f"{lic.address} ({where})"[:64]
                                + (f"  BID {lic.bid_zone}" if lic.bid_zone else "")))
        term = lic.current_term
        if term:
            out.append("\n")
            out.append_text(literal(f"Term {term.year}: {term.starts_on} to {term.ends_on}, "
                                    f"tax due by {term.due_on}"))
        if lic.reviews:
            out.append("\n")
            out.append_text(literal("Reviews: " + "; ".join(
                f"{r.department_name.split(' ')[0]} {r.label}" for r in lic.reviews)[:150]))
        if lic.dues:
            out.append("\n")
            out.append_text(literal("Amount due today:", "bold"))
            for d in lic.dues:
                for part, cents in d.parts.items():
                    out.append("\n")
                    late = f" ({d.months_late} mo. late)" if part == "PEN" else ""
                    out.append_text(literal(f"  {d.year} {LABELS[part]}{late}".ljust(44)
                                            + format_money(cents).rjust(14)))
            out.append("\n")
            out.append_text(join(("  TOTAL".ljust(44), "bold"),
                                 (format_money(lic.total_due_cents).rjust(14), "bold"),
                                 ("   Enter = pay", "dim")))
        elif lic.status in records.LIVE:
            out.append("\n")
            out.append_text(literal("Nothing due.", "dim"))
        self.query_one("#lic-detail", LiteralLabel).set_text(out)

    def show_license(self, lic: License | None, message: str = "") -> None:
        if lic is None or not self.is_attached:
            return
        self.license = lic
        self._show()
        self._say(message)
        self._find_field().focus()

    def load(self, number: str, message: str = "") -> None:
        db = self.session.db
        self._run(lambda: records.get_license(db, number), f"license {number}",
                  lambda lic: self.show_license(lic, message))

    # ---- finding --------------------------------------------------------------------------
    @on(Input.Submitted, "#lic-find")
    def _find_entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.action_pay()
            return
        db = self.session.db

        def found(hits: list | None) -> None:
            if hits is None or not self.is_attached:
                return
            if not hits:
                self._say(f"No license matches {text!r}.")
                return
            self._find_field().value = ""
            if len(hits) == 1:
                self.load(hits[0].key)
                return
            self.app.push_screen(Picker(f"{len(hits)} licenses match {text!r}",
                                        [(h.key, f"{h.key} {h.title}  {h.detail}"[:70]) for h in hits]),
                                 lambda key: self.load(key) if key else None)

        self._run(lambda: search(db, text, 20), "find a license", found)

    def has_unsaved_work(self) -> bool:
        return False  # the find field holds a search, never work

    # ---- paying ---------------------------------------------------------------------------
    def action_pay(self) -> None:
        """Every charge the license owes today on one sale, handed to the payment screen."""
        from clerk_tui.domain.cashier import SalePreview, price_items
        from clerk_tui.domain.licenses.items import sale_items

        lic = self.license
        if lic is None:
            self._say("Find a license first.")
            return
        if not lic.dues:
            self._say(f"License {lic.number} owes nothing today.")
            return
        db = self.session.db

        def price() -> tuple[list, SalePreview]:
            items = sale_items(db, lic.number)
            return items, price_items(db, items)

        def priced(result: tuple | None) -> None:
            if result is None or not self.is_attached:
                return
            items, preview = result
            pay = self.session.open_payment(self.counter, items, preview)
            self._payment, self._payment_key = pay, pay.key

        self._say("Pricing…")
        self._run(price, "price the license", priced)

    def on_screen_resume(self) -> None:
        pay, self._payment = self._payment, None
        if pay is None or self.license is None:
            return
        if pay.posting:
            self._say("That payment was still posting: check Ctrl+G on Payments.")
        posted = pay.result is not None or pay.key != self._payment_key
        dup, self.duplicate_for = self.duplicate_for, None
        if dup and posted:
            from clerk_tui.screens.licenses.certificates import print_certificate

            print_certificate(self, dup, duplicate=True)
            return
        self.load(self.license.number, "Paid." if posted else "Not paid: still due.")

    # ---- scans ----------------------------------------------------------------------------
    def open_renewal(self, number: str, year: int) -> None:
        """A scanned renewal notice: open `year`'s term (asking this year's facts when the tax
        needs them) and show what is due, ready for Enter = pay."""
        db, actor = self.session.db, self.session.actor

        def facts(need: tuple[str | None, bool] | None) -> None:
            if need is None:
                return
            what, has_term = need
            if has_term or what is None:
                self._run(lambda: records.renew(db, actor, number, year), "renew",
                          lambda lic: self.show_license(lic, _due_message(lic, year)))
                return
            from clerk_tui.screens.licenses.forms import ask_renewal_facts

            ask_renewal_facts(self, number, year, what)

        def need() -> tuple[str | None, bool]:
            lic = records.get_license(db, number)
            has = any(t.year == year for t in lic.terms)
            return (None if has else records.renewal_facts_needed(db, number, year), has)

        self._run(need, f"renewal of {number}", facts)

    # ---- menus ----------------------------------------------------------------------------
    def action_new_application(self) -> None:
        from clerk_tui.screens.licenses.forms import application_form

        self.app.push_screen(application_form(self.session),
                             lambda lic: self.show_license(lic, "Application taken.")
                             if lic else None)

    def action_actions(self) -> None:
        from clerk_tui.screens.licenses.actions import open_actions

        open_actions(self)

    def action_jobs(self) -> None:
        from clerk_tui.screens.licenses.jobs import open_jobs

        open_jobs(self)


def _due_message(lic: License | None, year: int) -> str:
    if lic is None:
        return ""
    if not lic.total_due_cents:
        return f"Renewal {year}: nothing due."
    return f"Renewal {year}: {format_money(lic.total_due_cents)} due. Enter = pay."


def scan_opens_renewal(app: Any, scan: Any) -> None:
    """A renewal or delinquent notice barcode: the licenses counter opens that renewal."""
    _open_with(app, lambda s: s.open_renewal(scan.value.number, scan.value.year))


def scan_opens_license(app: Any, scan: Any) -> None:
    """A certificate barcode: the license on F5."""
    _open_with(app, lambda s: s.load(scan.value.number))


def open_license(screen: Any, key: str) -> None:
    """F2 lookup: Enter on a license line shows it on F5 (over the lookup; Esc comes back)."""
    from clerk_tui.screens.counters import get_counter

    new = LicensesScreen(get_counter("licenses"))
    new.pending = lambda s: s.load(key)
    screen.app.push_screen(new)


def _open_with(app: Any, then: Any) -> None:
    screen = app.screen
    if isinstance(screen, LicensesScreen):
        then(screen)
        return

    def prepare(new: Any) -> None:
        if isinstance(new, LicensesScreen):
            new.pending = then

    app.session.open_counter("licenses", prepare=prepare)


COUNTER_SCREEN = LicensesScreen
