"""Diagnostics (F10, or G on home): what a city IT tech needs at the counter.

Each configured device with where it is (transport) and what it last said, keys to print a
test page, kick the drawer and ask the printer again, and the last scans exactly as the
scanner sent them (hex), so a wrong prefix, a missing suffix or an AIM identifier is visible
at a glance. Every device call runs in a thread worker: a dead printer can take seconds to
time out, and the counter must not freeze while it does.

Scans made while this screen is open are shown here, not acted on: the tech is testing the
scanner, not taking a payment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from clerk_tui.domain.device_log import record_drawer_opened
from clerk_tui.domain.errors import ClerkError
from clerk_tui.hardware.drawer import DrawerResult
from clerk_tui.hardware.escpos import PrinterStatus
from clerk_tui.hardware.printer import PrintResult
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.widgets.literal import LiteralLabel, join, literal

if TYPE_CHECKING:
    from clerk_tui.station import Station

SCANS_SHOWN = 6
HEX_WIDTH = 74


class DiagnosticsScreen(ClerkScreen):
    """Devices, their last status, test keys and the raw scans."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "test_page", "Test page", id="diagnostics.test_page"),
        Binding("k", "kick", "Kick drawer", id="diagnostics.kick"),
        Binding("s", "refresh", "Status", id="diagnostics.status"),
        Binding("escape", "back", "Back", id="diagnostics.back"),
    ]
    AUTO_FOCUS = ""
    DEFAULT_CSS = """
    DiagnosticsScreen #diag-devices { height: auto; margin: 0 0 1 0; }
    DiagnosticsScreen #diag-message { height: auto; min-height: 1; }
    DiagnosticsScreen #diag-scans { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="diagnostics")
        self.title = "Diagnostics"
        self.printer_status: str = "not asked yet (S)"
        self.drawer_status: str = ""
        self.busy = False

    @property
    def station(self) -> Station | None:
        return self.session.station

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="diag-devices")
        yield LiteralLabel("", id="diag-message", classes="message")
        yield LiteralLabel("", id="diag-scans")

    def on_mount(self) -> None:
        self.show_devices()
        self.show_scans()
        self.action_refresh()

    # ---- what is shown --------------------------------------------------------------------
    def show_devices(self) -> None:
        station = self.station
        out = Text()
        if station is None:
            out.append_text(literal("No devices are attached to this session.", "bold"))
            self.query_one("#diag-devices", LiteralLabel).set_text(out)
            return
        cfg = station.devices.config
        out.append_text(join(("Workstation ", "bold"), (cfg.name, "bold"),
                             f"  (settings: {cfg.source or 'built in'})"))
        statuses = {"Receipt printer": self.printer_status, "Cash drawer": self.drawer_status}
        for device, where in station.devices.describe():
            if device == "Scanner" and cfg.scanner.mode == "wedge":
                prefix = cfg.scanner.prefix
                where += f", prefix {prefix.encode('latin-1').hex() if prefix else 'none'}"
                if self.session.wedge_timing:
                    where += " + timing"
            out.append("\n")
            out.append_text(join((f"{device:<17}", "bold"), where[:62]))
            status = statuses.get(device, "")
            if status:
                out.append("\n")
                out.append_text(join(" " * 17, (status[:62], "bold")))
        self.query_one("#diag-devices", LiteralLabel).set_text(out)

    def show_scans(self) -> None:
        records = self.session.scan_log.latest(SCANS_SHOWN)
        out = Text()
        out.append_text(literal("Last scans (newest last) — scan now to test the scanner:",
                                "bold"))
        if not records:
            out.append("\n")
            out.append_text(literal("none yet", "dim"))
        for r in records:
            sym = f" [{r.symbology}]" if r.symbology else ""
            out.append("\n")
            out.append_text(join(f"{r.at} {r.via:<7}{sym} ", (r.data[:40], "bold"),
                                 f"  {r.outcome}"[:30]))
            out.append("\n")
            hexed = r.hex
            out.append_text(literal("  " + (hexed if len(hexed) <= HEX_WIDTH
                                            else hexed[:HEX_WIDTH - 3] + "..."), "dim"))
        self.query_one("#diag-scans", LiteralLabel).set_text(out)

    def say(self, message: str) -> None:
        self.query_one("#diag-message", LiteralLabel).set_value(message)

    # ---- keys -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        """S: ask the printer (and a drawer on it) how it is."""
        if self.station is None:
            return
        self.printer_status = "asking…"
        self.show_devices()
        self._status_worker()

    @work(thread=True, exclusive=True, group="diagnostics-status")
    def _status_worker(self) -> None:
        station = self.station
        assert station is not None
        status = station.devices.printer.status()
        drawer = station.devices.drawer
        drawer_open: bool | None = None
        if drawer is not None and drawer.printer is not station.devices.printer:
            drawer_open = drawer.state()
        elif drawer is not None and status.known:
            drawer_open = status.drawer_open
        self.app.call_from_thread(self._status_done, status, drawer_open)

    def _status_done(self, status: PrinterStatus, drawer_open: bool | None) -> None:
        self.printer_status = status.message
        drawer = self.station.devices.drawer if self.station else None
        if drawer is None:
            self.drawer_status = ""
        else:
            self.drawer_status = {True: "open", False: "closed"}.get(
                drawer_open, "cannot tell")  # type: ignore[arg-type]
            self.session.note_drawer_state(drawer_open)
        self.show_devices()

    def action_test_page(self) -> None:
        """T: a short test job (alignment, bold, a barcode, the cut)."""
        if self.station is None:
            self.say("No printer is attached to this session.")
            return
        self.say("Printing a test page…")
        self._test_worker()

    @work(thread=True, exclusive=True, group="diagnostics-print")
    def _test_worker(self) -> None:
        assert self.station is not None
        result = self.station.test_page()
        self.app.call_from_thread(self._test_done, result)

    def _test_done(self, result: PrintResult) -> None:
        self.say(f"Test page: {result.message}")
        if result.status is not None:
            self.printer_status = result.status.message
            self.show_devices()

    def action_kick(self) -> None:
        """K: open the cash drawer outside a sale (audited: this is a "no sale")."""
        if self.station is None:
            self.say("No cash drawer is attached to this session.")
            return
        self.say("Opening the cash drawer…")
        self._kick_worker()

    @work(thread=True, exclusive=True, group="diagnostics-print")
    def _kick_worker(self) -> None:
        assert self.station is not None
        result = self.station.kick_drawer()
        audited = ""
        if self.session.signed_in:  # a drawer opened outside a sale is audited (a "no sale")
            try:
                record_drawer_opened(self.session.db, self.session.actor, reason="diagnostics",
                                     result=result.message)
            except ClerkError as e:
                audited = f" (not audited: {e})"
        self.app.call_from_thread(self._kick_done, result, audited)

    def _kick_done(self, result: DrawerResult, audited: str = "") -> None:
        self.session.note_drawer_result(result)
        self.say(f"Cash drawer: {result.message}{audited}")
        self.drawer_status = {True: "open", False: "did not open"}.get(
            result.opened, "kicked, cannot tell")  # type: ignore[arg-type]
        self.show_devices()
