"""Hand a committed receipt to the workstation's devices without ever blocking the counter.

The money is already posted when these run: the drawer kick and the printing go to
`app.station` (see clerk_tui/station.py) in a thread worker, and whatever the devices say comes
back as one plain notification. With no station attached (a bare app in a test) nothing is
printed and the clerk is told so, never a crash.
"""

from __future__ import annotations

from functools import partial

from textual.app import App

from clerk_tui.domain.cashier import ReceiptView


def _station(app: App) -> object | None:
    return getattr(app, "station", None)


def _run(app: App, view: ReceiptView, duplicate: bool) -> None:
    """Blocking: call from a worker thread only."""
    station = _station(app)
    if station is None:
        app.call_from_thread(app.notify, f"Receipt {view.number}: no printer is set up for "
                             "this workstation.", severity="warning", markup=False)
        return
    try:
        call = station.reprint if duplicate else station.after_payment  # type: ignore[attr-defined]
        result = call(view)
    except Exception as e:  # devices promise not to raise; a fault must still not crash
        app.call_from_thread(app.notify, f"Printer/drawer problem: {e}. Receipt "
                             f"{view.number} is saved: reprint it later.",
                             severity="error", markup=False)
        return
    report = getattr(app, "report_station_result", None)
    if report is not None:  # the app shows the drawer state and picks warning vs error
        app.call_from_thread(report, result, duplicate)
        return
    messages = tuple(getattr(result, "messages", ()) or ())
    for message in messages:
        app.call_from_thread(app.notify, str(message), severity="error", markup=False)


def print_in_background(app: App, view: ReceiptView, *, duplicate: bool = False,
                        in_thread: bool = False) -> None:
    """Kick the drawer (new cash/check receipts) and print, or reprint as DUPLICATE.

    `in_thread=True` when already inside a thread worker (run now, in that thread).
    """
    if in_thread:
        _run(app, view, duplicate)
        return
    app.run_worker(partial(_run, app, view, duplicate), thread=True, group="station",
                   name=f"print-{view.number}")
