"""Service orders: kinds, transitions, completion with a read, the route list."""

from __future__ import annotations

import pytest

from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.utility import orders, reads, service
from tests.domain.utility.service_support import in_service, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")


def test_turn_on_order_completes_with_the_read_and_activates(db, make_clerk):
    csr2 = make_clerk("csr2")
    opened = service.open_service(db, csr2, name="Lee Park", service_address="5 Elm St",
                                  requested_on="2026-06-16")
    assert opened.account.status == "pending"
    order = opened.turn_on_order
    assert (order.kind, order.status, order.requested_on) == ("turn_on", "open", "2026-06-16")
    with pytest.raises(StateError, match="only a dispatched order"):
        orders.complete_order(db, csr2, order.id, reading=10)
    orders.dispatch_order(db, csr2, order.id, "Tech B")
    with pytest.raises(ValidationError, match="needs the meter reading"):
        orders.complete_order(db, csr2, order.id)
    done = orders.complete_order(db, csr2, order.id, reading=42, notes="Meter spun, no leak")
    assert done.status == "completed" and done.tech_notes == "Meter spun, no leak"
    assert done.completed_by == "Tech B"
    read = reads.list_reads(db, opened.account.id)[0]
    assert (done.read_id, read.reading, read.kind) == (read.id, 42, "initial")
    assert db.scalar("SELECT status FROM accounts WHERE id = ?", [opened.account.id]) == "active"


@pytest.mark.parametrize("start,to", [("completed", "dispatched"), ("cancelled", "dispatched"),
                                      ("completed", "cancelled")])
def test_finished_orders_refuse_moves(db, make_clerk, start, to):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2)
    o = orders.create_order(db, csr2, acct, "leak_check", priority="urgent",
                            requested_on="2026-06-15", reason="Customer hears water")
    if start == "completed":
        orders.dispatch_order(db, csr2, o.id, "Tech")
        orders.complete_order(db, csr2, o.id, notes="No leak found")
    else:
        orders.cancel_order(db, csr2, o.id, "Customer fixed it")
    before = orders.get_order(db, o.id)
    with pytest.raises(StateError, match=f"is {start}: it cannot become {to}"):
        if to == "dispatched":
            orders.dispatch_order(db, csr2, o.id, "Tech")
        else:
            orders.cancel_order(db, csr2, o.id, "again")
    assert orders.get_order(db, o.id) == before


def test_open_order_cannot_complete_and_duplicates_are_refused(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2)
    o = orders.create_order(db, csr2, acct, "bench_test", priority="routine",
                            requested_on="2026-06-20", reason="Customer disputes use")
    with pytest.raises(StateError, match="already has a live meter bench test order"):
        orders.create_order(db, csr2, acct, "bench_test", priority="routine",
                            requested_on="2026-06-20", reason="again")
    with pytest.raises(ValidationError, match="Unknown order kind"):
        orders.create_order(db, csr2, acct, "paint_meter", priority="routine",
                            requested_on="2026-06-20", reason="")
    with pytest.raises(ValidationError, match="Priority"):
        orders.create_order(db, csr2, acct, "reread", priority="soon",
                            requested_on="2026-06-20", reason="")
    orders.dispatch_order(db, csr2, o.id, "Shop")
    back = orders.return_order(db, csr2, o.id, "Could not reach meter")
    assert (back.status, back.technician) == ("open", None)
    assert orders.complete_order.__name__  # still open: completion is refused
    with pytest.raises(StateError):
        orders.complete_order(db, csr2, o.id)


def test_csr1_cannot_create_orders(db, make_clerk):
    csr2, csr1 = make_clerk("csr2"), make_clerk("csr1")
    acct = in_service(db, csr2)
    with pytest.raises(PermissionDenied):
        orders.create_order(db, csr1, acct, "reread", priority="routine",
                            requested_on="2026-06-15", reason="")
    assert orders.list_orders(db, account_id=acct) == []


def test_route_list_sorts_by_priority_then_date_then_address(db, make_clerk):
    csr2 = make_clerk("csr2")
    a = in_service(db, csr2, address="900 Zinfandel Way", name="A")
    b = in_service(db, csr2, address="100 Alder St", name="B")
    c = in_service(db, csr2, address="500 Main St", name="C")
    orders.create_order(db, csr2, a, "check_read", priority="routine", requested_on="2026-06-10",
                        reason="")
    orders.create_order(db, csr2, b, "check_read", priority="routine", requested_on="2026-06-10",
                        reason="")
    orders.create_order(db, csr2, c, "leak_check", priority="emergency",
                        requested_on="2026-06-14", reason="Flooding")
    orders.create_order(db, csr2, a, "bench_test", priority="routine", requested_on="2026-06-30",
                        reason="future")
    listed = [(o.service_address, o.kind) for o in orders.list_orders(db)]
    assert listed == [("500 Main St", "leak_check"), ("100 Alder St", "check_read"),
                      ("900 Zinfandel Way", "check_read"), ("900 Zinfandel Way", "bench_test")]
    text = orders.route_list(db, on="2026-06-15")
    assert "3 order(s)" in text and "EMERG" in text and "future" not in text
    assert text.index("500 Main St") < text.index("100 Alder St") < text.index("900 Zinfandel")
    assert max(len(line) for line in text.splitlines()) <= 80
