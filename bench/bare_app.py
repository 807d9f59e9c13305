"""The start-up baseline: a bare Textual app with a header, an input, a table and a footer.

It is what any Textual program of the counter's shape costs to start (interpreter, Textual
import, first paint), so bench/startup.py can report clerk-tui's own start-up as a ratio of it.
Run it with `python bench/bare_app.py`; Ctrl+Q quits.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input

READY_MARKER = "Bare baseline ready"


class BareApp(App[None]):
    """Header, Input, DataTable, Footer: nothing else."""

    TITLE = READY_MARKER
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Account", "Name", "Address")
        table.add_row("1000001-8", "Pat Example", "120 N Main St")


def main() -> None:
    BareApp().run(mouse=False)


if __name__ == "__main__":
    main()
