"""Files are private whatever the umask: databases with their -wal/-shm, backups, referral
exports and saved letters are 0600, or 0660 in a setgid group folder; a backup keeps its
source's mode. Every test runs under the usual umask 022."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui import cli, sandbox
from clerk_tui.db import Database, open_database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.utility import letters, referrals
from clerk_tui.files import create_private
from tests.domain.utility.collections_support import bill, open_account, set_today


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(params=["private", "group"])
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, int]:
    """A plain folder (files 0600) or a setgid group folder as in the README (files 0660)."""
    f = tmp_path / request.param
    f.mkdir()
    if request.param == "group":
        f.chmod(0o2770)
        return f, 0o660
    return f, 0o600


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cli_run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_new_database_and_its_wal_and_shm(folder: tuple[Path, int],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    where, want = folder
    path = where / "city.db"
    assert cli_run(["init", "--db", str(path), "--pin-stdin"], "2468\n", monkeypatch) == 0
    db = open_database(path)
    try:
        with db.write():  # the -wal and -shm exist while a connection is open
            db.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        files = [path, path.with_name("city.db-wal"), path.with_name("city.db-shm")]
        assert {f.name: oct(mode(f)) for f in files} == {f.name: oct(want) for f in files}
    finally:
        db.close()
    other = open_database(where / "other.db", create=True, migrate=True)
    other.close()
    assert mode(where / "other.db") == want


@pytest.mark.slow  # builds the whole sandbox (~5 s)
def test_sandbox_database_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "SANDBOX_ACCOUNTS", 5)
    db = sandbox.open_sandbox(tmp_path / "class" / "training.db")
    try:
        assert mode(db.path) == 0o600
        assert mode(db.path.with_name("training.db-wal")) == 0o600
    finally:
        db.close()


def test_backup_keeps_its_source_mode(folder: tuple[Path, int],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    where, want = folder
    source = where / "city.db"
    assert cli_run(["init", "--db", str(source), "--pin-stdin"], "2468\n", monkeypatch) == 0
    assert mode(source) == want
    assert cli.main(["backup", str(where / "copy.db"), "--db", str(source)]) == 0
    assert mode(where / "copy.db") == want
    source.chmod(0o640)  # an admin's own choice of mode is kept too
    assert cli.main(["backup", str(where / "copy2.db"), "--db", str(source)]) == 0
    assert mode(where / "copy2.db") == 0o640
    copy = open_database(where / "copy2.db")
    try:
        assert copy.kind() == "production"
    finally:
        copy.close()


def test_a_failed_backup_leaves_no_file(db: Database, tmp_path: Path) -> None:
    (tmp_path / "taken.db").write_bytes(b"x")
    with pytest.raises(Exception, match="already exists"):
        db.backup_to(tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_bytes() == b"x"


def test_referral_export_and_saved_letter(db: Database, folder: tuple[Path, int],
                                          make_clerk: Callable[..., Actor]) -> None:
    where, want = folder
    set_today("2026-06-01")
    try:
        acct = open_account(db, name="Gone Away", address="7 Gone Ln")
        bill(db, acct.id, 12_345, "2026-01-01", "2026-03-03")
        with db.write():
            db.execute("UPDATE accounts SET status = 'closed', closed_on = '2026-04-02' "
                       "WHERE id = ?", [acct.id])
        batch = referrals.refer_accounts(db, make_clerk("csr3"), where / "agency")
        assert batch.path is not None and mode(batch.path) == want
        letter = letters.issue_letter(db, SYSTEM, acct.id, "past_due",
                                      context={"days_past_due": "45"})
        saved = letters.save_letter(letter, where)
        assert mode(saved) == want
        assert letters.save_letter(letter, where) == saved and mode(saved) == want
        assert saved.read_text(encoding="utf-8") == letter.body
        assert [p.name for p in where.iterdir() if p.suffix == ".tmp"] == []
    finally:
        clock.set_fixed(None)


def test_create_private_never_writes_through_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "there.txt"
    target.write_text("keep")
    with pytest.raises(FileExistsError):
        create_private(target)
    assert target.read_text() == "keep"
