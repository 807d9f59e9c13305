"""The training database: built on first use, never production, reset to its starting state."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui import cli, sandbox
from clerk_tui.db import Database, DatabaseError, open_database
from clerk_tui.domain import accounts, audit, auth, clock, demo, setup
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.paths import sandbox_db_path

SANDBOX_BUILD = pytest.mark.slow
"""Builds the whole sandbox (every counter's demo data, ~5 s): in the whole suite, not the
fast loop (which keeps the refusals and the clerks table)."""

TABLES = ("customers", "accounts", "meters", "meter_reads", "journals", "ledger_entries", "bills",
          "account_notes", "audit_log")


@pytest.fixture(autouse=True)
def _small_and_fixed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sandbox, "SANDBOX_ACCOUNTS", 40)  # fast tests; the real one is 800
    with clock.frozen(dt.datetime(2026, 6, 30, 8, 0, 0)):
        yield


def dump(db: Database) -> dict[str, list[tuple]]:
    out = {t: [tuple(r.values()) for r in db.all(f"SELECT * FROM {t} ORDER BY rowid")]
           for t in TABLES}
    # PIN hashes are salted: compare who exists, not the salt.
    out["clerks"] = [(r["username"], r["role"], r["active"], r["locked"])
                     for r in db.all("SELECT * FROM clerks ORDER BY username")]
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name)


@SANDBOX_BUILD
def test_created_on_first_use(tmp_path: Path) -> None:
    path = sandbox_db_path()
    assert str(path).startswith(str(tmp_path)) and not path.exists()
    db = sandbox.open_sandbox()
    try:
        assert path.exists() and db.kind() == "training"
        assert db.pending_migrations() == []
        assert db.scalar("SELECT count(*) FROM accounts") == 40 + 1  # + the practice account
        assert audit.verify(db).ok
        for username, role, pin in sandbox.SANDBOX_CLERKS:
            actor = auth.sign_in(db, username, pin, "ws-train")
            assert actor.role == role
    finally:
        db.close()
    assert leftovers(path.parent) == []


@SANDBOX_BUILD
def test_second_open_keeps_the_trainees_work(tmp_path: Path) -> None:
    db = sandbox.open_sandbox()
    acct_id = db.scalar("SELECT min(id) FROM accounts")
    accounts.add_note(db, SYSTEM, acct_id, "practice note")
    db.close()
    db = sandbox.open_sandbox()
    try:
        assert db.scalar("SELECT count(*) FROM account_notes") == 1
    finally:
        db.close()


def test_sandbox_clerks_table_is_complete() -> None:
    roles = [r for _, r, _ in sandbox.SANDBOX_CLERKS]
    assert roles == ["trainee", "csr1", "csr2", "csr3", "supervisor", "admin"]
    assert [u for u, _, _ in sandbox.SANDBOX_CLERKS][4] == "super"
    for _, _, pin in sandbox.SANDBOX_CLERKS:
        auth.validate_pin(pin)


@SANDBOX_BUILD
def test_reset_restores_starting_state(tmp_path: Path) -> None:
    db = sandbox.open_sandbox()
    fresh = dump(db)
    acct_id = db.scalar("SELECT min(id) FROM accounts")
    accounts.add_note(db, SYSTEM, acct_id, "trainee was here")
    accounts.open_account(db, SYSTEM, name="Practice Customer", service_address="1 Test St")
    auth.add_clerk(db, SYSTEM, "extra", "Extra Clerk", "csr1", "1212")
    assert dump(db) != fresh
    db.close()
    path = sandbox.reset_sandbox()
    assert path == sandbox_db_path()
    assert not path.with_name(path.name + "-wal").exists() or \
        path.with_name(path.name + "-wal").stat().st_size == 0
    db = sandbox.open_sandbox()
    try:
        assert dump(db) == fresh
    finally:
        db.close()
    assert leftovers(path.parent) == []


@SANDBOX_BUILD
def test_open_with_reset_flag(tmp_path: Path) -> None:
    db = sandbox.open_sandbox()
    accounts.add_note(db, SYSTEM, db.scalar("SELECT min(id) FROM accounts"), "gone soon")
    db.close()
    db = sandbox.open_sandbox(reset=True)
    try:
        assert db.scalar("SELECT count(*) FROM account_notes") == 0
    finally:
        db.close()


def test_refuses_production_database(db: Database, db_path: Path) -> None:
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="production"):
        sandbox.open_sandbox(db_path)
    with pytest.raises(DatabaseError, match="production"):
        sandbox.reset_sandbox(db_path)
    with pytest.raises(DatabaseError, match="production"):
        sandbox.open_sandbox(db_path, reset=True)
    assert db_path.read_bytes() == before
    prod = open_database(db_path)
    try:
        assert prod.kind() == "production"
        assert prod.scalar("SELECT count(*) FROM accounts") == 0
    finally:
        prod.close()


def test_refuses_unlabelled_database(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    open_database(path, create=True, migrate=True).close()
    with pytest.raises(DatabaseError, match="not a training"):
        sandbox.open_sandbox(path)
    with pytest.raises(DatabaseError, match="unlabelled"):
        sandbox.reset_sandbox(path)


def test_refuses_production_via_env(db: Database, db_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_TUI_SANDBOX_DB", str(db_path))
    with pytest.raises(DatabaseError, match="production"):
        sandbox.open_sandbox()
    with pytest.raises(DatabaseError, match="production"):
        sandbox.reset_sandbox()


@SANDBOX_BUILD
def test_db_path_that_does_not_exist_becomes_a_sandbox(tmp_path: Path) -> None:
    path = tmp_path / "class" / "room.db"
    db = sandbox.open_sandbox(path)
    try:
        assert db.kind() == "training" and db.path == path
    finally:
        db.close()


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(demo, "generate", boom)
    with pytest.raises(RuntimeError):
        sandbox.open_sandbox()
    path = sandbox_db_path()
    assert not path.exists()
    assert leftovers(path.parent) == []


@SANDBOX_BUILD
def test_failed_reset_keeps_the_old_sandbox(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    db = sandbox.open_sandbox()
    accounts.add_note(db, SYSTEM, db.scalar("SELECT min(id) FROM accounts"), "still here")
    db.close()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(demo, "generate", boom)
        with pytest.raises(RuntimeError):
            sandbox.reset_sandbox()
    db = sandbox.open_sandbox()
    try:
        assert db.scalar("SELECT count(*) FROM account_notes") == 1
    finally:
        db.close()


def production_with_wal(folder: Path) -> Path:
    """A production database whose newest transaction is still only in its -wal.

    The three files are copied while the writer is still open, as a crash or `kill -9` leaves
    them: closing would checkpoint the WAL and remove it.
    """
    live = folder / "live" / "counter.db"
    db = open_database(live, create=True, migrate=True)
    setup.initialize(db, "production", admin_pin="9999")
    db.conn.execute("PRAGMA wal_autocheckpoint = 0").close()
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    auth.add_clerk(db, SYSTEM, "pat", "Pat Payer", "csr1", "2222")  # only in the -wal
    target = folder / "counter.db"
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{live}{suffix}", f"{target}{suffix}")
    db.close()
    assert target.with_name("counter.db-wal").stat().st_size > 0
    return target


def file_set(path: Path) -> dict[str, bytes | None]:
    """The database file and its -wal/-shm, byte for byte (None: absent)."""
    out: dict[str, bytes | None] = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = path.with_name(path.name + suffix)
        out[f.name] = f.read_bytes() if f.exists() else None
    return out


def reset_via_cli(path: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("CLERK_TUI_SANDBOX_DB", str(path))
    code = cli.main(["sandbox", "reset"])
    return code, capsys.readouterr().err


def test_reset_refuses_a_damaged_file_and_leaves_it_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A production database with a damaged header is not a sandbox to be replaced (as root)."""
    path = production_with_wal(tmp_path)
    with path.open("r+b") as fh:
        fh.write(b"\x00garbage header")
    before = file_set(path)
    code, err = reset_via_cli(path, monkeypatch, capsys)
    assert code == 1
    assert "refusing to reset it" in err and "damaged" in err
    assert file_set(path) == before
    assert leftovers(tmp_path) == []


def test_reset_refuses_a_writable_production_database_with_its_wal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Refused without even opening it: the uncheckpointed -wal is not folded in or removed."""
    path = production_with_wal(tmp_path)
    before = file_set(path)
    code, err = reset_via_cli(path, monkeypatch, capsys)
    assert code == 1 and "is a production database; refusing to reset it" in err
    assert file_set(path) == before
    with pytest.raises(DatabaseError, match="production"):
        sandbox.open_sandbox(path)
    assert file_set(path) == before
    prod = open_database(path)
    try:
        assert auth.get_clerk(prod, "pat").role == "csr1"  # the -wal's transaction is all there
    finally:
        prod.close()


def test_reset_refuses_a_read_only_production_database(tmp_path: Path) -> None:
    """`sandbox reset` run by a clerk who may not write production (as nobody, not root)."""
    import sys

    from tests.unprivileged import NOBODY, run_as_nobody

    folder = tmp_path / "shared"
    folder.mkdir()
    path = production_with_wal(folder)
    for f in (path, *[path.with_name(path.name + s) for s in ("-wal", "-shm")]):
        f.chmod(0o444)
    if os.geteuid() == 0:  # nobody may create and unlink files in the folder, not write the db
        for f in (folder, path, *[path.with_name(path.name + s) for s in ("-wal", "-shm")]):
            os.chown(f, NOBODY, NOBODY)
    before = file_set(path)
    who = run_as_nobody([sys.executable, "-c", "import os, clerk_tui; print(os.geteuid())"],
                        visible=[folder])
    assert who.stdout.strip() == str(NOBODY if os.geteuid() == 0 else os.geteuid()), who.stderr
    out = run_as_nobody([sys.executable, "-m", "clerk_tui", "sandbox", "reset"],
                        visible=[folder], env={"CLERK_TUI_SANDBOX_DB": str(path)})
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1, out.stdout + out.stderr
    assert "is a production database; refusing to reset it" in out.stderr, out.stderr
    assert file_set(path) == before
    assert leftovers(folder) == []


@SANDBOX_BUILD
def test_a_damaged_sandbox_is_refused_until_moved_away(tmp_path: Path) -> None:
    path = sandbox_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError):
        sandbox.open_sandbox()
    with pytest.raises(DatabaseError, match="move it away"):
        sandbox.reset_sandbox()
    assert path.read_bytes() == b"this is not a database" * 100
    path.rename(tmp_path / "old-training.db")
    sandbox.reset_sandbox()
    db = sandbox.open_sandbox()
    try:
        assert db.kind() == "training"
    finally:
        db.close()
