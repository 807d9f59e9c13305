"""The utility desk (F11 / U): the office-wide jobs that are not about one account — the
route list of open service orders, billing runs and their registers, the delinquency run.

Like the account `A` menu, each job is declared in its counter's manifest (`JobSpec`), so
the desk never changes when a job is added; a job's screen is imported when it is started. A letter (or Up/Down + Enter) starts a job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from clerk_tui.domain.authority import DENY, authority
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import Choice, letter_options
from clerk_tui.widgets.literal import LiteralLabel

if TYPE_CHECKING:
    from textual.screen import Screen

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class DeskJob:
    id: str
    key: str
    label: str
    permission: str | None
    open: Callable[[], Screen]
    order: int = 100


_jobs: dict[str, DeskJob] = {}
_loaded = False


def register_job(job: DeskJob, *, replace: bool = False) -> None:
    key = job.key.lower()
    if len(key) != 1 or not key.isalnum():
        raise ValueError(f"job key must be one letter or digit, not {job.key!r}")
    for other in _jobs.values():
        if other.id != job.id and other.key.lower() == key:
            raise ValueError(f"job key {key!r} is taken by {other.id!r}")
    if job.id in _jobs and not replace:
        raise ValueError(f"job {job.id!r} is already registered")
    _jobs[job.id] = job


def load_jobs() -> None:
    """Register every manifest's desk jobs (once)."""
    global _loaded
    if _loaded:
        return
    from clerk_tui.counters import registry
    from clerk_tui.screens.account_actions import lazy_factory

    for spec in registry().desk_jobs:
        register_job(DeskJob(spec.id, spec.key, spec.label, spec.permission,
                             lazy_factory(spec.open), order=spec.order), replace=True)
    _loaded = True


class UtilityDeskScreen(CounterScreen):
    """The desk's jobs for the clerk's role."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Start", show=False, id="desk.pick"),
    ]
    AUTO_FOCUS = "#desk-jobs"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="utility-desk")
        self.title = "Utility desk"
        self.jobs: list[DeskJob] = []

    def compose_body(self) -> ComposeResult:
        load_jobs()
        actor = self.session.actor
        rules = authority()
        self.jobs = sorted(
            (j for j in _jobs.values()
             if j.permission is None or rules.mode(actor.role, j.permission) != DENY),
            key=lambda j: (j.order, j.label))
        yield LiteralLabel("Utility desk: pick a job (letter, or Up/Down + Enter)",
                           style="bold")
        if self.jobs:
            yield OptionList(*letter_options([Choice(j.key, j.label) for j in self.jobs]),
                             id="desk-jobs")
        else:
            yield LiteralLabel("No desk jobs for your role.", id="desk-jobs")

    def start(self, letter: str) -> bool:
        """Open the job with this letter (the kit's letter-menu lines: id = the letter)."""
        job = next((j for j in self.jobs if j.key.lower() == letter.lower()), None)
        if job is not None:
            self.app.push_screen(job.open())
        return job is not None

    def on_key(self, event: events.Key) -> None:
        if event.character and len(event.character) == 1 and self.start(event.character):
            event.stop()
            return
        super().on_key(event)

    @on(OptionList.OptionSelected, "#desk-jobs")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.start(str(event.option.id))


COUNTER_SCREEN = UtilityDeskScreen
