"""Desk jobs: the enforcement export (valid permits and the hot list, private file) and the
quarterly renewal notices (utility letter machinery, one per permit and expiry)."""

from __future__ import annotations

import csv
import datetime as dt
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied
from clerk_tui.domain.permits import export, notices, permits
from tests.domain.permits.conftest import DOCS, pay

Sell = Callable[..., permits.Permit]


def test_export_lists_valid_permits_and_the_hot_list(db: Database, sell: Sell,
                                                     tmp_path: Path) -> None:
    lost = sell()
    other = sell(plate="2BBB222", permit_type="RQ")
    clerk = sell.clerk  # type: ignore[attr-defined]
    pay(db, clerk, permits.start_replacement(db, clerk, lost.number, "stolen"))
    new = permits.permits_for_plate(db, "7ABC123")[0]
    result = export.write_export(db, clerk, tmp_path / "out")
    assert (result.valid, result.hot) == (2, 1)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    with result.path.open(newline="") as fh:
        got = list(csv.reader(fh))
    assert got == [
        list(export.COLUMNS),
        *sorted([["VALID", new.number, "7ABC123", "CA", "A", "2026-12-31", ""],
                 ["VALID", other.number, "2BBB222", "CA", "A", "2026-03-31", ""]]),
        ["HOT", lost.number, "7ABC123", "CA", "A", "2026-12-31", "stolen"],
    ]
    later = export.rows(db, dt.date(2026, 4, 1))  # the quarterly one has expired
    assert [r[1] for r in later if r[0] == "VALID"] == [new.number]
    again = export.write_export(db, clerk, tmp_path / "out")  # same day: replaced whole
    assert again.path == result.path and len(result.path.read_text().splitlines()) == 4


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_export_needs_permit_sell(db: Database, make_clerk: Callable[..., Actor],
                                  tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="may not export permits"):
        export.write_export(db, make_clerk("trainee"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_renewal_notices_once_per_permit_and_expiry(db: Database, sell: Sell,
                                                    tmp_path: Path) -> None:
    q = sell(permit_type="RQ", holder="Pat [b]Resident[/b] $balance")  # ends 2026-03-31
    sell(plate="2BBB222")                             # annual: ends 2026-12-31, not due
    renewed = sell(plate="3CCC333", permit_type="RQ", address="250 Elm St")
    clerk = sell.clerk  # type: ignore[attr-defined]
    pay(db, clerk, permits.start_renewal(db, clerk, renewed.number, DOCS))
    assert [p.number for p in notices.due(db)] == [q.number]
    sent = notices.send_notices(db, clerk)
    assert [n.permit_number for n in sent] == [q.number]
    body = sent[0].body
    assert "Pat [b]Resident[/b] $balance" in body  # literal, never re-read
    assert "EXPIRES ON March 31, 2026" in body and "$12.00" in body
    assert "Proof of residency 2" in body and "212 OAK ST\nRiverton CA 95000" in body
    assert notices.send_notices(db, clerk) == []      # never twice
    folder, saved = notices.save_notices(db, clerk, tmp_path / "mail")
    assert folder == tmp_path / "mail" / clock.today().isoformat()
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].read_text() == body
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert notices.undelivered(db) == []
    assert len(saved) == 1
