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


def test_edited_row_is_found(db: Database) -> None:
    _write_some(db)
    _drop_guards(db)
    with db.write():
        db.execute("UPDATE audit_log SET after_json = '{\"v\":999}' WHERE seq = 4")
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == 4 and "altered" in r.problem


def test_edited_row_with_recomputed_hash_is_found(db: Database) -> None:
    _write_some(db)
    _drop_guards(db)
    row = db.one("SELECT * FROM audit_log WHERE seq = 3")
    row["action"] = "forged"
    with db.write():
        db.execute("UPDATE audit_log SET action = ?, hash = ? WHERE seq = 3",
                   ["forged", audit.row_hash(row)])
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == 4  # the next row no longer follows


def test_deleted_row_is_found(db: Database) -> None:
    _write_some(db)
    _drop_guards(db)
    with db.write():
        db.execute("DELETE FROM audit_log WHERE seq = 5")
    r = audit.verify(db)
    assert not r.ok and r.bad_seq == 5 and "missing" in r.problem


def test_deleted_last_row_is_found(db: Database) -> None:
    _write_some(db)
    _drop_guards(db)
    with db.write():
        db.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    r = audit.verify(db)
    assert not r.ok and "rows were written" in r.problem


def test_audit_rolls_back_with_the_change(db: Database) -> None:
    before = db.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValueError), db.write():
        audit.record(db, A, "x", "y")
        raise ValueError
    assert db.scalar("SELECT count(*) FROM audit_log") == before
    assert audit.verify(db).ok
