"""The licenses bench job, run through its manifest: a scanned renewal notice paid in cash with
2 keys after the scan (the issue's goal: at most 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.counters import registry
from clerk_tui.counters.manifest import resolve
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.licenses import demo, records
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, sign_in

pytestmark = pytest.mark.usefixtures("fresh_sims")


async def test_bench_job_renews_by_scan_in_two_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    built = demo.build(db, count=40)
    spec = next(m for m in registry().manifests if m.name == "licenses").bench_jobs[0]
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await resolve(spec)(pilot)
        await finish_work(pilot)
    assert keys[0].startswith("<scan BL") and keys[1:] == ["enter", "enter"]
    lic = records.get_license(db, built.bench_number)
    assert lic.current_term is not None and lic.current_term.year == 2027
    assert lic.total_due_cents == 0
    assert db.scalar("SELECT total_cents FROM receipts") == 12400  # $120 flat + $4 CASp
