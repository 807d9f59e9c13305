"""Fixtures shared by the utility domain tests (each file used to carry its own copy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor


@pytest.fixture
def pinned_day() -> Iterator[dt.date]:
    """The clock pinned to 2026-03-02 10:00 (the day the collections and adjustment rules
    tests are written for), unpinned afterwards. Files opt in with
    `pytestmark = pytest.mark.usefixtures("pinned_day")`."""
    with clock.frozen(dt.datetime(2026, 3, 2, 10, 0)) as now:
        yield now.date()


@pytest.fixture
def csr3(make_clerk: Callable[..., Actor]) -> Actor:
    return make_clerk("csr3")
