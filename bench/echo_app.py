"""The keystroke baseline: a bare Textual app with an Input and a DataTable that echoes what is
typed into the table's one row synchronously, in the key's own handler (no worker, no
database). It is the least any Textual program can do between a key and a changed table, so
bench/keypaint.py reports the lookup's keystroke-to-results time as a ratio of it.
Run it alone with `python bench/echo_app.py`; Ctrl+Q quits.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input

READY_MARKER = "Echo baseline ready"


def echo(text: str) -> str:
    """The row the table shows for `text` (bench/keypaint.py waits for exactly this)."""
    return f"={text}="


class EchoApp(App[None]):
    """Input on top, a one-row table below: the row is the Input's value, always."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        field = Input(placeholder=READY_MARKER)
        field.cursor_blink = False  # as the app's ClerkInput: no repaint twice a second
        yield field
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Echo", width=40)  # fixed, as the lookup's columns are
        table.add_column("Kind", width=8)
        table.add_row(echo(""), "echo")

    def on_input_changed(self, event: Input.Changed) -> None:
        table = self.query_one(DataTable)
        table.clear()
        table.add_row(echo(event.value), "echo")


def main() -> None:
    EchoApp().run(mouse=False)


if __name__ == "__main__":
    main()
