"""What the command-line tests share: `run(argv, stdin)` in-process, and a production database
made by `clerk-tui init` (admin PIN 2468)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from clerk_tui.cli import main


def run(argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    """`clerk-tui argv…` in this process with `stdin` as its standard input; the exit code."""
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def init_production(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`clerk-tui init` of a production database at `path` (admin PIN 2468), under a
    permissive umask (022) so that the files' own modes are what is tested."""
    old = os.umask(0o022)
    try:
        assert run(["init", "--db", str(path), "--pin-stdin"], "2468\n", monkeypatch) == 0
    finally:
        os.umask(old)
    return path


@pytest.fixture
def prod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return init_production(tmp_path / "city.db", monkeypatch)
