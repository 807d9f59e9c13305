"""Demo data: deterministic for a seed, balanced to the cent, and believable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database, DatabaseError, open_database
from clerk_tui.domain import accounts, audit, clock, demo, ledger, search, setup

TABLES = ("customers", "accounts", "meters", "meter_reads", "journals", "ledger_entries", "bills",
          "audit_log", "meta")


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(dt.datetime(2026, 6, 30, 8, 0, 0)):
        yield


def training_db(path: Path) -> Database:
    db = open_database(path, create=True, migrate=True)
    setup.initialize(db, "training")
    return db


def dump(db: Database) -> dict[str, list[tuple]]:
    return {t: [tuple(r.values()) for r in db.all(f"SELECT * FROM {t} ORDER BY rowid")]
            for t in TABLES}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, demo.DemoSummary]]:
    clock.set_fixed(dt.datetime(2026, 6, 30, 8, 0, 0))
    db = training_db(tmp_path_factory.mktemp("demo") / "town.db")
    summary = demo.generate(db, 400, seed=7)
    clock.set_fixed(None)
    yield db, summary
    db.close()


def test_same_seed_same_database(tmp_path: Path) -> None:
    a = training_db(tmp_path / "a.db")
    # The audit chain is keyed with the site secret: the same data under the same secret.
    (tmp_path / "b.db.secret").write_bytes(a.secret_path.read_bytes())
    (tmp_path / "b.db.secret").chmod(0o600)
    b = training_db(tmp_path / "b.db")
    sa, sb = demo.generate(a, 150, seed=42), demo.generate(b, 150, seed=42)
    assert sa == sb
    da, db_ = dump(a), dump(b)
    for t in TABLES:
        assert da[t] == db_[t], t
    assert da["customers"] and da["ledger_entries"]


def test_different_seeds_differ(tmp_path: Path) -> None:
    a, b = training_db(tmp_path / "a.db"), training_db(tmp_path / "b.db")
    demo.generate(a, 100, seed=1)
    demo.generate(b, 100, seed=2)
    names_a = [r["name"] for r in a.all("SELECT name FROM customers ORDER BY id")]
    names_b = [r["name"] for r in b.all("SELECT name FROM customers ORDER BY id")]
    assert names_a != names_b
    assert dump(a)["ledger_entries"] != dump(b)["ledger_entries"]


def test_every_journal_balances(town) -> None:
    db, summary = town
    assert db.all("SELECT journal_id, sum(amount_cents) AS s FROM ledger_entries "
                  "GROUP BY journal_id HAVING s <> 0") == []
    assert db.scalar("SELECT count(*) FROM journals") == summary.journals
    assert db.scalar("SELECT count(*) FROM ledger_entries") == summary.ledger_entries
    assert db.scalar("SELECT count(*) FROM bills") == summary.bills
    assert db.scalar("SELECT count(*) FROM meter_reads") == summary.reads
    # Each billing journal has one aggregated revenue entry per fund, not one per bill.
    per_fund = db.all("SELECT journal_id, fund, count(*) AS n FROM ledger_entries "
                      "WHERE book = 'revenue' GROUP BY journal_id, fund HAVING n > 1")
    assert per_fund == []


def test_balances_are_sums_of_entries(town) -> None:
    db, _ = town
    for row in db.all("SELECT id FROM accounts ORDER BY id LIMIT 60"):
        view = accounts.load_account(db, row["id"])
        assert view.balance_cents == ledger.account_balance(db, row["id"])
        if view.balance_cents > 0:
            assert view.aging.total == view.balance_cents


def test_bills_match_their_ledger_entries(town) -> None:
    db, _ = town
    mismatched = db.all(
        "SELECT b.id FROM bills b WHERE b.amount_cents <> (SELECT sum(le.amount_cents) "
        "FROM ledger_entries le WHERE le.journal_id = b.journal_id AND le.book = 'account' "
        "AND le.account_id = b.account_id)")
    assert mismatched == []


def test_believable_mix(town) -> None:
    db, summary = town
    assert summary.accounts == db.scalar("SELECT count(*) FROM accounts") == 400
    assert summary.history_months == 12
    assert summary.delinquent > 5 and summary.credits > 3 and summary.no_checks >= 1
    codes: dict[str, int] = {}
    for row in db.all("SELECT id FROM accounts"):
        for alert in accounts.load_account(db, row["id"]).alerts:
            codes[alert.code] = codes.get(alert.code, 0) + 1
    assert codes.get("delinquent", 0) >= summary.delinquent
    assert codes.get("credit", 0) == summary.credits
    assert codes.get("no_checks", 0) == summary.no_checks
    assert set(r["service_city"] for r in db.all("SELECT DISTINCT service_city FROM accounts")) \
        == {demo.CITY}
    # A year of monthly bills for an ordinary active account.
    months = db.scalar("SELECT max(n) FROM (SELECT count(*) AS n FROM bills GROUP BY account_id)")
    assert months == 12
    assert db.scalar("SELECT count(*) FROM accounts WHERE status = 'active'") > 350
    # Lookup finds them.
    assert search.search_accounts(db, "main").hits
    some = db.one("SELECT number FROM accounts LIMIT 1")["number"]
    assert search.search_accounts(db, some[:7]).hits[0].number == some


def test_audited_per_batch_and_chain_holds(town) -> None:
    db, _ = town
    actions = [r["action"] for r in db.all("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("demo.load_batch") == 1 and actions[-1] == "demo.generate"
    assert audit.verify(db).ok


def test_bulk_mode_with_short_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BULK_INDEX_THRESHOLD", 10)
    db = training_db(tmp_path / "bulk.db")
    s = demo.generate(db, 300, seed=3, history_months=2, chunk_size=70)
    assert s.history_months == 2
    assert db.scalar("SELECT count(*) FROM ledger_entries WHERE kind = 'balance_forward' "
                     "AND book = 'account'") > 0
    assert db.all("SELECT journal_id, sum(amount_cents) AS s FROM ledger_entries "
                  "GROUP BY journal_id HAVING s <> 0") == []
    assert len(search._trigger_rows(db)) == 4  # triggers back after the bulk load
    assert db.scalar("SELECT value FROM meta WHERE key = 'search.suspended_triggers'") is None
    n = db.one("SELECT number FROM accounts ORDER BY id DESC LIMIT 1")["number"]
    assert search.search_accounts(db, n).hits[0].number == n
    aged = [accounts.load_account(db, r["id"]).aging for r in db.all("SELECT id FROM accounts")]
    assert any(a.days_90_plus > 0 for a in aged)
    actions = [r["action"] for r in db.all("SELECT action FROM audit_log")]
    assert actions.count("demo.load_batch") == 5
    assert audit.verify(db).ok


def test_adds_after_existing_accounts(tmp_path: Path) -> None:
    db = training_db(tmp_path / "twice.db")
    demo.generate(db, 50, seed=1)
    demo.generate(db, 50, seed=2)
    assert db.scalar("SELECT count(DISTINCT number) FROM accounts") == 100


def test_refuses_production(db: Database) -> None:
    with pytest.raises(DatabaseError, match="production"):
        demo.generate(db, 10)
    assert db.scalar("SELECT count(*) FROM accounts") == 0


def test_labels_unlabelled_database_training(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db", create=True, migrate=True)
    demo.generate(db, 5)
    assert db.kind() == "training"


def test_summary_reads_well(town) -> None:
    _, summary = town
    text = str(summary)
    assert "400 accounts" in text and "seed 7" in text
