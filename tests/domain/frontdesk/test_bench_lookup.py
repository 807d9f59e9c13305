"""The front desk's lookup bench runs (small) and shows an uncleared clerk no police records."""

from __future__ import annotations

import re

import pytest

from bench import lookup_frontdesk


def test_lookup_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert lookup_frontdesk.main(["--rows", "300", "--repeat", "1"]) == 0
    hits = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"^(\w[\w ]+ \((?:cleared|other)\))\s+(\d+)\s", capsys.readouterr().out, re.M)}
    assert len(hits) == 12
    for kind in ("registrant name prefix", "request by number", "impound by plate"):
        assert hits[f"{kind} (cleared)"] > 0 and hits[f"{kind} (other)"] == 0
    assert hits["visitor by badge (other)"] == 1  # visitors are no police record
