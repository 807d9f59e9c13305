"""Citations (F4): find citations by number (typed or scanned), plate with or without state,
notice number or owner name; a plate shows every citation with its status and amount due.

Keys: the find field takes Enter; on the list Enter pays the highlighted citation, A puts all
of the plate's owed citations on one receipt, R takes a review request, D records decisions
(review/hearing results, appeals, dismissals, corrections), H a hearing request, C sells a copy
of the citation, K keys in a handwritten citation, I imports a file, J opens the desk jobs
(notices, DMV, lists) and P the residential parking permits. Every read and write goes
through `session.run` (no SQL on the UI thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

if TYPE_CHECKING:
    from clerk_tui.domain.citations.finders import Search
    from clerk_tui.domain.citations.store import CitationView
    from clerk_tui.screens.payment import PaymentScreen

HINT = "Citation no. (or scan), plate [state], notice no. or owner name, then Enter"
PERMITS_SCREEN = "clerk_tui.screens.permits.screen:PermitsScreen"


def line_for(v: CitationView) -> Text:
    """One citation as a list line (70 columns; data shown literally)."""
    r = v.row
    return join(f"{v.number} {r['issued_on']} ", f"{r['plate']:<8} {r['state']:<2} ",
                f"{v.violation[:14]:<14} ", (f"{v.due.label[:11]:<11}", "bold"),
                f"{format_money(v.due.due_cents):>10}")


def detail_for(v: CitationView) -> Text:
    r, d = v.row, v.due
    out = Text()
    owner = v.owner or "(no registered owner on file)"
    out.append_text(join(("Owner ", "bold"), owner[:40], "  ", ("At ", "bold"),
                         r["location"][:28]))
    out.append("\n")
    pens = (f"{format_money(d.penalty_cents)} ("
            + ", ".join(label.split()[0].lower() for label, _ in d.penalties) + ")") \
        if d.penalties else "none"
    out.append_text(join(("Base ", "bold"), format_money(d.base_cents), "  ",
                         ("Penalties ", "bold"), pens[:34], "  ", ("Paid ", "bold"),
                         format_money(d.paid_cents)))
    out.append("\n")
    dl = d.deadlines
    parts = [f"Review by {dl.get('review_by')}"]
    if dl.get("hearing_by"):
        parts.append(f"hearing by {dl['hearing_by']}")
    if dl.get("appeal_by"):
        parts.append(f"appeal by {dl['appeal_by']}")
    if d.notice_on:
        parts.append(f"notice {d.notice_on}")
    if d.held:
        parts.append("DMV HOLD")
    if d.in_collections:
        parts.append("COLLECTIONS")
    out.append_text(literal("  ".join(parts)[:78]))
    out.append("\n")
    out.append_text(join((f"{d.label}: {format_money(d.due_cents)} due", "bold"),
                         f"   {r['violation_code']} officer {r['officer']}"[:50]))
    return out


class CitationsScreen(CounterScreen):
    """Find, show and act on citations; payments go to the ordinary payment screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "pay_all", "All", show=False, id="citations.pay_all"),  # on the hint line
        Binding("r", "review", "Review", id="citations.review"),
        Binding("d", "decide", "Decide", show=False, id="citations.decide"),  # on the hint line
        Binding("h", "hearing", "Hearing", show=False, id="citations.hearing"),
        Binding("c", "copy", "Copy", show=False, id="citations.copy"),
        Binding("k", "key_in", "Key in", show=False, id="citations.key_in"),
        Binding("i", "import_file", "Import", show=False, id="citations.import"),
        Binding("j", "jobs", "Jobs", id="citations.jobs"),
        Binding("p", "permits", "Permits", id="citations.permits"),
        Binding("f", "find", "Find", show=False, id="citations.find"),
        Binding("ctrl+o", "jobs", "Jobs", show=False, id="citations.jobs_from_find"),
    ]
    AUTO_FOCUS = "#cit-find"
    CSS_PATH = "citations.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="citations")
        self.found: Search | None = None
        self.last_query = ""
        self._payment: PaymentScreen | None = None
        self._payment_key = ""
        self._preload = ""

    def preload(self, number: str) -> None:
        """Before the screen shows (F2 lookup): search for this citation once mounted."""
        self._preload = number

    def on_mount(self) -> None:
        super().on_mount()
        if self._preload:
            self.open_number(self._preload)

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="cit-row"):
            yield LiteralLabel("Find", classes="cit-label")
            # A search is not work: Esc leaves at once whatever it holds.
            yield ClerkInput(placeholder="Citation, plate [state], notice or owner",
                             max_length=60, id="cit-find", classes="-not-work")
        yield LiteralLabel("", id="cit-heading")
        yield OptionList(id="cit-list")
        yield LiteralLabel("", id="cit-detail")
        yield LiteralLabel(HINT, id="cit-message", classes="message")

    # ---- helpers --------------------------------------------------------------------------
    def say(self, message: str) -> None:
        self.query_one("#cit-message", LiteralLabel).set_value(message)

    @property
    def selected(self) -> CitationView | None:
        if self.found is None or not self.found.views:
            return None
        ol = self.query_one("#cit-list", OptionList)
        i = ol.highlighted if ol.highlighted is not None else 0
        return self.found.views[min(i, len(self.found.views) - 1)]

    def run(self, fn: Any, *, what: str, then: Any = None) -> None:
        """Domain work through the session (thread, override retry); refusals are said."""
        self.session.run(fn, what=what, on_done=then, on_error=lambda e: self.say(str(e)),
                         screen=self)

    # ---- finding --------------------------------------------------------------------------
    @on(Input.Submitted, "#cit-find")
    def _find_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str, *, keep: int | None = None, quiet: bool = False) -> None:
        from clerk_tui.domain.citations.finders import search

        text = text.strip()
        if not text:
            self.say("Type a citation number, plate, notice number or owner name.")
            return
        db = self.session.db
        if not quiet:
            self.say("Looking…")

        def shown(found: Search | None) -> None:
            if found is None or not self.is_attached:
                return
            self.last_query = text
            self.show(found, keep)

        self.session.run(lambda override=None: search(db, text), what="find citations",
                         on_done=shown, on_error=self._not_found, screen=self)

    def _not_found(self, e: ClerkError) -> None:
        self.say(str(e))
        self.query_one("#cit-find", Input).focus()

    def show(self, found: Search, keep: int | None = None) -> None:
        self.found = found
        owed = sum(1 for v in found.views if v.due.due_cents > 0)
        self.query_one("#cit-heading", LiteralLabel).set_value(
            f"{found.how}; {owed} owe {format_money(found.owed_cents)}"[:78])
        ol = self.query_one("#cit-list", OptionList)
        ol.clear_options()
        ol.add_options([Option(line_for(v), id=v.number) for v in found.views])
        ol.highlighted = min(keep or 0, len(found.views) - 1)
        ol.focus()
        self._detail()
        if keep is None:  # a new search; a refresh after a job keeps the job's message
            self.say("Enter = pay this one   A = all owed   R = review   D = decide   J = jobs")

    def refresh_found(self) -> None:
        if self.last_query:
            ol = self.query_one("#cit-list", OptionList)
            self.search(self.last_query, keep=ol.highlighted or 0, quiet=True)

    @on(OptionList.OptionHighlighted, "#cit-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        v = self.selected
        self.query_one("#cit-detail", LiteralLabel).set_text(
            detail_for(v) if v else Text(""))

    def action_find(self) -> None:
        f = self.query_one("#cit-find", Input)
        f.value = ""
        f.focus()

    def open_number(self, number: str) -> None:
        """Show one citation (a scan, the F2 lookup)."""
        self.query_one("#cit-find", Input).value = number
        self.search(number)

    # ---- paying ---------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#cit-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        v = self.selected
        if v is not None:
            self.pay([v.number])

    def action_pay_all(self) -> None:
        if self.found is None:
            self.say("Find a plate first.")
            return
        owed = [v.number for v in self.found.views if v.due.due_cents > 0]
        if not owed:
            self.say("Nothing is owed on these citations.")
            return
        self.pay(owed)

    def pay(self, numbers: list[str], kind: str = "citation") -> None:
        """Price the citations and hand them to the payment screen (any tender, change,
        receipt, void); back here the list is read again."""
        from clerk_tui.domain.cashier import SaleItem, SalePreview, price_items

        items = [SaleItem(kind, n) for n in numbers]
        db = self.session.db
        self.say("Pricing…")

        def priced(preview: SalePreview | None) -> None:
            if preview is None or not self.is_attached:
                return
            pay = self.session.open_payment(self.counter, items, preview)
            self._payment, self._payment_key = pay, pay.key
            self.say("")

        self.run(lambda override=None: price_items(db, items), what="price citations",
                 then=priced)

    def on_screen_resume(self) -> None:
        pay, self._payment = self._payment, None
        if pay is not None:
            posted = pay.result is not None or pay.key != self._payment_key
            self.say("Paid." if posted else "Not paid.")
        self.refresh_found()

    def action_copy(self) -> None:
        v = self.selected
        if v is None:
            self.say("Find a citation first.")
            return
        self.pay([v.number], kind="citation_copy")

    # ---- contest and decisions ------------------------------------------------------------
    def action_review(self) -> None:
        from clerk_tui.screens.citations.forms import review_request

        v = self.selected
        if v is None:
            self.say("Find a citation first.")
            return
        self.app.push_screen(review_request(self.session, v.number,
                                            str(v.due.deadlines.get("review_by"))),
                             lambda _: self.refresh_found())

    def action_hearing(self) -> None:
        from clerk_tui.screens.citations.forms import hearing_menu

        v = self.selected
        if v is None:
            self.say("Find a citation first.")
            return
        hearing_menu(self, v.number)

    def action_decide(self) -> None:
        from clerk_tui.screens.citations.forms import decide_menu

        v = self.selected
        if v is None:
            self.say("Find a citation first.")
            return
        decide_menu(self, v.number)

    # ---- desk ------------------------------------------------------------------------------
    def action_key_in(self) -> None:
        from clerk_tui.screens.citations.forms import key_in_form

        self.app.push_screen(key_in_form(self.session), self._keyed)

    def _keyed(self, number: object) -> None:
        if isinstance(number, str):
            self.open_number(number)

    def action_import_file(self) -> None:
        from clerk_tui.screens.citations.jobs import import_flow

        import_flow(self, "citations")

    def action_jobs(self) -> None:
        from clerk_tui.screens.citations.jobs import jobs_menu

        jobs_menu(self)

    def action_permits(self) -> None:
        """The residential parking permits (package `permits`), if it is built yet."""
        from clerk_tui.counters.manifest import resolve

        try:
            factory = resolve(PERMITS_SCREEN)
        except (ImportError, AttributeError):
            self.say("Permits are not available yet.")
            return
        self.app.push_screen(factory())


COUNTER_SCREEN = CitationsScreen
