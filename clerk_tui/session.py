"""What a screen may use of the running app: the narrow, typed session.

Screens get `self.session` (clerk_tui/screens/base.py) instead of reaching into `ClerkApp`:
the database, who is signed in, the workstation and its devices, the rules, and the few things
a screen asks of the app — run a domain call, ask a yes/no question, open a counter, say
something.

`run` is the one way to call the domain from a screen: the call runs in a Textual thread worker
(never on the UI thread, so a call waiting for the database lock or a slow disk leaves the screen painting and
taking keys), a supervisor override is asked for and the call retried when the domain says one
is needed, and the result comes back on the UI thread. While it runs the status bar says
"Working" and a second `run` from the same screen is refused (Enter pressed twice posts once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen
from textual.worker import Worker, WorkerFailed

from clerk_tui.domain.errors import ClerkError, OverrideRequired
from clerk_tui.domain.text import visible

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp
    from clerk_tui.db import Database
    from clerk_tui.domain.actor import Actor, Override
    from clerk_tui.domain.authority import Authority
    from clerk_tui.domain.cashier import SaleItem, SalePreview
    from clerk_tui.hardware.drawer import DrawerResult
    from clerk_tui.scanning import ScanLog
    from clerk_tui.screens.counters import Counter
    from clerk_tui.screens.payment import PaymentScreen
    from clerk_tui.station import Station, StationResult

T = TypeVar("T")


class NotSignedIn(ClerkError):
    """A screen asked for the clerk after sign-out (a late callback): nothing is done."""


class Session:
    """One clerk's session as the screens see it (a thin, typed view of `ClerkApp`)."""

    def __init__(self, app: ClerkApp) -> None:
        self._app = app
        self.busy = 0
        """Domain calls running now (the status bar says "Working" while any is)."""
        self._running: set[int] = set()

    # ---- what the screens read -----------------------------------------------------------
    @property
    def db(self) -> Database:
        return self._app.db

    @property
    def actor(self) -> Actor:
        """The signed-in clerk (screens exist only while one is signed in)."""
        actor = self._app.actor
        if actor is None:
            raise NotSignedIn("Nobody is signed in.")
        return actor

    @property
    def signed_in(self) -> bool:
        return self._app.actor is not None

    @property
    def station(self) -> Station:
        return self._app.station

    @property
    def workstation(self) -> str:
        return self._app.workstation

    @property
    def sandbox(self) -> bool:
        return self._app.sandbox

    @property
    def rules(self) -> Authority:
        return self._app.rules

    def role_label(self, role: str) -> str:
        return self._app.role_label(role)

    def may_open(self, counter: Counter) -> bool:
        return self._app.may_open(counter)

    # ---- what the screens ask of the app -------------------------------------------------
    def say(self, message: str, *, severity: str = "information", title: str = "",
            timeout: float | None = None) -> None:
        """A notification, shown literally (no markup in names or memos)."""
        self._app.notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                         markup=False, timeout=timeout)

    def confirm(self, question: str, then: Callable[[bool], object], *, yes: str = "Yes",
                no: str = "Stay", default: bool = False) -> None:
        self._app.confirm(question, then, yes=yes, no=no, default=default)

    def open_counter(self, counter_id: str, *,
                     prepare: Callable[[Screen], object] | None = None) -> None:
        self._app.open_counter(counter_id, prepare=prepare)

    def open_payment(self, counter: Counter, items: list[SaleItem],
                     preview: SalePreview) -> PaymentScreen:
        """Payments with a sale another counter priced (misc. sales): any tender, change,
        receipt and void as on F3. The screen is returned so the seller can tell, when it
        comes back, whether the sale was posted (`result`, `key`, `posting`)."""
        from clerk_tui.screens.payment import PaymentScreen

        pay = PaymentScreen(counter, items=items, preview=preview)
        self._app.push_screen(pay)
        return pay

    def leave_screen(self, screen: Screen) -> None:
        self._app.leave_screen(screen)

    def refresh_drawer_state(self) -> None:
        self._app.refresh_drawer_state()

    def refresh_status(self) -> None:
        self._app.refresh_status()

    def report_station_result(self, result: StationResult, duplicate: bool = False) -> None:
        self._app.report_station_result(result, duplicate)

    def sign_out(self) -> None:
        """Ctrl+Q's sign-out (asks first when work is unsaved or the terminal is locked)."""
        self._app.action_sign_out()

    # ---- devices (diagnostics) -------------------------------------------------------------
    @property
    def scan_log(self) -> ScanLog:
        return self._app.scan_log

    @property
    def wedge_timing(self) -> bool:
        return self._app.wedge_timing

    def note_drawer_state(self, opened: bool | None) -> None:
        self._app.note_drawer_state(opened)

    def note_drawer_result(self, result: DrawerResult) -> None:
        """After a kick: the till state in the status bar (and its watch while open)."""
        self._app.note_drawer_result(result)

    def run(self, fn: Callable[..., T], *args: Any, what: str = "",
            on_done: Callable[[T | None], object] | None = None,
            on_error: Callable[[ClerkError], object] | None = None,
            screen: Screen | None = None, **kwargs: Any) -> Worker[None] | None:
        """Run `fn(*args, **kwargs, override=…)` in a thread; `on_done(result)` on the UI thread.

        `fn` must accept `override=` (None first); when it raises `OverrideRequired` the
        supervisor-override dialog opens and `fn` runs again with the approval, and Esc there
        gives `on_done(None)`. A refusal (`ClerkError`) goes to `on_error`, or is shown as an
        error. With `screen`, a second call for that screen while one runs is refused with a
        bell and returns None (no double posting).
        """
        key = id(screen) if screen is not None else None
        if key is not None and key in self._running:
            self._app.bell()
            return None
        call = partial(fn, *args, **kwargs)
        app = self._app

        async def job() -> None:
            if key is not None:
                self._running.add(key)
            self._busy(+1)
            try:
                result = await self.with_override(call, what)
            except ClerkError as e:
                self._finish(key)
                if on_error is not None:
                    on_error(e)
                else:
                    app.notify(visible(str(e)), severity="error", markup=False)
                return
            except BaseException:
                self._finish(key)
                raise
            self._finish(key)
            if on_done is not None:
                outcome = on_done(result)
                if isinstance(outcome, Awaitable):
                    await outcome

        return app.run_worker(job(), group="override", exit_on_error=True)

    async def with_override(self, call: Callable[..., T], what: str = "") -> T | None:
        """`call(override=None)` in a thread; when the domain says a supervisor must approve,
        ask for one (a modal) and run `call(override=<Override>)` again. None if cancelled.
        Await it inside a worker (Textual's rule for waiting on a modal)."""
        from clerk_tui.screens.override import OverrideScreen

        override: Override | None = None
        while True:
            try:
                return await self._in_thread(partial(call, override=override), what)
            except OverrideRequired as need:
                override = await self._app.push_screen_wait(OverrideScreen(need, what))
                if override is None:
                    return None

    async def _in_thread(self, call: Callable[[], T], what: str) -> T:
        """`call()` in a Textual thread worker (group "domain", so tests' settle waits for
        it); its exception is raised here, as if it had been called directly."""
        worker = self._app.run_worker(call, thread=True, group="domain", exit_on_error=False,
                                      name=what or "domain call")
        try:
            return await worker.wait()
        except WorkerFailed as failed:
            raise failed.error from None

    def kit_run(self, fn: Callable[..., Any], *args: Any,
                then: Callable[[Any], object]) -> object:
        """`run` in the screen kit's shape (`run(fn, *args, then=...)`, docs/kit.md): `fn(*args)`
        in a thread, with `override=` added only on the retry after a supervisor's approval."""

        def call(*a: Any, override: Override | None = None) -> Any:
            return fn(*a) if override is None else fn(*a, override=override)

        return self.run(call, *args, on_done=then)

    def print_text(self, title: str, text: str) -> object:
        """Print a plain-text document on this workstation's printer (blocking: give it to
        `run`, e.g. as the kit `ReportScreen`'s `print_text`)."""
        return self._app.station.print_text(title, text)

    def is_running(self, screen: Screen) -> bool:
        """True while a `run` started for `screen` has not finished."""
        return id(screen) in self._running

    def _busy(self, step: int) -> None:
        self.busy = max(self.busy + step, 0)
        self._app.refresh_status()

    def _finish(self, key: int | None) -> None:
        if key is not None:
            self._running.discard(key)
        self._busy(-1)


def session_of(app: object) -> Session:
    """The running ClerkApp's session, for code handed a plain `App` (scan handlers, bench
    jobs driving a Pilot): one typed place instead of `app.session  # type: ignore` in each."""
    session = getattr(app, "session", None)
    if not isinstance(session, Session):
        raise TypeError(f"{type(app).__name__} is not a clerk-tui app")
    return session
