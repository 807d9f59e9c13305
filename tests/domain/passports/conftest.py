"""Passports tests: the cashier's fixed clock and drawers, plus certified acceptance agents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.passports import agents
from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    clerk_with_drawer,
    fixed_clock,
    supervisor,
)

TODAY = NOW.date()


@pytest.fixture
def admin(make_clerk: Callable[..., Actor]) -> Actor:
    return make_clerk("admin")


@pytest.fixture
def certify(db: Database, admin: Actor) -> Callable[..., None]:
    def make(username: str, certified_on: dt.date = TODAY - dt.timedelta(days=30)) -> None:
        agents.record_certification(db, admin, username, certified_on)
    return make


@pytest.fixture
def agent(db: Database, make_clerk: Callable[..., Actor],
          certify: Callable[..., None]) -> Actor:
    """A CSR I with an open drawer and a current agent certification."""
    from clerk_tui.domain.cashier import open_session

    actor = make_clerk("csr1", "agent1")
    open_session(db, actor)
    certify("agent1")
    return actor
