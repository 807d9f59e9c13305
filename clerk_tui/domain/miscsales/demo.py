"""Demo data for the sandbox: one closed drawer of misc. sales today (one of them voided), so
the day report and the X/Z reports have misc. lines to show a trainee.

Posts through the real cashier functions (drawer open, sale, void, count, approval), never by
inserting rows, so the demo data obeys every rule the real counter does.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier import (
    DrawerCount,
    Tender,
    approve_session,
    open_session,
    post_payment,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
from clerk_tui.domain.miscsales.items import price_line, sale_items

SALES: tuple[tuple[tuple[tuple[str, int], ...], str], ...] = (
    ((("COPY", 12), ("NOTARY", 1)), "cash"),
    ((("BUSPASS", 2),), "card"),
    ((("LOSTPERMIT", 1), ("MAP", 1)), "cash"),
    ((("CERTCOPY", 3),), "cash"),
)
"""Each demo sale: (code, quantity) lines and the tender; the third is voided."""


@dataclass(frozen=True)
class MiscDemo:
    receipts: tuple[int, ...]
    voided: int


def generate(db: Database, clerk: str = "csr3", supervisor: str = "super",
             workstation: str = "demo-1") -> MiscDemo:
    """Open `clerk`'s drawer, post `SALES`, void one, count exactly and have it approved."""
    actor = auth.clerk_actor(db, clerk, workstation)
    sup = auth.clerk_actor(db, supervisor, workstation)
    open_session(db, actor)
    today = clock.today()
    numbers: list[int] = []
    for n, (lines, tender) in enumerate(SALES, start=1):
        priced = [price_line(code, qty, today) for code, qty in lines]
        total = sum(p.amount_cents for p in priced)
        t = Tender("card", total, card_last4="4242", auth_code="DEMO01") if tender == "card" \
            else Tender("cash", -(-total // 500) * 500)  # cash: the next $5 up, with change
        # A fixed key per demo sale: a reset sandbox is the same database, byte for byte.
        key = f"demo-misc-{today.isoformat()}-{n}"
        numbers.append(post_payment(db, actor, key, sale_items(priced),
                                    [t], payer="Demo customer").receipt.number)
    voided = numbers[2]
    void_receipt(db, actor, voided, "KEY", "demo: keyed the wrong item")
    session = current_session(db, actor)
    assert session is not None
    submit_count(db, actor, DrawerCount(make_change(cash_on_hand(db, session))))
    approve_session(db, sup, session.id)
    return MiscDemo(tuple(numbers), voided)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> MiscDemo:
    """The misc. sales counter's share of a new sandbox (its manifest's `demo`); the demo
    sales are the same whatever the seed or the size of the town."""
    return generate(db)
