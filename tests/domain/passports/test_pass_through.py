"""The State Department's check is a pass-through: it never touches a drawer or a deposit.

Two databases run the same day at the counter (an application, its execution fee paid by a
city check, the drawer counted, approved, the X and Z reports and the bank deposit); in one of
them the applicant's check to the State Department is recorded too. Everything the drawer and
the bank see must be byte-identical. The audit anchor printed on the Z report and the slip is
the one line allowed to differ (recording the instrument is itself audited).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clerk_tui.db import Database, open_database
from clerk_tui.domain import audit, auth, setup
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    create_deposit,
    open_session,
    post_payment,
    render_deposit_slip,
    submit_count,
)
from clerk_tui.domain.cashier.closing import current_count, expected_checks
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.reports import format_report, x_report, z_report
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session, drawer_totals
from clerk_tui.domain.passports import agents, applications, instruments
from clerk_tui.domain.passports.items import reference
from tests.conftest import PINS, copy_database

from .conftest import TODAY


def _no_anchor(text: str) -> str:
    lines = text.splitlines()
    if "Audit head (check: clerk-tui audit verify --anchor)" in lines:
        i = lines.index("Audit head (check: clerk-tui audit verify --anchor)")
        del lines[i:i + 2]
    return "\n".join(lines)


def _day(db: Database, with_state_check: bool) -> dict[str, object]:
    for name, role in (("agent1", "csr1"), ("sup", "supervisor")):
        auth.add_clerk(db, SYSTEM, name, f"Test {role}", role, PINS[role])
    admin = auth.clerk_actor(db, "admin", "ws-test")
    clerk = auth.clerk_actor(db, "agent1", "ws-test")
    sup = auth.clerk_actor(db, "sup", "ws-test")
    agents.record_certification(db, admin, "agent1", "2026-01-05")
    open_session(db, clerk)
    a = applications.start(db, clerk, "Pat Family", "1990-05-01", "book")
    b = applications.start(db, clerk, "Kim Family", "2015-05-01", "book", parents="Pat Family")
    if with_state_check:  # one family check for both applications
        instruments.record(db, clerk, [a.number, b.number], "check", "1234", 23000,
                           "Pat Family")
    # The city's execution fees: one paid by a city check, one in cash.
    post_payment(db, clerk, "k1", [SaleItem("passport", reference(a.number, "EXEC"))],
                 [Tender("check", 3500, number="555")], payer="Pat Family")
    post_payment(db, clerk, "k2", [SaleItem("passport", reference(b.number, "EXEC"))],
                 [Tender("cash", 4000)], payer="Pat Family")
    session = current_session(db, clerk)
    assert session is not None
    out: dict[str, object] = {
        "expected_checks": expected_checks(db, session.id),
        "drawer_totals": drawer_totals(db, session.id),
        "cash_on_hand": cash_on_hand(db, session),
        "x": format_report(x_report(db, clerk)),
    }
    submit_count(db, clerk, DrawerCount(make_change(cash_on_hand(db, session)),
                                        checks=[CountedItem("555", 3500)]))
    out["count"] = {k: v for k, v in (current_count(db, session.id) or {}).items()
                    if k not in ("id",)}
    approve_session(db, sup, session.id)
    out["z"] = _no_anchor(format_report(z_report(db, sup, session.id)))
    slip = create_deposit(db, sup)
    out["deposit"] = _no_anchor(render_deposit_slip(slip))
    out["ledger"] = db.all("SELECT book, kind, amount_cents, fund, gl_code, tender "
                           "FROM ledger_entries ORDER BY id")
    out["tenders"] = db.all("SELECT kind, amount_cents, check_number FROM tenders ORDER BY id")
    assert audit.verify(db).ok
    return out


def test_state_check_never_touches_drawer_reports_or_deposit(
        tmp_path: Path, template_database: Callable[..., Path]) -> None:
    template = template_database("init-production",
                                 lambda d: setup.initialize(d, "production",
                                                            admin_pin=PINS["admin"]))
    results = []
    for flag in (False, True):
        db = open_database(copy_database(template, tmp_path / f"day-{flag}.db"))
        try:
            results.append(_day(db, flag))
            if flag:  # the instrument is there, linked to both, and nowhere else
                rows = db.all("SELECT number, amount_cents FROM passport_instruments")
                assert rows == [{"number": "1234", "amount_cents": 23000}]
                assert db.scalar("SELECT count(*) FROM tenders WHERE check_number = '1234'") == 0
        finally:
            db.close()
    without, with_check = results
    assert without["expected_checks"] == ["555"]
    for key in without:
        assert with_check[key] == without[key], key
    assert "1234" not in str(with_check["deposit"]) and "230.00" not in str(with_check["z"])
    assert TODAY.isoformat() in str(with_check["deposit"])


def test_no_state_fee_can_be_sold_as_a_drawer_item(db: Database) -> None:
    from clerk_tui.domain.cashier.items import kinds
    from clerk_tui.domain.fees import fee_schedule

    codes = {f.code for f in fee_schedule().fees}
    assert "PPT-EXEC" in codes
    assert not {c for c in codes if c.startswith("PPT-") and c != "PPT-EXEC"}
    # The passport item kind only ever sells the city's EXEC and PHOTO fees.
    passport = next(k for k in kinds() if k.code == "passport")
    import pytest

    from clerk_tui.domain.errors import ValidationError
    with pytest.raises(ValidationError):
        passport.quote(db, "PA0000018/STATE", TODAY)
