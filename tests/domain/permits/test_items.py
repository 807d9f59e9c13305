"""The `permit` item kind among the others: Payments' messages for typed codes stay the
misc. sales' (the last kind tried), and RPP-<n> is recognised as a permit application."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.cashier.items import kinds
from clerk_tui.domain.errors import ClerkError, StateError
from clerk_tui.domain.permits import permits
from clerk_tui.screens.payment import recognise
from tests.domain.permits.conftest import DOCS, pay


@pytest.mark.parametrize(("typed", "says"), [
    ("COPY*0", "COPY: the quantity must be at least 1."),
    ("ab$", "is not an item code"),
])
def test_payments_messages_for_typed_codes_are_unchanged(db: Database, typed: str,
                                                         says: str) -> None:
    assert [k.code for k in kinds()][-1] == "misc"
    with pytest.raises(ClerkError, match=says.replace("*", r"\*").replace("$", r"\$")):
        recognise(db, typed)


def test_rpp_typed_on_payments_is_the_application(db: Database,
                                                  sell: Callable[..., permits.Permit]) -> None:
    clerk = sell.clerk  # type: ignore[attr-defined]
    app = permits.take_application(db, clerk, permit_type="RA", address="212 Oak St",
                                   holder="Pat", plate="1AAA111", documents=DOCS)
    q = recognise(db, f"rpp-{app.id}")
    assert (q.kind, q.reference, q.default_amount_cents, q.fixed_amount) == (
        "permit", app.reference, 4000, True)
    assert (q.fund, q.gl_code, q.customer) == ("245", "245-4310", "Pat")
    pay(db, clerk, app)
    with pytest.raises(ClerkError):  # paid once: refused (Payments names the fee's NotFound)
        recognise(db, app.reference)
    with pytest.raises(StateError, match="is issued"):
        kinds()[[k.code for k in kinds()].index("permit")].quote(db, app.reference,
                                                                  clock.today())
