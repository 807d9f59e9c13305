"""The passport lookup bench runs end to end on a small database (the figures are its job)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_lookup_passports_bench(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import lookup_passports

    args = ["--applications", "300", "--samples", "5", "--repeat", "1",
            "--cache", str(tmp_path)]
    assert lookup_passports.main(args) == 0
    out = capsys.readouterr().out
    assert "built 300 applications" in out and "passport lookup p95" in out
    assert lookup_passports.main(args) == 0  # cached: not built again
    assert "built" not in capsys.readouterr().out
