"""The front desk's keystroke-bench jobs on the sandbox's demo data: the repossession fee in
cash (the manifest's job: 6 keys, a receipt) and the visitor checked in with a badge printed
and checked out by scanning it (35 keys, most of them the typed details, and one scan)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.frontdesk.bench import job_repo_fee_cash, job_visitor_badge
from tests.ui.conftest import SIZE, finish_work, screen_text, sign_in
from tests.ui.demo_support import demo_app, demo_db, demo_template  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_sims")


async def test_repossession_fee_in_cash(demo_app: Callable[..., ClerkApp],  # noqa: F811
                                        demo_db: Database) -> None:  # noqa: F811
    from clerk_tui.counters import registry

    spec = next(m for m in registry().manifests if m.name == "frontdesk").bench_jobs
    assert spec == ("clerk_tui.screens.frontdesk.bench:job_repo_fee_cash",
                    "clerk_tui.screens.frontdesk.bench:job_visitor_badge")
    open_session(demo_db, auth.clerk_actor(demo_db, "csr2", "ws-test"))
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", "3333")
        keys = await job_repo_fee_cash(pilot)
        await finish_work(pilot)
        assert len(keys) == 6 and "CHANGE DUE $0.00" in screen_text(app)
    row = demo_db.one("SELECT i.kind, i.amount_cents, r.payer FROM receipt_items i "
                      "JOIN receipts r ON r.id = i.receipt_id ORDER BY r.id DESC LIMIT 1")
    assert row == {"kind": "fd_repo", "amount_cents": 1500, "payer": row["payer"]}
    assert demo_db.scalar("SELECT count(*) FROM fd_repossessions WHERE fee_receipt_id IS NOT "
                          "NULL") == 1


async def test_visitor_badge_in_and_out_by_scan(demo_app: Callable[..., ClerkApp],  # noqa: F811
                                                demo_db: Database) -> None:  # noqa: F811
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", "2222")
        keys, said = await job_visitor_badge(pilot)
        await finish_work(pilot)
    assert len(keys) == 36 and keys[-1].startswith("<scan VB")
    assert said == f"no receipt: {keys[-1][6:-1]} in, out by scan"
    badge = keys[-1][6:-1]
    row = demo_db.one("SELECT name, out_how FROM fd_visitors WHERE badge = ?", [badge])
    assert row == {"name": "Ann Lee", "out_how": "scan"}
