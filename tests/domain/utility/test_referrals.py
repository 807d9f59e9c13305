"""Collection referrals: closed accounts past threshold and age, the agency file, once each."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied
from clerk_tui.domain.utility import referrals
from tests.domain.utility.collections_support import bill, open_account, set_today


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    set_today("2026-06-01")
    yield
    clock.set_fixed(None)


def closed(db: Database, name: str, *, cents: int, due: str, closed_on: str,
           address: str = "1 Old St") -> int:
    acct = open_account(db, name=name, address=address)
    bill(db, acct.id, cents, "2026-01-01", due)
    with db.write():
        db.execute("UPDATE accounts SET status = 'closed', closed_on = ? WHERE id = ?",
                   [closed_on, acct.id])
    return acct.id


def test_only_qualifying_accounts_are_referred_once(db: Database, tmp_path: Path,
                                                    make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    # 2026-06-01: closed by 2026-04-02 (60 days), oldest due by 2026-03-03 (90 days), >= $25.
    ok = closed(db, "=HYPERLINK(\"x\")", cents=12_345, due="2026-03-03", closed_on="2026-04-02",
                address="7 Gone Ln")
    closed(db, "Recently Closed", cents=12_345, due="2026-03-01", closed_on="2026-04-03")
    closed(db, "Not Old Enough", cents=12_345, due="2026-03-04", closed_on="2026-03-01")
    closed(db, "Small Balance", cents=2_499, due="2026-01-01", closed_on="2026-02-01")
    active = open_account(db, name="Still Active")
    bill(db, active.id, 50_000, "2025-10-01", "2025-10-22")
    assert [c.account_id for c in referrals.candidates(db)] == [ok]
    batch = referrals.refer_accounts(db, csr3, tmp_path / "agency")
    assert [c.account_id for c in batch.lines] == [ok]
    assert batch.path is not None and batch.path.name == "referrals-2026-06-01.csv"
    with batch.path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    assert rows[0]["customer_name"] == "'=HYPERLINK(\"x\")"  # never a live formula
    assert rows[0]["balance"] == "123.45" and rows[0]["service_address"].startswith("7 Gone Ln")
    assert rows[0]["agency"] == "Valley Recovery Services"
    row = db.one("SELECT * FROM collection_referrals WHERE account_id = ?", [ok])
    assert row["amount_cents"] == 12_345 and row["file_name"] == batch.path.name
    # Once: the next batch finds nobody and writes no file.
    again = referrals.refer_accounts(db, csr3, tmp_path / "agency")
    assert again.lines == () and again.path is None
    assert sorted(p.name for p in (tmp_path / "agency").iterdir()) == [batch.path.name]
    assert "No closed accounts qualify" in referrals.format_batch(again)
    assert "$123.45" in referrals.format_batch(batch)


def test_refusal_writes_no_file(db: Database, tmp_path: Path,
                                make_clerk: Callable[..., Actor]) -> None:
    csr2 = make_clerk("csr2")
    closed(db, "Owes Money", cents=12_345, due="2026-01-01", closed_on="2026-02-01")
    with pytest.raises(PermissionDenied):
        referrals.refer_accounts(db, csr2, tmp_path / "agency")
    assert not (tmp_path / "agency").exists()
    assert db.scalar("SELECT count(*) FROM collection_referrals") == 0


def test_unwritable_folder_records_nothing(db: Database, tmp_path: Path,
                                          make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    closed(db, "Owes Money", cents=12_345, due="2026-01-01", closed_on="2026-02-01")
    not_a_folder = tmp_path / "agency"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        referrals.refer_accounts(db, csr3, not_a_folder)
    assert db.scalar("SELECT count(*) FROM collection_referrals") == 0
    assert len(referrals.candidates(db)) == 1
