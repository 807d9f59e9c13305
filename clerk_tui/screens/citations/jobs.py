"""J on the citations screen: the counter's desk jobs and lists (its own menu, so its letters
never collide with the utility desk's): notices, DMV holds and file, collections, imports,
boot/tow, calendar, aging, the DMV file log, payment plans, permits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clerk_tui.domain import clock
from clerk_tui.domain.authority import DENY, authority
from clerk_tui.paths import data_home
from clerk_tui.screens.kit import Choice, ConfirmDialog, Field, LetterMenu, Prompt, ReportScreen

if TYPE_CHECKING:
    from clerk_tui.domain.citations.imports import ImportPlan, ImportResult
    from clerk_tui.screens.citations.screen import CitationsScreen


def report(screen: CitationsScreen, title: str, load: Callable[[], str]) -> None:
    """Read a list in a thread and show it in the kit's report view (P prints)."""
    session = screen.session

    def show(text: str | None) -> None:
        if text is not None and screen.is_attached:
            screen.app.push_screen(ReportScreen(title, text, print_text=session.print_text,
                                                run=session.kit_run))

    screen.run(lambda override=None: load(), what=title, then=show)


def jobs_menu(screen: CitationsScreen) -> None:
    from clerk_tui.domain.citations import dmv, lists, notices

    session = screen.session
    db, actor = session.db, session.actor
    may = {p: authority().mode(actor.role, p) != DENY
           for p in ("citation.jobs", "citation.import", "citation.key", "citation.plan")}

    def notices_run() -> None:
        def done(run: Any) -> None:
            if run is None:
                return
            screen.say(run.message)
            if run.text:
                screen.app.push_screen(ReportScreen("Notices of delinquency", run.text,
                                                    print_text=session.print_text,
                                                    run=session.kit_run))
            screen.refresh_found()

        screen.run(lambda override=None: notices.send_notices(db, actor),
                   what="send notices", then=done)

    def holds_run() -> None:
        screen.run(lambda override=None: dmv.place_holds(db, actor), what="DMV holds",
                   then=lambda r: r and screen.say(f"{r.held} DMV hold(s) queued for the "
                                                   "next DMV file."))

    def dmv_file() -> None:
        def folder(values: dict[str, str] | None) -> None:
            if not values:
                return

            def written(f: Any) -> None:
                if f is None:
                    return
                screen.say(f"Wrote {f.path} ({f.holds} hold(s), {f.releases} release(s)).")
                screen.app.push_screen(ReportScreen(f"DMV file {f.path.name}", f.text,
                                                    print_text=session.print_text,
                                                    run=session.kit_run))

            screen.run(lambda override=None: dmv.write_file(db, actor, values["folder"]),
                       what="write the DMV file", then=written)

        screen.app.push_screen(Prompt("Write the DMV hold/release file", [
            Field("folder", "Folder", str(data_home()), max_length=200)], name="dmvfile"),
            folder)

    def referrals() -> None:
        def sure(yes: bool | None) -> None:
            if yes:
                report(screen, "Collections referral",
                       lambda: lists.refer_to_collections(db, actor))

        screen.app.push_screen(ConfirmDialog(
            "Refer every citation held through two renewals to the collection agency?",
            yes="Refer"), sure)

    def plans() -> None:
        from clerk_tui.screens.citations.plans import plan_form

        v = screen.selected
        if v is None:
            screen.say("Find the plate first (its owed citations go on the plan).")
            return
        screen.app.push_screen(plan_form(session, v.row["plate"], v.row["state"]),
                               lambda _: screen.refresh_found())

    def plan_check() -> None:
        from clerk_tui.domain.citations import plans as plan_rules

        screen.run(lambda override=None: plan_rules.check_plans(db, actor),
                   what="check payment plans",
                   then=lambda done: done is not None and screen.say(
                       f"{len(done)} plan(s) defaulted (penalties reinstated)"
                       + (f": {', '.join(map(str, done[:10]))}." if done else ".")))

    today = clock.today()
    actions: dict[str, Callable[[], None]] = {
        "d": plan_check,
        "n": notices_run,
        "h": holds_run,
        "f": dmv_file,
        "c": referrals,
        "i": lambda: import_flow(screen, "citations"),
        "o": lambda: import_flow(screen, "owners"),
        "e": screen.action_key_in,
        "u": plans,
        "b": lambda: report(screen, "Boot/tow eligible",
                            lambda: lists.format_boot_tow(lists.boot_tow(db, today), today)),
        "k": lambda: report(screen, "Review and hearing calendar",
                            lambda: lists.format_calendar(lists.calendar(db, today), today)),
        "a": lambda: report(screen, "Citation aging",
                            lambda: lists.format_aging(lists.aging(db, today), today)),
        "l": lambda: report(screen, "DMV file log", lambda: lists.format_dmv_log(db)),
        "p": screen.action_permits,
    }

    def picked(letter: str | None) -> None:
        if letter in actions:
            actions[letter]()

    screen.app.push_screen(LetterMenu("Citation jobs", [
        Choice("n", "Notices of delinquency (letters)", may["citation.jobs"]),
        Choice("h", "Place DMV holds (CVC 4760)", may["citation.jobs"]),
        Choice("f", "Write the DMV hold/release file", may["citation.jobs"]),
        Choice("c", "Collections referral", may["citation.jobs"]),
        Choice("i", "Import the handhelds' file", may["citation.import"]),
        Choice("o", "Import DMV owner responses", may["citation.import"]),
        Choice("e", "Key in a handwritten citation", may["citation.key"]),
        Choice("u", "Payment plan (CVC 40220) for this plate", may["citation.plan"]),
        Choice("d", "Check plans for defaults (missed, cure over)", may["citation.jobs"]),
        Choice("b", "Boot/tow eligible plates"),
        Choice("k", "Review and hearing calendar"),
        Choice("a", "Aging"),
        Choice("l", "DMV file log"),
        Choice("p", "Residential parking permits"),
    ]), picked)


def import_flow(screen: CitationsScreen, kind: str) -> None:
    """Path prompt; the file is read and checked in a thread; a clean file is imported after
    a Y; a file with bad rows changes nothing unless the clerk takes the good rows and keeps
    a reject file."""
    from clerk_tui.domain.citations import imports

    session = screen.session
    db, actor = session.db, session.actor
    read = imports.read_citation_file if kind == "citations" else imports.read_owner_file
    apply = imports.import_citations if kind == "citations" else imports.import_owners
    what = "handheld citations" if kind == "citations" else "DMV owner responses"

    def imported(r: ImportResult | None) -> None:
        if r is not None:
            screen.say(r.message)
            screen.refresh_found()

    def checked(plan: ImportPlan | None) -> None:
        if plan is None:
            return
        if not plan.good:
            extra = f" {plan.refusal(2)}." if plan.rejected else ""
            screen.say(f"{plan.summary()} Nothing to import.{extra}")
            return
        if plan.rejected:
            question = (f"{plan.summary()} {plan.refusal(3)}. Import only the "
                        f"{len(plan.good)} good row(s) and keep a reject file?")
        else:
            question = f"{plan.summary()} Import them?"

        def go(yes: bool | None) -> None:
            if not yes:
                screen.say(f"Nothing imported from {plan.path.name}.")
                return
            screen.run(lambda override=None: apply(db, actor, plan.path,
                                                   good_only=bool(plan.rejected)),
                       what=f"import {what}", then=imported)

        screen.app.push_screen(ConfirmDialog(question, yes="Import"), go)

    def path(values: dict[str, str] | None) -> None:
        if values and values.get("path"):
            screen.run(lambda override=None: read(db, values["path"]),
                       what=f"read {what}", then=checked)

    screen.app.push_screen(Prompt(f"Import {what} (CSV or JSON)", [
        Field("path", "File", placeholder="/path/to/file.csv", max_length=200)],
        name="import"), path)
