"""List-and-act: a table of rows and letter actions on the highlighted row.

Generalised from the desk's deposit refunds, mailing list and open orders screens. Rows are
read through `run` (never on the UI thread) when the screen opens, after every action and on
F5. An action either opens a screen for the row (`open`: a form, a report; the list refreshes
when it closes) or runs domain work on it (`work`, after `ask`'s question if any) and says
what the domain answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable

from clerk_tui.screens.kit.base import KitModal, Run
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.literal import LiteralLabel, literal


@dataclass(frozen=True)
class Row:
    """One row: `key` is what actions get (an id); `cells` are shown literally."""

    key: Any
    cells: tuple[object, ...]


@dataclass(frozen=True)
class Action:
    """A letter action on the highlighted row. Exactly one of `open` and `work`:
    `open(key)` returns a screen to push; `work(key)` is domain work returning what to say.
    `ask(key)` may return a question asked first (Y does it, N changes nothing).
    `prompt(key)` may return a screen asked first (a technician, a reason): what it dismisses
    with is `work(key, answer)`'s second argument; None (Esc) changes nothing.
    An action for the whole list (print all) ignores the key."""

    letter: str
    label: str
    open: Callable[[Any], Screen[Any]] | None = None
    work: Callable[..., Any] | None = None
    ask: Callable[[Any], str | None] | None = None
    prompt: Callable[[Any], Screen[Any]] | None = None
    said: Callable[[Any], str] | None = None
    """What to say from `work`'s result (default: the result itself, a string)."""
    needs_row: bool = True
    """False: the action works on an empty list too (a route list, print all); its key is
    None when nothing is highlighted."""
    show: Callable[[Any], Screen[Any] | None] | None = None
    """A screen to open with `work`'s result once the list is read again (what was done, in
    the report view); None opens nothing."""


class ListAndAct(KitModal[None]):
    """Title, a table, the actions' letters; F5 refreshes, Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "Refresh", id="kit.list.refresh"),
        Binding("escape", "back", "Back", id="kit.list.back"),
    ]
    AUTO_FOCUS = "#kit-table"

    def __init__(self, title: str, columns: Sequence[str], load: Callable[[], Sequence[Row]],
                 actions: Sequence[Action], *, run: Run | None = None,
                 empty: str = "Nothing to list.",
                 summary: Callable[[list[Row]], str] | None = None,
                 heading: str = "") -> None:
        super().__init__(run, classes="kit-opaque")
        letters = [a.letter.lower() for a in actions]
        if len(set(letters)) != len(letters) or any(len(x) != 1 for x in letters):
            raise ValueError(f"list {title!r}: one letter per action, no repeats")
        if any((a.open is None) == (a.work is None) for a in actions):
            raise ValueError(f"list {title!r}: each action opens a screen or does work")
        self.title = title
        self.columns = list(columns)
        self.load = load
        self.actions = list(actions)
        self.empty = empty
        self.summary = summary
        self.heading = heading or title
        """The line above the table (the title, short, is also the status bar's)."""
        """What to say after a read when there is something to list (a count, a total)."""
        self.rows: list[Row] = []

    def compose(self) -> ComposeResult:
        yield LiteralLabel(self.heading, classes="kit-title", id="kit-title")
        yield DataTable(id="kit-table", classes="kit-table", cursor_type="row",
                        show_row_labels=False)
        yield LiteralLabel("", classes="kit-message", id="kit-message")
        keys = "    ".join(f"{a.letter.upper()} = {a.label}" for a in self.actions)
        yield LiteralLabel(f"{keys}    F5 = refresh    Esc = back".strip(), classes="kit-hint",
                           id="kit-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        table = self.query_one("#kit-table", DataTable)
        table.add_columns(*self.columns)
        self.action_reload()

    def action_reload(self, then_say: str = "") -> None:
        def show(rows: Any) -> None:
            self._fill(list(rows))
            if then_say:
                self._say(then_say)
            elif not self.rows:
                self._say(self.empty)
            else:
                self._say(self.summary(self.rows) if self.summary else "")

        self.work(self.load, then=show)

    def _fill(self, rows: list[Row]) -> None:
        table = self.query_one("#kit-table", DataTable)
        at = table.cursor_row
        table.clear()
        self.rows = rows
        for row in rows:
            table.add_row(*[literal(c) for c in row.cells])
        if rows:
            table.move_cursor(row=min(max(at, 0), len(rows) - 1))

    def current(self) -> Row | None:
        """The highlighted row (None when the list is empty)."""
        if not self.rows:
            return None
        index = self.query_one("#kit-table", DataTable).cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def on_key(self, event: events.Key) -> None:
        ch = (event.character or "").lower()
        action = next((a for a in self.actions if a.letter.lower() == ch), None)
        if action is None:
            return
        event.stop()
        self.act(action)

    def act(self, action: Action) -> None:
        row = self.current()
        if row is None and not action.needs_row:
            row = Row(None, ())
        if row is None:
            self._say(f"{action.label}: nothing is highlighted. {self.empty}")
            return
        if self.busy:
            self._say(f"{self.WORKING} wait for it to finish.")
            return
        if action.open is not None:
            self.app.push_screen(action.open(row.key), lambda _result: self.action_reload())
            return
        if action.prompt is not None:
            def answered(answer: Any) -> None:
                if answer is None:
                    self._say("Not done. Nothing changed.")
                    return
                assert action.work is not None
                self.work(action.work, row.key, answer,
                          then=lambda result: self._did(action, result))

            self.app.push_screen(action.prompt(row.key), answered)
            return
        question = action.ask(row.key) if action.ask else None
        if question is None:
            self._do(action, row)
            return
        self.ask(question, lambda yes: self._do(action, row) if yes
                 else self._say("Not done. Nothing changed."), yes=action.label)

    def _do(self, action: Action, row: Row) -> None:
        assert action.work is not None
        self.work(action.work, row.key, then=lambda result: self._did(action, result))

    def _did(self, action: Action, result: Any) -> None:
        """After an action's work: read the list again, say what was done, open `show`'s
        screen (None from `run` means not done: an override was refused)."""
        if result is None and (action.said is not None or action.show is not None):
            self.action_reload("Not done: a supervisor's approval is needed. Nothing changed.")
            return
        said = action.said(result) if action.said else str(result or "")
        self.action_reload(said)
        screen = action.show(result) if action.show else None
        if screen is not None:
            self.app.push_screen(screen)

    def action_back(self) -> None:
        self.dismiss(None)
