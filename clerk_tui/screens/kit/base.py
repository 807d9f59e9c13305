"""What every kit screen shares: the stylesheet, `_say`, the busy flag, Esc that asks before
throwing typed work away, and domain work through a `run` callable.

Why a `run` callable: a kit screen never touches the app. Domain work (SQL, posting) must not
run on the UI thread, so each kit screen takes `run(fn, *args, then=callback)` from the screen
that opens it (the session's `run`, or `thread_run(screen)` below) and hands it the work. The
kit wraps the work so that a refusal (`ClerkError`) comes back as a value: whatever `run` does
with exceptions, the clerk reads the domain's message and the screen stays as it was.
`OverrideRequired` is not caught: it is `run`'s to turn into a supervisor's approval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual.screen import ModalScreen, Screen

from clerk_tui.domain.errors import ClerkError, OverrideRequired
from clerk_tui.screens.base import LEAVE_QUESTION, AsksBeforeDiscarding
from clerk_tui.widgets.literal import LiteralLabel

KIT_CSS = Path(__file__).with_name("kit.tcss")
"""Absolute: Textual resolves a relative CSS_PATH against the file of the subclass, and screens
built on the kit live in every counter's folder."""

CASHIER_CSS = [KIT_CSS, Path(__file__).parent.parent / "cashier.tcss"]
"""For a cashier-area screen built on the kit: the kit's stylesheet, then the area's own."""

T = TypeVar("T")


class Run(Protocol):
    """`run(fn, *args, then=callback)`: call `fn(*args)` off the UI thread, then `then(result)`
    on the UI thread. The session's `run` fits; so does `thread_run(screen)`."""

    def __call__(self, fn: Callable[..., Any], *args: Any,
                 then: Callable[[Any], object]) -> object: ...


@dataclass(frozen=True)
class Refused:
    """The domain said no: `message` is what the clerk reads; nothing changed."""

    error: ClerkError

    @property
    def message(self) -> str:
        return str(self.error)


def guarded(fn: Callable[..., T]) -> Callable[..., T | Refused]:
    """`fn` with a domain refusal returned as `Refused` instead of raised (see module doc)."""

    def call(*args: Any, **kwargs: Any) -> T | Refused:
        try:
            return fn(*args, **kwargs)
        except OverrideRequired:
            raise
        except ClerkError as e:
            return Refused(e)

    return call


def thread_run(screen: Screen) -> Run:
    """A `run` for a screen that has no session: a Textual thread worker, `then` called back on
    the UI thread. (The session's `run` adds the supervisor-override retry.)"""

    def run(fn: Callable[..., Any], *args: Any, then: Callable[[Any], object]) -> object:
        app = screen.app

        def work() -> None:
            result = fn(*args)
            app.call_from_thread(then, result)

        return screen.run_worker(work, thread=True, group="kit", exit_on_error=True)

    return run


class KitModal(ModalScreen[T], Generic[T]):
    """A modal screen of the kit: `_say` into its message line, one domain call at a time
    (`busy`), and `work(fn, *args, then=...)` to run domain work through `run`."""

    CSS_PATH: ClassVar[str | Path | None] = KIT_CSS  # type: ignore[misc]
    WORKING = "Working…"

    def __init__(self, run: Run | None = None, *, classes: str = "kit-modal") -> None:
        super().__init__(classes=classes)
        self._run = run
        self.busy = False

    @property
    def run_fn(self) -> Run:
        return self._run if self._run is not None else thread_run(self)

    def _say(self, message: str, style: str = "") -> None:
        """Show `message` literally in the screen's message line (`#kit-message`)."""
        if self.is_attached:
            for label in self.query("#kit-message").results(LiteralLabel):
                label.set_value(message, style)

    def work(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], object],
             refused: Callable[[Refused], object] | None = None) -> bool:
        """Run `fn(*args)` through `run`; `then(result)` afterwards, or `refused(r)` (default:
        say the message). False (and nothing runs) while an earlier call is still busy."""
        if self.busy:
            self._say(f"{self.WORKING} wait for it to finish.")
            return False
        self.busy = True
        self._say(self.WORKING)

        def back(result: Any) -> None:
            self.busy = False
            if not self.is_attached:
                return
            if isinstance(result, Refused):
                self._say(result.message)
                if refused is not None:
                    refused(result)
                return
            self._say("")
            then(result)

        self.run_fn(guarded(fn), *args, then=back)
        return True

    def ask(self, question: str, then: Callable[[bool], object], *, yes: str = "Yes",
            no: str = "No", default: bool = False) -> None:
        """A yes/no question over this screen (the kit's `ConfirmDialog`)."""
        from clerk_tui.screens.kit.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog(question, yes=yes, no=no, default=default),
                             lambda answer: then(bool(answer)))


class KitAsks(AsksBeforeDiscarding):
    """`AsksBeforeDiscarding` whose question is the kit's own dialog, not the app's `confirm`:
    a kit screen needs nothing from the app."""

    def leave_or_ask(self, leave: Callable[[], object]) -> None:
        if not self.has_unsaved_work():
            leave()
            return
        from clerk_tui.screens.kit.dialogs import ConfirmDialog

        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmDialog(LEAVE_QUESTION, yes="Leave", no="Stay"),
            lambda yes: leave() if yes else None)


class PostingModal(AsksBeforeDiscarding, KitModal[None]):
    """A full-screen modal that posts one thing (a refund, a reversal): `work` goes through the
    session (supervisor override included), Esc asks before dropping typed work and waits
    while posting, and once `result` is set the screen only offers Esc."""

    WORKING = "Posting…"
    DONE_HINT = "Esc = back"
    HINT_ID = "kit-hint"
    """The id of the key hint line (the screen's own, so its look stays)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(classes="kit-opaque")
        if id is not None:
            self.id = id
        self.result: object | None = None

    @property
    def run_fn(self) -> Run:
        return self._run if self._run is not None else self.session.kit_run

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.POSTING_ACTIONS:
            return self.result is None
        return True

    POSTING_ACTIONS: ClassVar[tuple[str, ...]] = ("go",)
    """Actions offered only until the thing is posted."""

    def posted(self) -> None:
        """After a post: the hint says only Esc, the posting keys leave the footer."""
        for hint in self.query(f"#{self.HINT_ID}").results(LiteralLabel):
            hint.set_value(self.DONE_HINT, "dim")
        self.refresh_bindings()

    def has_unsaved_work(self) -> bool:
        return self.result is None and super().has_unsaved_work()

    def action_back(self) -> None:
        if self.busy:
            self._say(f"{self.WORKING} wait for it to finish.")
            return
        self.leave_or_ask(lambda: self.dismiss(None))
