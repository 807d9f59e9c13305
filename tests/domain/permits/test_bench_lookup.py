"""The permits' lookup bench still runs (tiny size): its table and a summary with a ratio.
No timing is asserted (figures belong in bench/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.slow
def test_lookup_permits_bench_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import lookup_permits

    args = ["--permits", "2000", "--samples", "10", "--cache", str(tmp_path)]
    assert lookup_permits.main(args) == 0
    out = capsys.readouterr().out
    assert "== Permit lookup" in out and "summary: permit finder p95" in out
    for kind in ("number (exact)", "plate", "name prefix"):
        assert kind in out
    assert lookup_permits.main(args) == 0  # the cached database, not built again
    assert "built" not in capsys.readouterr().out
