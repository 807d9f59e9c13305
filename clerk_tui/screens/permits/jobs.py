"""The permits' desk jobs (^O on the permits screen): renewal notices and their mailing, the
enforcement export, lapsing expired permits, and the stock (report, receive, damaged, count).

They live on the permits' own screen, not on the utility desk, so letters and jobs never
collide between counters (COUNTERS.md). Files go where the clerk says, private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clerk_tui.domain.authority import ALLOW
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.permits import export, notices, permits, stock
from clerk_tui.screens.kit import Choice, Field, Form, LetterMenu, Prompt, ReportScreen, required

if TYPE_CHECKING:
    from clerk_tui.screens.permits.screen import PermitsScreen

NOTICES_FOLDER = "~/permit-notices"
EXPORT_FOLDER = "~/enforcement"


def _whole(what: str) -> Any:
    def check(value: str) -> str | None:
        return None if value.strip().isdigit() else f"{what} is a whole number."
    return check


def open_jobs(screen: PermitsScreen) -> None:
    session = screen.session
    stock_ok = session.rules.mode(session.actor.role, "permit.stock") == ALLOW
    menu = LetterMenu("Parking permits: jobs", [
        Choice("n", "Renewal notices: write those due"),
        Choice("m", "Mail renewal notices (save to a folder)"),
        Choice("x", "Enforcement export (valid permits + hot list, CSV)"),
        Choice("l", "Lapse expired permits"),
        Choice("k", "Stock report (issued + spoiled + on hand)"),
        Choice("d", "Damaged stock (a tag never handed out)"),
        Choice("r", "Receive stock (a box from the printer)", stock_ok),
        Choice("c", "Count a stock range (reconcile)", stock_ok),
    ])
    screen.app.push_screen(menu, lambda letter: _job(screen, letter) if letter else None)


def _job(screen: PermitsScreen, letter: str) -> None:
    session = screen.session
    db, actor = session.db, session.actor

    def report(title: str, text: str | None) -> None:
        if text is not None:
            screen.app.push_screen(ReportScreen(title, text, print_text=session.print_text,
                                                run=session.kit_run))

    def folder_then(title: str, default: str, work: Any) -> None:
        prompt = Prompt(title, [Field("folder", "Folder", default, "where to write", 200,
                                      required("The folder"))], name="permit-folder")
        screen.app.push_screen(prompt, lambda v: work(v["folder"].strip()) if v else None)

    if letter == "n":
        screen._run(lambda: notices.format_notices(notices.send_notices(db, actor),
                                                   "RENEWAL NOTICES WRITTEN"),
                    "write renewal notices", lambda text: report("Renewal notices", text))
    elif letter == "m":
        def save(folder: str) -> None:
            screen._run(lambda: notices.save_notices(db, actor, folder), "save notices",
                        lambda r: screen._say(f"Saved {len(r[1])} notice(s) in {r[0]}.")
                        if r else None)
        folder_then("Save the renewal notices to mail", NOTICES_FOLDER, save)
    elif letter == "x":
        def write(folder: str) -> None:
            screen._run(lambda: export.write_export(db, actor, folder).message,
                        "write the enforcement export",
                        lambda msg: screen._say(msg) if msg else None)
        folder_then("Enforcement export (CSV for the handhelds)", EXPORT_FOLDER, write)
    elif letter == "l":
        def lapse(yes: bool) -> None:
            if yes:
                screen._run(lambda: permits.lapse_expired(db, actor), "lapse expired permits",
                            lambda done: screen._say(f"{len(done)} permit(s) lapsed.")
                            if done is not None else None)
        session.confirm("Mark every permit whose last day has passed as lapsed?", lapse,
                        yes="Lapse")
    elif letter == "k":
        screen._run(lambda: export.format_stock_report(db), "read the stock",
                    lambda text: report("Permit stock", text))
    elif letter == "d":
        screen.app.push_screen(Form("Damaged permit stock", [
            Field("number", "Number or serial", "", "PK1000017 or 100001", 12,
                  required("The number")),
            Field("reason", "Reason", "", "torn, misprinted...", 120, required("A reason")),
        ], lambda v: stock.mark_damaged(db, actor, v["number"], v["reason"]), str,
            run=session.kit_run))
    elif letter == "r":
        def receive(v: dict[str, str]) -> stock.StockRange:
            return stock.receive_range(db, actor, v["district"], v["stock"].strip().lower(),
                                       int(v["low"]), int(v["high"]), v["note"])
        screen.app.push_screen(Form("Receive permit stock", [
            Field("district", "District", "", "A or B", 4, required("The district")),
            Field("stock", "Stock", "decal", "decal, hangtag or visitor", 8,
                  required("The stock")),
            Field("low", "First serial", "", "e.g. 100501", 6, _whole("The first serial")),
            Field("high", "Last serial", "", "e.g. 101000", 6, _whole("The last serial")),
            Field("note", "Note", "", "delivery note (optional)", 120),
        ], receive, lambda r: f"Received {r.label} ({r.size} tags).", run=session.kit_run))
    elif letter == "c":
        def count(v: dict[str, str]) -> str:
            try:
                rid, counted = int(v["range"]), int(v["counted"])
            except ValueError:
                raise ValidationError("Range and count are whole numbers.") from None
            return stock.record_count(db, actor, rid, counted, v["note"])[1]
        screen.app.push_screen(Form("Count a permit stock range", [
            Field("range", "Range", "", "its number on the stock report", 6,
                  _whole("The range")),
            Field("counted", "Tags on hand", "", "counted in the drawer", 6,
                  _whole("The count")),
            Field("note", "Note", "", "required when it does not balance", 200),
        ], count, str, run=session.kit_run))
    else:  # pragma: no cover - the menu offers only the letters above
        raise ClerkError(f"No job {letter!r}.")
