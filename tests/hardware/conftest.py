"""Real protocol peers for the hardware tests: socat pty pairs, a fake ESC/POS printer on the
far end, ser2net on 127.0.0.1. Every process is started here and stopped in teardown; every
wait is bounded."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clerk_tui.hardware.sim import reset_sims
from tests.conftest import require_tool
from tests.hardware.fake_printer import FakeEscposPrinter


@pytest.fixture(autouse=True)
def _fresh_sims() -> Iterator[None]:
    reset_sims()
    yield
    reset_sims()


def wait_until(predicate, timeout: float = 5.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=3)


@dataclass
class PtyPair:
    """Two linked ptys from socat: `device_end` for the fake device, `host_end` for us."""

    device_end: str
    host_end: str
    proc: subprocess.Popen


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[PtyPair]:
    socat = require_tool("socat")
    a, b = tmp_path / "device", tmp_path / "host"
    proc = subprocess.Popen([socat, f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    keep = -1
    try:
        wait_until(lambda: a.exists() and b.exists(), what="socat ptys")
        # Hold the host end open so socat never sees a hangup when our code closes and
        # reopens its port (the extra fd never reads, so it steals no bytes).
        keep = os.open(os.path.realpath(b), os.O_RDWR | os.O_NOCTTY)
        yield PtyPair(os.path.realpath(a), os.path.realpath(b), proc)
    finally:
        if keep >= 0:
            os.close(keep)
        stop_process(proc)


@pytest.fixture
def fake_printer(pty_pair: PtyPair) -> Iterator[FakeEscposPrinter]:
    printer = FakeEscposPrinter(pty_pair.device_end).start()
    try:
        yield printer
    finally:
        printer.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Ser2net:
    raw_port: int
    rfc2217_port: int
    proc: subprocess.Popen


@pytest.fixture
def ser2net(tmp_path: Path, pty_pair: PtyPair, fake_printer: FakeEscposPrinter) -> Iterator[Ser2net]:
    """ser2net exporting the host end of the pty twice: raw TCP and RFC 2217 (telnet)."""
    exe = require_tool("ser2net")
    raw, rfc = free_port(), free_port()
    conf = tmp_path / "ser2net.yaml"
    conf.write_text(
        "%YAML 1.1\n---\n"
        "connection: &raw\n"
        f"  accepter: tcp,127.0.0.1,{raw}\n"
        f"  connector: serialdev,{pty_pair.host_end},9600n81,local\n"
        "  options:\n    kickolduser: true\n"
        "connection: &rfc\n"
        f"  accepter: telnet(rfc2217),tcp,127.0.0.1,{rfc}\n"
        f"  connector: serialdev,{pty_pair.host_end},9600n81,local\n"
        "  options:\n    kickolduser: true\n"
    )
    proc = subprocess.Popen([exe, "-n", "-u", "-c", str(conf), "-P", str(tmp_path / "ser2net.pid")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def listening() -> bool:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"ser2net exited: {out}")
        for port in (raw, rfc):
            with socket.socket() as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    return False
        return True

    try:
        wait_until(listening, what="ser2net listening")
        time.sleep(0.1)
        yield Ser2net(raw, rfc, proc)
    finally:
        stop_process(proc)
