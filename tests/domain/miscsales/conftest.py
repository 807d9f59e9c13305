"""Misc. sales tests use the cashier's helpers: a fixed clock, clerks with open drawers."""

from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    account,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)
