"""The visitor badge on the workstation's receipt printer: the name, whom they visit, and the
badge number as a Code 128 barcode the printer draws itself (GS k, like the receipt's), so the
desk's scanner checks the visitor out. The same number renders as an image through
`hardware.barcodes.code128_png` (the test decodes that with zbarimg).

Blocking: call from a worker (the check-in form's domain work does)."""

from __future__ import annotations

from clerk_tui.domain.frontdesk.visitors import Visitor, badge_lines
from clerk_tui.domain.text import visible
from clerk_tui.hardware.escpos import EscPos, UnsafePayload
from clerk_tui.hardware.printer import PrintResult
from clerk_tui.hardware.receipt import TRAINING_BANNER
from clerk_tui.station import Station


def badge_job(v: Visitor, width: int, *, training: bool = False, safe7: bool = False) -> bytes:
    e = EscPos(safe7=safe7).init()
    if training:
        e.align("center").bold(True).line(f"*** {TRAINING_BANNER} ***").bold(False)
    first, *rest = badge_lines(v)
    e.align("center").bold(True).double(True).line(first).double(False).bold(False)
    for line in rest:
        if line:
            e.line(visible(line)[:width])
    e.feed(1)
    e.barcode128(v.badge, height=80, width=2, hri="below").newline()
    e.align("left")
    return e.cut(partial=True, feed=4).bytes()


def print_badge(station: Station, v: Visitor) -> PrintResult:
    """Print the badge; a printer problem comes back as a result, never an exception."""
    printer = station.devices.printer
    try:
        data = badge_job(v, printer.columns, training=station.training, safe7=printer.safe7)
    except (UnsafePayload, ValueError) as e:
        return PrintResult(False, f"Badge not printed: {e}")
    try:
        result = printer.print_bytes(data)
    except Exception as e:  # a device fault must never reach the desk as a crash
        return PrintResult(False, f"Badge not printed: {e}")
    if not result.ok:
        return PrintResult(False, result.message.replace("Receipt", "Badge"), result.status)
    return result
