"""Lookup (F2): one search box, results as the clerk types, Enter opens the account.

Besides accounts, every counter's finder (`Manifest.finders`, `clerk_tui.domain.finders`)
adds its hits; the Kind column says what each line is, and Enter on a line that is not an
account calls that counter's `open(screen, key)`.

Typing never waits for the database, and the database never waits for a pause: the first
keystroke searches at once (a thread worker); a keystroke less than SEARCH_GAP (20 ms) after
the last search started waits out the rest of that gap, and the search then reads whatever the
box holds (a scanner's burst is one or two searches, not ten). Each
search carries a generation number; an answer is shown only if it is newer than the one on
screen and the box still holds its text, so a slow, stale answer never overwrites a newer one
(`exclusive=True` also cancels the older worker). The domain always LIMITs (50 rows here): a
DataTable with thousands of rows takes seconds to build. Up/Down move in the results while
the cursor stays in the search box, so a clerk can type, arrow and Enter without ever
pressing Tab.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Input
from textual.worker import get_current_worker

from clerk_tui.domain.finders import ACCOUNT, Found, LookupResult, search_everything
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, literal

COLUMNS = (("Kind", 8, "kind"), ("Number", 9, "number"), ("Name", 21, "name"),
           ("Service address", 21, "address"), ("Status", 7, "status"))
"""76 columns at 80x24 (margins and the scrollbar take 4, cell padding 10)."""
SEARCH_GAP = 0.02
"""Searches start at most this often: the longest a keystroke waits for its search (the issue's
goal is a keystroke's results painted within 50 ms; a search and its table take ~10-20)."""
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
        self.searches = 0  # how many searches were started (tests count them)
        self.stale = 0  # answers dropped because a newer one was asked for or shown
        self._generation = 0  # bumped by every keystroke; a search carries the one it saw
        self._shown_generation = 0  # the generation whose answer the table shows
        self._last_start = float("-inf")  # time.monotonic() the last search started
        self._shown_text = ""  # the query whose results the table shows
        self._rows: list[tuple[Text, ...]] = []  # the cells the table shows
        self._open_pending = False  # Enter came before the results: open when they arrive

    def compose_body(self) -> ComposeResult:
        yield ClerkInput(placeholder="Account, name, address, phone, email, receipt or check no.",
                         max_length=200, id="lookup-query", classes="-not-work")
        yield LiteralLabel("Type to search. Up/Down to choose, Enter to open.",
                           id="lookup-message")
        table: DataTable[object] = DataTable(id="lookup-results", cursor_type="row",
                                             show_row_labels=False)
        table.can_focus = False  # the cursor stays in the search box; arrows move the rows
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#lookup-results", DataTable)
        for label, width, key in COLUMNS:
            table.add_column(label, width=width, key=key)

    # ---- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _typed(self, event: Input.Changed) -> None:
        self._open_pending = False
        self._generation += 1
        if self._timer is not None:
            return  # a search is due within SEARCH_GAP; it reads the box when it starts
        wait = self._last_start + SEARCH_GAP - time.monotonic()
        if wait <= 0:
            self._search_now()
        else:
            self._timer = self.set_timer(wait, self._search_now, name="lookup-next")

    def _search_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._last_start = time.monotonic()
        self.searches += 1
        self._search(self._generation, self.query_one("#lookup-query", Input).value)

    @work(thread=True, exclusive=True, group="lookup")
    def _search(self, generation: int, text: str) -> None:
        """Runs off the UI thread; `_show` decides whether the answer is still wanted."""
        result = search_everything(self.session.db, self.session.actor, text,
                                   limit=RESULT_LIMIT)
        if get_current_worker().is_cancelled:
            self.stale += 1  # a newer search replaced this one while it ran
            return
        self.app.call_from_thread(self._show, generation, text, result)

    def _show(self, generation: int, text: str, result: LookupResult) -> None:
        if not self.is_attached:
            return  # the clerk left the screen before the search answered
        if (generation <= self._shown_generation
                or self.query_one("#lookup-query", Input).value != text):
            self.stale += 1  # older than what is shown, or the clerk kept typing
            return
        self._shown_generation = generation
        self.result = result
        self._shown_text = text
        table = self.query_one("#lookup-results", DataTable)
        rows = [self._cells(found, result) for found in result.found]
        if rows != self._rows:  # the same answer again ("smith" after "smit"): table untouched
            self._rows = rows
            table.clear()
            console = self.app.console
            for i, cells in enumerate(rows):
                table.add_row(*cells, key=str(i), height=_height(console, cells))
            if rows:
                table.move_cursor(row=0)  # (a cursor move on the same rows would redraw them)
        failed = f" ({', '.join(result.failed)} search failed)" if result.failed else ""
        n = len(result.found)
        if result.hint:
            self._say(result.hint)
        elif not text.strip():
            self._say("Type to search. Up/Down to choose, Enter to open.")
        elif not result.found:
            self._say(f"Nothing found for {result.query or text.strip()!r}.{failed}")
        elif result.more:
            self._say(f"First {n} matches (type more to narrow). Enter opens the highlighted "
                      f"line.{failed}")
        else:
            self._say(f"{n} match{'es' if n != 1 else ''}. Enter opens the highlighted line."
                      f"{failed}")
        if self._open_pending:
            self._open_pending = False
            if result.found:
                self.action_open_account()

    @staticmethod
    def _cells(found: Found, result: LookupResult) -> tuple[Text, ...]:
        """Kind, number, name, address, status of an account; kind, key, title, detail of
        anything else (all literal text: a name like "[b]x" shows as typed)."""
        hit = result.accounts.get(int(found.key)) if found.kind == ACCOUNT else None
        if hit is not None:
            return (literal(ACCOUNT), literal(hit.display_number), literal(hit.name),
                    literal(hit.service_address), literal(hit.status))
        return (literal(found.kind), literal(found.key), literal(found.title),
                literal(found.detail), literal(""))

    def _say(self, message: str) -> None:
        """The one-line message under the box: redrawn only when it changes, and without a
        layout pass (its size is fixed), so a keystroke repaints the line, not the screen."""
        label = self.query_one("#lookup-message", LiteralLabel)
        if label.plain != message:
            label.set_value(message, layout=False)

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
                self._search_now()  # no need to wait out the gap: the clerk is done typing
            return
        found = self.highlighted()
        if found is None:
            self._say("Nothing highlighted: type a name, address or number.")
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
            self._say(f"Nothing opens a {found.kind} here.")
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


def _height(console: Console, cells: tuple[Text, ...]) -> int:
    """Lines the row needs: a name or an address wider than its column wraps onto more lines
    of the row, never cut off. Computed here, only for the cells that are too wide, because
    DataTable's own auto height renders every cell of every new row to measure it: that was
    more than half the time from a keystroke to its results."""
    lines = 1
    for text, (_, width, _) in zip(cells, COLUMNS, strict=True):
        if text.cell_len > width:
            lines = max(lines, len(text.wrap(console, width)))
    return lines


COUNTER_SCREEN = LookupScreen
