"""Passports (F6): today's appointments and open applications, and the keys to everything
else: N new application (the checklist follows), O open one (number, name or date of birth),
T envelopes to the State Department, A the appointment book, R reports, J jobs.

Data is read through the session (no SQL on the UI thread); every change is the domain's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from clerk_tui.domain.passports import applications
from clerk_tui.domain.passports.finders import find
from clerk_tui.domain.passports.overview import Overview, overview
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import Field, Picker, Prompt, required
from clerk_tui.screens.passports.application import ApplicationScreen
from clerk_tui.screens.passports.dialogs import NewApplicationForm, yes
from clerk_tui.widgets.literal import LiteralLabel, join

HINT = "N new  O open  T envelopes  A appointments  R reports  J jobs  Esc back"


class PassportsScreen(CounterScreen):
    """The counter's front page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="passports.new"),
        Binding("o", "open", "Open", id="passports.open"),
        Binding("t", "transmittals", "Send", id="passports.transmittals"),
        Binding("a", "appointments", "Appts", show=False, id="passports.appointments"),
        Binding("r", "reports", "Reports", show=False, id="passports.reports"),
        Binding("j", "jobs", "Jobs", show=False, id="passports.jobs"),
    ]
    CSS_PATH = "passports.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="passports")
        self.view: Overview | None = None

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="pp-warnings", classes="message")
        yield LiteralLabel("Reading today…", id="pp-today")
        yield LiteralLabel("", id="pp-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="pp-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def say(self, message: str) -> None:
        self.query_one("#pp-message", LiteralLabel).set_value(message)

    def reload(self) -> None:
        db, user = self.session.db, self.session.actor.username
        self.session.run(lambda override=None: overview(db, user), what="read today",
                         on_done=self._show, on_error=lambda e: self.say(str(e)))

    def _show(self, v: Overview | None) -> None:
        if v is None or not self.is_attached:
            return
        self.view = v
        self.query_one("#pp-warnings", LiteralLabel).set_value("  ".join(v.warnings))
        out = Text()
        out.append_text(join((f"Appointments {v.day.isoformat()}", "bold")))
        for a in v.appointments[:7]:
            out.append("\n")
            out.append_text(join(f"  {a.slot}  {a.agent[:10]:<11}{(a.name or '-')[:36]:<37}"
                                 f"{a.status.replace('_', '-')}"))
        if not v.appointments:
            out.append_text(join(("\n  none booked", "dim")))
        out.append("\n")
        out.append_text(join((f"Open applications ({len(v.open_apps)})", "bold"),
                             f"   ready to send: {v.ready}   overdue: {v.overdue}"))
        for app in v.open_apps[:7]:
            out.append("\n")
            missing = app.missing()
            out.append_text(join(f"  {app.number}  {(app.name or '-')[:28]:<29}"
                                 f"{(missing[0] if missing else 'ready to execute')[:33]}"))
        self.query_one("#pp-today", LiteralLabel).set_text(out)

    # ---- applications ----------------------------------------------------------------------
    def open_application(self, number: str) -> None:
        self.app.push_screen(ApplicationScreen(self.counter, number))

    def action_new(self) -> None:
        db, actor = self.session.db, self.session.actor

        def submit(v: dict[str, str]) -> applications.Application:
            return applications.start(db, actor, v["name"], v["birth"], v["product"],
                                      expedite=yes(v["expedite"]), delivery=yes(v["delivery"]),
                                      file_search=yes(v["search"]), parents=v["parents"])

        def started(app: applications.Application | None) -> None:
            if app is not None:
                self.open_application(app.number)

        self.app.push_screen(NewApplicationForm(submit, self.session.kit_run,
                                                lambda a: f"Started {a.number}."), started)

    def action_open(self) -> None:
        db, actor = self.session.db, self.session.actor

        def found(results: list[Any] | None) -> None:
            if results is None:
                return
            if not results:
                self.say("No application found (number PA..., a name's start, or YYYY-MM-DD).")
            elif len(results) == 1:
                self.open_application(results[0].key)
            else:
                self.app.push_screen(
                    Picker("Which application?",
                           [(f.key, f"{f.key}  {f.title[:26]}  {f.detail[:30]}")
                            for f in results]),
                    lambda key: self.open_application(key) if key else None)

        def asked(v: dict[str, str] | None) -> None:
            if v is None:
                return
            self.session.run(lambda override=None: find(db, actor, v["text"], 20),
                             what="find an application", on_done=found,
                             on_error=lambda e: self.say(str(e)))

        self.app.push_screen(Prompt("Open an application", [
            Field("text", "Find", placeholder="PA number, name's start, or born YYYY-MM-DD",
                  max_length=40, check=required("What to look for"))], name="ppfind"), asked)

    # ---- desk ------------------------------------------------------------------------------
    def action_transmittals(self) -> None:
        from clerk_tui.screens.passports.desk import transmittals_menu

        transmittals_menu(self)

    def action_appointments(self) -> None:
        from clerk_tui.screens.passports.desk import AppointmentsList

        self.app.push_screen(AppointmentsList(self.session))

    def action_reports(self) -> None:
        from clerk_tui.screens.passports.desk import reports_menu

        reports_menu(self)

    def action_jobs(self) -> None:
        from clerk_tui.screens.passports.desk import jobs_menu

        jobs_menu(self)


def open_found(screen: Any, key: str) -> None:
    """F2 lookup's `open`: the application's checklist over whatever screen is showing."""
    from clerk_tui.counters import registry

    counter = next(c for c in registry().counters if c.id == "passports")
    screen.app.push_screen(ApplicationScreen(counter, key))


def scan_opens(app: Any, scan: Any) -> None:
    """A scanned application number opens its checklist (clerks who accept passports)."""
    from clerk_tui.counters import registry

    counter = next(c for c in registry().counters if c.id == "passports")
    if not app.session.may_open(counter):
        app.bell()
        app.notify("Your role does not accept passport applications.", title="Scan",
                   severity="error", markup=False)
        return
    app.push_screen(ApplicationScreen(counter, scan.value.number))


COUNTER_SCREEN = PassportsScreen
