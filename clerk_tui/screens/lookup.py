"""Lookup (F2): one search box, results as the clerk types, Enter opens the account.

Besides accounts, every counter's finder (`Manifest.finders`, `clerk_tui.domain.finders`)
adds its hits; the Kind column says what each line is, and Enter on a line that is not an
account calls that counter's `open(screen, key)`.

Typing never waits for the database: each keystroke restarts a short debounce timer, and only
when the clerk pauses does a thread worker run the search (`exclusive=True`, so a newer query
cancels an older one, and a late answer for an old query is dropped). The domain always LIMITs
(50 rows here): a DataTable with thousands of rows takes seconds to build. Up/Down move in the
results while the cursor stays in the search box, so a clerk can type, arrow and Enter
without ever pressing Tab.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Input

from clerk_tui.domain.finders import ACCOUNT, Found, LookupResult, search_everything
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, literal

DEBOUNCE_SECONDS = 0.15
"""Long enough that a fast typist (or a scanner) sends one query, short enough to feel live."""
RESULT_LIMIT = 50


class LookupScreen(CounterScreen):
    """Search box on top, results below; Enter opens the highlighted account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_account", "Open", id="lookup.open"),
        Binding("down", "move(1)", "Next", show=False, id="lookup.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="lookup.up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="lookup.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="lookup.page_up"),
        Binding("ctrl+u", "clear", "Clear", key_display="^U", id="lookup.clear",
                priority=True),
    ]
    AUTO_FOCUS = "#lookup-query"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="lookup")
        self._timer: Timer | None = None
        self.result = LookupResult("")
        self.searches = 0  # how many queries actually ran (tests check the debounce)
        self._shown_text = ""  # the query whose results the table shows
        self._open_pending = False  # Enter came before the results: open when they arrive

    def compose_body(self) -> ComposeResult:
        yield ClerkInput(placeholder="Account no., name, address, phone or email",
                         max_length=200, id="lookup-query", classes="-not-work")
        yield LiteralLabel("Type to search. Up/Down to choose, Enter to open.",
                           id="lookup-message")
        table: DataTable[object] = DataTable(id="lookup-results", cursor_type="row",
                                             show_row_labels=False)
        table.can_focus = False  # the cursor stays in the search box; arrows move the rows
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#lookup-results", DataTable)
        # 76 columns at 80x24 (margins and the scrollbar take 4, cell padding 10): a name or an
        # address wider than its column wraps onto a second line of the row, never cut off.
        table.add_column("Kind", width=8, key="kind")
        table.add_column("Number", width=9, key="number")
        table.add_column("Name", width=21, key="name")
        table.add_column("Service address", width=21, key="address")
        table.add_column("Status", width=7, key="status")

    # ---- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _typed(self, event: Input.Changed) -> None:
        self._open_pending = False
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._search_now, name="lookup-debounce")

    def _search_now(self) -> None:
        self._timer = None
        self._search(self.query_one("#lookup-query", Input).value)

    @work(thread=True, exclusive=True, group="lookup")
    def _search(self, text: str) -> None:
        """Runs off the UI thread; the answer is shown only if the box still holds `text`."""
        self.searches += 1
        result = search_everything(self.session.db, self.session.actor, text,
                                   limit=RESULT_LIMIT)
        self.app.call_from_thread(self._show, text, result)

    def _show(self, text: str, result: LookupResult) -> None:
        if not self.is_attached:
            return  # the clerk left the screen before the search answered
        if self.query_one("#lookup-query", Input).value != text:
            return  # the clerk kept typing; a newer search is on its way
        self.result = result
        self._shown_text = text
        table = self.query_one("#lookup-results", DataTable)
        table.clear()
        for i, found in enumerate(result.found):
            table.add_row(*self._cells(found, result), key=str(i), height=None)
        message = self.query_one("#lookup-message", LiteralLabel)
        failed = f" ({', '.join(result.failed)} search failed)" if result.failed else ""
        if result.hint:
            message.set_value(result.hint)
        elif not text.strip():
            message.set_value("Type to search. Up/Down to choose, Enter to open.")
        elif not result.found:
            message.set_value(f"Nothing found for {result.query or text.strip()!r}.{failed}")
        elif result.more:
            message.set_value(f"First {len(result.found)} matches: type more to narrow."
                              f"{failed}")
        else:
            n = len(result.found)
            message.set_value(f"{n} match{'es' if n != 1 else ''}. Enter opens the "
                              f"highlighted line.{failed}")
        if result.found:
            table.move_cursor(row=0)
        if self._open_pending:
            self._open_pending = False
            if result.found:
                self.action_open_account()

    @staticmethod
    def _cells(found: Found, result: LookupResult) -> tuple[object, ...]:
        """Kind, number, name, address, status of an account; kind, key, title, detail of
        anything else (all literal text: a name like "[b]x" shows as typed)."""
        hit = result.accounts.get(int(found.key)) if found.kind == ACCOUNT else None
        if hit is not None:
            return (literal(ACCOUNT), literal(hit.display_number), literal(hit.name),
                    literal(hit.service_address), literal(hit.status))
        return (literal(found.kind), literal(found.key), literal(found.title),
                literal(found.detail), literal(""))

    # ---- keys -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        table = self.query_one("#lookup-results", DataTable)
        if table.row_count:
            row = min(max(table.cursor_row + step, 0), table.row_count - 1)
            table.move_cursor(row=row)

    def action_clear(self) -> None:
        field = self.query_one("#lookup-query", Input)
        field.value = ""
        field.focus()

    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open_account()

    def action_open_account(self) -> None:
        """Open the highlighted line (an account here, anything else through its counter's
        opener); typed ahead of the search, open once it answers."""
        text = self.query_one("#lookup-query", Input).value
        if text != self._shown_text:
            self._open_pending = True
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
                self._search(text)
            return
        found = self.highlighted()
        if found is None:
            self.query_one("#lookup-message", LiteralLabel).set_value(
                "Nothing highlighted: type a name, address or number.")
            return
        if found.kind != ACCOUNT:
            self._open_found(found)
            return
        from clerk_tui.screens.account import AccountScreen

        self.app.push_screen(AccountScreen(self.counter, int(found.key)))

    def _open_found(self, found: Found) -> None:
        """Hand the line to its counter's opener (imported now, on first use)."""
        from clerk_tui.counters import registry
        from clerk_tui.counters.manifest import resolve

        spec = next((f for f in registry().finders if f.kind == found.kind), None)
        if spec is None:  # cannot happen for a hit the finders produced; say so, not crash
            self.query_one("#lookup-message", LiteralLabel).set_value(
                f"Nothing opens a {found.kind} here.")
            return
        resolve(spec.open)(self, found.key)

    def highlighted(self) -> Found | None:
        """The line the cursor is on (None when the list is empty)."""
        table = self.query_one("#lookup-results", DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.result.found):
            return None
        return self.result.found[table.cursor_row]

    def highlighted_account(self) -> int | None:
        found = self.highlighted()
        return int(found.key) if found is not None and found.kind == ACCOUNT else None

    def on_screen_resume(self) -> None:
        self.query_one("#lookup-query", Input).focus()


COUNTER_SCREEN = LookupScreen
