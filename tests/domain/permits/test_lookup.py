"""The permits' F2 finder: exact number, plate, holder prefix; indexed; nothing for garbage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.finders import search_everything
from clerk_tui.domain.permits import lookup, permits

Sell = Callable[..., permits.Permit]


def test_find_by_number_plate_and_name(db: Database, sell: Sell) -> None:
    p = sell(holder="Robin Alvarez")
    sell(plate="2BBB222", holder="Robin_%Test")
    clerk = sell.clerk  # type: ignore[attr-defined]
    exact = lookup.find(db, clerk, p.number.lower(), 10)
    assert [(f.key, f.rank, f.title) for f in exact] == [(p.number, 0, "Robin Alvarez")]
    assert exact[0].detail == "A/RA 7ABC123 212 OAK ST to 2026-12-31 active"
    assert [f.key for f in lookup.find(db, clerk, "7abc123", 10)] == [p.number]
    assert [f.title for f in lookup.find(db, clerk, "robin", 10)] == ["Robin Alvarez",
                                                                      "Robin_%Test"]
    assert [f.title for f in lookup.find(db, clerk, "Robin_%", 10)] == ["Robin_%Test"]
    assert lookup.find(db, clerk, "PK1000018", 10) == []  # wrong check digit
    assert lookup.find(db, clerk, "'; DROP TABLE permits; --", 10) == []
    hits = search_everything(db, clerk, p.number).found
    assert hits[0].kind == "permit" and hits[0].key == p.number


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_a_trainee_sees_no_permits_in_the_lookup(db: Database, sell: Sell,
                                                  make_clerk: Callable[..., Actor]) -> None:
    p = sell()
    assert all(f.kind != "permit" for f in
               search_everything(db, make_clerk("trainee"), p.number).found)


def test_each_query_uses_an_index(db: Database) -> None:
    for sql, args in (("SELECT * FROM permits WHERE number = ?", ["PK1000017"]),
                      ("SELECT * FROM permits WHERE plate = ? ORDER BY id DESC LIMIT 5",
                       ["7ABC123"]),
                      ("SELECT * FROM permits WHERE holder LIKE ? ESCAPE '\\' "
                       "ORDER BY holder COLLATE NOCASE LIMIT 5", ["Rob%"])):
        plan = " ".join(str(r["detail"]) for r in db.all("EXPLAIN QUERY PLAN " + sql, args))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (sql, plan)
        assert "TEMP B-TREE" not in plan, (sql, plan)  # no sort of every match
