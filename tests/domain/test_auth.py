"""PIN hashing, sign-in, lockout, overrides, and the permission/limit table."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.authority import authority, load_authority
from clerk_tui.domain.errors import (
    AuthError,
    OverrideRequired,
    PermissionDenied,
    ValidationError,
)
from tests.conftest import PINS, TEST_SCRYPT_N


def test_pin_hash_is_salted_scrypt() -> None:
    a, b = auth.hash_pin("1234"), auth.hash_pin("1234")
    assert a != b and a.startswith("scrypt$") and "1234" not in a
    assert auth.pin_matches("1234", a) and not auth.pin_matches("1235", a)
    assert not auth.pin_matches("1234", "garbage")


def test_production_hashes_at_full_cost_and_the_test_cost_is_a_test_switch() -> None:
    """The suite hashes PINs cheaply (tests/conftest.py); a fresh interpreter, as production
    runs, hashes at n=2**14 whatever the environment says."""
    code = ("from clerk_tui.domain import auth; "
            "print(auth.hash_pin('1234').split('$')[1])")
    env = {**os.environ, "CLERK_SCRYPT_N": "16", "SCRYPT_N": "16"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env, timeout=60).stdout.strip()
    assert out == str(2**14) == str(auth.PRODUCTION_SCRYPT_N)
    assert auth.hash_pin("1234").split("$")[1] == str(TEST_SCRYPT_N)


def test_a_hash_carries_its_cost_so_either_cost_verifies(production_scrypt_cost: None) -> None:
    full = auth.hash_pin("1234", b"k" * 32)
    assert full.split("$")[1] == str(2**14)
    auth.set_scrypt_cost_for_tests(TEST_SCRYPT_N)
    cheap = auth.hash_pin("1234", b"k" * 32)
    assert cheap.split("$")[1] == str(TEST_SCRYPT_N)
    for stored in (full, cheap):
        assert auth.pin_matches("1234", stored, b"k" * 32)
        assert not auth.pin_matches("1235", stored, b"k" * 32)
    with pytest.raises(ValueError):
        auth.set_scrypt_cost_for_tests(1000)


@pytest.mark.parametrize("pin", ["", "123", "abcd", "12 34", "1234567890123", "١٢٣٤"])
def test_bad_pins_refused(pin: str) -> None:
    with pytest.raises(ValidationError):
        auth.validate_pin(pin)


def test_pin_stored_only_as_hash(db: Database, make_clerk) -> None:
    make_clerk("csr1")
    row = db.one("SELECT pin_hash FROM clerks WHERE username = 'csr1'")
    assert PINS["csr1"] not in row["pin_hash"]
    assert PINS["csr1"] not in str(db.all("SELECT * FROM audit_log"))


def test_sign_in(db: Database, make_clerk) -> None:
    make_clerk("csr2")
    a = auth.sign_in(db, "csr2", PINS["csr2"], "ws9")
    assert a == Actor("csr2", "csr2", "ws9", "Test csr2")
    assert db.one("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")["action"] == "signin"


def test_lockout_after_five_and_admin_unlock(db: Database, make_clerk) -> None:
    make_clerk("csr1")
    for n in (1, 2, 3, 4, 5):
        with pytest.raises(AuthError, match=f"^{auth.NOT_RECOGNISED}$"):
            auth.sign_in(db, "csr1", "0000", "ws")
        assert auth.get_clerk(db, "csr1").failed_attempts == n
    assert auth.get_clerk(db, "csr1").locked
    with pytest.raises(AuthError, match=f"^{auth.NOT_RECOGNISED}$"):
        auth.sign_in(db, "csr1", PINS["csr1"], "ws")  # right PIN, still locked
    failed = db.all("SELECT after_json FROM audit_log WHERE action = 'signin.failed' ORDER BY seq")
    assert len(failed) == 6 and '"locked":true' in failed[4]["after_json"]
    assert '"reason":"locked"' in failed[5]["after_json"]
    auth.unlock(db, SYSTEM, "csr1")
    assert auth.sign_in(db, "csr1", PINS["csr1"], "ws").username == "csr1"
    assert audit.verify(db).ok


def test_success_resets_failure_count(db: Database, make_clerk) -> None:
    make_clerk("csr1")
    for _ in range(4):
        with pytest.raises(AuthError):
            auth.sign_in(db, "csr1", "0000", "ws")
    auth.sign_in(db, "csr1", PINS["csr1"], "ws")
    for _ in range(4):
        with pytest.raises(AuthError):
            auth.sign_in(db, "csr1", "0000", "ws")
    assert not auth.get_clerk(db, "csr1").locked


def test_idle_unlock_counts_failures(db: Database, make_clerk) -> None:
    a = make_clerk("csr1")
    auth.unlock_terminal(db, a, PINS["csr1"])
    with pytest.raises(AuthError):
        auth.unlock_terminal(db, a, "0000")
    assert auth.get_clerk(db, "csr1").failed_attempts == 1


def test_clerk_admin_changes_are_audited(db: Database, make_clerk) -> None:
    make_clerk("csr1")
    auth.set_role(db, SYSTEM, "csr1", "csr2")
    auth.reset_pin(db, SYSTEM, "csr1", "8888")
    assert auth.sign_in(db, "csr1", "8888", "ws").role == "csr2"
    actions = [r["action"] for r in db.all("SELECT action FROM audit_log ORDER BY seq")]
    assert "clerk.set_role" in actions and "clerk.reset_pin" in actions
    row = db.one("SELECT * FROM audit_log WHERE action = 'clerk.set_role'")
    assert '"role":"csr1"' in row["before_json"] and '"role":"csr2"' in row["after_json"]


def test_duplicate_and_bad_usernames(db: Database, make_clerk) -> None:
    make_clerk("csr1")
    with pytest.raises(ValidationError, match="already exists"):
        auth.add_clerk(db, SYSTEM, "CSR1", "X", "csr1", "1234")
    for bad in ("", "a", "1abc", "has space", "x" * 40, "[b]x"):
        with pytest.raises(ValidationError):
            auth.add_clerk(db, SYSTEM, bad, "X", "csr1", "1234")
    with pytest.raises(ValidationError, match="role"):
        auth.add_clerk(db, SYSTEM, "newbie", "X", "boss", "1234")


# ---- authority -----------------------------------------------------------------------------
def test_permissions_come_from_data() -> None:
    rules = authority()
    assert rules.mode("trainee", "payment.take") == "allow"
    assert rules.mode("csr1", "payment.void") == "override"
    assert rules.mode("csr2", "payment.void") == "allow"
    assert rules.mode("trainee", "deposit.create") == "deny"
    assert rules.mode("admin", "anything.at.all") == "allow"
    assert rules.limit("csr1", "bill_adjustment") == 2500
    assert rules.limit("csr2", "bill_adjustment") == 10000
    assert rules.over_short_tolerance == 500


def test_limits_demand_override(make_clerk) -> None:
    rules = authority()
    clerk = make_clerk("csr1")
    assert rules.require(clerk, "bill.adjust", amount_cents=2500, limit="bill_adjustment") is None
    with pytest.raises(OverrideRequired) as info:
        rules.require(clerk, "bill.adjust", amount_cents=2501, limit="bill_adjustment")
    assert "$25.01" in str(info.value) and info.value.limit == "bill_adjustment"
    with pytest.raises(PermissionDenied):
        rules.require(make_clerk("trainee"), "deposit.create")


def test_override_flow_audited_with_both_names(db: Database, make_clerk) -> None:
    clerk = make_clerk("csr1")
    make_clerk("supervisor", "super")
    make_clerk("csr3")
    rules = authority()
    with pytest.raises(OverrideRequired):
        rules.require(clerk, "bill.adjust", amount_cents=9000, limit="bill_adjustment")
    with pytest.raises(AuthError, match="not recognised"):
        auth.authorize_override(db, clerk, "super", "0000", "bill.adjust", amount_cents=9000,
                                limit="bill_adjustment")
    with pytest.raises(PermissionDenied):  # a csr3 may not grant overrides
        auth.authorize_override(db, clerk, "csr3", PINS["csr3"], "bill.adjust",
                                amount_cents=9000, limit="bill_adjustment")
    ov = auth.authorize_override(db, clerk, "super", PINS["supervisor"], "bill.adjust",
                                 amount_cents=9000, limit="bill_adjustment")
    assert rules.require(clerk, "bill.adjust", amount_cents=9000, limit="bill_adjustment",
                         override=ov) == "super"
    with pytest.raises(PermissionDenied, match="different action"):
        rules.require(clerk, "bill.adjust", amount_cents=9999, limit="bill_adjustment",
                      override=ov)
    row = db.one("SELECT * FROM audit_log WHERE action = 'override.granted'")
    assert row["clerk"] == "csr1" and row["override_by"] == "super"


def test_supervisor_limit_applies_to_overrides(db: Database, make_clerk) -> None:
    clerk = make_clerk("csr1")
    make_clerk("supervisor", "super")
    with pytest.raises(PermissionDenied):
        auth.authorize_override(db, clerk, "super", PINS["supervisor"], "bill.adjust",
                                amount_cents=600_000, limit="bill_adjustment")


def test_no_self_override(db: Database, make_clerk) -> None:
    sup = make_clerk("supervisor", "super")
    with pytest.raises(PermissionDenied, match="own"):
        auth.authorize_override(db, sup, "super", PINS["supervisor"], "payment.void")


def test_authority_file_errors_are_clear(tmp_path) -> None:
    bad = tmp_path / "authority.toml"
    bad.write_text('[roles.csr1\nallow = ["x"]\n')
    with pytest.raises(ValidationError, match="authority.toml"):
        load_authority(bad)
    bad.write_text('[roles.trainee]\nallow=[]\n[roles.boss]\nallow=[]\n')
    with pytest.raises(ValidationError, match="not defined|unknown role"):
        load_authority(bad)
