"""PIN checks in a child process (issue 12): the counter session computes scrypt in a
short-lived child so its 16 MiB never set the session's peak memory. The hash is the same,
and so are the sign-in rules: one scrypt per failed sign-in (a dummy hash for unknown names),
every one of them before the write lock."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import AuthError
from clerk_tui.domain.scrypt_child import scrypt_in_child
from tests.conftest import PINS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_child() -> Iterator[None]:
    auth.scrypt_in_child_process(True)
    try:
        yield
    finally:
        auth.scrypt_in_child_process(False)


class _Children:
    """Counts the scrypt children started in this thread (a profiler hook on `subprocess.run`:
    nothing is replaced) and the in-process `hashlib.scrypt` calls; `on_child` runs just
    before each child starts."""

    def __init__(self, on_child: Callable[[], None] | None = None) -> None:
        self.children = 0
        self.in_process = 0
        self.on_child = on_child

    def _hook(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is subprocess.run.__code__:
            self.children += 1
            if self.on_child is not None:
                self.on_child()
        elif event == "c_call" and arg is hashlib.scrypt:
            self.in_process += 1

    def __enter__(self) -> _Children:
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)


@pytest.mark.parametrize(("material", "salt", "n"), [
    (b"1234", b"0123456789abcdef", 2**14), (b"", b"", 2**4), (b"\x00\xff" * 16, b"s", 2**4)])
def test_the_child_computes_the_same_hash(material: bytes, salt: bytes, n: int) -> None:
    expected = hashlib.scrypt(material, salt=salt, n=n, r=8, p=1, dklen=32)
    assert scrypt_in_child(material, salt=salt, n=n, r=8, p=1, dklen=32) == expected


def test_parameters_scrypt_refuses_raise_as_hashlib_does() -> None:
    with pytest.raises(ValueError):
        scrypt_in_child(b"1234", salt=b"s", n=1000, r=8, p=1, dklen=32)


def test_hashes_made_either_way_verify_the_other_way(db: Database, in_child: None) -> None:
    made_in_child = auth.hash_pin("2468", db.secret)
    auth.scrypt_in_child_process(False)
    assert auth.pin_matches("2468", made_in_child, db.secret)
    made_here = auth.hash_pin("1357", db.secret)
    auth.scrypt_in_child_process(True)
    assert auth.pin_matches("1357", made_here, db.secret)
    assert not auth.pin_matches("1358", made_here, db.secret)


def test_every_failed_sign_in_costs_one_child_scrypt(db: Database, make_clerk: Callable[..., Actor],
                                                     in_child: None) -> None:
    make_clerk("csr1")
    make_clerk("csr2", "gone")
    make_clerk("csr3", "stuck")
    auth.disable_clerk(db, SYSTEM, "gone")
    for _ in range(authority().max_failed_attempts):
        with pytest.raises(AuthError):
            auth.sign_in(db, "stuck", "0000", "ws")
    cases = {"unknown": ("nobody", "1234"), "disabled": ("gone", PINS["csr2"]),
             "locked": ("stuck", PINS["csr3"]), "wrong PIN": ("csr1", "0000")}
    counts = {}
    for why, (user, pin) in cases.items():
        with _Children() as probe, pytest.raises(AuthError, match=auth.NOT_RECOGNISED):
            auth.sign_in(db, user, pin, "ws")
        counts[why] = (probe.children, probe.in_process)
    assert counts == {why: (1, 0) for why in cases}, counts
    with _Children() as probe:
        actor = auth.sign_in(db, "csr1", PINS["csr1"], "ws")
    assert actor.username == "csr1" and (probe.children, probe.in_process) == (1, 0)


@pytest.mark.parametrize("pin", [PINS["csr1"], "0000"], ids=["right PIN", "wrong PIN"])
def test_another_clerk_can_write_while_the_child_runs_scrypt(
        db: Database, db_path: Path, make_clerk: Callable[..., Actor], in_child: None,
        pin: str) -> None:
    make_clerk("csr1")
    other = Database.open(db_path)
    other.conn.execute("PRAGMA busy_timeout = 50")
    outcomes: list[str] = []

    def write() -> None:
        try:
            with other.write():
                other.insert("customers", {"name": "Walk In", "created_at": clock.stamp()})
            outcomes.append("wrote")
        except Exception as e:  # "database is locked": the PIN check held the lock
            outcomes.append(f"blocked: {e}")

    try:
        with _Children(on_child=write) as probe:
            try:
                auth.sign_in(db, "csr1", pin, "ws")
            except AuthError:
                assert pin == "0000"
    finally:
        other.close()
    assert probe.children == 1 and outcomes == ["wrote"], outcomes


PEAK = """
import json, sys
from pathlib import Path
from clerk_tui.domain import auth

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

auth.scrypt_in_child_process(True)
stored = auth.hash_pin("1234")  # the production cost: this interpreter is no test suite
auth.scrypt_in_child_process(sys.argv[1] == "child")
before = hwm()
assert auth.pin_matches("1234", stored) and not auth.pin_matches("4321", stored)
print(json.dumps({"before": before, "after": hwm()}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_pin_check_in_the_child_leaves_the_peak_memory_alone() -> None:
    """Peak resident memory (VmHWM) of a fresh interpreter before and after two PIN checks at
    the production cost, made in a child and (to show the measure can tell) in-process."""
    grew = {}
    for how in ("child", "here"):
        out = subprocess.run([sys.executable, "-c", PEAK, how], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        kib = json.loads(out.stdout)
        grew[how] = (kib["after"] - kib["before"]) / 1024
    assert grew["child"] < 4 and grew["here"] > 12, grew  # MiB
