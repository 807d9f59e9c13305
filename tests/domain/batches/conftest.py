"""Batch tests use the cashier's helpers: a fixed clock, accounts with a balance, clerks."""

from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    account,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)
