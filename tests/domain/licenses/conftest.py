"""Licenses tests use the cashier's helpers: a fixed clock (2026-03-02), clerks with drawers."""

from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)
