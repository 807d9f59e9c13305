"""A tiny host app for the kit's tests: the app's 16-colour theme, optionally the ASCII look,
and a `run` that records which thread did the work (the kit must never work on the UI one)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen

from clerk_tui.app import CLERK_ANSI, LIMITED_THEME
from clerk_tui.screens.kit import Run, thread_run
from clerk_tui.widgets.ascii_look import use_ascii


class HostApp(App[None]):
    """Pushes one kit screen on mount; its dismiss results land in `results`."""

    def __init__(self, make: Callable[[HostApp], Screen[Any]], *, ascii_look: bool = False) -> None:
        super().__init__()
        self.make = make
        self.ascii_look = ascii_look
        self.results: list[Any] = []
        self.work_threads: list[str] = []
        self.register_theme(CLERK_ANSI)
        self.theme = LIMITED_THEME
        if ascii_look:
            self.add_class("-ascii")
        self.screen_stack_changed = 0

    def on_mount(self) -> None:
        self.push_screen(self.make(self), self.results.append)

    def run_for(self, screen: Screen[Any]) -> Run:
        """A `run` that notes the thread each job ran on, then does what thread_run does."""
        inner = thread_run(screen)

        def run(fn: Callable[..., Any], *args: Any, then: Callable[[Any], object]) -> object:
            def noted(*a: Any) -> Any:
                self.work_threads.append(threading.current_thread().name)
                return fn(*a)

            return inner(noted, *args, then=then)

        return run

    def asciify(self) -> None:
        if self.ascii_look:
            use_ascii(self.screen)
