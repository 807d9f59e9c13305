"""`audit verify` with anchors and money rows, and the site secret made by init and migrate."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3

from clerk_tui.cli import main
from clerk_tui.db import open_database
from clerk_tui.domain import audit, auth
from tests.cli.conftest import init_production, run
from tests.conftest import require_tool
from tests.legacy_support import begin_pre_0007_production


def _anchor(path: Path) -> audit.Anchor:
    db = open_database(path)
    try:
        return audit.anchor(db)
    finally:
        db.close()


def test_init_makes_a_private_secret(tmp_path: Path, monkeypatch, capsys) -> None:
    prod = init_production(tmp_path / "city.db", monkeypatch)
    secret = Path(f"{prod}.secret")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert f"Site secret: {secret}" in capsys.readouterr().out
    stored = sqlite3.connect(prod).execute("SELECT pin_hash FROM clerks").fetchone()[0]
    assert stored.startswith("scrypt-hmac$") and not auth.pin_matches("2468", stored)


def test_init_puts_the_secret_where_the_config_says(tmp_path: Path, monkeypatch, capsys) -> None:
    config = tmp_path / "etc" / "workstations.toml"
    config.parent.mkdir()
    config.write_text('[site]\nsecret = "keys/site.secret"\n')
    db = tmp_path / "srv" / "city.db"
    assert run(["--config", str(config), "init", "--db", str(db), "--pin-stdin"], "2468\n",
               monkeypatch) == 0
    secret = tmp_path / "etc" / "keys" / "site.secret"
    assert secret.exists() and not Path(f"{db}.secret").exists()
    capsys.readouterr()
    assert run(["--config", str(config), "audit", "verify", "--db", str(db)]) == 0
    assert run(["audit", "verify", "--db", str(db)]) == 1  # without the config: no secret
    assert "site secret is not available" in capsys.readouterr().out


def test_verify_names_an_edited_ledger_row(prod: Path, capsys) -> None:
    """The amount is changed from the sqlite3 shell with the trigger dropped: verify says where."""
    from clerk_tui.domain import ledger
    from clerk_tui.domain.actor import SYSTEM

    db = open_database(prod)
    with db.write():
        posted = ledger.post(db, SYSTEM, "bill", [ledger.Entry("revenue", "bill", 500),
                                                  ledger.Entry("revenue", "bill", -500)])
        audit.record(db, SYSTEM, "test.bill", "x")
    db.close()
    entry = posted.entry_ids[0]
    out = subprocess.run([require_tool("sqlite3"), "-bail", str(prod)], capture_output=True,
                         text=True, timeout=60, input="DROP TRIGGER ledger_entries_no_update;\n"
                         f"UPDATE ledger_entries SET amount_cents = 50000 WHERE id = {entry};\n")
    assert out.returncode == 0, out.stderr
    capsys.readouterr()
    assert run(["audit", "verify", "--db", str(prod)]) == 1
    said = capsys.readouterr().out
    assert "BROKEN" in said and f"ledger_entries row {entry} was changed" in said


def test_anchor_checks(prod: Path, capsys) -> None:
    a = _anchor(prod)
    db = ["--db", str(prod)]
    assert run(["audit", "verify", *db, "--anchor", str(a), "--anchor", str(a)]) == 0
    assert f"Anchor {a.seq} matches" in capsys.readouterr().out
    assert run(["audit", "verify", *db, "--anchor", f"{a.seq}:{'0' * 64}"]) == 1
    assert "anchored hash" in capsys.readouterr().out
    assert run(["audit", "verify", *db, "--anchor", f"{a.seq + 5}:{a.hash}"]) == 1
    assert "not in the chain" in capsys.readouterr().out
    assert run(["audit", "verify", *db, "--anchor", "12:xyz"]) == 1
    assert "not an anchor" in capsys.readouterr().err


def test_anchor_catches_a_tail_cut_with_the_counter(prod: Path, monkeypatch, capsys) -> None:
    a = _anchor(prod)
    assert run(["clerk", "add", "later", "--name", "Later Clerk", "--role", "csr1",
                "--pin-stdin", "--db", str(prod)], "1357\n", monkeypatch) == 0
    conn = sqlite3.connect(prod, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DROP TRIGGER counters_never_go_back")
    conn.execute("DELETE FROM audit_log WHERE seq >= ?", [a.seq])
    conn.execute("UPDATE counters SET value = ? WHERE name = 'audit_seq'", [a.seq - 1])
    conn.close()
    capsys.readouterr()
    assert run(["audit", "verify", "--db", str(prod)]) == 0  # a clean cut, without an anchor
    assert run(["audit", "verify", "--db", str(prod), "--anchor", str(a)]) == 1
    assert f"BROKEN at row {a.seq}" in capsys.readouterr().out


def _legacy_db(path: Path) -> None:
    """A production database as clerk-tui made it before migration 0007 (no site secret)."""
    conn = sqlite3.connect(path, isolation_level=None)
    begin_pre_0007_production(conn)
    conn.execute("INSERT INTO clerks (username, full_name, role, pin_hash, created_at) "
                 "VALUES ('admin', 'Admin', 'admin', ?, 'then')", [auth.hash_pin("2468")])
    row = {"seq": 1, "at": "then", "clerk": "os:x", "workstation": "cli",
           "action": "database.init", "entity": "database:production", "before_json": None,
           "after_json": None, "override_by": None, "prev_hash": audit.GENESIS}
    conn.execute("INSERT INTO audit_log (seq, at, clerk, workstation, action, entity, "
                 "prev_hash, hash) VALUES (1, 'then', 'os:x', 'cli', 'database.init', "
                 "'database:production', ?, ?)", [audit.GENESIS, audit.row_hash(row)])
    conn.execute("UPDATE counters SET value = 1 WHERE name = 'audit_seq'")
    conn.execute("COMMIT")
    conn.close()


def test_migrate_gives_an_old_database_its_secret(tmp_path: Path, capsys) -> None:
    path = tmp_path / "old.db"
    _legacy_db(path)
    assert run(["migrate", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Created site secret" in out
    assert stat.S_IMODE(Path(f"{path}.secret").stat().st_mode) == 0o600
    db = open_database(path)
    try:
        assert auth.sign_in(db, "admin", "2468", "ws").role == "admin"  # old hash still works
        r = audit.verify(db)
        assert r.ok and r.keyed and r.rows == 2  # the old unkeyed row, then the keyed sign-in
    finally:
        db.close()


def test_lost_secret_is_refused_not_replaced(prod: Path, capsys) -> None:
    Path(f"{prod}.secret").unlink()
    assert run(["migrate", "--db", str(prod)]) == 1
    err = capsys.readouterr().err
    assert "restore the secret" in err and not Path(f"{prod}.secret").exists()
    assert main(["--db", str(prod)]) == 1
    assert "site secret" in capsys.readouterr().err
