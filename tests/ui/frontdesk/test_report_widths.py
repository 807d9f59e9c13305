"""Every front-desk report, on the demo data, fits the report view (76 columns inside its
frame at 80x24) and says something for a cleared supervisor."""

from __future__ import annotations

from types import SimpleNamespace

from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.frontdesk import demo
from clerk_tui.screens.frontdesk.reports import REPORTS, report_text
from tests.conftest import PINS


def test_reports_fit_76_columns(db: Database) -> None:
    for name, role in (("csr2", "csr2"), ("csr3", "csr3"), ("super", "supervisor")):
        auth.add_clerk(db, SYSTEM, name, name, role, PINS[role])
    demo.generate(db)
    session = SimpleNamespace(db=db, actor=auth.clerk_actor(db, "super", "ws"))
    for letter, title in REPORTS.items():
        text = report_text(session, letter)
        wide = [line for line in text.splitlines() if len(line) > 76]
        assert wide == [], (title, wide)
        assert text.strip(), title
