"""Append-only against every statement, attacked from the system `sqlite3` shell.

The app's own connection is never used for the attacks: an attacker with the file uses the
shell, where foreign keys are off and (here) CHECK constraints are ignored too, so only the
schema's triggers stand in the way. The cases are generated from the schema itself: every table
with a BEFORE DELETE trigger is append-only, and each one is attacked with REPLACE,
INSERT OR REPLACE and an upsert, on its primary key and on each UNIQUE key. A table added
later with a no-delete trigger but no no-replace trigger fails `test_every_append_only_table…`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
import pytest

from clerk_tui.db import open_database
from clerk_tui.domain import auth, setup
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
)
from tests.conftest import require_tool
from tests.domain.cashier.conftest import create_account

REFUSED = "REPLACE/upsert refused"
APPEND_ONLY = ("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
               "AND upper(sql) LIKE '%BEFORE DELETE ON%' ORDER BY tbl_name")


def _append_only_tables() -> list[str]:
    """Every table with a BEFORE DELETE trigger, read from a freshly migrated schema."""
    conn = sqlite3.connect(":memory:")
    from clerk_tui.db import load_migrations, split_statements

    for m in load_migrations():
        for stmt in split_statements(m.sql):
            conn.execute(stmt)
    tables = [r[0] for r in conn.execute(APPEND_ONLY)]
    conn.close()
    return tables


TABLES = _append_only_tables()


def shell(path: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """Run SQL in the system sqlite3 shell, as someone holding the database file would."""
    exe = require_tool("sqlite3")
    return subprocess.run([exe, "-bail", str(path)], input=sql, capture_output=True, text=True,
                          timeout=60)


def _columns(path: Path, table: str) -> list[tuple[str, str, int, int]]:
    """(name, declared type, notnull, pk position) of each column."""
    conn = sqlite3.connect(path)
    try:
        return [(r[1], r[2].upper(), r[3], r[5])
                for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def _unique_keys(path: Path, table: str) -> list[list[str]]:
    conn = sqlite3.connect(path)
    try:
        keys = []
        for idx in conn.execute(f"PRAGMA index_list({table})").fetchall():
            if idx[2] and idx[3] != "pk":
                keys.append([c[2] for c in conn.execute(f"PRAGMA index_info({idx[1]})")])
        return keys
    finally:
        conn.close()


def snapshot(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def _filler(col_type: str, name: str) -> str:
    if col_type == "INTEGER":
        return "1"
    if col_type == "REAL":
        return "1.0"
    if col_type == "BLOB":
        return "x'00'"
    return f"'shell-{name}'"


def _ensure_row(path: Path, table: str) -> None:
    """Give an empty table one row (the attack needs a row to replace)."""
    if snapshot(path, table):
        return
    cols = [c for c in _columns(path, table) if c[2] or c[3]]
    names = ", ".join(c[0] for c in cols)
    values = ", ".join(_filler(c[1], c[0]) for c in cols)
    out = shell(path, "PRAGMA ignore_check_constraints = ON;\n"
                      f"INSERT INTO {table} ({names}) VALUES ({values});\n")
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A production database with a real payment, then one row in every append-only table."""
    require_tool("sqlite3")
    path = tmp_path_factory.mktemp("append-only") / "counter.db"
    db = open_database(path, create=True, migrate=True)
    setup.initialize(db, "production", admin_pin="9999")
    admin = auth.clerk_actor(db, "admin", "ws-test")
    open_session(db, admin)
    acct = create_account(db, 8735)
    post_payment(db, admin, new_idempotency_key(), [SaleItem("account", acct.number)],
                 [Tender("cash", 10000)])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    db.close()
    for table in TABLES:
        _ensure_row(path, table)
    yield path


@pytest.fixture
def counter_db(template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "counter.db"
    shutil.copyfile(template, dest)
    for suffix in ("-wal", "-shm"):
        side = template.with_name(template.name + suffix)
        if side.exists():
            shutil.copyfile(side, dest.with_name(dest.name + suffix))
    return dest


def _changed_copy(path: Path, table: str, *, new_key: bool) -> str:
    """SELECT list copying the first row, with one value changed (or the primary key moved)."""
    cols = _columns(path, table)
    pk = [c[0] for c in cols if c[3]]
    others = [c for c in cols if not c[3]]
    in_unique = {c for key in _unique_keys(path, table) for c in key}
    exprs = []
    for name, ctype, _nn, is_pk in cols:
        if new_key and is_pk and name not in in_unique:
            exprs.append(f"{name} + 100000" if ctype == "INTEGER" else f"{name} || '-new'")
        elif not new_key and others and name == others[0][0]:
            exprs.append(f"{name} + 1" if ctype == "INTEGER" else f"{name} || 'X'")
        else:
            exprs.append(name)
    assert pk, table
    return (f"SELECT {', '.join(exprs)} FROM {table} "
            f"WHERE rowid = (SELECT min(rowid) FROM {table})")


def _attacks(path: Path, table: str) -> dict[str, str]:
    cols = _columns(path, table)
    first_other = next((c[0] for c in cols if not c[3]), cols[0][0])
    copy = _changed_copy(path, table, new_key=False)
    found = {
        "REPLACE": f"REPLACE INTO {table} {copy};",
        "INSERT OR REPLACE": f"INSERT OR REPLACE INTO {table} {copy};",
        "upsert": (f"INSERT INTO {table} {copy} ON CONFLICT DO UPDATE "
                   f"SET {first_other} = excluded.{first_other};"),
    }
    if _unique_keys(path, table):
        moved = _changed_copy(path, table, new_key=True)
        found["REPLACE on a UNIQUE key"] = f"REPLACE INTO {table} {moved};"
        found["upsert on a UNIQUE key"] = (f"INSERT INTO {table} {moved} ON CONFLICT DO "
                                           f"UPDATE SET {first_other} = excluded.{first_other};")
    return found


def test_the_list_is_the_schema() -> None:
    """The generated list is not empty and holds the tables the issue names."""
    for name in ("audit_log", "journals", "ledger_entries", "bills", "receipts", "receipt_items",
                 "tenders", "meta", "counters", "cash_movements", "deposits", "adjustments"):
        assert name in TABLES
    assert len(TABLES) >= 29


def test_every_append_only_table_has_a_no_replace_trigger(template: Path) -> None:
    conn = sqlite3.connect(template)
    try:
        guarded = {r[0] for r in conn.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND upper(sql) LIKE '%BEFORE INSERT ON%' AND name LIKE '%\\_no\\_replace' ESCAPE '\\'")}
    finally:
        conn.close()
    assert sorted(set(TABLES) - guarded) == []


@pytest.mark.parametrize("table", TABLES)
def test_shell_cannot_replace_a_row(counter_db: Path, table: str) -> None:
    before = snapshot(counter_db, table)
    assert before, f"{table} has no row to attack"
    for what, sql in _attacks(counter_db, table).items():
        out = shell(counter_db, "PRAGMA ignore_check_constraints = ON;\n" + sql + "\n")
        assert out.returncode != 0 and REFUSED in out.stderr, (table, what, out.stderr)
        assert snapshot(counter_db, table) == before, (table, what)


def test_shell_can_still_append(counter_db: Path) -> None:
    """The new triggers refuse a collision, not a new row."""
    out = shell(counter_db, "INSERT INTO account_notes (account_id, at, clerk, text) "
                            "SELECT account_id, at, clerk, 'new' FROM account_notes LIMIT 1;\n"
                            "INSERT INTO counters (name, value) VALUES ('shell_new', 1);")
    assert out.returncode == 0, out.stderr
    assert len(snapshot(counter_db, "account_notes")) == 2


# ---- the cases the issue names, spelled out -------------------------------------------------
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE", "upsert"])
def test_ledger_amount_cannot_be_rewritten(counter_db: Path, verb: str) -> None:
    before = snapshot(counter_db, "ledger_entries")
    cols = [c[0] for c in _columns(counter_db, "ledger_entries")]
    exprs = ", ".join("amount_cents * 100" if c == "amount_cents" else c for c in cols)
    select = (f"SELECT {exprs} FROM ledger_entries WHERE book = 'account' AND kind = 'payment'")
    sql = (f"INSERT INTO ledger_entries {select} ON CONFLICT(id) DO UPDATE SET "
           "amount_cents = excluded.amount_cents;" if verb == "upsert"
           else f"{verb} INTO ledger_entries {select};")
    out = shell(counter_db, sql)
    assert out.returncode != 0 and REFUSED in out.stderr
    assert snapshot(counter_db, "ledger_entries") == before


def test_receipt_total_cannot_be_rewritten(counter_db: Path) -> None:
    before = snapshot(counter_db, "receipts")
    for sql in ("REPLACE INTO receipts (id, number, journal_id, drawer_session_id, "
                "business_date, issued_at, clerk, workstation, idempotency_key, payer, "
                "total_cents, tendered_cents, change_cents) SELECT id, number, journal_id, "
                "drawer_session_id, business_date, issued_at, clerk, workstation, "
                "idempotency_key, payer, 1, tendered_cents, change_cents FROM receipts;",
                "INSERT OR REPLACE INTO receipts (id, number, journal_id, drawer_session_id, "
                "business_date, issued_at, clerk, workstation, idempotency_key, payer, "
                "total_cents, tendered_cents, change_cents) SELECT id, number, journal_id, "
                "drawer_session_id, business_date, issued_at, clerk, workstation, "
                "idempotency_key, payer, 1, tendered_cents, change_cents FROM receipts;",
                "INSERT INTO receipts SELECT * FROM receipts WHERE true "
                "ON CONFLICT(id) DO UPDATE SET total_cents = 1;"):
        out = shell(counter_db, sql)
        assert out.returncode != 0 and REFUSED in out.stderr, sql
    assert snapshot(counter_db, "receipts") == before


def test_training_database_cannot_be_relabelled(tmp_path: Path) -> None:
    require_tool("sqlite3")
    path = tmp_path / "training.db"
    db = open_database(path, create=True, migrate=True)
    setup.initialize(db, "training")
    db.close()
    for sql in ("REPLACE INTO meta (key, value) VALUES ('kind', 'production');",
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('kind', 'production');",
                "INSERT INTO meta (key, value) VALUES ('kind', 'production') "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value;"):
        out = shell(path, sql)
        assert out.returncode != 0 and REFUSED in out.stderr, sql
    db = open_database(path)
    try:
        assert db.kind() == "training"
    finally:
        db.close()


def test_audit_tail_cannot_be_rewritten(counter_db: Path) -> None:
    before = snapshot(counter_db, "audit_log")
    for verb in ("REPLACE", "INSERT OR REPLACE"):
        out = shell(counter_db, f"""{verb} INTO audit_log (seq, at, clerk, workstation, action,
            entity, before_json, after_json, override_by, prev_hash, hash)
            SELECT seq, at, clerk, workstation, 'nothing.happened', entity, NULL, NULL, NULL,
                   prev_hash, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);""")
        assert out.returncode != 0 and REFUSED in out.stderr, verb
    out = shell(counter_db, "INSERT INTO audit_log (seq, at, clerk, workstation, action, entity, "
                            "prev_hash, hash) SELECT seq, at, clerk, workstation, "
                            "'nothing.happened', entity, prev_hash, hash FROM audit_log "
                            "WHERE seq = (SELECT max(seq) FROM audit_log) "
                            "ON CONFLICT(seq) DO UPDATE SET action = excluded.action;")
    assert out.returncode != 0 and REFUSED in out.stderr
    assert snapshot(counter_db, "audit_log") == before


def test_counters_cannot_go_back(counter_db: Path) -> None:
    before = snapshot(counter_db, "counters")
    for sql in ("REPLACE INTO counters (name, value) VALUES ('receipt_number', 0);",
                "INSERT OR REPLACE INTO counters (name, value) VALUES ('audit_seq', 0);",
                "INSERT INTO counters (name, value) VALUES ('receipt_number', 0) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value;"):
        out = shell(counter_db, sql)
        assert out.returncode != 0 and REFUSED in out.stderr, sql
    assert snapshot(counter_db, "counters") == before
