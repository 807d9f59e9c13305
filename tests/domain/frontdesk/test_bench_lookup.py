"""The front desk's lookup bench runs (small) and shows an uncleared clerk no police records."""

from __future__ import annotations

import pytest

from bench import lookup_frontdesk


def test_lookup_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert lookup_frontdesk.main(["--rows", "300", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "registrant name prefix (cleared)        50" in out
    assert "registrant name prefix (other)           0" in out
    assert "impound by plate (other)                 0" in out
