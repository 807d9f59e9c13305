"""The `permit` item kind among the others: Payments never answers another code with the
permit's refusal, and RPP-<n> is recognised as a permit application."""

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


@pytest.mark.parametrize("typed", ["COPY*0", "ab$", "hello world"])
def test_payments_never_answers_another_code_with_the_permit_refusal(db: Database,
                                                                     typed: str) -> None:
    """Which kind's refusal Payments shows for a code nobody recognises is the platform's
    choice (screens/payment.py `recognise`); the permit kind's must never be it."""
    with pytest.raises(ClerkError) as refused:
        recognise(db, typed)
    assert "permit application" not in str(refused.value)


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
