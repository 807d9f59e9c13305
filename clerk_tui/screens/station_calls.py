"""Hand a committed receipt (or a report, a slip) to the workstation's devices without ever
blocking the counter.

The money is already posted when these run: the drawer kick and the printing go to
`app.station` (see clerk_tui/station.py) in a thread worker, and whatever the devices say comes
back as one plain notification. With no station attached (a bare app in a test) nothing is
printed and the clerk is told so, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import App
from textual.worker import Worker

from clerk_tui.domain.cashier import ReceiptView
from clerk_tui.hardware.printer import PrintResult


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


def _run_text(app: App, title: str, text: str, kick: bool,
              on_done: Callable[[PrintResult | None], object] | None) -> None:
    """Blocking: call from a worker thread only."""
    station = _station(app)

    def finish(result: PrintResult | None) -> None:
        if on_done is not None:
            app.call_from_thread(on_done, result)

    if station is None:
        app.call_from_thread(app.notify, f"{title}: no printer is set up for this "
                             "workstation.", severity="warning", markup=False)
        finish(None)
        return
    try:
        if kick:
            opened = station.kick_drawer()  # type: ignore[attr-defined]
            note = getattr(app, "note_drawer_result", None)
            if note is not None:
                app.call_from_thread(note, opened)
            if not opened.ok:
                app.call_from_thread(app.notify, f"{opened.message} — open the drawer by key "
                                     "and tell a supervisor.", title="Cash drawer",
                                     severity="warning", markup=False, timeout=15)
        result = station.print_text(title, text)  # type: ignore[attr-defined]
    except Exception as e:  # devices promise not to raise; a fault must still not crash
        result = PrintResult(False, f"{title} not printed: {e}")
    if result.ok:
        app.call_from_thread(app.notify, f"{title}: {result.message.lower()}.", markup=False)
    else:
        app.call_from_thread(app.notify, result.message, title="Receipt printer",
                             severity="error", markup=False, timeout=15)
    finish(result)


def print_text_in_background(app: App, title: str, text: str, *, kick: bool = False,
                             on_done: Callable[[PrintResult | None], object] | None = None
                             ) -> Worker[None]:
    """Print a plain-text document (report, slip) under `title` in a thread worker; `kick`
    opens the cash drawer first (a cash refund). What the printer said is shown as a
    notification; `on_done(result)` (UI thread) gets the `PrintResult`, None when no
    printer is set up."""
    return app.run_worker(partial(_run_text, app, title, text, kick, on_done), thread=True,
                          group="station", name=f"print-{title}")
