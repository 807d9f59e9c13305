"""Office tests use the cashier's helpers: a fixed clock (2026-03-02 10:00), clerks with open
drawers, accounts with a balance, supervisors' overrides."""

from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    account,
    approve,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)
