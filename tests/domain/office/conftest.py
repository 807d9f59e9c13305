"""The office's day tests use the cashier's helpers: a fixed clock, accounts, open drawers."""

from tests.domain.cashier.conftest import (  # noqa: F401  (pytest fixtures)
    account,
    clerk_with_drawer,
    fixed_clock,
    supervisor,
)
