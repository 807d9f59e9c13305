"""The command line: setup, clerks, verify, backup, and one-line errors (never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clerk_tui.cli import main
from clerk_tui.db import open_database
from clerk_tui.domain import auth
from tests.cli.conftest import run


def test_init_creates_production_db_with_admin(prod: Path, capsys) -> None:
    db = open_database(prod)
    assert db.kind() == "production"
    assert auth.sign_in(db, "admin", "2468", "ws").role == "admin"
    db.close()


def test_init_refuses_existing(prod: Path, monkeypatch, capsys) -> None:
    assert run(["init", "--db", str(prod), "--pin-stdin"], "2468\n", monkeypatch) == 1
    assert "already exists" in capsys.readouterr().err


def test_init_refuses_bad_pin(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "x.db"
    assert run(["init", "--db", str(path), "--pin-stdin"], "12\n", monkeypatch) == 1
    assert "4 to 12 digits" in capsys.readouterr().err
    assert not path.exists()


def test_clerk_commands(prod: Path, monkeypatch, capsys) -> None:
    db = ["--db", str(prod)]
    assert run(["clerk", "add", "mgarcia", "--name", "Maria Garcia", "--role", "csr1",
                "--pin-stdin", *db], "1357\n", monkeypatch) == 0
    assert run(["clerk", "set-role", "mgarcia", "csr2", *db]) == 0
    assert run(["clerk", "list", *db]) == 0
    out = capsys.readouterr().out
    assert "mgarcia" in out and "csr2" in out and "Maria Garcia" in out
    assert run(["clerk", "reset-pin", "mgarcia", "--pin-stdin", *db], "9753\n", monkeypatch) == 0
    d = open_database(prod)
    assert auth.sign_in(d, "mgarcia", "9753", "ws").role == "csr2"
    d.close()
    assert run(["clerk", "disable", "mgarcia", *db]) == 0
    d = open_database(prod)
    with pytest.raises(Exception, match="not recognised"):  # one message for every failure
        auth.sign_in(d, "mgarcia", "9753", "ws")
    assert not auth.get_clerk(d, "mgarcia").active
    d.close()
    capsys.readouterr()
    assert run(["clerk", "disable", "ghost", *db]) == 1
    assert "No clerk named 'ghost'" in capsys.readouterr().err


def test_audit_verify_exit_codes(prod: Path, capsys) -> None:
    assert run(["audit", "verify", "--db", str(prod)]) == 0
    assert "Audit chain holds" in capsys.readouterr().out
    d = open_database(prod)
    with d.write():
        d.execute("DROP TRIGGER audit_log_no_update")
        d.execute("UPDATE audit_log SET action = 'forged' WHERE seq = 2")
    d.close()
    assert run(["audit", "verify", "--db", str(prod)]) == 1
    assert "BROKEN at row 2" in capsys.readouterr().out


def test_backup(prod: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "backups" / "copy.db"
    assert run(["backup", str(dest), "--db", str(prod)]) == 0
    assert run(["audit", "verify", "--db", str(dest), "--secret", f"{prod}.secret"]) == 0


def test_migrate_reports_up_to_date(prod: Path, capsys) -> None:
    assert run(["migrate", "--db", str(prod)]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize("setup", ["missing", "directory", "corrupt", "nodb"])
def test_errors_are_one_line_without_traceback(tmp_path: Path, setup: str) -> None:
    target = tmp_path / "target.db"
    if setup == "directory":
        target.mkdir()
    elif setup == "corrupt":
        target.write_bytes(b"\x00garbage" * 500)
    args = ["audit", "verify"] + ([] if setup == "nodb" else ["--db", str(target)])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "clerk_tui", *args], capture_output=True,
                         text=True, timeout=60, env=env)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("clerk-tui: ")
    if setup == "missing":
        assert not target.exists()


def test_help_on_every_command() -> None:
    for argv in (["--help"], ["init", "--help"], ["clerk", "add", "--help"], ["demo", "--help"],
                 ["audit", "verify", "--help"], ["backup", "--help"], ["sandbox", "reset", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0


def test_production_run_refuses_training_db(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.db"
    d = open_database(path, create=True, migrate=True)
    d.set_kind("training")
    d.close()
    assert main(["--db", str(path)]) == 1
    assert "not a production" in capsys.readouterr().err


def test_clerk_add_refuses_a_trainee_on_production(prod: Path, tmp_path: Path, monkeypatch,
                                                   capsys) -> None:
    db = ["--db", str(prod)]
    assert run(["clerk", "add", "terry", "--name", "Terry Trainee", "--role", "trainee",
                "--pin-stdin", *db], "1111\n", monkeypatch) == 1
    assert "Trainee clerks exist only in training databases" in capsys.readouterr().err
    assert run(["clerk", "add", "casey", "--name", "Casey One", "--role", "csr1",
                "--pin-stdin", *db], "2222\n", monkeypatch) == 0
    assert run(["clerk", "set-role", "casey", "trainee", *db]) == 1
    assert "refused on a production database" in capsys.readouterr().err
    d = open_database(prod)
    try:
        assert [(c.username, c.role) for c in auth.list_clerks(d)] == [
            ("admin", "admin"), ("casey", "csr1")]
    finally:
        d.close()
    training = tmp_path / "class.db"
    assert run(["demo", "--db", str(training), "--accounts", "1"]) == 0
    assert run(["clerk", "add", "terry", "--name", "Terry Trainee", "--role", "trainee",
                "--pin-stdin", "--db", str(training)], "1111\n", monkeypatch) == 0
