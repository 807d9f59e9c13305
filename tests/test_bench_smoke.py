"""Every benchmark still runs: each script's main() at a tiny size prints its table and a
summary line with a ratio. No timing is asserted (figures belong in bench/RESULTS.md, measured
on purpose, not in a test on a busy CI machine)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import require_tool

RATIO = re.compile(r"\d+(\.\d+)?x")


def _check(out: str, title: str) -> str:
    assert f"== {title}" in out, out
    assert "---" in out, out  # the table's rule
    summary = [line for line in out.splitlines() if line.startswith("summary: ")]
    assert len(summary) == 1, out
    assert RATIO.search(summary[0]), summary[0]
    return out


@pytest.mark.slow
@pytest.mark.ui
@pytest.mark.timeout(120)
def test_startup(capsys: pytest.CaptureFixture[str]) -> None:
    require_tool("tmux")
    from bench import startup

    assert startup.main(["--runs", "1"]) == 0
    out = _check(capsys.readouterr().out, "Start-up")
    assert "clerk-tui --sandbox" in out and "bare Textual app" in out


@pytest.mark.slow
@pytest.mark.ui
@pytest.mark.timeout(300)
def test_memory(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("the memory bench reads /proc (Linux)")
    from bench import memory

    assert memory.main(["--accounts", "2,3", "--runs", "1"]) == 0
    out = _check(capsys.readouterr().out, "Memory")
    for step in ("bare Textual app", "sign-in screen", "signed in", "accounts opened"):
        assert step in out
    assert "session peak with sign-in" in out and "after 3 accounts" in out


@pytest.mark.slow
def test_lookup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import lookup

    args = ["--accounts", "2000", "--samples", "10", "--cache", str(tmp_path)]
    assert lookup.main(args) == 0
    out = _check(capsys.readouterr().out, "Lookup")
    for kind in ("name prefix", "address words", "number (full)", "number fragment"):
        assert kind in out
    # The second run finds the cached database instead of building it again.
    assert lookup.main(args) == 0
    assert "built" not in capsys.readouterr().out


@pytest.mark.slow
def test_posting(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import posting

    posting.main(["--workers", "1"])
    _check(capsys.readouterr().out, "Posting")


@pytest.mark.slow
def test_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import reports

    assert reports.main(["--receipts", "500", "--clerks", "2", "--repeat", "1",
                         "--cache", str(tmp_path)]) == 0
    out = _check(capsys.readouterr().out, "Reports")
    assert "NO" not in out  # every report's totals agree with the plain SUM


@pytest.mark.slow
@pytest.mark.ui
@pytest.mark.timeout(120)
def test_keystrokes(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import keystrokes

    assert keystrokes.main([]) == 0
    out = _check(capsys.readouterr().out, "Keystrokes")
    assert out.count("receipt ") >= 4  # every counted job really posted a payment
    from clerk_tui.counters import registry

    jobs = [m for m in registry().manifests if m.bench_jobs]
    assert len(jobs) >= 6  # every counter's own jobs run, not just the cashier's
    for m in jobs:
        assert f"{m.name}: " in out, m.name


@pytest.mark.slow
def test_contention(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import contention

    assert contention.main(["--accounts", "400", "--baseline", "0.5", "--cache",
                            str(tmp_path)]) == 0
    out = _check(capsys.readouterr().out, "Contention")
    for job in ("billing run: finalize", "late fees", "delinquency notices", "shutoff list",
                "mail letters", "every job"):
        assert job in out
    assert " 0 failed" in out


@pytest.mark.slow
@pytest.mark.ui
@pytest.mark.timeout(300)
def test_keypaint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import keypaint

    assert keypaint.main(["--accounts", "2000", "--names", "1", "--numbers", "1", "--rounds", "1",
                          "--repeat", "1", "--cache", str(tmp_path)]) == 0
    out = _check(capsys.readouterr().out, "Keystroke to results painted")
    for row in ("clerk-tui lookup: every key", "account-number keys", "echo baseline"):
        assert row in out
    assert "bytes per key" in out


def test_runner_rejects_an_unknown_name(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from bench import __main__ as runner

    monkeypatch.setattr("sys.argv", ["bench", "nonesuch"])
    assert runner.main() == 2
    assert "keystrokes" in capsys.readouterr().err
