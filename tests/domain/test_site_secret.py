"""The site secret: made private, kept outside the database, needed to check PINs and chain."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from clerk_tui import site_secret
from clerk_tui.db import Database, DatabaseError, open_database
from clerk_tui.domain import audit, auth, setup
from tests.conftest import PINS


def test_new_database_gets_a_private_secret_beside_it(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = open_database(tmp_path / "city.db", create=True, migrate=True)
    finally:
        os.umask(old)
    try:
        path = tmp_path / "city.db.secret"
        assert db.secret_path == path and db.secret is not None and len(db.secret) == 32
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert site_secret.load(path) == db.secret
        assert db.secret.hex() not in (tmp_path / "city.db").read_bytes().hex()
    finally:
        db.close()


def test_secret_is_never_overwritten_and_must_be_private(tmp_path: Path) -> None:
    p = tmp_path / "s.secret"
    key = site_secret.create(p)
    with pytest.raises(site_secret.SecretError, match="never overwritten"):
        site_secret.create(p)
    assert site_secret.load(p) == key
    p.chmod(0o644)
    with pytest.raises(site_secret.SecretError, match="readable by every user"):
        site_secret.load(p)
    p.chmod(0o600)
    p.write_text("not hex\n")
    with pytest.raises(site_secret.SecretError, match="32 bytes"):
        site_secret.load(p)


def test_pin_hash_is_peppered_with_the_secret() -> None:
    key, other = b"k" * 32, b"o" * 32
    stored = auth.hash_pin("2468", key)
    assert stored.startswith("scrypt-hmac$")
    assert auth.pin_matches("2468", stored, key)
    assert not auth.pin_matches("2469", stored, key)
    assert not auth.pin_matches("2468", stored)  # the database alone cannot check (or crack) it
    assert not auth.pin_matches("2468", stored, other)
    legacy = auth.hash_pin("2468")  # made before the site secret existed
    assert legacy.startswith("scrypt$") and auth.pin_matches("2468", legacy, key)


def test_copy_of_the_database_alone_is_useless(db: Database, tmp_path: Path) -> None:
    """Copied without its secret, a database can neither check a PIN nor extend the chain."""
    stored = db.scalar("SELECT pin_hash FROM clerks WHERE username = 'admin'")
    assert stored.startswith("scrypt-hmac$")
    copy = tmp_path / "stolen" / "city.db"
    copy.parent.mkdir()
    db.backup_to(copy)
    assert not site_secret.default_path(copy).exists()
    stolen = Database.open(copy)
    try:
        assert stolen.secret is None
        assert not any(auth.pin_matches(f"{n:04d}", stored) for n in range(0, 10000, 1111))
        with pytest.raises(DatabaseError, match="site secret"):
            auth.sign_in(stolen, "admin", PINS["admin"], "ws")
        r = audit.verify(stolen)
        assert not r.ok and "site secret is not available" in r.problem
    finally:
        stolen.close()
    # With the secret beside it (a proper restore) the same copy works.
    shutil.copy2(db.secret_path, site_secret.default_path(copy))
    restored = Database.open(copy)
    try:
        assert audit.verify(restored).ok
        assert auth.sign_in(restored, "admin", PINS["admin"], "ws").role == "admin"
    finally:
        restored.close()


def test_secret_path_can_live_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "etc" / "site.secret"
    db = Database.open(tmp_path / "data" / "city.db", create=True, secret_path=elsewhere)
    try:
        setup.initialize(db, "production", admin_pin="2468")
        assert elsewhere.exists() and not (tmp_path / "data" / "city.db.secret").exists()
        assert audit.verify(db).ok
    finally:
        db.close()
    without = Database.open(tmp_path / "data" / "city.db")
    try:
        assert without.secret is None and "missing" in without.secret_problem
    finally:
        without.close()
