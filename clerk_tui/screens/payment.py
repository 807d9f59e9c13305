"""Payments (F3): a sale of one or more items, paid in one or more tenders, posted once.

The screen knows no item kinds: whatever the clerk types or scans in the item field is offered
to each registered kind (`cashier.kinds()`: utility accounts, fees, and whatever later counters
register) until one recognises it. Enter is the obvious default at every step: Enter on an
empty amount takes the amount due, Enter on an empty tendered amount takes exactly what is
left, and the sale posts as soon as the tenders cover it.

No SQL runs on the UI thread: recognising an item, pricing the sale, Ctrl+G, reprint and void
run in thread workers (`session.run`) and their results are applied when they land. While one
runs the screen says "Working…" and holds typed-ahead keys (it is not `settled`), so "F3 Enter
130 Enter" typed in one burst still lands each key in the field the lookup's result focused.

Posting runs in a thread worker with the idempotency key made when the sale began, so Enter
pressed twice, or a retry after a crash, can never take the money twice; Ctrl+G asks the
database whether this sale went through. After the commit the receipt number and change are
shown and the receipt goes to the devices (drawer kick, printer) in the background.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.domain import clock
from clerk_tui.domain.cashier import (
    ItemQuote,
    PaymentResult,
    ReceiptView,
    SaleItem,
    SalePreview,
    Tender,
    cashier_rules,
    kinds,
    last_receipt_for_clerk,
    last_receipt_for_key,
    new_idempotency_key,
    plan_tenders,
    post_payment,
    price_items,
    quote_item,
    reprint,
    void_receipt,
)
from clerk_tui.domain.cashier.tenders import KINDS as TENDER_KINDS
from clerk_tui.domain.cashier.tenders import LABELS as TENDER_LABELS
from clerk_tui.domain.errors import ClerkError, NotFound, NotThisKind
from clerk_tui.domain.fees import fee_schedule
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.base import CounterScreen, unsaved_text
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.prompts import ReasonPicker
from clerk_tui.screens.station_calls import print_in_background
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

# Which extra fields each tender needs, in the order Enter walks through them.
TENDER_FIELDS: dict[str, tuple[str, ...]] = {
    "cash": (),
    "check": ("pay-number",),
    "money_order": ("pay-number",),
    "card": ("pay-last4", "pay-auth"),
}
_NUMBER_HINT = {"check": "Check number", "money_order": "Money order serial"}
LAST4_FIELD_MAX = 24  # room for a whole card number typed by mistake, so it can be refused
LAST4_TOO_LONG = ("Last 4: the card's last four digits only; more looks like a card number. "
                  "Never type a full card number (Ctrl+U clears the field).")


T = TypeVar("T")


def last4_too_long(value: str) -> bool:
    """More than four digits typed in the last-4 field."""
    return sum(ch.isdigit() for ch in value) > 4


def recognise(db: object, text: str) -> ItemQuote:
    """Offer the typed/scanned reference to every registered item kind; first one wins.

    Why this order of messages: a reference that has the right shape but is not on file
    (NotFound) tells the clerk more than "not an account number"; digits are most likely an
    account (or a later counter's number), letters a fee code.
    """
    ref = text.strip()
    if not ref:
        raise NotFound("Type an account number or a fee code (Ctrl+F lists the fees).")
    errors: list[ClerkError] = []
    for kind in kinds():
        try:
            return quote_item(db, kind.code, ref)  # type: ignore[arg-type]
        except ClerkError as e:
            errors.append(e)
    found = [e for e in errors if isinstance(e, NotFound)]
    if found:
        raise found[0]
    about = [e for e in errors if not isinstance(e, NotThisKind)]
    if about:  # the text has a kind's shape and something in it is wrong: say that
        raise about[0]
    if ref.replace("-", "").replace(" ", "").isdigit():
        raise errors[0]
    raise NotFound(f"Nothing matches {ref[:40]!r}: type an account number, a fee or item code "
                   "(Ctrl+F lists the fees) or a counter's number.")


class PaymentScreen(CounterScreen):
    """Items, then tenders, then one post; afterwards the receipt and its change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "next_tender", "Tender", key_display="^T", id="payment.tender"),
        Binding("ctrl+n", "add_item", "Item", key_display="^N", show=False,
                id="payment.item"),
        Binding("ctrl+f", "pick_fee", "Fees", key_display="^F", show=False,
                id="payment.fees"),
        Binding("ctrl+r", "remove_line", "Remove", key_display="^R", show=False,
                id="payment.remove"),
        Binding("ctrl+g", "went_through", "Posted?", key_display="^G", id="payment.check"),
        # After posting the hint line spells out V, R and N (F1 lists them too): kept out of
        # the footer, which then fits 80 columns up to "^Q Sign out".
        Binding("v", "void", "Void", show=False, id="payment.void"),
        Binding("r", "reprint", "Reprint", show=False, id="payment.reprint"),
        Binding("n", "new_sale", "New sale", show=False, id="payment.new"),
    ]
    AUTO_FOCUS = "#pay-ref"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter, *, reference: str = "",
                 items: list[SaleItem] | None = None,
                 preview: SalePreview | None = None) -> None:
        """`items` with their `preview` (priced off the UI thread by the counter that sold
        them, e.g. misc. sales): the sale is already on the screen and the cursor waits on
        the tender."""
        super().__init__(counter, id="payment")
        self.start_reference = reference
        self.start_amount_cents: int | None = None
        self.key = new_idempotency_key()
        self.items: list[SaleItem] = list(items or [])
        self.preview: SalePreview | None = preview if self.items else None
        if self.items:
            self.AUTO_FOCUS = "#pay-tendered"
        self.tenders: list[Tender] = []
        self.tender_kind = "cash"
        self.pending: ItemQuote | None = None
        self._pending_text = ""  # what the clerk typed for `pending`
        self.result: PaymentResult | None = None
        self.posting = False
        self.voided = False
        self.looking_up = False
        """A lookup (recognise, price, Ctrl+G, reprint) is running in a thread."""

    # ---- layout ---------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="pay-sale")
        with Horizontal(id="pay-item-row", classes="pay-row"):
            yield LiteralLabel("Item", id="pay-item-label", classes="pay-label")
            yield ClerkInput(placeholder="Account no. or fee code", max_length=40,
                             id="pay-ref")
            yield ClerkInput(placeholder="Amount", max_length=20, id="pay-amount")
        with Horizontal(id="pay-tender-row", classes="pay-row"):
            yield LiteralLabel("Cash", id="pay-tender-kind", classes="pay-label")
            yield ClerkInput(placeholder="Number", max_length=24, id="pay-number")
            # Longer than 4 on purpose: a field that stopped at 4 kept the first four digits
            # of a full card number silently; now the clerk is told (see _last4_changed).
            yield ClerkInput(placeholder="Last 4", max_length=LAST4_FIELD_MAX,
                             restrict=r"[0-9 .-]*", id="pay-last4")
            yield ClerkInput(placeholder="Approval", max_length=12, id="pay-auth")
            yield ClerkInput(placeholder="Tendered", max_length=20, id="pay-tendered")
        yield LiteralLabel("", id="pay-done", classes="pay-done")
        yield LiteralLabel("", id="pay-message", classes="message")
        yield LiteralLabel("", id="pay-hint")

    def on_mount(self) -> None:
        done = self.query_one("#pay-done", LiteralLabel)
        done.can_focus = True
        done.display = False
        self._show_tender_fields()
        self._refresh_sale()
        if self.start_reference:
            self.query_one("#pay-ref", Input).value = self.start_reference
            self._recognise(self.start_reference,
                            then=partial(self._fill_amount, self.start_amount_cents))

    # ---- scanned items (the app routes account and bill-stub scans here) ------------------
    def preload(self, reference: str, amount_cents: int | None = None) -> None:
        """Before the screen is shown: start the sale with this item (a scanned stub's
        amount filled in, Enter accepts it; the clerk may type another amount)."""
        self.start_reference = reference
        self.start_amount_cents = amount_cents

    def add_scanned_item(self, reference: str, amount_cents: int | None = None) -> bool:
        """A scan while this screen is showing: one more item for the sale in progress, or
        a new sale after a finished one. False (nothing changed) while a sale is posting."""
        if self.posting:
            self._say("Posting… scan again when the receipt number shows.")
            return False
        if self.looking_up:
            self._say("Working… scan again in a moment.")
            return False
        if self.result is not None:
            self.action_new_sale()
        self._field("pay-ref").value = reference
        self._field("pay-amount").value = ""
        return self._recognise(reference, then=partial(self._fill_amount, amount_cents),
                               scanned=True)

    def _fill_amount(self, amount_cents: int | None) -> None:
        if amount_cents and self.pending is not None and not self.pending.fixed_amount:
            amount = self._field("pay-amount")
            amount.value = f"{amount_cents // 100}.{amount_cents % 100:02d}"
            amount.cursor_position = len(amount.value)

    # ---- lookups in a thread ------------------------------------------------------------
    def _lookup(self, fn: Callable[[], T], then: Callable[[T], object],
                failed: Callable[[ClerkError], object], *, what: str) -> bool:
        """`fn()` (domain reads, SQL) in a thread via `session.run`; `then(result)` or
        `failed(error)` back on the UI thread. False if not started (one at a time).

        Why the screen stops being `settled` meanwhile: where the next typed key belongs
        (item field or amount) depends on the result, so type-ahead holds keys until it lands;
        Enter pressed again meanwhile waits instead of starting a second lookup.
        """
        if self.looking_up:
            self.app.bell()
            return False
        self.looking_up = True
        self.settled = False
        self._say("Working…")

        def done(result: T | None) -> None:
            self.looking_up = False
            if not self.is_attached:
                return  # the screen went (signed out) before the answer came
            try:
                then(result)  # type: ignore[arg-type]  # fn takes no override: never None
            finally:
                self._settle()

        def refused(e: ClerkError) -> None:
            self.looking_up = False
            if not self.is_attached:
                return
            try:
                failed(e)
            finally:
                self._settle()

        worker = self.session.run(lambda override=None: fn(), what=what, on_done=done,
                                  on_error=refused, screen=self)
        if worker is None:  # this screen's void is still running
            self.looking_up = False
            self._say("")
            self._settle()
            return False
        return True

    def _settle(self) -> None:
        """Keys typed ahead reach the screen only when no lookup is deciding the focus."""
        if not self.looking_up:
            super()._settle()

    # ---- shared helpers -------------------------------------------------------------------
    def _field(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _say(self, message: str = "", *, focus: str | None = None) -> None:
        self.query_one("#pay-message", LiteralLabel).set_value(message)
        if focus:
            self._field(focus).focus()

    @property
    def total(self) -> int:
        return self.preview.total_cents if self.preview else 0

    @property
    def tendered(self) -> int:
        return sum(t.amount_cents for t in self.tenders)

    @property
    def remaining(self) -> int:
        return max(self.total - self.tendered, 0)

    def has_unsaved_work(self) -> bool:
        if self.result is not None:
            return False
        return bool(self.items or self.tenders) or unsaved_text(self)

    def help_when(self, action: str) -> str:
        """F1 lists every key; this says when one that is off right now works."""
        if action in ("void", "reprint", "new_sale"):
            return "after posting"
        if action in ("next_tender", "add_item", "pick_fee", "remove_line"):
            return "before posting"
        return ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before posting: the sale keys; after: void, reprint, new sale."""
        done_keys = ("void", "reprint", "new_sale")
        sale_keys = ("next_tender", "add_item", "pick_fee", "remove_line")
        if action in done_keys:
            return self.result is not None
        if action in sale_keys:
            return self.result is None and not self.posting
        return True

    def _refresh_sale(self) -> None:
        """The sale panel: each item, the total, each tender, and what is due or the change."""
        out = Text()
        if self.preview is None:
            out.append_text(literal("No items yet. Type an account number or fee code, "
                                    "then Enter.", "dim"))
        else:
            for n, p in enumerate(self.preview.items, start=1):
                q = p.quote
                # A description too long for its column wraps (never cut off); an account
                # payment names the customer on the line below, to read back to the payer.
                parts = textwrap.wrap(q.description, 52, break_on_hyphens=False) or [""]
                for part in parts[:-1]:
                    out.append_text(join(f"{n}. " if part is parts[0] else "   ", part))
                    out.append("\n")
                lead = f"{n}. " if len(parts) == 1 else "   "
                out.append_text(join(lead, parts[-1].ljust(53),
                                     format_money(p.amount_cents).rjust(13)))
                out.append("\n")
                if q.customer:
                    out.append_text(join("   ", (q.customer[:66], "bold")))
                    out.append("\n")
            out.append_text(join(("TOTAL".ljust(56), "bold"),
                                 (format_money(self.total).rjust(13), "bold")))
            for t in self.tenders:
                out.append("\n")
                detail = t.number or (f"x{t.card_last4} {t.auth_code}" if t.card_last4 else "")
                out.append_text(join(f"   {TENDER_LABELS[t.kind]} {detail}".ljust(56),
                                     format_money(t.amount_cents).rjust(13)))
            out.append("\n")
            if self.tendered >= self.total and self.tenders:
                out.append_text(join(("CHANGE".ljust(56), "bold"),
                                     (format_money(self.tendered - self.total).rjust(13),
                                      "bold")))
            else:
                out.append_text(join(("DUE".ljust(56), "bold"),
                                     (format_money(self.remaining).rjust(13), "bold")))
            if self.preview.no_checks:
                out.append("\n")
                out.append_text(literal("NO CHECKS on this account.", "bold reverse"))
        self.query_one("#pay-sale", LiteralLabel).set_text(out)
        amount = self._field("pay-amount")
        if self.pending is not None and self.pending.default_amount_cents:
            amount.placeholder = f"Enter = {format_money(self.pending.default_amount_cents)}"
        else:
            amount.placeholder = "Amount"
        tendered = self._field("pay-tendered")
        tendered.placeholder = (f"Enter = {format_money(self.remaining)}" if self.remaining
                                else "Tendered")
        # At most 78 columns: the hint is one line at 80x24 and must not lose its end.
        hint = "Enter = next/accept   ^T = tender: cash/check/MO/card   ^R = remove last line"
        if self.result is not None:
            hint = "V = void    R = reprint    N = new sale    Esc = back"
        self.query_one("#pay-hint", LiteralLabel).set_value(hint, "dim")

    # ---- items ----------------------------------------------------------------------------
    @on(Input.Submitted, "#pay-ref")
    def _ref_entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            if self.items:
                self._focus_tender()
            else:
                self._say("Type an account number or a fee code (Ctrl+F lists the fees).")
            return
        self._recognise(text)

    def _recognise(self, text: str, then: Callable[[], object] | None = None, *,
                   scanned: bool = False) -> bool:
        """Look the reference up in a thread; on success it is pending (the amount is next)
        and `then()` runs. False if the lookup could not start."""

        def refused(e: ClerkError) -> None:
            self.pending = None
            if scanned:
                self.app.bell()
            self._say(str(e), focus="pay-ref")
            self._refresh_sale()

        def found(quote: ItemQuote) -> None:
            self._recognised(quote, text)
            if then is not None:
                then()

        return self._lookup(partial(recognise, self.session.db, text), found, refused,
                            what=f"look up {text.strip()[:20]}")

    def _recognised(self, quote: ItemQuote, text: str) -> None:
        self.pending = quote
        self._pending_text = text.strip()
        due = (f"due {format_money(quote.default_amount_cents)}"
               if quote.default_amount_cents else "nothing due: type an amount")
        if quote.fixed_amount:
            due = f"{format_money(quote.default_amount_cents or 0)}"
        who = f"{quote.customer}: " if quote.customer else ""
        self._say(f"{who}{quote.description}: {due}", focus="pay-amount")
        self._refresh_sale()

    @on(Input.Submitted, "#pay-amount")
    def _amount_entered(self, event: Input.Submitted) -> None:
        event.stop()
        ref = self._field("pay-ref").value.strip()
        text = event.value.strip()
        if self.pending is None or ref != self._pending_text:
            if not ref:
                self._say("Type an account number or a fee code first.", focus="pay-ref")
                return
            self._recognise(ref, then=partial(self._price_pending, text))
            return
        self._price_pending(text)

    def _price_pending(self, text: str) -> None:
        """The pending item at the typed amount (empty: the amount due), priced with the
        sale's other items in a thread; added to the sale when the price comes back."""
        pending = self.pending
        if pending is None:
            return
        try:
            amount = None if not text else parse_money(text, allow_zero=False)
        except ClerkError as e:
            self._say(str(e), focus="pay-amount")
            return
        item = SaleItem(pending.kind, pending.reference, amount)
        items = [*self.items, item]
        self._lookup(partial(price_items, self.session.db, items),
                     partial(self._item_added, items),
                     lambda e: self._say(str(e), focus="pay-amount"), what="price the sale")

    def _item_added(self, items: list[SaleItem], preview: SalePreview) -> None:
        self.items = items
        self.preview = preview
        self.pending = None
        self._field("pay-ref").value = ""
        self._field("pay-amount").value = ""
        self.start_reference = ""
        self._say("")
        self._refresh_sale()
        self._focus_tender()

    def action_add_item(self) -> None:
        self._field("pay-ref").focus()

    def action_pick_fee(self) -> None:
        """Ctrl+F: the fee schedule in force today, as a pick list."""
        fees = {f.code: f"{f.description} {format_money(f.amount_cents)}"
                f"{' (variable)' if f.variable else ''}"
                for f in fee_schedule().current(clock.today())}

        def picked(code: str | None) -> None:
            if code:
                self._field("pay-ref").value = code
                self._recognise(code)

        self.app.push_screen(ReasonPicker("Fees (today's schedule)", fees), picked)

    def action_remove_line(self) -> None:
        """Ctrl+R: take back the last tender, or else the last item (nothing is posted)."""
        if self.tenders:
            removed = self.tenders.pop()
            self._say(f"Removed {TENDER_LABELS[removed.kind]} "
                      f"{format_money(removed.amount_cents)}.")
        elif self.items:
            items = self.items[:-1]
            if not items:
                self.items, self.preview = [], None
                self._say("Removed the last item.")
            else:
                def priced(preview: SalePreview) -> None:
                    self.items, self.preview = items, preview
                    self._say("Removed the last item.")
                    self._refresh_sale()

                def refused(e: ClerkError) -> None:
                    self.items, self.preview = items, None
                    self._say(str(e))
                    self._refresh_sale()

                self._lookup(partial(price_items, self.session.db, items), priced, refused,
                             what="price the sale")
                return
        else:
            self._say("Nothing to remove.")
        self._refresh_sale()

    # ---- tenders --------------------------------------------------------------------------
    def action_next_tender(self) -> None:
        """Ctrl+T cycles cash → check → money order → card (cash is the default)."""
        i = TENDER_KINDS.index(self.tender_kind)
        self.tender_kind = TENDER_KINDS[(i + 1) % len(TENDER_KINDS)]
        self._show_tender_fields()
        self._focus_tender()

    def _show_tender_fields(self) -> None:
        self.query_one("#pay-tender-kind", LiteralLabel).set_value(
            TENDER_LABELS[self.tender_kind], "bold")
        wanted = TENDER_FIELDS[self.tender_kind]
        for name in ("pay-number", "pay-last4", "pay-auth"):
            field = self._field(name)
            field.display = name in wanted
            if name not in wanted:
                field.value = ""
        self._field("pay-number").placeholder = _NUMBER_HINT.get(self.tender_kind, "Number")

    def _focus_tender(self) -> None:
        fields = TENDER_FIELDS[self.tender_kind]
        first = next((f for f in fields if not self._field(f).value.strip()), "pay-tendered")
        self._field(first).focus()

    @on(Input.Changed, "#pay-last4")
    def _last4_changed(self, event: Input.Changed) -> None:
        """Say so the moment a fifth digit is typed, before the clerk moves on."""
        if last4_too_long(event.value):
            self._say(LAST4_TOO_LONG)

    @on(Input.Submitted, "#pay-number, #pay-last4, #pay-auth")
    def _tender_detail_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pay-last4" and last4_too_long(event.value):
            self._say(LAST4_TOO_LONG, focus="pay-last4")
            return
        fields = [*TENDER_FIELDS[self.tender_kind], "pay-tendered"]
        name = event.input.id or ""
        nxt = fields[fields.index(name) + 1] if name in fields else "pay-tendered"
        self._field(nxt).focus()

    @on(Input.Submitted, "#pay-tendered")
    def _tendered_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.posting or self.result is not None:
            return  # Enter pressed again while (or after) posting: never a second post
        if self.preview is None:
            self._say("Add an item first: an account number or a fee code.", focus="pay-ref")
            return
        text = event.value.strip()
        if not text and self.remaining == 0:
            self._post()
            return
        try:
            cents = parse_money(text, allow_zero=False) if text else self.remaining
            tender = Tender(self.tender_kind, cents, self._field("pay-number").value.strip(),
                            self._field("pay-last4").value.strip(),
                            self._field("pay-auth").value.strip())
            new = [*self.tenders, tender]
            given = sum(t.amount_cents for t in new)
            if given < self.total:
                # Part of a split tender: check this tender's own fields and kind only.
                plan_tenders(replace(self.preview, total_cents=given), new)
            else:
                plan_tenders(self.preview, new)
        except ClerkError as e:
            self._say(str(e), focus=self._field_for_error(str(e)))
            return
        self.tenders = new
        for name in ("pay-number", "pay-last4", "pay-auth", "pay-tendered"):
            self._field(name).value = ""
        self._refresh_sale()
        if given < self.total:
            self._say(f"{format_money(self.remaining)} still due: next tender "
                      "(Ctrl+T to change kind).")
            self._focus_tender()
            return
        self._post()

    def _field_for_error(self, message: str) -> str:
        lowered = message.lower()
        if self.tender_kind in ("check", "money_order") and ("number" in lowered
                                                              or "serial" in lowered):
            return "pay-number"
        if self.tender_kind == "card" and "last four" in lowered:
            return "pay-last4"
        if self.tender_kind == "card" and "approval" in lowered:
            return "pay-auth"
        return "pay-tendered"

    # ---- posting --------------------------------------------------------------------------
    def _post(self) -> None:
        if self.posting or self.result is not None:
            return
        self.posting = True
        self._say("Posting…")
        self.refresh_bindings()
        self._post_worker(list(self.items), list(self.tenders))

    @work(thread=True, group="payment-post")
    def _post_worker(self, items: list[SaleItem], tenders: list[Tender]) -> None:
        """One transaction in the domain; the key makes a repeat return the first receipt."""
        app = self.clerk_app
        try:
            result = post_payment(self.session.db, self.session.actor, self.key, items, tenders)
        except ClerkError as e:
            app.call_from_thread(self._post_failed, str(e))
            return
        except Exception as e:  # database trouble: the clerk must check before retrying
            app.call_from_thread(self._post_failed, f"Could not post ({e}). Press Ctrl+G to "
                                 "see whether it went through before trying again.")
            return
        app.call_from_thread(self._posted, result)

    def _post_failed(self, message: str) -> None:
        self.posting = False
        self.tenders = []
        self._refresh_sale()
        self.refresh_bindings()
        self._say(message, focus="pay-tendered")

    def _posted(self, result: PaymentResult) -> None:
        self.posting = False
        self.result = result
        self._show_done(result.receipt, replayed=result.replayed)
        if not result.replayed:
            print_in_background(self.app, result.receipt)

    def _show_done(self, r: ReceiptView, *, replayed: bool = False) -> None:
        for row in self.query(".pay-row"):
            row.display = False
        done = self.query_one("#pay-done", LiteralLabel)
        text = join(("RECEIPT ", "bold"), (str(r.number), "bold"),
                    f"   total {format_money(r.total_cents)}"
                    f"   tendered {format_money(r.tendered_cents)}")
        text.append("\n")
        text.append_text(join(("CHANGE DUE ", "bold reverse"),
                              (format_money(r.change_cents), "bold reverse")))
        if replayed:
            text.append("\n")
            text.append_text(literal("This sale was already posted: nothing new was taken.",
                                     "bold"))
        if r.voided:
            text.append("\n")
            text.append_text(literal(f"VOIDED ({r.void.reason_code if r.void else ''})",
                                     "bold reverse"))
        done.set_text(text)
        done.display = True
        done.focus()
        self._say("")
        self._refresh_sale()
        self.refresh_bindings()

    def action_went_through(self) -> None:
        """Ctrl+G: "did my last payment go through?" — asked of the database, by this
        sale's idempotency key (and, failing that, the clerk's last receipt)."""
        db, actor, key = self.session.db, self.session.actor, self.key

        def ask() -> tuple[ReceiptView | None, ReceiptView | None]:
            found = last_receipt_for_key(db, key)
            return found, (None if found is not None else last_receipt_for_clerk(db, actor))

        self._lookup(ask, lambda got: self._went_through(*got),
                     lambda e: self._say(str(e)), what="did it post")

    def _went_through(self, found: ReceiptView | None, last: ReceiptView | None) -> None:
        if found is not None:
            state = " (VOIDED)" if found.voided else ""
            self._say(f"Yes: this sale posted as receipt {found.number}{state}, "
                      f"{format_money(found.total_cents)} at {found.issued_at[11:16]}, "
                      f"change {format_money(found.change_cents)}.")
            return
        tail = (f" Your last receipt was {last.number}, {format_money(last.total_cents)} at "
                f"{last.issued_at[11:16]}." if last else "")
        self._say(f"No: this sale has not been posted.{tail}")

    # ---- after posting --------------------------------------------------------------------
    def action_new_sale(self) -> None:
        """N: a fresh sale with a fresh idempotency key."""
        self.key = new_idempotency_key()
        self.items, self.tenders, self.preview, self.pending = [], [], None, None
        self.result = None
        self.voided = False
        self.tender_kind = "cash"
        for row in self.query(".pay-row"):
            row.display = True
        self.query_one("#pay-done", LiteralLabel).display = False
        for field in self.query(Input):
            field.value = ""
        self._show_tender_fields()
        self._say("")
        self._refresh_sale()
        self.refresh_bindings()
        self._field("pay-ref").focus()

    def action_reprint(self) -> None:
        if self.result is None:
            return
        app = self.clerk_app

        def printing(view: ReceiptView) -> None:
            print_in_background(app, view, duplicate=True)
            self._say(f"Reprinting receipt {view.number} (DUPLICATE).")

        self._lookup(partial(reprint, self.session.db, self.session.actor,
                             self.result.receipt.number),
                     printing, lambda e: self._say(str(e)), what="reprint")

    def action_void(self) -> None:
        """V: void the receipt just posted, with a reason code; CSR I needs a supervisor."""
        if self.result is None:
            return
        if self.voided:
            self._say(f"Receipt {self.result.receipt.number} is already voided.")
            return
        number = self.result.receipt.number
        codes = cashier_rules().reason_codes("void")
        self.app.push_screen(ReasonPicker(f"Void receipt {number}: why?", codes),
                             partial(self._void_with_reason, number))

    def _void_with_reason(self, number: int, code: str | None) -> None:
        if not code:
            self._say("Not voided.")
            return
        fn = partial(void_receipt, self.session.db, self.session.actor, number, code)

        def done(result: object) -> None:
            if result is None:
                self._say("Not voided (no supervisor approval).")
                return
            self.voided = True
            receipt = result.receipt  # type: ignore[attr-defined]
            self._show_done(receipt)
            self._say(f"Receipt {number} voided ({code}). Give back "
                      f"{format_money(receipt.total_cents)}.")
            self.session.refresh_drawer_state()

        self.session.run(fn, what=f"void receipt {number}", on_done=done,
                         on_error=lambda e: self._say(str(e)), screen=self)

    def action_back(self) -> None:
        if self.posting:
            self._say("Posting… wait for the receipt number.")
            return
        super().action_back()


COUNTER_SCREEN = PaymentScreen
