"""What the Passports counter shows when it opens: warnings, who is coming, what is open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.passports import agents, appointments, transmittals
from clerk_tui.domain.passports.applications import Application, list_by


@dataclass(frozen=True)
class Overview:
    day: dt.date
    warnings: tuple[str, ...]
    appointments: tuple[appointments.Appointment, ...]
    open_apps: tuple[Application, ...]
    ready: int
    overdue: int


def overview(db: Database, username: str, day: dt.date | None = None) -> Overview:
    day = day or clock.today()
    warnings = tuple(w for w in (agents.agent_warning(db, username, day),
                                 agents.facility_warning(db, day)) if w)
    try:
        late = len(transmittals.overdue(db, day))
    except ValidationError as e:  # a holiday list missing this year: say so, never hide it
        warnings += (str(e)[:78],)
        late = 0
    return Overview(day, warnings, tuple(appointments.day_book(db, day)),
                    tuple(list_by(db, "a.status = 'open'", [], "a.id DESC")[:8]),
                    len(transmittals.ready(db)), late)
