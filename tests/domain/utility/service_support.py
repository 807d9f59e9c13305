"""Helpers for the service-desk domain tests: a pinned clock and an account in service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import orders, reads, service

NOW = dt.datetime(2026, 6, 15, 10, 0, 0)


@pytest.fixture
def today() -> Iterator[dt.datetime]:
    with clock.frozen(NOW) as now:
        yield now


def in_service(db: Database, actor: Actor, *, first_reading: int = 1000,
               turned_on: str = "2025-12-01", readings: tuple[tuple[str, int], ...] = (),
               cycle: int = 1, rate_class: str = "residential",
               services: str = "water,sewer,refuse", address: str = "12 Oak Ave",
               name: str = "Pat Example", meter_size: str = '5/8"') -> int:
    """Open an account, complete its turn-on with `first_reading`, enter `readings`."""
    opened = service.open_service(db, actor, name=name, service_address=address,
                                  services=services, rate_class=rate_class, cycle=cycle,
                                  meter_size=meter_size, requested_on=turned_on)
    orders.dispatch_order(db, actor, opened.turn_on_order.id, "Tech A")
    orders.complete_order(db, actor, opened.turn_on_order.id, reading=first_reading,
                          read_on=turned_on)
    for day, value in readings:
        reads.record_read(db, actor, opened.account.id, value, read_on=day)
    return opened.account.id
