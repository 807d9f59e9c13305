"""A small Textual app that prints through the clerk's terminal with our `terminal:` transport.

Run in a pty by test_terminal_passthrough.py. Keys: p = print a receipt from a worker thread
(as the real app will), r = write a raw 8-bit block bypassing our checks (the control case),
u = try an unsafe payload through the transport, q = quit. What the transport was asked to
send is written to the file named on the command line, so the test can compare bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.receipt import render_escpos
from clerk_tui.hardware.transports import TerminalTransport
from tests.hardware.receipts import sample_receipt


def textual_terminal_sink(app: App):
    """Hand a media-copy block to Textual's own output writer, so it is written in one piece,
    in order with screen updates (a second writer on the tty could split an escape sequence)."""

    def sink(block: str) -> None:
        driver = app._driver
        if driver is None:
            raise RuntimeError("the app is not running")
        driver.write(block)
        driver.flush()

    return sink


class TermPrintApp(App):
    BINDINGS = [("p", "print_receipt", "Print"), ("r", "raw", "Raw"), ("u", "unsafe", "Unsafe"),
                ("q", "quit", "Quit")]

    def __init__(self, record: Path) -> None:
        super().__init__()
        self.record = record
        self.printer: Printer | None = None

    def compose(self) -> ComposeResult:
        yield Static("READY", id="state")

    def on_mount(self) -> None:
        self.printer = Printer(TerminalTransport("terminal:", textual_terminal_sink(self)))

    def action_print_receipt(self) -> None:
        self.run_worker(self._print, thread=True)

    def _print(self) -> None:
        assert self.printer is not None
        doc = sample_receipt(payer="Zoë Ñúñez", training=True)
        data = render_escpos(doc, self.printer.columns, safe7=True, kick=(2, 100))
        self.record.write_bytes(data)
        result = self.printer.print_receipt(doc, kick=(2, 100))
        self.call_from_thread(self.query_one("#state", Static).update,
                              "PRINTED" if result.ok else f"FAILED {result.message}")

    def action_raw(self) -> None:
        self._driver.write("\x1b[5iA\nB\u00e9\x1b[4i")
        self.query_one("#state", Static).update("RAW SENT")

    def action_unsafe(self) -> None:
        assert self.printer is not None
        result = self.printer.print_bytes(b"line one\nline two")
        self.query_one("#state", Static).update("REFUSED" if not result.ok else "SENT")


if __name__ == "__main__":
    TermPrintApp(Path(sys.argv[1])).run()
