"""The audit chain finds an edited, inserted or deleted row."""

from __future__ import annotations

import pytest

from clerk_tui import db as dbmod
from clerk_tui.db import Database
from clerk_tui.domain import audit, auth

A = auth.shell_actor("tester", "ws1")  # issued: audit.record refuses a hand-built actor


def _write_some(db: Database, n: int = 5) -> None:
    for i in range(n):
        with db.write():
            audit.record(db, A, "test.action", f"thing:{i}", before={"v": i}, after={"v": i + 1})


def _drop_guards(db: Database) -> None:
    """What an attacker with the raw file could do; the app never does this."""
    with db.write():
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("DROP TRIGGER audit_log_no_delete")


def test_chain_holds(db: Database) -> None:
    _write_some(db)
    r = audit.verify(db)
    assert r.ok and r.rows == 7  # database.init + clerk.add + 5
    assert r.head == audit.head(db)


def test_record_outside_transaction_refused(db: Database) -> None:
    with pytest.raises(RuntimeError):
        audit.record(db, A, "x", "y")


def test_append_only_by_trigger(db: Database) -> None:
    _write_some(db, 1)
    with pytest.raises(dbmod.IntegrityError, match="append-only"), db.write():
        db.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
    with pytest.raises(dbmod.IntegrityError, match="append-only"), db.write():
        db.execute("DELETE FROM audit_log WHERE seq = 1")


@pytest.mark.parametrize(("tamper", "bad_seq", "says"), [
    ("UPDATE audit_log SET after_json = '{\"v\":999}' WHERE seq = 4", 4, "altered"),
    ("DELETE FROM audit_log WHERE seq = 5", 5, "missing"),
    ("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", None,
     "rows were written"),
], ids=["edited-row", "deleted-row", "deleted-last-row"])
def test_tampered_row_is_found(db: Database, tamper: str, bad_seq: int | None,
                               says: str) -> None:
    _write_some(db)
    _drop_guards(db)
    with db.write():
        db.execute(tamper)
    r = audit.verify(db)
    assert not r.ok and says in r.problem
    if bad_seq is not None:
        assert r.bad_seq == bad_seq


def test_edited_row_with_recomputed_hash_is_found(db: Database) -> None:
    """Even someone holding the site secret cannot edit a row without breaking the next."""
    _write_some(db)
    _drop_guards(db)
    row = db.one("SELECT * FROM audit_log WHERE seq = 3")
    row["action"] = "forged"
    with db.write():
        db.execute("UPDATE audit_log SET action = ?, hash = ? WHERE seq = 3",
                   ["forged", audit.row_hash(row, db.secret)])
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == 4  # the next row no longer follows


def test_audit_rolls_back_with_the_change(db: Database) -> None:
    before = db.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValueError), db.write():
        audit.record(db, A, "x", "y")
        raise ValueError
    assert db.scalar("SELECT count(*) FROM audit_log") == before
    assert audit.verify(db).ok


# ---- money rows are tied to the chain (issue 10 A) --------------------------------------------
def _paid(db: Database) -> dict:
    """A real payment through the cashier domain; returns its receipt row."""
    from clerk_tui.domain.cashier import (
        SaleItem,
        Tender,
        new_idempotency_key,
        open_session,
        post_payment,
    )
    from tests.domain.cashier.conftest import create_account

    clerk = auth.clerk_actor(db, "admin", "ws1")
    open_session(db, clerk)
    acct = create_account(db, 8735)
    r = post_payment(db, clerk, new_idempotency_key(), [SaleItem("account", acct.number)],
                     [Tender("cash", 10000)]).receipt
    return db.one("SELECT * FROM receipts WHERE id = ?", [r.id])


def _raw(db: Database):
    """A second connection with no clerk-tui hooks: what the sqlite3 shell would be."""
    import pysqlite3.dbapi2 as sqlite3

    return sqlite3.connect(db.path, isolation_level=None)


def test_every_append_only_table_is_classified(db: Database) -> None:
    """A new append-only table must be declared money (digested) or not: none is forgotten."""
    append_only = {r["tbl_name"] for r in db.all(
        "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
        "AND upper(sql) LIKE '%BEFORE DELETE ON%'")}
    assert append_only == set(dbmod.MONEY_TABLES) | set(dbmod.NOT_MONEY_TABLES)
    assert not set(dbmod.MONEY_TABLES) & set(dbmod.NOT_MONEY_TABLES)


def test_payment_verifies_and_is_keyed(db: Database) -> None:
    _paid(db)
    r = audit.verify(db)
    assert r.ok and r.keyed
    row = db.one("SELECT fmt, rows_json FROM audit_log WHERE action = 'payment.post'")
    assert row["fmt"] == 2 and '"receipts"' in row["rows_json"] and '"ledger_entries"' in row["rows_json"]


@pytest.mark.parametrize(("table", "change", "which"), [
    ("ledger_entries", "amount_cents = -1",
     "SELECT id FROM ledger_entries WHERE receipt_id = ? AND book = 'account'"),
    ("receipts", "total_cents = 1", "SELECT id FROM receipts WHERE id = ?"),
], ids=["ledger-amount", "receipt-total"])
def test_edited_money_row_is_found_with_triggers_dropped(db: Database, table: str, change: str,
                                                         which: str) -> None:
    receipt = _paid(db)
    row_id = db.scalar(which, [receipt["id"]])
    raw = _raw(db)
    raw.execute(f"DROP TRIGGER {table}_no_update")
    raw.execute(f"UPDATE {table} SET {change} WHERE id = ?", [row_id])
    raw.close()
    r = audit.verify(db)
    assert not r.ok and r.table == table and r.row == row_id
    assert f"{table} row {row_id} was changed" in r.problem


def test_forged_money_row_is_found(db: Database) -> None:
    receipt = _paid(db)
    raw = _raw(db)
    raw.execute("INSERT INTO ledger_entries (journal_id, book, kind, amount_cents, account_id) "
                "SELECT journal_id, book, kind, -500, account_id FROM ledger_entries "
                "WHERE receipt_id = ? AND book = 'account'", [receipt["id"]])
    forged = raw.execute("SELECT max(id) FROM ledger_entries").fetchone()[0]
    raw.close()
    r = audit.verify(db)
    assert not r.ok and r.table == "ledger_entries" and r.row == forged
    assert "in no audit row" in r.problem


def test_deleted_money_row_is_found(db: Database) -> None:
    receipt = _paid(db)
    raw = _raw(db)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DROP TRIGGER tenders_no_delete")
    tender = raw.execute("SELECT id FROM tenders WHERE receipt_id = ?", [receipt["id"]]).fetchone()[0]
    raw.execute("DELETE FROM tenders WHERE id = ?", [tender])
    raw.close()
    r = audit.verify(db)
    assert not r.ok and r.table == "tenders" and r.row == tender and "missing" in r.problem


def test_money_rows_without_an_audit_row_are_refused(db: Database) -> None:
    from clerk_tui.domain import ledger
    from clerk_tui.domain.actor import SYSTEM

    before = db.scalar("SELECT count(*) FROM journals")
    with pytest.raises(dbmod.DatabaseError, match="without an audit row"), db.write():
        ledger.post(db, SYSTEM, "bill", [ledger.Entry("revenue", "x", 1),
                                         ledger.Entry("revenue", "x", -1)])
    assert db.scalar("SELECT count(*) FROM journals") == before
    with db.write():  # the same rows with their audit row after them commit
        ledger.post(db, SYSTEM, "bill", [ledger.Entry("revenue", "x", 1),
                                         ledger.Entry("revenue", "x", -1)])
        audit.record(db, SYSTEM, "test.bill", "x")
    assert audit.verify(db).ok


def test_chain_rewritten_without_the_secret_is_found(db: Database) -> None:
    """A copy of the database alone cannot re-chain: an altered row cannot be re-hashed."""
    _write_some(db)
    _drop_guards(db)
    row = db.one("SELECT * FROM audit_log WHERE seq = 3")
    row["action"] = "forged"
    with pytest.raises(audit.AuditKeyError):
        audit.row_hash(row)  # no secret, no hash
    wrong = b"\x01" * 32
    with db.write():
        db.execute("UPDATE audit_log SET action = ?, hash = ? WHERE seq = 3",
                   ["forged", audit.row_hash(row, wrong)])
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == 3 and "altered" in r.problem


def test_unkeyed_row_after_keyed_rows_is_found(db: Database) -> None:
    """Appending old-format (SHA-256 only) rows, which need no secret, is caught."""
    _write_some(db, 2)
    last = db.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    forged = {"seq": last["seq"] + 1, "at": "2026-01-01T00:00:00", "clerk": "x",
              "workstation": "x", "action": "forged", "entity": "x", "before_json": None,
              "after_json": None, "override_by": None, "prev_hash": last["hash"], "fmt": 1}
    forged["hash"] = audit.row_hash(forged)
    with db.write():
        db.insert("audit_log", forged)
        db.execute("UPDATE counters SET value = ? WHERE name = 'audit_seq'", [forged["seq"]])
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == forged["seq"] and "unkeyed" in r.problem


def test_anchor_catches_a_cut_tail(db: Database) -> None:
    """The newest rows cut and the counter lowered verify clean; the printed anchor does not."""
    _write_some(db, 3)
    printed = audit.anchor(db)
    assert audit.verify(db, [printed]).ok
    _write_some(db, 1)
    raw = _raw(db)
    raw.execute("DROP TRIGGER audit_log_no_delete")
    raw.execute("DROP TRIGGER counters_never_go_back")
    raw.execute("DELETE FROM audit_log WHERE seq >= ?", [printed.seq])
    raw.execute("UPDATE counters SET value = ? WHERE name = 'audit_seq'", [printed.seq - 1])
    raw.close()
    assert audit.verify(db).ok  # what no check without an anchor can see
    r = audit.verify(db, [printed])
    assert not r.ok and r.bad_seq == printed.seq and "not in the chain" in r.problem


def test_anchor_with_another_hash_fails(db: Database) -> None:
    _write_some(db, 2)
    a = audit.anchor(db)
    assert audit.verify(db, [audit.Anchor(a.seq, a.hash)]).ok
    r = audit.verify(db, [audit.Anchor(a.seq, "f" * 64)])
    assert not r.ok and r.bad_seq == a.seq and "anchored hash" in r.problem


def test_parse_anchor() -> None:
    h = "ab" * 32
    assert audit.parse_anchor(f" 12:{h.upper()} ") == audit.Anchor(12, h)
    assert audit.parse_anchor(f"12:{h[:40]}\n  {h[40:]}") == audit.Anchor(12, h)  # wrapped
    for bad in ("", "12", f"x:{h}", "12:abc", f"12:{'g' * 64}", f":{h}"):
        with pytest.raises(ValueError, match="not an anchor"):
            audit.parse_anchor(bad)


def test_z_report_and_deposit_slip_print_the_anchor(db: Database) -> None:
    from clerk_tui.domain.cashier.deposit import DepositSlip, render_deposit_slip
    from clerk_tui.domain.cashier.reports import SessionReport, format_report

    _write_some(db, 1)
    a = audit.anchor(db)
    slip = DepositSlip(1, "2026-03-02", "t", "sup", (1,), 100, 0, (), 0, 0, 100, 0, 1,
                       a.seq, a.hash)
    assert f"{a.seq}:{a.hash}" in render_deposit_slip(slip).splitlines()
    assert audit.verify(db, [audit.parse_anchor(render_deposit_slip(slip).splitlines()[-1])]).ok
    fields = SessionReport.__dataclass_fields__
    assert "audit_seq" in fields
    _ = format_report  # the full Z path is in tests/domain/cashier/test_cashier_drawer.py


def test_rows_from_before_the_secret_still_verify(tmp_path) -> None:
    """A database from before migration 0007: its old rows verify; new rows are keyed."""
    import pysqlite3.dbapi2 as sqlite3

    from clerk_tui.domain import ledger
    from clerk_tui.domain.actor import SYSTEM
    from tests.legacy_support import begin_pre_0007_production

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    begin_pre_0007_production(raw)
    raw.execute("INSERT INTO journals (kind, business_date, posted_at, clerk, workstation) "
                "VALUES ('bill', '2025-01-01', 't', 'old', 'ws')")
    raw.execute("INSERT INTO ledger_entries (journal_id, book, kind, amount_cents) "
                "VALUES (1, 'revenue', 'bill', 5), (1, 'revenue', 'bill', -5)")
    prev = audit.GENESIS
    for seq in (1, 2):
        row = {"seq": seq, "at": "t", "clerk": "old", "workstation": "ws", "action": "old",
               "entity": "e", "before_json": None, "after_json": None, "override_by": None,
               "prev_hash": prev}
        row["hash"] = audit.row_hash(row)
        raw.execute("INSERT INTO audit_log (seq, at, clerk, workstation, action, entity, "
                    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq, "t", "old", "ws", "old", "e", prev, row["hash"]])
        prev = row["hash"]
    raw.execute("UPDATE counters SET value = 2 WHERE name = 'audit_seq'")
    raw.execute("COMMIT")
    raw.close()

    old = Database.open(path)
    try:
        assert old.secret is None and not old.is_keyed()
        old.migrate()
        assert old.ensure_secret() and oct(old.secret_path.stat().st_mode & 0o777) == "0o600"
        assert audit.verify(old).ok
        with old.write():
            ledger.post(old, SYSTEM, "bill", [ledger.Entry("revenue", "x", 7),
                                              ledger.Entry("revenue", "x", -7)])
            audit.record(old, SYSTEM, "test.new", "x")
        r = audit.verify(old)
        assert r.ok and r.keyed and r.rows == 3
        fmts = [x["fmt"] for x in old.all("SELECT fmt FROM audit_log ORDER BY seq")]
        assert fmts == [1, 1, 2]
        new_entry = old.scalar("SELECT max(id) FROM ledger_entries")
    finally:
        old.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("DROP TRIGGER ledger_entries_no_update")
    raw.execute("UPDATE ledger_entries SET amount_cents = 700 WHERE id = ?", [new_entry])
    raw.close()
    again = Database.open(path)
    try:
        r = audit.verify(again)
        assert not r.ok and r.table == "ledger_entries" and r.row == new_entry
        # Losing the secret now is refused, not papered over with a new one.
        again.secret = None
        again.secret_path.unlink()
        with pytest.raises(dbmod.DatabaseError, match="restore the secret"):
            again.ensure_secret()
    finally:
        again.close()


def test_z_report_prints_an_anchor_verify_accepts(db: Database) -> None:
    from clerk_tui.domain.cashier import DrawerCount, format_report, submit_count, z_report

    _paid(db)
    clerk = auth.clerk_actor(db, "admin", "ws1")
    submit_count(db, clerk, DrawerCount({"hundreds": 2, "twenties": 1, "fives": 3}))
    z = z_report(db, clerk)
    lines = format_report(z).splitlines()
    printed = audit.parse_anchor(lines[-1])
    assert printed == audit.anchor(db) and printed.seq == z.audit_seq
    assert "audit verify --anchor" in lines[-2]
    assert audit.verify(db, [printed]).ok
