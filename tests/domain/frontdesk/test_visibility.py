"""Police records are invisible to an uncleared clerk (not listed, not found, not in reports),
clearance is an admin's audited act, and every view of a registrant or request is audited."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied
from clerk_tui.domain.frontdesk import access, finders, records, registrants, vehicles

D = dt.date


@pytest.fixture
def filed(db: Database, cleared: Actor) -> dict[str, int]:
    """One record of each sensitive kind, filed by the cleared clerk."""
    r = records.intake(db, cleared, "Harper Lane", "", "Incident report", "2026-03-02",
                       "counter")
    g = registrants.register(db, cleared, "Harrow, Quinn", "1980-03-04", "290", "1 Elm",
                             "2025-03-05")
    v = vehicles.store(db, cleared, "7ABC123", "1HGCM82633A004352", "Honda", "Pat",
                       "2026-02-25", "14602.6")
    return {"request": r.id, "registrant": g.id, "vehicle": v.id}


@pytest.mark.parametrize("who", ["uncleared csr2", "cleared csr1", "uncleared supervisor"])
def test_an_uncleared_clerk_finds_nothing(db: Database, filed: dict[str, int], admin: Actor,
                                          make_clerk: Callable[..., Actor], who: str) -> None:
    if who == "uncleared csr2":
        actor = make_clerk("csr2", "csr2b")
    elif who == "cleared csr1":  # cleared, but the role does not include police records
        actor = make_clerk("csr1")
        access.set_clearance(db, admin, "csr1", True, "checked")
    else:
        actor = make_clerk("supervisor", "sup2")
    assert records.open_requests(db, actor) == []
    assert records.find(db, actor, "Harper", 10) == []
    assert records.find(db, actor, "PRA26-00001", 10) == []
    assert registrants.find(db, actor, "Harrow", 10) == []
    assert registrants.due_by(db, actor, D(2027, 1, 1)) == []
    assert vehicles.stored(db, actor, include_released=True) == []
    assert vehicles.find(db, actor, "7ABC123", 10) == []
    for find in (finders.find_registrants, finders.find_requests, finders.find_impounds):
        assert find(db, actor, "Har", 10) == [] and find(db, actor, "7ABC123", 10) == []
        assert find(db, actor, "PRA26-00001", 10) == []
    with pytest.raises(PermissionDenied, match="not cleared"):
        records.view_request(db, actor, filed["request"])
    with pytest.raises(PermissionDenied, match="not cleared"):
        registrants.view(db, actor, filed["registrant"])
    with pytest.raises(PermissionDenied):
        records.intake(db, actor, "X", "", "Y", "2026-03-02", "mail")


def test_the_cleared_clerk_finds_them(db: Database, filed: dict[str, int],
                                      cleared: Actor) -> None:
    assert [f.title for f in finders.find_registrants(db, cleared, "har", 10)] == \
        ["Harrow, Quinn"]
    assert [(f.key, f.rank) for f in finders.find_requests(db, cleared, "pra26-00001", 10)] == \
        [("PRA26-00001", 0)]
    assert [f.key for f in finders.find_requests(db, cleared, "Harp", 10)] == ["PRA26-00001"]
    assert [f.title for f in finders.find_impounds(db, cleared, "7abc 123", 10)] == \
        ["7ABC123 Honda"]
    assert [r.number for r in records.find(db, cleared, "pra26-00001", 5)] == ["PRA26-00001"]


def test_clearance_withdrawn_hides_again(db: Database, filed: dict[str, int], cleared: Actor,
                                         admin: Actor) -> None:
    assert len(records.open_requests(db, cleared)) == 1
    access.set_clearance(db, admin, cleared.username, False, "left the unit")
    assert records.open_requests(db, cleared) == []
    rows = db.all("SELECT cleared FROM fd_clearances WHERE username = ? ORDER BY id",
                  [cleared.username])
    assert [r["cleared"] for r in rows] == [1, 0]  # history kept, never edited
    audited = db.all("SELECT after_json FROM audit_log WHERE action = 'frontdesk.clearance' "
                     "AND entity = ?", [f"clerk:{cleared.username}"])
    assert [json.loads(a["after_json"])["cleared"] for a in audited] == [True, False]


def test_only_an_admin_clears(db: Database, make_clerk: Callable[..., Actor],
                              supervisor: Actor) -> None:
    make_clerk("csr2")
    before = db.scalar("SELECT count(*) FROM fd_clearances")
    with pytest.raises(PermissionDenied):
        access.set_clearance(db, supervisor, "csr2", True, "trust me")
    with pytest.raises(PermissionDenied):
        access.set_clearance(db, supervisor, "sup", True, "myself")
    assert db.scalar("SELECT count(*) FROM fd_clearances") == before


def test_views_are_audited_and_reported(db: Database, filed: dict[str, int], cleared: Actor,
                                        supervisor: Actor) -> None:
    seq = db.scalar("SELECT max(seq) FROM audit_log")
    records.view_request(db, cleared, filed["request"])
    registrants.view(db, cleared, filed["registrant"])
    rows = db.all("SELECT clerk, action, entity, after_json FROM audit_log WHERE seq > ? "
                  "ORDER BY seq", [seq])
    assert [(r["clerk"], r["action"], r["entity"]) for r in rows] == [
        ("csr2", "frontdesk.view", f"request:{filed['request']}"),
        ("csr2", "frontdesk.view", f"registrant:{filed['registrant']}")]
    assert json.loads(rows[1]["after_json"]) == {"subject": "Harrow, Quinn"}
    report = access.views(db, supervisor)
    assert [(v.clerk, v.subject) for v in report] == [("csr2", "PRA26-00001 Harper Lane"),
                                                      ("csr2", "Harrow, Quinn")]
    text = access.format_views(report, D(2026, 3, 2))
    assert "Harrow, Quinn" in text and "2 view(s)." in text
    with pytest.raises(PermissionDenied):
        access.views(db, cleared)  # a CSR does not read who looked


def test_list_and_find_write_no_view_rows(db: Database, filed: dict[str, int],
                                          cleared: Actor) -> None:
    seq = db.scalar("SELECT max(seq) FROM audit_log")
    records.open_requests(db, cleared)
    finders.find_registrants(db, cleared, "Har", 10)
    finders.find_requests(db, cleared, "Har", 10)
    assert db.scalar("SELECT count(*) FROM audit_log WHERE seq > ?", [seq]) == 0


def test_f2_lookup_across_counters(db: Database, filed: dict[str, int], cleared: Actor,
                                   make_clerk: Callable[..., Actor]) -> None:
    from clerk_tui.domain.finders import search_everything

    mine = {f.kind for f in search_everything(db, cleared, "Har", 50).found}
    assert {"offender", "pra-req"} <= mine
    assert [f.key for f in search_everything(db, cleared, "PRA26-00001", 50).found][:1] == \
        ["PRA26-00001"]
    for other in (make_clerk("csr2", "csr2b"), make_clerk("csr1")):
        kinds = {f.kind for f in search_everything(db, other, "Har", 50).found}
        assert not kinds & {"offender", "pra-req", "impound"}
        assert search_everything(db, other, "7ABC123", 50).found == []


def test_visitor_finder(db: Database, make_clerk: Callable[..., Actor]) -> None:
    from clerk_tui.domain.frontdesk import visitors

    clerk = make_clerk("csr1")
    visitors.check_in(db, clerk, "Avery Quill", "", "Det. Ortega", "Pickup", True)
    assert [(f.key, f.rank) for f in finders.find_visitors(db, clerk, "vb0000018", 5)] == \
        [("VB0000018", 0)]
    assert [f.title for f in finders.find_visitors(db, clerk, "avery", 5)] == ["Avery Quill"]
    assert finders.find_visitors(db, clerk, "100%_", 5) == []
