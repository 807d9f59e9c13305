"""Front desk tests: the cashier's fixed clock (Monday 2026-03-02 10:00) and clerks, plus a
cleared records clerk and an admin to clear people."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.frontdesk import access
from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    approve,
    book_total,
    clerk_with_drawer,
    fixed_clock,
    supervisor,
)


@pytest.fixture
def admin(db: Database) -> Actor:
    return auth.clerk_actor(db, "admin", "ws-test")


@pytest.fixture
def cleared(db: Database, make_clerk: Callable[..., Actor], admin: Actor) -> Actor:
    """A CSR II cleared for police records (username 'csr2')."""
    actor = make_clerk("csr2")
    access.set_clearance(db, admin, actor.username, True, "background check passed")
    return actor
