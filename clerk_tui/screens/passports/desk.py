"""The Passports counter's desk: envelopes (transmittals), the appointment book, reports and
jobs (purge, agents' certifications, the facility's compliance date). Built from the kit;
domain work goes through the session's `kit_run`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from clerk_tui.domain import clock
from clerk_tui.domain.authority import DENY, authority
from clerk_tui.domain.passports import agents, appointments, purge, reports, transmittals
from clerk_tui.screens.kit import (
    Action,
    Choice,
    Field,
    LetterMenu,
    ListAndAct,
    Prompt,
    ReportScreen,
    Row,
    required,
)
from clerk_tui.screens.passports.dialogs import is_date, one_of
from clerk_tui.widgets.literal import LiteralLabel

if TYPE_CHECKING:
    from clerk_tui.screens.passports.screen import PassportsScreen
    from clerk_tui.session import Session


def report(screen: Any, title: str, load: Any) -> None:
    """Read a report's text through the session, then show it (P prints)."""
    session = screen.session

    def show(text: str | None) -> None:
        if text is not None:
            screen.app.push_screen(ReportScreen(title, text, print_text=session.print_text,
                                                run=session.kit_run))

    session.run(lambda override=None: load(), what=title, on_done=show,
                on_error=lambda e: screen.say(str(e)))


# ---- envelopes ---------------------------------------------------------------------------------
class SendPrompt(Prompt):
    def __init__(self) -> None:
        super().__init__("Seal every application listed into one envelope", [
            Field("tracking", "Tracking", placeholder="Tracking number", max_length=40,
                  check=required("The tracking number")),
            Field("method", "How", "mail", "mail or hand (hand-carried)", 4,
                  one_of("How", "mail", "hand")),
        ], name="send")


def ready_list(session: Session) -> ListAndAct:
    db, actor = session.db, session.actor

    def load() -> list[Row]:
        return [Row(a.number, (a.number, (a.name or "-")[:24], a.executed_by or "-",
                               (a.executed_at or "")[:16], a.status))
                for a in transmittals.ready(db)]

    def send(_key: Any, v: dict[str, str]) -> tuple[str, str]:
        numbers = [a.number for a in transmittals.ready(db)]
        t = transmittals.create(db, actor, numbers, v["tracking"], v["method"].strip().lower())
        return (f"Envelope {t.tracking}: {len(t.applications)} application(s) sent.",
                reports.transmittal_list(db, t.id))

    return ListAndAct("Ready to send", ["Number", "Applicant", "Agent", "Executed", "Status"],
                      load, [Action("s", "Send all", work=send, needs_row=False,
                                    prompt=lambda _k: SendPrompt(), said=lambda r: r[0],
                                    show=lambda r: ReportScreen(
                                        "Transmittal", r[1], print_text=session.print_text,
                                        run=session.kit_run))],
                      run=session.kit_run, empty="Nothing executed is waiting for an envelope.")


def envelopes_list(session: Session) -> ListAndAct:
    db, actor = session.db, session.actor

    def load() -> list[Row]:
        return [Row(t.id, (t.tracking, t.method, t.created_on.isoformat(),
                           t.left_on.isoformat() if t.left_on else "NOT YET",
                           len(t.applications)))
                for t in transmittals.recent(db)]

    def left(tid: int) -> str:
        t = transmittals.mark_left(db, actor, tid)
        return f"Envelope {t.tracking} left today."

    return ListAndAct("Envelopes", ["Tracking", "How", "Made", "Left", "Apps"], load, [
        Action("p", "Print list", work=lambda tid: reports.transmittal_list(db, tid),
               said=lambda _t: "", show=lambda text: ReportScreen(
                   "Transmittal", text, print_text=session.print_text, run=session.kit_run)),
        Action("l", "Left today", work=left),
    ], run=session.kit_run, empty="No envelopes yet.")


def transmittals_menu(screen: PassportsScreen) -> None:
    session = screen.session
    db, actor = session.db, session.actor

    def picked(k: str | None) -> None:
        if k == "s":
            screen.app.push_screen(ready_list(session))
        elif k == "e":
            screen.app.push_screen(envelopes_list(session))
        elif k == "r":
            def returned(v: dict[str, str] | None) -> None:
                if v:
                    session.run(lambda override=None: transmittals.mark_returned(
                        db, actor, v["number"], v["reason"]), what="mark returned",
                        on_done=lambda a: screen.say(f"{a.number} returned: it waits for the "
                                                     "next envelope.") if a else None,
                        on_error=lambda e: screen.say(str(e)))

            screen.app.push_screen(NumberReasonPrompt(), returned)
        elif k == "o":
            report(screen, "Overdue transmittals", lambda: reports.overdue_report(db))

    screen.app.push_screen(LetterMenu("Envelopes to the State Department", [
        Choice("s", "Send: seal the executed applications into an envelope"),
        Choice("e", "Envelopes: print a list, mark a hand-carried one gone"),
        Choice("r", "Returned: the State Department asked for more"),
        Choice("o", "Overdue list"),
    ]), picked)


class NumberReasonPrompt(Prompt):
    def __init__(self) -> None:
        super().__init__("Application returned by the State Department", [
            Field("number", "Number", placeholder="PA number", max_length=12,
                  check=required("The application number")),
            Field("reason", "Asked for", placeholder="What they asked for", max_length=80,
                  check=required("What they asked for"))], name="returned")


# ---- appointments ------------------------------------------------------------------------------
class BookPrompt(Prompt):
    def __init__(self, agent: str, day: str = "", slot: str = "", *, name: bool = True) -> None:
        fields = [Field("day", "Day", day or clock.today().isoformat(), "YYYY-MM-DD", 10,
                        is_date("Day")),
                  Field("slot", "Time", slot, "HH:MM, e.g. 09:30", 5, required("The time")),
                  Field("agent", "Agent", agent, "Agent's user name", 32, required("The agent"))]
        if name:
            fields.append(Field("name", "Name", placeholder="Who is coming", max_length=80,
                                check=required("The name")))
        super().__init__("Book an appointment" if name else "Move the appointment", fields,
                         name="book")


class AppointmentsList(ListAndAct):
    def __init__(self, session: Session, day: dt.date | None = None) -> None:
        db, actor = session.db, session.actor
        self.day = day or clock.today()

        def load() -> list[Row]:
            return [Row(a.id, (a.slot, a.agent, (a.name or "-")[:30],
                               a.status.replace("_", "-")))
                    for a in appointments.day_book(db, self.day)]

        def book(_k: Any, v: dict[str, str]) -> str:
            a = appointments.book(db, actor, v["day"], v["slot"], v["agent"], v["name"])
            return f"Booked {a.name} with {a.agent} on {a.day} at {a.slot}."

        def move(aid: int, v: dict[str, str]) -> str:
            a = appointments.move(db, actor, aid, v["day"], v["slot"], v["agent"])
            return f"Moved to {a.day} at {a.slot} with {a.agent}."

        super().__init__(f"Appointments {self.day.isoformat()}",
                         ["Time", "Agent", "Name", "Status"], load, [
            Action("b", "Book", work=book, needs_row=False,
                   prompt=lambda _k: BookPrompt(actor.username)),
            Action("m", "Move", work=move, prompt=lambda _k: BookPrompt(actor.username,
                                                                         name=False)),
            Action("c", "Cancel", work=lambda aid: _said(appointments.cancel(db, actor, aid)),
                   ask=lambda aid: "Cancel this appointment?"),
            Action("n", "No-show", work=lambda aid: _said(appointments.no_show(db, actor, aid))),
            Action("a", "Arrived", work=lambda aid: _said(appointments.arrived(db, actor, aid))),
            Action("d", "Next day", work=lambda _k: self._move(1), needs_row=False,
                   said=self._titled),
            Action("p", "Prev day", work=lambda _k: self._move(-1), needs_row=False,
                   said=self._titled),
        ], run=session.kit_run, empty="Nobody booked for this day. B = book.")

    def _move(self, days: int) -> dt.date:
        """D/P: the book of the next/previous day (the list is read again after it)."""
        self.day += dt.timedelta(days=days)
        return self.day

    def _titled(self, day: dt.date) -> str:
        self.heading = f"Appointments {day.isoformat()}"
        self.query_one("#kit-title", LiteralLabel).set_value(self.heading)
        return f"Appointments of {day.isoformat()}."


def _said(a: appointments.Appointment) -> str:
    return f"{a.slot} {a.name or ''}: {a.status.replace('_', '-')}."


# ---- reports and jobs --------------------------------------------------------------------------
class PeriodPrompt(Prompt):
    def __init__(self) -> None:
        today = clock.today()
        super().__init__("Passport fee revenue", [
            Field("start", "From", today.replace(day=1).isoformat(), "YYYY-MM-DD", 10,
                  is_date("From")),
            Field("end", "To", today.isoformat(), "YYYY-MM-DD", 10, is_date("To"))],
            name="period")


def reports_menu(screen: PassportsScreen) -> None:
    db = screen.session.db
    today = clock.today()

    def picked(k: str | None) -> None:
        if k == "d":
            report(screen, "Passport log", lambda: reports.daily_log(db, today))
        elif k == "v":
            screen.app.push_screen(PeriodPrompt(), lambda v: report(
                screen, "Passport fee revenue", lambda: reports.revenue(
                    db, dt.date.fromisoformat(v["start"]), dt.date.fromisoformat(v["end"])))
                if v else None)
        elif k == "m":
            report(screen, "Passport counts", lambda: reports.monthly_counts(
                db, today.isoformat()[:7]))
        elif k == "o":
            report(screen, "Overdue transmittals", lambda: reports.overdue_report(db))
        elif k == "g":
            report(screen, "Acceptance agents", lambda: reports.agents_report(db))

    screen.app.push_screen(LetterMenu("Passport reports", [
        Choice("d", "Daily passport log (today)"),
        Choice("v", "Execution and photo fee revenue by fund/GL"),
        Choice("m", "Counts by product and service (this month)"),
        Choice("o", "Overdue transmittals"),
        Choice("g", "Agents' certification expiry"),
    ]), picked)


def jobs_menu(screen: PassportsScreen) -> None:
    session = screen.session
    db, actor = session.db, session.actor
    may = authority().mode

    def done(text: Any) -> None:
        if text:
            screen.say(str(text))
            screen.reload()

    def picked(k: str | None) -> None:
        if k == "p":
            def go(ok: bool) -> None:
                if ok:
                    session.run(lambda override=None: purge.purge(db, actor),
                                what="purge old applications",
                                on_done=lambda r: done(
                                    f"Purged {r.applications} application(s) and "
                                    f"{r.appointments} appointment name(s) before {r.cutoff}.")
                                if r else None, on_error=lambda e: screen.say(str(e)))
            session.confirm("Erase the personal fields of applications older than the "
                            "retention period? Counts and money references stay.", go,
                            yes="Purge", no="Not now")
        elif k == "c":
            screen.app.push_screen(Prompt("Record an agent's certification", [
                Field("user", "Clerk", placeholder="Clerk's user name", max_length=32,
                      check=required("The clerk")),
                Field("date", "Trained", clock.today().isoformat(), "YYYY-MM-DD", 10,
                      is_date("Training date"))], name="certify"),
                lambda v: session.run(lambda override=None: agents.record_certification(
                    db, actor, v["user"].strip(), v["date"]), what="record certification",
                    on_done=lambda a: done(f"{a.username} certified until {a.expires_on}.")
                    if a else None, on_error=lambda e: screen.say(str(e))) if v else None)
        elif k == "f":
            screen.app.push_screen(Prompt("Facility's next annual compliance date", [
                Field("date", "Due", placeholder="YYYY-MM-DD", max_length=10,
                      check=is_date("Due"))], name="compliance"),
                lambda v: session.run(lambda override=None: agents.set_compliance_date(
                    db, actor, v["date"]), what="record compliance",
                    on_done=lambda d: done(f"Facility compliance due {d}.") if d else None,
                    on_error=lambda e: screen.say(str(e))) if v else None)

    screen.app.push_screen(LetterMenu("Passport jobs", [
        Choice("p", "Purge personal data past the retention period",
               may(actor.role, "passport.purge") != DENY),
        Choice("c", "Record an agent's certification",
               may(actor.role, "passport.agent_admin") != DENY),
        Choice("f", "Facility compliance date",
               may(actor.role, "passport.agent_admin") != DENY),
    ], note="Your role runs no passport jobs."), picked)
