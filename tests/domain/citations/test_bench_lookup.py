"""bench/lookup_citations.py still runs at a tiny size (no timing asserted: figures belong
in bench/RESULTS.md) and finds its cached database the second time."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.slow
def test_lookup_citations_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import lookup_citations

    args = ["--citations", "3000", "--samples", "10", "--cache", str(tmp_path)]
    assert lookup_citations.main(args) == 0
    out = capsys.readouterr().out
    assert "== Citation lookup" in out and "plate + state" in out and "summary: " in out
    assert lookup_citations.main(args) == 0
    assert "built" not in capsys.readouterr().out
