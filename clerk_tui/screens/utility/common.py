"""What the utility desk's screens share on top of the kit (clerk_tui/screens/kit/).

The kit takes a `run(fn, *args, then=...)` callable; here it is the session's `run` (a thread
worker with the supervisor-override retry), so a desk screen built from a kit piece needs no
argument for it: mix `OnSession` in before the kit class. A function gets `override=` only
when the domain asked for a supervisor (the retry), so plain reads need no such parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult

from clerk_tui.screens.base import UsesSession
from clerk_tui.screens.kit import Check, ReportScreen, Run
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.session import Session


def session_run(session: Session, what: str = "") -> Run:
    """The kit's `run` over `session.run` (override retry included)."""

    def run(fn: Callable[..., Any], *args: Any, then: Callable[[Any], object]) -> object:
        def call(*a: Any, override: Any = None) -> Any:
            return fn(*a) if override is None else fn(*a, override=override)

        return session.run(call, *args, what=what, on_done=then)

    return run


class OnSession(UsesSession):
    """Mix into a kit screen (before the kit class): its domain work runs through the session,
    and the status bar (clerk, drawer, TRAINING) stays on top as on every desk screen."""

    what = ""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from super().compose()  # type: ignore[misc]

    @property
    def run_fn(self) -> Run:
        given: Run | None = getattr(self, "_run", None)
        if given is not None:
            return given
        return session_run(self.session, self.what or str(getattr(self, "title", "") or ""))


def digits(what: str, *, blank: bool = False) -> Check:
    """A field check: a whole number (commas allowed); blank too when `blank`."""

    def check(value: str) -> str | None:
        v = value.replace(",", "").strip()
        if not v and blank:
            return None
        return None if v.isdigit() else f"{what} is a whole number (digits only)."

    return check


def whole(text: str, default: int | None = None) -> int | None:
    """The number a `digits` field holds (None/`default` when blank)."""
    t = text.replace(",", "").strip()
    return int(t) if t else default


class DeskReport(OnSession, ReportScreen):
    """A report of the desk: the kit's report view, P prints on the station's printer.

    With `load` (domain work returning the text) the screen shows at once and the text
    follows, read through the session's `run`."""

    def __init__(self, title: str, text: str = "", *,
                 load: Callable[[], str] | None = None) -> None:
        super().__init__(title, text, print_text=self._print)
        self.load = load

    def on_mount(self) -> None:
        if self.load is not None:
            self.work(self.load, then=self.show)

    def show(self, text: Any) -> None:
        from clerk_tui.widgets.report_view import ReportView

        self.text = str(text)
        self.query_one("#kit-report", ReportView).show(self.text)

    def _print(self, title: str, text: str) -> Any:
        return self.session.station.print_text(title, text)
