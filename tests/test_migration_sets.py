"""Migrations per counter (issue 11): each counter numbers its own set, and a database made by
the old single sequence (0001-0007) migrates forward untouched and still verifies."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
import pytest

from clerk_tui import db as dbmod
from clerk_tui.cli import main
from clerk_tui.db import Database, legacy_sequence, load_migrations, open_database
from clerk_tui.domain import auth

FIXTURE = Path(__file__).parent / "fixtures" / "main_0007.db.gz"
LEGACY_SETS = ("core", "cashier", "utility")
"""The sets the old single sequence became; counters built since add sets after them."""
CORE_SINCE_LEGACY = ["core/0006_ledger_report_indexes", "core/0007_customer_language"]
"""Core migrations added after the single sequence (issue 12: the report indexes; issue 17:
the customer's language and the check-number index)."""


def _new_sets() -> list[str]:
    return [s for s in dbmod.migration_sets() if s not in LEGACY_SETS]


def _new_labels() -> list[str]:
    return [m.label for m in load_migrations() if m.set not in LEGACY_SETS]


def _schema(path: Path) -> set[tuple[str, str]]:
    """Every table, index, trigger and view as SQL, without the migration bookkeeping."""
    conn = sqlite3.connect(path)
    try:
        return {(r[0], r[1]) for r in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT IN ('schema_migration_sets')")}
    finally:
        conn.close()


def _fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    Database.open(path, create=True).migrate()
    return path


def _main_0007(tmp_path: Path) -> Path:
    """The checked-in database made by main as of 41c13fa (tests/fixtures/make_main_0007.py)."""
    path = tmp_path / "old.db"
    with gzip.open(FIXTURE) as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    secret = Path(f"{path}.secret")
    shutil.copy(FIXTURE.with_name("main_0007.db.secret"), secret)
    os.chmod(secret, 0o600)
    return path


def test_sets_are_core_then_counters_each_numbered_from_one() -> None:
    migrations = load_migrations()
    sets = [m.set for m in migrations]
    order = dbmod.migration_sets()
    assert order[:3] == list(LEGACY_SETS)
    assert sets[0] == "core" and sets == sorted(sets, key=order.index)
    for name in order:
        versions = [m.version for m in migrations if m.set == name]
        assert versions == list(range(1, len(versions) + 1))
    assert {m.set for m in migrations} == set(order)


def test_a_database_made_by_main_migrates_forward_untouched_and_verifies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _main_0007(tmp_path)
    before = _schema(path)
    conn = sqlite3.connect(path)
    legacy = conn.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall()
    conn.close()
    assert [r[0] for r in legacy] == list(range(1, 8))

    assert main(["migrate", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    migrated = [*CORE_SINCE_LEGACY, *_new_labels()]  # only what it lacks
    assert f"Applied {len(migrated)} migration(s): {', '.join(migrated)}." in out
    after = _schema(path)
    # core 0006 (issue 12) replaced three indexes by wider ones; core 0007 (issue 17) gave
    # customers a language column and tenders a check-number index; nothing else changed
    assert {n for n, _ in before - after} == {"ledger_session", "ledger_journal",
                                              "receipts_session", "customers"}
    assert {"ledger_drawer", "ledger_journal_totals", "receipts_session_totals",
            "customers", "tenders_check_number"} <= {n for n, _ in after - before}
    assert _schema(path) == _schema(_fresh(tmp_path))  # and it is today's schema

    db = open_database(path)
    try:
        assert db.pending_migrations() == []
        assert db.all("SELECT * FROM schema_migrations ORDER BY version") == [
            {"version": r[0], "name": r[1], "applied_at": r[2]} for r in legacy]
        rows = db.all("SELECT migration_set, version, name, applied_at "
                      "FROM schema_migration_sets ORDER BY migration_set, version")
        assert {(r["migration_set"], r["version"]) for r in rows} == \
            {(m.set, m.version) for m in load_migrations()}
        stamped = {r[2] for r in legacy}
        assert all(r["applied_at"] in stamped for r in rows  # the old dates, kept
                   if r["migration_set"] in LEGACY_SETS
                   and f"{r['migration_set']}/{r['name']}" not in CORE_SINCE_LEGACY)
        assert auth.sign_in(db, "alice", "1357", "ws-1").role == "csr2"
        assert db.scalar("SELECT count(*) FROM receipt_voids") == 1
    finally:
        db.close()
    assert main(["audit", "verify", "--db", str(path)]) == 0
    assert "Audit chain holds" in capsys.readouterr().out


def test_an_old_database_at_0005_gets_only_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "old5.db"
    d = Database.open(path, create=True)
    with d.write():
        for m in legacy_sequence()[:5]:
            for stmt in dbmod.split_statements(m.sql):
                d.execute(stmt)
            d.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", [m.version, m.name])
    assert [m.label for m in d.pending_migrations()] == [
        "core/0004_audit_override_index", "core/0005_append_only",
        *CORE_SINCE_LEGACY, "cashier/0002_append_only", "utility/0002_append_only",
        *_new_labels()]
    applied = d.migrate()
    assert len(applied) == 4 + len(CORE_SINCE_LEGACY) + len(_new_labels()) \
        and d.pending_migrations() == []
    d.close()
    assert _schema(path) == _schema(_fresh(tmp_path))


def test_every_no_delete_table_also_refuses_replace(tmp_path: Path) -> None:
    """The append-only rule per set: a counter's new append-only table (one with a BEFORE
    DELETE trigger) needs its BEFORE INSERT no-replace trigger in its own set as well."""
    conn = sqlite3.connect(_fresh(tmp_path))
    triggers = conn.execute("SELECT tbl_name, upper(sql) FROM sqlite_master "
                            "WHERE type = 'trigger'").fetchall()
    conn.close()
    no_delete = {t for t, sql in triggers if "BEFORE DELETE ON" in sql}
    no_replace = {t for t, sql in triggers
                  if "BEFORE INSERT ON" in sql and "REPLACE/UPSERT REFUSED" in sql}
    assert no_delete and no_delete - no_replace == set()


def test_a_new_counters_set_numbers_from_one_and_applies_after_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two counters built in parallel both start at 0001 in their own set: no collision, and an
    existing database gets just the new set, core and older sets untouched."""
    path = _fresh(tmp_path)
    real_load = dbmod.load_migration_set
    real_sets = dbmod.migration_sets
    probe = dbmod.Migration(1, "0001_probe", "CREATE TABLE probe_things (id INTEGER PRIMARY KEY) "
                            "STRICT;", "probe")
    monkeypatch.setattr(dbmod, "migration_sets",
                        lambda: [*real_sets(), "probe"])
    monkeypatch.setattr(dbmod, "load_migration_set",
                        lambda name: [probe] if name == "probe" else real_load(name))
    d = Database.open(path)
    try:
        with pytest.raises(dbmod.DatabaseError, match="probe/0001_probe"):
            d.require_current()
        assert [m.label for m in d.migrate()] == ["probe/0001_probe"]
        assert d.table_exists("probe_things")
        assert d.schema_versions() == {**{m.set: m.version for m in load_migrations()},
                                       "probe": 1}
    finally:
        d.close()
    monkeypatch.undo()
    older = Database.open(path)  # a build without that counter refuses the database
    try:
        with pytest.raises(dbmod.DatabaseError, match="does not know .probe 1."):
            older.pending_migrations()
    finally:
        older.close()
