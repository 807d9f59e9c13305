"""The GL file: balanced, equal to the ledger for a demo day, exported once, re-printed same."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, demo
from clerk_tui.domain.cashier import close_business_day
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.office.gl import HEADER, export_day, gl_map, reprint_day

from .test_office_day import DAY, a_day


def _read(path: Path) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(HEADER) if rows else True
    return rows


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _check_against_ledger(db: Database, day: str, rows: list[dict[str, str]]) -> None:
    """The file sums to zero and gives each GL the net the ledger gives it for the day."""
    assert rows and all(r["date"] == day for r in rows)
    debit = sum(_cents(r["debit"]) for r in rows)
    credit = sum(_cents(r["credit"]) for r in rows)
    assert debit == credit > 0
    in_file: dict[str, int] = defaultdict(int)
    for r in rows:
        assert (_cents(r["debit"]) == 0) != (_cents(r["credit"]) == 0)
        in_file[r["gl"]] += _cents(r["debit"]) - _cents(r["credit"])
    m = gl_map(day)
    in_ledger: dict[str, int] = defaultdict(int)
    for e in db.all("SELECT e.book, e.tender, e.gl_code, e.amount_cents FROM ledger_entries e "
                    "JOIN journals j ON j.id = e.journal_id WHERE j.business_date = ?", [day]):
        gl = e["gl_code"] or (m.tenders[e["tender"] or "cash"] if e["book"] == "drawer"
                              else m.unassigned)
        in_ledger[gl] += e["amount_cents"]
    assert {k: v for k, v in in_file.items() if v} == {k: v for k, v in in_ledger.items() if v}
    journals = {f"J{r['id']}" for r in db.all("SELECT id FROM journals WHERE business_date = ?",
                                               [day])}
    assert {r["reference"].split("/")[0] for r in rows} <= journals


@pytest.mark.parametrize("db_kind", ["training"])
def test_demo_day_gl_file_balances_to_the_ledger(db: Database, supervisor,
                                                 tmp_path: Path) -> None:
    """The sandbox's demo town (the same generator, fewer accounts): its busiest past day,
    closed, exported: the file sums to zero and matches the ledger GL by GL."""
    demo.generate(db, 60, seed=2026, as_of=dt.date(2026, 3, 1), history_months=3)
    # the busiest day with bills and payments both (the demo's converted payments)
    day = db.scalar("SELECT business_date FROM journals j JOIN ledger_entries e "
                    "ON e.journal_id = j.id GROUP BY business_date "
                    "HAVING count(DISTINCT j.kind) > 1 ORDER BY count(*) DESC LIMIT 1")
    assert day is not None
    with pytest.raises(StateError, match="not closed"):
        export_day(db, supervisor, day, tmp_path)
    close_business_day(db, supervisor, day)
    out = export_day(db, supervisor, day, tmp_path)
    assert out.path == tmp_path / f"gl-{day}.csv" and out.debit_cents == out.credit_cents
    assert stat.S_IMODE(out.path.stat().st_mode) == 0o600
    _check_against_ledger(db, day, _read(out.path))
    assert audit.verify(db).ok


def test_counter_day_exported_once_and_reprinted_identically(db: Database, account,
                                                             clerk_with_drawer, supervisor,
                                                             tmp_path: Path) -> None:
    ids = a_day(db, account, clerk_with_drawer, supervisor)
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import (
        DrawerCount,
        approve_session,
        submit_count,
    )

    cyd = auth.clerk_actor(db, "cyd", "ws-test")
    submit_count(db, cyd, DrawerCount({"hundreds": 1, "fifties": 1, "ones": 4}))
    approve_session(db, supervisor, ids["c"])
    clerk = auth.clerk_actor(db, "alice", "ws-test")
    close_business_day(db, supervisor, DAY)
    with pytest.raises(PermissionDenied):
        export_day(db, clerk, DAY, tmp_path)
    first = export_day(db, supervisor, DAY, tmp_path)
    rows = _read(first.path)
    _check_against_ledger(db, DAY, rows)
    assert any(r["gl"] == "100-1010-DRAWER" for r in rows)  # drawers map by tender
    assert any(r["gl"] == "100-2020-REFUND" and r["fund"] == "100" for r in rows)
    before = first.path.read_bytes()
    (tmp_path / "other").mkdir()
    with pytest.raises(StateError, match="exported once"):
        export_day(db, supervisor, DAY, tmp_path / "other")
    assert list((tmp_path / "other").iterdir()) == []
    with pytest.raises(IntegrityError), db.write():
        db.execute("DELETE FROM gl_exports")
    again = reprint_day(db, supervisor, DAY, tmp_path)
    assert again.path == tmp_path / f"gl-{DAY}-copy2.csv"
    assert again.path.read_bytes() == before and again.sha256 == first.sha256
    assert audit.verify(db).ok


def test_export_refuses_an_open_day_and_a_day_never_exported_to_reprint(
        db: Database, supervisor, tmp_path: Path) -> None:
    with pytest.raises(StateError, match="not closed"):
        export_day(db, supervisor, DAY, tmp_path)
    with pytest.raises(StateError, match="never exported"):
        reprint_day(db, supervisor, DAY, tmp_path)
    assert db.scalar("SELECT count(*) FROM gl_exports") == 0
    assert list(tmp_path.glob("gl-*")) == []


def test_cli_gl_export_once_then_reprint(db: Database, db_path: Path, supervisor,
                                         tmp_path: Path, capsys) -> None:
    """Finance's command line: `clerk-tui gl-export --day D` once; again refused (exit 1);
    `--reprint` writes the same file."""
    from clerk_tui.cli import main

    close_business_day(db, supervisor, DAY)
    out = tmp_path / "finance"
    out.mkdir()
    args = ["gl-export", "--db", str(db_path), "--day", DAY, "--out", str(out)]
    assert main(args) == 0
    assert "Exported the GL file of 2026-03-02" in capsys.readouterr().out
    assert main(args) == 1
    assert "exported once" in capsys.readouterr().err
    assert main([*args, "--reprint"]) == 0
    assert (out / f"gl-{DAY}.csv").read_bytes() == (out / f"gl-{DAY}-copy2.csv").read_bytes()
    assert main(["gl-export", "--db", str(db_path), "--day", "03/02/2026"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_missing_folder_changes_nothing(db: Database, supervisor, tmp_path: Path) -> None:
    close_business_day(db, supervisor, DAY)
    with pytest.raises(ValidationError, match="No folder"):
        export_day(db, supervisor, DAY, tmp_path / "nowhere")
    assert db.scalar("SELECT count(*) FROM gl_exports") == 0
    assert export_day(db, supervisor, DAY, tmp_path).lines == 0  # a day with no postings
