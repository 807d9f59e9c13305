"""The DMV file row by row, holds only when due (never twice), releases on pay/dismiss/plan;
dismissals, voids and corrections with reason codes and limits; the lists."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain.citations import corrections, dmv, lists, notices, store
from clerk_tui.domain.errors import OverrideRequired, StateError, ValidationError
from tests.domain.citations.conftest import approve, hold, keyed, later
from tests.domain.citations.test_contest import owner


def test_dmv_file_rows_header_and_trailer(db, make_clerk, tmp_path) -> None:
    clerk = make_clerk("csr3")
    a = keyed(db, clerk, 1, issued="2025-12-01 09:00")  # street sweeping $55
    b = keyed(db, clerk, 2, issued="2025-12-02 09:00", plate="8XYZ999")
    hold(db, clerk, a, dt.date(2026, 2, 1))
    hold(db, clerk, b, dt.date(2026, 2, 1))
    corrections.dismiss(db, clerk, b, "ERROR", "wrong street")  # csr3: $110 within limit
    f = dmv.write_file(db, clerk, tmp_path)
    lines = f.path.read_text().splitlines()
    assert lines[0] == f"H|19042|{f.id:06d}|20260302|0003"
    # A: fine + late + notice step = 55 + 55 + 25
    assert lines[1] == f"D|H|{a}|7ABC123|CA|20251201|MC10.20.010|00013500|NOTICE UNPAID"
    # B was dismissed before the file went: its hold row says what it owes now (nothing)
    assert lines[2] == f"D|H|{b}|8XYZ999|CA|20251202|MC10.20.010|00000000|NOTICE UNPAID"
    assert lines[3] == f"D|R|{b}|8XYZ999|CA|20251202|MC10.20.010|00000000|DISMISSED"
    assert lines[4] == f"T|0003|{13500:010d}"
    with pytest.raises(ValidationError, match="Nothing is queued"):
        dmv.write_file(db, clerk, tmp_path)
    with pytest.raises(StateError, match="already held"), db.write():
        dmv.queue(db, clerk, store.get_row(db, a)["id"], "hold", "again", dt.date(2026, 3, 2))


def test_hold_job_holds_only_old_unpaid_notices(db, make_clerk) -> None:
    clerk = make_clerk("csr3")
    owner(db, clerk)
    old = keyed(db, clerk, 3, issued="2026-01-05 09:00")
    young = keyed(db, clerk, 4, issued="2026-02-20 09:00")
    with later(dt.datetime(2026, 2, 1, 9, 0)):
        assert notices.send_notices(db, clerk).sent == [old]
    assert dmv.place_holds(db, clerk, dt.date(2026, 2, 22)).held == 0   # notice + 21: not yet
    assert dmv.place_holds(db, clerk, dt.date(2026, 2, 23)).held == 1
    assert dmv.place_holds(db, clerk, dt.date(2026, 2, 24)).held == 0   # never twice
    assert store.get_citation(db, old).due.held and not store.get_citation(db, young).due.held


def test_dismiss_over_the_limit_and_reason_codes(db, make_clerk, supervisor) -> None:
    clerk = make_clerk("csr1")
    n = keyed(db, clerk, 5, issued="2026-02-25 09:00")
    with pytest.raises(ValidationError, match="Reason code"):
        corrections.dismiss(db, clerk, n, "BECAUSE")
    with pytest.raises(OverrideRequired):
        corrections.dismiss(db, clerk, n, "SIGNAGE")
    o = approve(db, clerk, supervisor, "citation.dismiss", 5500, "citation_dismiss")
    done = corrections.dismiss(db, clerk, n, "signage", override=o)
    assert done.override_by == "sup" and store.get_citation(db, n).due.status == "dismissed"
    with pytest.raises(StateError, match="already dismissed"):
        corrections.dismiss(db, clerk, n, "SIGNAGE", void=False, override=o)
    v = keyed(db, clerk, 6, issued="2026-02-25 09:00")
    o2 = approve(db, clerk, supervisor, "citation.dismiss", 5500, "citation_dismiss")
    corrections.dismiss(db, clerk, v, "DUPLICATE", void=True, override=o2)
    assert store.get_citation(db, v).due.status == "voided"


def test_correction_only_for_fix_it_violations(db, make_clerk) -> None:
    clerk = make_clerk("csr2")
    fixit = keyed(db, clerk, 7, issued="2026-01-05 09:00", code="4000(A)")
    other = keyed(db, clerk, 8, issued="2026-01-05 09:00")
    assert store.get_citation(db, fixit).due.due_cents == 5000  # $25 + late
    corrections.correct(db, clerk, fixit, "registration card 2026 seen")
    assert store.get_citation(db, fixit).due.due_cents == 1000
    with pytest.raises(ValidationError, match="not a correctable"):
        corrections.correct(db, clerk, other, "x")


def test_boot_tow_needs_five_delinquent_and_plans_do_not_count(db, make_clerk) -> None:
    from clerk_tui.domain.citations import plans

    clerk = make_clerk("csr3")
    owner(db, clerk)
    for n in range(10, 15):
        keyed(db, clerk, n, issued=f"2026-01-0{n - 9} 09:00")
    keyed(db, clerk, 20, plate="FOUR444", issued="2026-01-06 09:00")
    with later(dt.datetime(2026, 2, 1, 9, 0)):
        notices.send_notices(db, clerk)
    rows = lists.boot_tow(db)
    assert [(p, n) for p, _s, n, _c in rows] == [("7ABC123", 5)]
    assert "7ABC123" in lists.format_boot_tow(rows, dt.date(2026, 3, 2))
    plans.create_plan(db, clerk, "7ABC123", "CA", "Pat", "benefits", 1)
    assert lists.boot_tow(db) == []


def test_aging_calendar_collections_and_log(db, make_clerk, tmp_path) -> None:
    from clerk_tui.domain.citations import contest

    clerk = make_clerk("csr3")
    a = keyed(db, clerk, 30, issued="2026-02-25 09:00")
    keyed(db, clerk, 31, issued="2025-01-05 09:00")
    contest.request_review(db, clerk, a)
    ages = dict((label, c) for label, c, _ in lists.aging(db))
    assert ages["0-21 days"] == 1 and ages["over a year"] == 1
    assert lists.calendar(db) == [(a, "7ABC123", "Review pending", "decide")]
    old = keyed(db, clerk, 32, issued="2024-08-01 09:00", plate="OLD0001")
    hold(db, clerk, old, dt.date(2024, 9, 1))
    with later(dt.datetime(2026, 8, 31, 9, 0)):
        assert lists.collection_candidates(db) == []          # 2 x 365 days: tomorrow
    with later(dt.datetime(2026, 9, 1, 9, 0)):
        text = lists.refer_to_collections(db, clerk)
        assert old in text and store.get_citation(db, old).due.in_collections
        assert lists.collection_candidates(db) == []
    dmv.write_file(db, clerk, tmp_path)
    assert "dmv-20260302-000001.txt" in lists.format_dmv_log(db)


def test_release_by_hand_is_limited_by_role(db, make_clerk, supervisor) -> None:
    csr2, csr3 = make_clerk("csr2"), make_clerk("csr3")
    n = keyed(db, csr3, 40, issued="2025-12-01 09:00")
    hold(db, csr3, n, dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="Reason"):
        dmv.release_by_hand(db, csr3, n, "")
    with pytest.raises(OverrideRequired):
        dmv.release_by_hand(db, csr2, n, "wrong plate on DMV's side")
    assert "queued" in dmv.release_by_hand(db, csr3, n, "wrong plate on DMV's side")
    assert not store.get_citation(db, n).due.held
    with pytest.raises(StateError, match="not held"):
        dmv.release_by_hand(db, csr3, n, "again")
