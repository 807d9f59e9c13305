"""F9 Reports, the office's day (issue 17): O day report, G GL file, A city checks for AP,
C close a business day (before its GL file).

Each asks for the business day (and, for files, the folder) in a kit Prompt, reads or writes
through the domain in a thread (session.run), and shows the text in the kit's full-screen
ReportScreen, where P prints it. A role that may not do it is told so before any typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clerk_tui.domain import clock
from clerk_tui.domain.authority import DENY, authority
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.office import gl, refunds
from clerk_tui.domain.office.day import check_day, day_report, format_day_report
from clerk_tui.paths import data_home
from clerk_tui.screens.kit import Field, Prompt, ReportScreen

if TYPE_CHECKING:
    from clerk_tui.screens.reports import ReportsScreen


def _day_check(text: str) -> str | None:
    try:
        check_day(text)
    except ValidationError as e:
        return str(e)
    return None


def _yes_no(text: str) -> str | None:
    return None if text.strip().upper() in ("Y", "N") else "Type Y or N."


def _may(screen: ReportsScreen, permission: str, what: str) -> bool:
    actor = screen.session.actor
    rules = authority()
    if actor is None or rules.mode(actor.role, permission) == DENY:
        role = rules.role(actor.role).label if actor is not None else "clerk"
        screen.say_message(f"A {role} may not {what}.")
        return False
    return True


def _show(screen: ReportsScreen, title: str, make: Callable[[], str]) -> None:
    """`make()` runs in a thread; its text opens full screen (P prints, Esc closes)."""
    session = screen.session

    def shown(text: str | None) -> None:
        if text is None or not screen.is_attached:
            return
        screen.say_message(f"{title}: shown.")
        screen.app.push_screen(ReportScreen(title, text, print_text=session.print_text,
                                            run=session.kit_run))

    session.run(lambda override=None: make(), what=title, on_done=shown,
                on_error=lambda e: screen.say_message(str(e)), screen=screen)


def open_day_report(screen: ReportsScreen) -> None:
    """O: the day report of a business day (today unless another is typed)."""
    if not _may(screen, "day.report", "see the day report"):
        return
    db, actor = screen.session.db, screen.session.actor

    def asked(values: dict[str, str] | None) -> None:
        if values:
            day = check_day(values["day"])
            _show(screen, f"Day report {day}",
                  lambda: format_day_report(day_report(db, actor, day)))

    screen.app.push_screen(Prompt("Day report: every drawer, batch and counter", [
        Field("day", "Business day", clock.today().isoformat(), max_length=10,
              check=_day_check)], name="dayreport"), asked)


def open_gl_export(screen: ReportsScreen) -> None:
    """G: the GL file of a closed day, once (or the same file again with Re-print Y)."""
    if not _may(screen, "gl.export", "export the GL file"):
        return
    db, actor = screen.session.db, screen.session.actor

    def asked(values: dict[str, str] | None) -> None:
        if not values:
            return
        day = check_day(values["day"])
        again = values["reprint"].strip().upper() == "Y"

        def write() -> str:
            fn = gl.reprint_day if again else gl.export_day
            return gl.format_gl_result(fn(db, actor, day, values["folder"].strip()))

        _show(screen, f"GL file {day}", write)

    screen.app.push_screen(Prompt("GL file for finance (a closed day, exported once)", [
        Field("day", "Business day", clock.today().isoformat(), max_length=10,
              check=_day_check),
        Field("folder", "Folder", str(data_home()), max_length=200),
        Field("reprint", "Re-print (Y/N)", "N", max_length=1, check=_yes_no)],
        name="glexport"), asked)


def open_ap_refunds(screen: ReportsScreen) -> None:
    """A: city checks to issue for accounts payable; a folder also writes the CSV."""
    if not _may(screen, "day.report", "see the refunds for accounts payable"):
        return
    db, actor = screen.session.db, screen.session.actor

    def asked(values: dict[str, str] | None) -> None:
        if not values:
            return
        day = check_day(values["day"]) if values["day"].strip() else None
        folder = values["folder"].strip()

        def make() -> str:
            text = refunds.format_refunds(refunds.payable_refunds(db, actor, day), day)
            if folder:
                path, n = refunds.write_refunds_csv(db, actor, folder, day)
                text += f"\n\nCSV ({n} checks): {path}"
            return text

        _show(screen, "City checks to issue", make)

    def any_day(text: str) -> str | None:
        return _day_check(text) if text.strip() else None

    screen.app.push_screen(Prompt("City checks to issue (accounts payable)", [
        Field("day", "Business day (empty: all)", clock.today().isoformat(), max_length=10,
              check=any_day),
        Field("folder", "CSV folder (empty: none)", "", max_length=200)],
        name="aprefunds"), asked)


def open_day_close(screen: ReportsScreen) -> None:
    """C: close a business day (every drawer of it approved), after asking: the GL file of a
    day is exported only once the day is closed, and a closed day takes no more postings."""
    from clerk_tui.domain.cashier import close_business_day

    if not _may(screen, "day.close", "close the business day"):
        return
    db, actor = screen.session.db, screen.session.actor

    def asked(values: dict[str, str] | None) -> None:
        if not values:
            return
        day = check_day(values["day"])

        def go(yes: bool) -> None:
            if not yes:
                return

            def closed(done: Any) -> None:
                if done is not None and screen.is_attached:
                    screen.say_message(f"Business day {done.business_date} closed "
                                       f"({done.sessions} drawers). G exports its GL file.")

            screen.session.run(lambda override=None: close_business_day(db, actor, day),
                               what="close the business day", on_done=closed,
                               on_error=lambda e: screen.say_message(str(e)), screen=screen)

        screen.session.confirm(f"Close business day {day}? Nothing more can be posted in it.",
                               go, yes="Close the day")

    screen.app.push_screen(Prompt("Close a business day (all its drawers approved)", [
        Field("day", "Business day", clock.today().isoformat(), max_length=10,
              check=_day_check)], name="dayclose"), asked)


ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("o", "day_report", "Day report: every drawer, batch and counter (CSR III+)"),
    ("g", "gl_export", "GL file for finance of a closed day (supervisor)"),
    ("a", "ap_refunds", "City checks to issue, for accounts payable (CSR III+)"),
    ("c", "day_close", "Close a business day: no more postings in it (supervisor)"),
)
"""F9's letters for these reports (added to its list by clerk_tui/screens/reports.py)."""

OPEN: dict[str, Callable[[Any], None]] = {
    "day_report": open_day_report, "gl_export": open_gl_export, "ap_refunds": open_ap_refunds,
    "day_close": open_day_close}
