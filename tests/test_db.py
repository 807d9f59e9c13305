"""The database door: pragmas, migrations, the write helper, and refusals."""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import pytest

from clerk_tui import db as dbmod
from clerk_tui.db import Database, DatabaseError, load_migrations, open_database


def test_sqlite_is_new_enough() -> None:
    assert dbmod.sqlite_version() >= dbmod.MIN_SQLITE


def test_migrations_on_empty_database(db_path: Path) -> None:
    d = Database.open(db_path, create=True)
    assert d.schema_version() == 0
    applied = d.migrate()
    assert [m.label for m in applied] == [m.label for m in load_migrations()]
    assert [m.set for m in applied[:1]] == ["core"]
    assert d.schema_version() == len(load_migrations())
    assert d.migrate() == []  # idempotent
    for table in ("clerks", "audit_log", "ledger_entries", "receipts", "accounts"):
        assert d.table_exists(table)
    d.close()


def test_migrations_on_existing_database_apply_only_new(db_path: Path) -> None:
    d = Database.open(db_path, create=True)
    with d.write():
        for m in dbmod.legacy_sequence()[:1]:  # as the old single sequence recorded it
            for stmt in dbmod.split_statements(m.sql):
                d.execute(stmt)
            d.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", [m.version, m.name])
    d.execute("INSERT INTO meta (key, value) VALUES ('kind', 'production')")
    pending = d.pending_migrations()
    assert [m.label for m in pending] == [m.label for m in load_migrations()[1:]]
    d.migrate()
    assert d.pending_migrations() == []
    assert d.kind() == "production"  # data from before the migration survives
    d.close()


def test_pragmas(db: Database) -> None:
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA synchronous") == 2  # FULL
    assert db.scalar("PRAGMA busy_timeout") >= 15000
    strict = db.all("SELECT name FROM pragma_table_list WHERE type='table' AND strict=0 "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' "
                    "AND name NOT LIKE '%_search%'")
    assert strict == []


def test_newer_schema_refused(db: Database) -> None:
    with db.write():
        db.execute("INSERT INTO schema_migration_sets VALUES ('core', 999, '0999_future', 'x')")
    with pytest.raises(DatabaseError, match="does not know .core 999.: it is newer"):
        db.pending_migrations()


def test_newer_single_sequence_schema_refused(db_path: Path) -> None:
    d = Database.open(db_path, create=True)
    with d.write():
        for m in dbmod.legacy_sequence()[:1]:
            for stmt in dbmod.split_statements(m.sql):
                d.execute(stmt)
        d.execute("INSERT INTO schema_migrations VALUES (999, '0999_future', 'x')")
    with pytest.raises(DatabaseError, match="newer than this clerk-tui"):
        d.pending_migrations()
    with pytest.raises(DatabaseError, match="newer than this clerk-tui"):
        d.migrate()
    d.close()


def test_pending_migrations_refused_without_migrate(db_path: Path) -> None:
    Database.open(db_path, create=True).close()
    with pytest.raises(DatabaseError, match="clerk-tui migrate"):
        open_database(db_path)


def test_missing_path_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(DatabaseError, match="No database"):
        Database.open(missing)
    assert not missing.exists()


def test_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="directory"):
        Database.open(tmp_path)


def test_corrupt_file_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 200)
    with pytest.raises(DatabaseError, match="not a clerk-tui database or is damaged"):
        Database.open(bad)
    assert bad.read_bytes().startswith(b"this is not sqlite")


def test_read_only_file_refused(tmp_path: Path) -> None:
    """A database the clerk may not write gets one clear line, not a failed payment.

    Root ignores file modes, so as root the file sits on a real read-only bind mount made in a
    private mount namespace (`unshare -m`); otherwise the file is made mode 0444.
    """
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "ro.db"
    d = open_database(path, create=True, migrate=True)
    d.set_kind("production")
    d.close()
    probe = (
        "from clerk_tui.db import open_database, DatabaseError\n"
        f"try:\n    open_database({str(path)!r})\n"
        "except DatabaseError as e:\n    print('REFUSED', e)\n"
    )
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        assert unshare, "unshare (util-linux) is needed to test a read-only database as root"
        script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
                  f"{sys.executable} -c \"$PROBE\"")
        cmd = [unshare, "-m", "sh", "-c", script]
    else:
        path.chmod(0o444)
        cmd = [sys.executable, "-c", probe]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PROBE": probe})
    assert "REFUSED" in out.stdout, out.stdout + out.stderr
    assert "read-only" in out.stdout


def test_read_only_file_refused_even_as_root(db: Database, db_path: Path) -> None:
    """A read-only *open* must fail up front with a clear message, not mid-payment."""
    db.close()
    uri_ro = f"{db_path.resolve().as_uri()}?mode=ro"
    conn = dbmod.sqlite3.connect(uri_ro, uri=True, isolation_level=None)
    ro = Database(conn, db_path)
    with pytest.raises(dbmod.DriverError, match="readonly"), ro.write():
        ro.execute("INSERT INTO meta VALUES ('x', 'y')")
    ro.close()


def test_write_rolls_back_everything(db: Database) -> None:
    before = db.scalar("SELECT count(*) FROM meta")
    with pytest.raises(RuntimeError), db.write():
        db.execute("INSERT INTO meta VALUES ('a', '1')")
        with db.write():  # nested joins the outer transaction
            db.execute("INSERT INTO meta VALUES ('b', '2')")
        raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM meta") == before
    assert not db.conn.in_transaction


def test_reads_never_wait_behind_another_threads_write(db: Database) -> None:
    """A write holds the Database's lock from BEGIN to COMMIT; a read from another thread (the
    UI, a search worker) goes through the read connection: it answers at once, with the last
    committed state, while the writer's own reads see its uncommitted rows."""
    import threading

    before = db.scalar("SELECT count(*) FROM meta")
    inside: list[int] = []
    written, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.write():
            db.execute("INSERT INTO meta VALUES ('held', '1')")
            inside.append(db.scalar("SELECT count(*) FROM meta"))
            written.set()
            release.wait(10)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        assert written.wait(5)
        seen: list[int] = []
        reader = threading.Thread(
            target=lambda: seen.append(db.scalar("SELECT count(*) FROM meta")), daemon=True)
        reader.start()
        reader.join(2)
        assert seen == [before], "the read waited for the other thread's write"
        assert inside == [before + 1]
    finally:
        release.set()
        t.join(10)
    assert db.scalar("SELECT count(*) FROM meta") == before + 1


def test_kind_is_permanent(db: Database) -> None:
    assert db.kind() == "production"
    with pytest.raises(DatabaseError):
        db.set_kind("training")
    with pytest.raises(dbmod.IntegrityError), db.write():
        db.execute("UPDATE meta SET value = 'training' WHERE key = 'kind'")
    assert db.kind() == "production"


def test_counter_cannot_go_back(db: Database) -> None:
    with db.write():
        db.execute("UPDATE counters SET value = 5 WHERE name = 'receipt_number'")
    with pytest.raises(dbmod.IntegrityError), db.write():
        db.execute("UPDATE counters SET value = 4 WHERE name = 'receipt_number'")


def test_backup_is_a_working_copy(db: Database, tmp_path: Path) -> None:
    dest = db.backup_to(tmp_path / "copy.db")
    copy = open_database(dest)
    assert copy.kind() == "production"
    assert copy.scalar("SELECT count(*) FROM clerks") == 1
    copy.close()
    with pytest.raises(DatabaseError, match="already exists"):
        db.backup_to(dest)


def _migrate_worker(path: str, q: mp.Queue) -> None:
    try:
        d = Database.open(path)
        d.migrate()
        q.put(("ok", d.schema_version()))
        d.close()
    except Exception as e:  # report, don't hang
        q.put(("error", repr(e)))


def test_concurrent_migrations_serialise(db_path: Path) -> None:
    Database.open(db_path, create=True).close()
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_migrate_worker, args=(str(db_path), q)) for _ in range(6)]
    for p in procs:
        p.start()
    results = [q.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    n = len(load_migrations())
    assert results == [("ok", n)] * len(procs)
    d = Database.open(db_path)
    assert d.scalar("SELECT count(*) FROM schema_migration_sets") == n
    d.close()
