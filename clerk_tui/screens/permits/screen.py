"""Residential parking permits: find a permit (number, address or plate), sell a new one,
renew it, replace a lost or stolen one, change its vehicle or address, and the desk jobs.

No function key of its own: the citations counter (F4) pushes `PermitsScreen()` on its key P,
and a scanned permit number (PK...) opens it. Selling is the ordinary payment screen: the
application is checked (form), the documents ticked (checklist), then the permit's receipt item
goes to Payments exactly as Misc. sales hands over its lines, and the permit and its stock
number are made in the receipt's own transaction. Back here, the permit issued is shown with
its number so the clerk hands over the right decal.

Every domain call goes through `session.run` (no SQL on the UI thread); names, plates and
addresses are shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.counters.manifest import Counter
from clerk_tui.domain import clock
from clerk_tui.domain.errors import ClerkError, StateError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.permits import permits
from clerk_tui.domain.permits.rules import permit_rules
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.kit import Choice, Field, Form, LetterMenu, Picker, required
from clerk_tui.screens.permits.dialogs import DocumentsChecklist, StepForm
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp
    from clerk_tui.domain.permits.numbers import PermitScan
    from clerk_tui.screens.payment import PaymentScreen

PERMITS = Counter("permits", "Parking permits", "", "", "permit.sell",
                  "Residential parking permits", None)
"""What the screen is to the app (its title, the permission; not on home or an F-key)."""

HINT = "Number, address or plate, Enter    Up/Down = pick    ^N = new permit"
SHOWN = 7  # rows of the found list


class PermitsScreen(CounterScreen):
    """Find a permit and act on it; sell new ones; the permits' desk jobs (^O)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new", "New", key_display="^N", id="permits.new"),
        Binding("ctrl+r", "renew", "Renew", key_display="^R", id="permits.renew"),
        # Not ^E/^K: a focused field keeps those (end of line, delete to the end). Lost/stolen
        # replacement and the vehicle/address changes share one menu: 80 columns of footer.
        Binding("ctrl+g", "change", "Change", key_display="^G", id="permits.change"),
        Binding("ctrl+o", "jobs", "Jobs", key_display="^O", id="permits.jobs"),
        Binding("up", "pick(-1)", "Up", show=False),
        Binding("down", "pick(1)", "Down", show=False),
    ]
    AUTO_FOCUS = "#permit-find"
    CSS_PATH = "permits.tcss"

    def __init__(self) -> None:
        super().__init__(PERMITS, id="permits")
        self.found: list[permits.Permit] = []
        self.current = 0
        self.history: list[permits.Change] = []
        self._payment: PaymentScreen | None = None
        self._payment_key = ""
        self._application: int | None = None
        self._pending_find = ""

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Residential parking permits", classes="permit-title")
        with Horizontal(classes="permit-row"):
            yield LiteralLabel("Find", classes="permit-label")
            yield ClerkInput(placeholder="PK number, address or plate", max_length=80,
                             id="permit-find")
        yield LiteralLabel("", id="permit-list")
        yield LiteralLabel("", id="permit-detail")
        yield LiteralLabel("", id="permit-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="permit-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._draw()
        if self._pending_find:
            self.find(self._pending_find)

    # ---- helpers ----------------------------------------------------------------------------
    @property
    def db(self) -> Any:
        return self.session.db

    @property
    def actor(self) -> Any:
        return self.session.actor

    @property
    def permit(self) -> permits.Permit | None:
        return self.found[self.current] if self.found else None

    def _say(self, message: str = "") -> None:
        if self.is_attached:
            self.query_one("#permit-message", LiteralLabel).set_value(message)

    def _run(self, fn: Any, what: str, then: Any) -> None:
        """A domain call off the UI thread; a refusal is said on the message line."""
        self.session.run(lambda override=None: fn(), what=what, on_done=then,
                         on_error=lambda e: self._say(str(e)), screen=self)

    def has_unsaved_work(self) -> bool:
        return False  # the find field holds a search, not work

    def on_screen_resume(self) -> None:
        """Back from Payments: a paid application shows its permit; an unpaid one is said."""
        pay, self._payment = self._payment, None
        if pay is None:
            return
        app_id, self._application = self._application, None
        if pay.posting:
            self._say("That sale was still posting: check Ctrl+G on Payments before selling "
                      "it again.")
        elif (pay.result is not None or pay.key != self._payment_key) and app_id:
            db = self.db

            def issued() -> list[permits.Permit]:
                p = permits.for_application(db, app_id)
                return [p] if p else []

            def show(found: list[permits.Permit] | None) -> None:
                if found:
                    self._show(found, 0)
                    p = found[0]
                    self._say(f"Issued {p.number}: hand over that {self._stock(p)}.")
                else:
                    self._say("Not paid: no permit was issued.")

            self._run(issued, "read the permit issued", show)
        else:
            self._say("Not paid: no permit was issued (the application waits as "
                      f"{permits.reference(app_id or 0)}).")
        self.query_one("#permit-find", Input).focus()

    @staticmethod
    def _stock(p: permits.Permit) -> str:
        try:
            return permit_rules().permit_type(p.permit_type).stock
        except ClerkError:
            return "tag"

    # ---- finding ----------------------------------------------------------------------------
    @on(Input.Submitted, "#permit-find")
    def _find_entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._say("Type a permit number, an address or a plate; ^N sells a new permit.")
            return
        self.find(text)

    def find(self, text: str, said: str = "") -> None:
        """Look `text` up and show what was found; `said` stays on the message line after."""
        db = self.db
        self._say("Looking…")

        def found(result: tuple[list[permits.Permit], list[permits.Change]] | None) -> None:
            if result is not None:
                self._say(said)
                self.found, self.history = result
                self.current = 0
                self._draw()

        self._run(lambda: self._read(db, text), "find permits", found)

    @staticmethod
    def _read(db: Any, text: str) -> tuple[list[permits.Permit], list[permits.Change]]:
        found = permits.lookup(db, text)
        return found, permits.history(db, found[0].id) if found else []

    def _show(self, found: list[permits.Permit], current: int) -> None:
        self.found, self.current = found, current
        db, pid = self.db, found[current].id

        def got(hist: list[permits.Change] | None) -> None:
            self.history = hist or []
            self._draw()

        self._draw()
        self._run(lambda: permits.history(db, pid), "read the permit's history", got)

    def action_pick(self, step: int) -> None:
        if not self.found:
            return
        self._show(self.found, max(0, min(len(self.found) - 1, self.current + step)))

    def _draw(self) -> None:
        if not self.is_attached:
            return
        today = clock.today()
        out = Text()
        if not self.found:
            out.append_text(literal("No permit shown: find one above.", "dim"))
        first = max(0, min(self.current - SHOWN + 1, len(self.found) - SHOWN))
        for n, p in enumerate(self.found[first:first + SHOWN], start=first):
            if n > first:
                out.append("\n")
            state = "HOT " + p.hot.upper() if p.hot else (
                "VALID" if p.valid_on(today) else p.status.upper())
            line = join(("> " if n == self.current else "  ", "bold"), p.number.ljust(11),
                        f"{p.district}/{p.permit_type}".ljust(6), (p.plate or "-").ljust(9),
                        str(p.address)[:22].ljust(23), p.valid_until.ljust(11),
                        (state[:12], "bold" if n == self.current else ""))
            out.append_text(line)
        self.query_one("#permit-list", LiteralLabel).set_text(out)
        detail = Text()
        p = self.permit
        if p is not None:
            paid = "replacement" if p.replaces_id else (f"tier {p.tier}" if p.plate else "")
            detail.append_text(join(("Holder ", "bold"), p.holder[:36], "   ",
                                    ("Paid ", "bold"), format_money(p.fee_cents),
                                    f" ({p.type_label}" + (f", {paid})" if paid else ")")))
            detail.append("\n")
            detail.append_text(join(("Vehicle ", "bold"),
                                    f"{p.plate} {p.plate_state} {p.vehicle}".strip()[:40] or "-",
                                    "   ", ("Valid ", "bold"),
                                    f"{p.valid_from} to {p.valid_until}"))
            for h in self.history[-2:]:
                detail.append("\n")
                detail.append_text(literal(f"{h.at[:10]} {h.what}: {h.before} -> {h.after}"
                                           [:76], "dim"))
        self.query_one("#permit-detail", LiteralLabel).set_text(detail)

    # ---- selling ----------------------------------------------------------------------------
    def _pay(self, app: permits.Application) -> None:
        """Price the application's receipt item and hand it to Payments."""
        from clerk_tui.domain.cashier import SaleItem, SalePreview, price_items

        items = [SaleItem("permit", app.reference)]
        db = self.db

        def priced(preview: SalePreview | None) -> None:
            if preview is None or not self.is_attached:
                return
            pay = self.session.open_payment(self.counter, items, preview)
            self._payment, self._payment_key = pay, pay.key
            self._application = app.id
            self._say("")

        self.session.run(lambda override=None: price_items(db, items), what="price the permit",
                         on_done=priced, on_error=lambda e: self._say(str(e)), screen=self)

    def _checklist(self, title: str, documents: list[tuple[str, str]], then: Any) -> None:
        def ticked(codes: tuple[str, ...] | None) -> None:
            if codes is None:
                self._say("Not sold: the documents were not all seen. Nothing changed.")
                return
            then(codes)

        self.app.push_screen(DocumentsChecklist(title, documents), ticked)

    def action_new(self) -> None:
        """^N: the application form, then the checklist, then Payments."""
        db, actor = self.db, self.actor
        types = ", ".join(t.code for t in permit_rules().current_types())

        def check(v: dict[str, str]) -> permits.Draft:
            return permits.check_application(
                db, actor, permit_type=v["type"], address=v["address"], holder=v["holder"],
                plate=v["plate"], plate_state=v["state"], vehicle=v["vehicle"])

        def checked(draft: permits.Draft | None) -> None:
            if draft is None:
                return
            t, a = draft.terms, draft.application
            title = (f"{t.ptype.label} permit, district {a.district}: "
                     f"{format_money(t.amount_cents)}"
                     + (f" ({t.tier_label})" if t.tier_label else "")
                     + ". Documents seen:")

            def take(codes: tuple[str, ...]) -> None:
                self._run(lambda: permits.take_application(
                    db, actor, permit_type=a.permit_type, address=str(a.address),
                    holder=a.holder, plate=a.plate, plate_state=a.plate_state or "CA",
                    vehicle=a.vehicle, documents=codes), "take the application",
                    lambda app: self._pay(app) if app else None)

            self._checklist(title, list(draft.documents), take)

        form = StepForm("New parking permit", [
            Field("type", "Type", "RA", types, 4, required("The permit type")),
            Field("address", "Address", "", "212 Oak St #3", 80, required("The address")),
            Field("holder", "Name", "", "as on the licence", 60, required("The name")),
            Field("plate", "Plate", "", "blank for guest/visitor", 10),
            Field("state", "State", "CA", "two letters", 2),
            Field("vehicle", "Vehicle", "", "make, colour (optional)", 40),
        ], check, lambda d: "", run=self.session.kit_run,
            heading=f"Types: {types}. Enter = next field; on the last, check the address.")
        self.app.push_screen(form, checked)

    def _need_permit(self) -> permits.Permit | None:
        p = self.permit
        if p is None:
            self._say("Find the permit first (its number, address or plate).")
        return p

    def action_renew(self) -> None:
        """^R: renew the permit shown (checklist, then Payments)."""
        p = self._need_permit()
        if p is None:
            return
        db, actor = self.db, self.actor
        try:
            ptype = permit_rules().permit_type(p.permit_type)
            docs = [(c, permit_rules().document(c).label) for c in ptype.documents]
        except ClerkError as e:
            self._say(str(e))
            return
        self._checklist(f"Renew {p.number} ({ptype.label}). Documents seen:", docs,
                        lambda codes: self._run(
                            lambda: permits.start_renewal(db, actor, p.number, codes),
                            "renew the permit", lambda app: self._pay(app) if app else None))

    def action_replace(self) -> None:
        """^G L: lost or stolen? Then the replacement fee on Payments; the old number goes on
        the hot list when it is paid."""
        p = self._need_permit()
        if p is None:
            return
        db, actor = self.db, self.actor

        def picked(reason: str | None) -> None:
            if reason is None:
                return
            self._run(lambda: permits.start_replacement(db, actor, p.number, reason),
                      "replace the permit", lambda app: self._pay(app) if app else None)

        self.app.push_screen(Picker(f"Replace {p.number}: was it lost or stolen?",
                                    items=[("lost", "Lost"), ("stolen", "Stolen")]), picked)

    # ---- changes ----------------------------------------------------------------------------
    def action_change(self) -> None:
        """^G: L = lost/stolen replacement, V = vehicle, A = address (history is kept)."""
        p = self._need_permit()
        if p is None:
            return

        def picked(letter: str | None) -> None:
            if letter == "l":
                self.action_replace()
            elif letter == "v":
                self._change_vehicle(p)
            elif letter == "a":
                self._change_address(p)

        self.app.push_screen(LetterMenu(f"Change {p.number}", [
            Choice("l", "Lost or stolen: replace it for the fee"),
            Choice("v", "Vehicle (plate, state, make)"),
            Choice("a", "Address (same district)")]), picked)

    def _refresh_after(self, number: str, said: str = "") -> None:
        self.query_one("#permit-find", Input).value = number
        self.find(number, said)

    def _change_vehicle(self, p: permits.Permit) -> None:
        db, actor = self.db, self.actor

        def send(v: dict[str, str]) -> permits.Permit:
            return permits.change_vehicle(db, actor, p.number, v["plate"], v["state"],
                                          v["vehicle"], v["reason"])

        form = Form(f"Change the vehicle of {p.number}", [
            Field("plate", "New plate", "", "e.g. 8ABC123", 10, required("The plate")),
            Field("state", "State", p.plate_state or "CA", "two letters", 2),
            Field("vehicle", "Vehicle", "", "make, colour", 40),
            Field("reason", "Reason", "", "why (kept in history)", 120, required("A reason")),
        ], send, lambda q: f"{q.number} is now for {q.plate} {q.plate_state}.",
            run=self.session.kit_run, heading=f"Now: {p.plate} {p.plate_state} {p.vehicle}")
        self.app.push_screen(form, lambda _r: self._refresh_after(p.number))

    def _change_address(self, p: permits.Permit) -> None:
        db, actor = self.db, self.actor

        def check(v: dict[str, str]) -> dict[str, str]:
            from clerk_tui.domain.permits.addresses import district_for, parse_address

            addr = parse_address(v["address"])
            found = district_for(addr)
            if found != p.district:
                raise StateError(f"{addr} is in district {found}, not {p.district}: "
                                         "sell a permit for the new district.")
            return v

        def checked(v: dict[str, str] | None) -> None:
            if v is None:
                return
            ptype = permit_rules().permit_type(p.permit_type)
            docs = [(c, permit_rules().document(c).label) for c in ptype.documents]
            self._checklist(f"{p.number} moves to {v['address']}. Documents seen:", docs,
                            lambda codes: self._run(
                                lambda: permits.change_address(db, actor, p.number,
                                                               v["address"], v["reason"], codes),
                                "change the address",
                                lambda q: self._moved(q)))

        self.app.push_screen(StepForm(f"Change the address of {p.number}", [
            Field("address", "New address", "", "same district", 80, required("The address")),
            Field("reason", "Reason", "", "why (kept in history)", 120, required("A reason")),
        ], check, lambda _v: "", run=self.session.kit_run, heading=f"Now: {p.address}"),
            checked)

    def _moved(self, q: permits.Permit | None) -> None:
        if q is not None:
            self._refresh_after(q.number, f"{q.number} is now at {q.address}.")

    # ---- jobs -------------------------------------------------------------------------------
    def action_jobs(self) -> None:
        """^O: renewal notices, the enforcement export, lapse, stock."""
        from clerk_tui.screens.permits import jobs

        jobs.open_jobs(self)


def scan_opens_permit(app: ClerkApp, scan: Any) -> None:
    """A scanned hangtag/decal number: the permits screen showing that permit."""
    value: PermitScan = scan.value
    screen = app.screen
    if isinstance(screen, PermitsScreen):
        screen.find(value.number)
        return
    if not app.session.signed_in or not app.session.may_open(PERMITS):
        app.bell()
        return
    permits_screen = PermitsScreen()
    permits_screen._pending_find = value.number
    app.push_screen(permits_screen)



def open_permit(screen: Any, key: str) -> None:
    """The F2 lookup's Enter on a permit line (manifest `finders`): the permits screen
    showing that permit."""
    permits_screen = PermitsScreen()
    permits_screen._pending_find = key
    screen.app.push_screen(permits_screen)
