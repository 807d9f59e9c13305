"""Trainee clerks exist only in training databases (the domain refuses, whatever asked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_tui.db import Database, open_database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.errors import AuthError, PermissionDenied
from tests.conftest import PINS


def audit_rows(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM audit_log")


def test_no_trainee_is_added_or_made_on_production(db: Database) -> None:
    auth.add_clerk(db, SYSTEM, "casey", "Casey One", "csr1", PINS["csr1"])
    clerks, rows = auth.list_clerks(db), audit_rows(db)
    with pytest.raises(PermissionDenied, match="Trainee clerks exist only in training databases"):
        auth.add_clerk(db, SYSTEM, "terry", "Terry Trainee", "trainee", PINS["trainee"])
    with pytest.raises(PermissionDenied, match="refused on a production database"):
        auth.set_role(db, SYSTEM, "casey", "trainee")
    assert auth.list_clerks(db) == clerks and audit_rows(db) == rows


def test_no_trainee_on_an_unlabelled_database(tmp_path: Path) -> None:
    db = open_database(tmp_path / "plain.db", create=True, migrate=True)
    try:
        with pytest.raises(PermissionDenied, match="unlabelled"):
            auth.add_clerk(db, SYSTEM, "terry", "Terry Trainee", "trainee", PINS["trainee"])
    finally:
        db.close()


@pytest.mark.parametrize("db_kind", ["training"])
def test_trainees_are_added_and_sign_in_on_training(db: Database) -> None:
    auth.add_clerk(db, SYSTEM, "terry", "Terry Trainee", "trainee", PINS["trainee"])
    auth.add_clerk(db, SYSTEM, "casey", "Casey One", "csr1", PINS["csr1"])
    assert auth.set_role(db, SYSTEM, "casey", "trainee").role == "trainee"
    assert auth.sign_in(db, "terry", PINS["trainee"], "ws").role == "trainee"


def test_a_trainee_left_on_production_cannot_sign_in(db: Database) -> None:
    """A trainee put on production before the rule (straight into the table) is refused after
    the PIN check, so only the person who knows the PIN learns why."""
    with db.write():
        db.insert("clerks", {"username": "terry", "full_name": "Terry Trainee", "role": "trainee",
                             "pin_hash": auth.hash_pin(PINS["trainee"]),
                             "created_at": clock.stamp()})
    with pytest.raises(AuthError):
        auth.sign_in(db, "terry", "0000", "ws")
    with pytest.raises(PermissionDenied, match="a trainee's sign-in refused on a production"):
        auth.sign_in(db, "terry", PINS["trainee"], "ws")
    assert not db.scalar("SELECT 1 FROM audit_log WHERE action = 'signin' AND clerk = 'terry'")
