"""Issue 10 E: sign-in tells nobody which usernames exist, the PIN check holds no write lock,
override failures never lock a supervisor out, and only actors and overrides that auth issued
change anything."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import accounts, audit, auth, clock
from clerk_tui.domain.actor import SYSTEM, Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import AuthError, PermissionDenied
from clerk_tui.domain.utility import plans
from tests.conftest import PINS
from tests.domain.utility.collections_support import bill, open_account

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)


@pytest.fixture
def fixed_now() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def _failing_cases(db: Database, make_clerk: Callable[..., Actor]) -> dict[str, tuple[str, str]]:
    """The four ways a sign-in fails: (username, PIN) for each."""
    make_clerk("csr1")
    make_clerk("csr2", "gone")
    make_clerk("csr3", "stuck")
    auth.disable_clerk(db, SYSTEM, "gone")
    for _ in range(authority().max_failed_attempts):
        with pytest.raises(AuthError):
            auth.sign_in(db, "stuck", "0000", "ws")
    assert auth.get_clerk(db, "stuck").locked
    return {"unknown": ("nobody", "1234"), "disabled": ("gone", PINS["csr2"]),
            "locked": ("stuck", PINS["csr3"]), "wrong PIN": ("csr1", "0000")}


def _message(db: Database, username: str, pin: str) -> str:
    with pytest.raises(AuthError) as info:
        auth.sign_in(db, username, pin, "ws")
    return str(info.value)


class _ScryptCalls:
    """Counts real `hashlib.scrypt` calls made in this thread (a profiler hook: nothing is
    replaced, the hash is computed as usual). `on_call` runs just before each one starts."""

    def __init__(self, on_call: Callable[[], None] | None = None) -> None:
        self.count = 0
        self.on_call = on_call

    def _hook(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call" and arg is hashlib.scrypt:
            self.count += 1
            if self.on_call is not None:
                self.on_call()

    def __enter__(self) -> _ScryptCalls:
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)


# ---- one message, one cost ------------------------------------------------------------------
def test_every_failed_sign_in_gets_the_same_message(db: Database, make_clerk) -> None:
    cases = _failing_cases(db, make_clerk)
    messages = {why: _message(db, *case) for why, case in cases.items()}
    assert set(messages.values()) == {"Username or PIN not recognised."}, messages
    # The lockout still happens and is audited, it just is not announced.
    make_clerk("csr1", "victim")
    for _ in range(authority().max_failed_attempts):
        assert _message(db, "victim", "0000") == auth.NOT_RECOGNISED
    assert auth.get_clerk(db, "victim").locked
    assert _message(db, "victim", PINS["csr1"]) == auth.NOT_RECOGNISED
    row = db.one("SELECT after_json FROM audit_log WHERE action = 'signin.failed' "
                 "AND entity = 'clerk:victim' ORDER BY seq DESC LIMIT 1")
    assert row is not None and '"reason":"locked"' in row["after_json"]
    assert audit.verify(db).ok


def test_unknown_disabled_and_locked_cost_one_scrypt_like_a_wrong_pin(
        db: Database, make_clerk) -> None:
    cases = _failing_cases(db, make_clerk)
    _message(db, "nobody", "1234")  # the dummy hash is made once per process: not measured
    calls = {}
    for why, case in cases.items():
        with _ScryptCalls() as probe:
            _message(db, *case)
        calls[why] = probe.count
    assert calls == {"unknown": 1, "disabled": 1, "locked": 1, "wrong PIN": 1}


# ---- the PIN check holds no write lock ------------------------------------------------------
def _writer(path: Path) -> tuple[Database, list[str]]:
    """A second connection that waits at most 50 ms for the write lock, and its outcomes."""
    other = Database.open(path)
    other.conn.execute("PRAGMA busy_timeout = 50")
    return other, []


def _write_now(other: Database, outcomes: list[str]) -> Callable[[], None]:
    def write() -> None:
        try:
            with other.write():
                other.insert("customers", {"name": "Walk In", "created_at": clock.stamp()})
            outcomes.append("wrote")
        except Exception as e:  # "database is locked": the PIN check held the lock
            outcomes.append(f"blocked: {e}")
    return write


@pytest.mark.parametrize("pin", [PINS["csr1"], "0000"], ids=["right PIN", "wrong PIN"])
def test_another_clerk_can_write_while_a_sign_in_runs_scrypt(
        db: Database, db_path: Path, make_clerk, pin: str) -> None:
    make_clerk("csr1")
    other, outcomes = _writer(db_path)
    try:
        with _ScryptCalls(on_call=_write_now(other, outcomes)) as probe:
            try:
                auth.sign_in(db, "csr1", pin, "ws")
            except AuthError:
                assert pin == "0000"
    finally:
        other.close()
    assert probe.count >= 1 and outcomes and all(o == "wrote" for o in outcomes), outcomes


def test_another_clerk_can_write_while_an_override_runs_scrypt(
        db: Database, db_path: Path, make_clerk) -> None:
    clerk = make_clerk("csr1")
    make_clerk("supervisor", "sue")
    other, outcomes = _writer(db_path)
    try:
        with _ScryptCalls(on_call=_write_now(other, outcomes)):
            auth.authorize_override(db, clerk, "sue", PINS["supervisor"], "refund.credit",
                                    amount_cents=5000, limit="refund")
            with pytest.raises(AuthError):
                auth.authorize_override(db, clerk, "sue", "0000", "refund.credit",
                                        amount_cents=5000, limit="refund")
    finally:
        other.close()
    assert outcomes and all(o == "wrote" for o in outcomes), outcomes


# ---- override failures count against the asking clerk and workstation ------------------------
def _override(db: Database, actor: Actor, pin: str, supervisor: str = "sue") -> Override:
    return auth.authorize_override(db, actor, supervisor, pin, "refund.credit",
                                   amount_cents=5000, limit="refund")


def test_wrong_override_pins_pause_the_clerk_not_the_supervisor(
        db: Database, make_clerk, fixed_now: None) -> None:
    csr = make_clerk("csr1")
    make_clerk("supervisor", "sue")
    for _ in range(2):
        with pytest.raises(AuthError, match="^Username or PIN not recognised.$"):
            _override(db, csr, "0000")
    with pytest.raises(AuthError, match="refused until 10:05"):
        _override(db, csr, "0000")
    # Paused: even the right PIN is refused, without being checked.
    with pytest.raises(AuthError, match="refused until 10:05"):
        _override(db, csr, PINS["supervisor"])
    # The supervisor's own sign-in never saw any of it.
    sue = auth.get_clerk(db, "sue")
    assert sue.failed_attempts == 0 and not sue.locked
    assert auth.sign_in(db, "sue", PINS["supervisor"], "office").username == "sue"
    actions = [r["action"] for r in db.all(
        "SELECT action FROM audit_log WHERE action LIKE 'override.%' ORDER BY seq")]
    assert actions == ["override.failed"] * 3 + ["override.lockout", "override.refused"]
    rows = db.all("SELECT clerk, workstation FROM audit_log WHERE action LIKE 'override.%'")
    assert {(r["clerk"], r["workstation"]) for r in rows} == {("csr1", "ws-test")}

    # Another clerk at the same workstation, and the same clerk elsewhere, are paused too;
    # another clerk at another workstation is not.
    same_ws = make_clerk("csr2", "carl")
    with pytest.raises(AuthError, match="refused until"):
        _override(db, same_ws, PINS["supervisor"])
    with pytest.raises(AuthError, match="refused until"):
        _override(db, auth.clerk_actor(db, "csr1", "ws-other"), PINS["supervisor"])
    elsewhere = make_clerk("csr2", "dana", workstation="ws-far")
    assert _override(db, elsewhere, PINS["supervisor"]).supervisor == "sue"

    clock.set_fixed(NOW + dt.timedelta(minutes=5, seconds=1))
    assert _override(db, csr, PINS["supervisor"]).supervisor == "sue"
    assert audit.verify(db).ok


def test_a_clerk_cannot_lock_out_a_supervisor(db: Database, make_clerk,
                                              fixed_now: None) -> None:
    """Ten clerks at ten workstations each try two wrong PINs (20 > the sign-in limit of 5)."""
    make_clerk("supervisor", "sue")
    for i in range(10):
        csr = make_clerk("csr1", f"csr{i:02d}", workstation=f"ws-{i}")
        for _ in range(2):
            with pytest.raises(AuthError, match="not recognised"):
                _override(db, csr, "0000")
    assert auth.get_clerk(db, "sue").failed_attempts == 0
    assert auth.sign_in(db, "sue", PINS["supervisor"], "office").role == "supervisor"


def test_an_approval_resets_the_count(db: Database, make_clerk, fixed_now: None) -> None:
    csr = make_clerk("csr1")
    make_clerk("supervisor", "sue")
    for _ in range(3):
        for _ in range(2):
            with pytest.raises(AuthError, match="not recognised"):
                _override(db, csr, "0000")
        _override(db, csr, PINS["supervisor"])
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'override.lockout'") == 0


def test_unknown_and_disabled_supervisors_count_like_a_wrong_pin(
        db: Database, make_clerk, fixed_now: None) -> None:
    csr = make_clerk("csr1")
    make_clerk("supervisor", "gone")
    auth.disable_clerk(db, SYSTEM, "gone")
    with pytest.raises(AuthError, match="^Username or PIN not recognised.$"):
        _override(db, csr, PINS["supervisor"], supervisor="nobody")
    with pytest.raises(AuthError, match="^Username or PIN not recognised.$"):
        _override(db, csr, PINS["supervisor"], supervisor="gone")
    with pytest.raises(AuthError, match="refused until"):
        _override(db, csr, "0000", supervisor="gone")


# ---- only what auth issued gets anything done -----------------------------------------------
def _writes(db: Database) -> dict[str, int]:
    return {t: db.scalar(f"SELECT count(*) FROM {t}")
            for t in ("audit_log", "clerks", "account_notes", "payment_plans")}


def test_hand_built_or_edited_actors_change_nothing(db: Database, make_clerk) -> None:
    csr = make_clerk("csr1")
    acct = open_account(db)
    before = _writes(db)
    forged = [
        Actor("admin", "admin", "ws-test", "Administrator"),  # built by hand
        dataclasses.replace(csr, role="admin"),  # a real clerk, promoted
        dataclasses.replace(csr, username="admin"),
        dataclasses.replace(SYSTEM, workstation="ws-test"),
    ]
    if hasattr(csr, "seal"):  # (so that this test fails for the right reason on old code)
        forged.append(dataclasses.replace(csr, seal="0" * 64))
    for actor in forged:
        with pytest.raises(PermissionDenied, match="not issued by sign-in"):
            auth.add_clerk(db, actor, "mallory", "Mallory", "admin", "1234")
        with pytest.raises(PermissionDenied, match="not issued by sign-in"):
            accounts.add_note(db, actor, acct.id, "hello")
        with pytest.raises(PermissionDenied, match="not issued by sign-in"):
            authority().require(actor, "refund.credit")
    assert _writes(db) == before
    # What auth issued works: the clerk, the shell's admin, and a copy with a new display name.
    accounts.add_note(db, csr, acct.id, "hello")
    accounts.add_note(db, dataclasses.replace(csr, full_name="Pat"), acct.id, "hello again")
    auth.add_clerk(db, auth.shell_actor("os:it", "cli"), "mallory", "Mallory", "csr1", "1234")
    assert audit.verify(db).ok


def test_hand_built_or_borrowed_overrides_change_nothing(db: Database, make_clerk,
                                                         fixed_now: None) -> None:
    csr2, other = make_clerk("csr2"), make_clerk("csr2", "carl")
    make_clerk("supervisor", "boss")
    acct = open_account(db)
    bill(db, acct.id, 300_000, "2026-01-01")
    real = auth.authorize_override(db, csr2, "boss", PINS["supervisor"], "payment_plan.create",
                                   amount_cents=50_001, limit="payment_plan")
    before = _writes(db)
    forged = {
        "by hand": Override("nobody", "payment_plan.create", 50_001),
        "renamed": dataclasses.replace(real, supervisor="admin"),
    }
    if hasattr(real, "seal"):
        forged["made-up seal"] = dataclasses.replace(real, seal="f" * 64)
    for why, override in forged.items():
        with pytest.raises(PermissionDenied, match="not given by a supervisor's PIN"):
            plans.create_plan(db, csr2, acct.id, amount_cents=50_001, installments=2,
                              override=override)
        assert _writes(db) == before, why
    # Another clerk cannot use it, even for the same action and amount.
    with pytest.raises(PermissionDenied, match="not given by a supervisor's PIN"):
        plans.create_plan(db, other, acct.id, amount_cents=50_001, installments=2,
                          override=real)
    with pytest.raises(PermissionDenied, match="different action"):
        plans.create_plan(db, csr2, acct.id, amount_cents=60_000, installments=2,
                          override=real)
    assert _writes(db) == before
    assert plans.plans_for(db, acct.id) == []
    plan = plans.create_plan(db, csr2, acct.id, amount_cents=50_001, installments=2,
                             override=real)
    assert plan.override_by == "boss"


def test_the_seal_is_not_in_repr_or_equality(make_clerk) -> None:
    """Actors are compared and logged by who they are; the seal never shows."""
    csr = make_clerk("csr1")
    assert csr == Actor("csr1", "csr1", "ws-test", "Test csr1")
    assert csr.seal not in repr(csr)
