"""Build a workstation's devices from its configuration: the one call the app makes.

    devices = devices_for(ws_config, sandbox=app.sandbox, terminal_sink=write_to_terminal)
    result = devices.printer.print_receipt(doc)          # in a worker thread
    scanner = devices.start_serial_scanner(on_scan)      # None for wedge scanners

The sandbox always gets simulated devices, whatever the file says: a trainee must never open a
real drawer or print something that looks like a real receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clerk_tui.config import WorkstationConfig, sim_workstation
from clerk_tui.hardware.drawer import Drawer
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.scanner import WedgeAssembler
from clerk_tui.hardware.serial_scanner import SerialScanner
from clerk_tui.hardware.sim import SimScanner, SimTransport
from clerk_tui.hardware.transports import describe, open_transport


@dataclass
class Devices:
    config: WorkstationConfig
    printer: Printer
    drawer: Drawer | None
    wedge: WedgeAssembler | None  # None when the scanner is serial
    scanner: SerialScanner | SimScanner | None = None

    def describe(self) -> list[tuple[str, str]]:
        """(device, where) rows for the diagnostics screen."""
        rows = [("Receipt printer", describe(self.printer.url))]
        if self.drawer is None:
            rows.append(("Cash drawer", "none"))
        elif self.drawer.printer is not None:
            rows.append(("Cash drawer", f"via printer, pin {self.drawer.pin}"))
        else:
            rows.append(("Cash drawer", describe(self.drawer.url)))
        sc = self.config.scanner
        rows.append(("Scanner", "keyboard wedge" if sc.mode == "wedge" else describe(sc.url)))
        return rows

    def start_serial_scanner(self, on_scan: Callable[[str], None],
                             on_error: Callable[[str], None] | None = None
                             ) -> SerialScanner | SimScanner | None:
        """Start the reader thread of a serial scanner (None for a wedge scanner)."""
        sc = self.config.scanner
        if sc.mode != "serial":
            return None
        if self.scanner is None:
            if sc.url.startswith("sim:"):
                self.scanner = SimScanner(on_scan).start()
            else:
                self.scanner = SerialScanner(sc.url, on_scan, settings=sc.serial,
                                             on_error=on_error).start()
        return self.scanner

    def close(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
            self.scanner = None
        if self.drawer is not None:
            self.drawer.close()
        self.printer.close()


SANDBOX_TILL_SECONDS = 3.0
"""The sandbox's simulated drawer shuts itself this long after it opened, as a clerk pushes a
real till shut after handing over the change: otherwise the status bar says "Till: open" for
the rest of the training session."""


def devices_for(ws: WorkstationConfig, *, sandbox: bool = False,
                terminal_sink: Callable[[str], None] | None = None) -> Devices:
    """Devices for one workstation (nothing is opened until first use)."""
    if sandbox:
        keep_scanner = ws.scanner if ws.scanner.mode == "wedge" else None
        ws = sim_workstation(ws.name, drawer_autoclose=SANDBOX_TILL_SECONDS)
        if keep_scanner is not None:  # a wedge scanner types into the terminal: it is safe
            ws = WorkstationConfig(**{**ws.__dict__, "scanner": keep_scanner})
    p = ws.printer
    transport = open_transport(p.url, p.serial, terminal_sink=terminal_sink, what="receipt printer")
    printer = Printer(transport, columns=p.columns, check_status=p.status,
                      drawer_open_level=ws.drawer.open_level)
    d = ws.drawer
    drawer: Drawer | None
    if d.url == "none":
        drawer = None
    elif d.url == "printer":
        drawer = Drawer(printer=printer, pin=d.pin, pulse_ms=d.pulse_ms)
    else:
        own = open_transport(d.url, d.serial, terminal_sink=terminal_sink, what="cash drawer")
        if isinstance(own, SimTransport):
            drawer = Drawer(printer=Printer(own, drawer_open_level="high"), pin=d.pin,
                            pulse_ms=d.pulse_ms)
        else:
            drawer = Drawer(transport=own, pin=d.pin, pulse_ms=d.pulse_ms, command=d.command)
    sc = ws.scanner
    wedge = None
    if sc.mode == "wedge":
        wedge = WedgeAssembler(prefix=sc.prefix, suffixes=sc.suffixes,
                               max_gap=sc.max_gap_ms / 1000, min_length=sc.min_length,
                               use_timing=sc.timing)
    return Devices(ws, printer, drawer, wedge)
