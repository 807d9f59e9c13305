"""Handheld and DMV owner imports: idempotent, a bad row refused by line with its reason, and
nothing of a bad file lands unless the clerk takes the good rows and keeps a reject file."""

from __future__ import annotations

import json

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.citations import imports, store
from clerk_tui.domain.citations.numbers import make_number
from clerk_tui.domain.errors import ValidationError
from tests.domain.citations.conftest import row, write_csv


def _count(db: Database, table: str) -> int:
    return db.scalar(f"SELECT count(*) FROM {table}")


def test_good_csv_imports_and_the_same_file_twice_adds_nothing(db, make_clerk, tmp_path) -> None:
    clerk = make_clerk("csr1")
    f = write_csv(tmp_path / "day.csv", [row(1), row(2, plate="8XYZ999")])
    r = imports.import_citations(db, clerk, f)
    assert (r.added, r.known, r.rejected) == (2, 0, 0)
    again = imports.import_citations(db, clerk, f)
    assert (again.added, again.known) == (0, 2)
    assert _count(db, "citations") == 2 and _count(db, "citation_imports") == 1
    c = store.get_citation(db, make_number(1))
    assert c.row["plate"] == "7ABC123" and c.due.due_cents == 5500


def test_json_file_imports(db, make_clerk, tmp_path) -> None:
    f = tmp_path / "day.json"
    f.write_text(json.dumps({"citations": [row(3), row(4)]}))
    assert imports.import_citations(db, make_clerk("csr1"), f).added == 2


@pytest.mark.parametrize("bad,reason", [
    ({"citation_number": "C000000027"}, "wrong check digit"),
    ({"issued_at": "2026-13-01 10:00"}, "is not YYYY-MM-DD HH:MM"),
    ({"issued_at": "2026-04-01 10:00"}, "in the future"),
    ({"plate": "TOO-LONG-PLATE"}, "Plate"),
    ({"state": "C"}, "State"),
    ({"violation_code": "NOPE"}, "No violation code"),
    ({"fine": "50.00"}, "does not match"),
    ({"fine": "abc"}, ""),
    ({"officer_badge": ""}, "Officer badge is required"),
    ({"location": "Main\x1b[2J"}, "control character"),
])
def test_a_bad_row_refuses_the_whole_file_by_line(db, make_clerk, tmp_path, bad: dict,
                                                 reason: str) -> None:
    clerk = make_clerk("csr1")
    f = write_csv(tmp_path / "bad.csv", [row(1), row(2, **bad), row(5)])
    before = (_count(db, "citations"), _count(db, "citation_imports"), _count(db, "audit_log"))
    with pytest.raises(ValidationError) as e:
        imports.import_citations(db, clerk, f)
    assert "Nothing imported" in str(e.value) and "line 3:" in str(e.value)
    assert reason in str(e.value)
    assert (_count(db, "citations"), _count(db, "citation_imports"),
            _count(db, "audit_log")) == before


def test_good_rows_only_keeps_a_reject_file(db, make_clerk, tmp_path) -> None:
    f = write_csv(tmp_path / "bad.csv", [row(1), row(2, state="XYZ"), row(5)])
    rej = tmp_path / "rejects.csv"
    clerk = make_clerk("csr1")
    r = imports.import_citations(db, clerk, f, good_only=True, reject_file=rej)
    assert (r.added, r.rejected) == (2, 1)
    text = rej.read_text()
    assert "line,reason,row" in text and "3," in text and "State" in text
    with pytest.raises(ValidationError, match="exists already"):
        imports.import_citations(db, clerk,
                                 write_csv(tmp_path / "b2.csv", [row(6), row(7, state="Q")]),
                                 good_only=True, reject_file=rej)
    assert db.scalar("SELECT count(*) FROM citations") == 2  # the second import rolled back


def test_same_number_twice_in_a_file_and_a_different_citation_on_file(db, make_clerk,
                                                                        tmp_path) -> None:
    clerk = make_clerk("csr1")
    imports.import_citations(db, clerk, write_csv(tmp_path / "a.csv", [row(1)]))
    plan = imports.read_citation_file(db, write_csv(tmp_path / "b.csv", [
        row(2), row(2), row(1, plate="OTHER1")]))
    assert [r.line for r in plan.rejected] == [3, 4]
    assert "also on line 2" in plan.rejected[0].reason
    assert "a different citation" in plan.rejected[1].reason


def test_file_problems_are_said_plainly(db, make_clerk, tmp_path) -> None:
    clerk = make_clerk("csr1")
    with pytest.raises(ValidationError, match="No file"):
        imports.import_citations(db, clerk, tmp_path / "missing.csv")
    (tmp_path / "h.csv").write_text("citation_number,plate\nC000000018,ABC\n")
    with pytest.raises(ValidationError, match="header"):
        imports.import_citations(db, clerk, tmp_path / "h.csv")
    (tmp_path / "j.json").write_text("{not json")
    with pytest.raises(ValidationError, match="not valid JSON"):
        imports.import_citations(db, clerk, tmp_path / "j.json")


def test_owner_import_is_idempotent_and_searchable(db, make_clerk, tmp_path) -> None:
    clerk = make_clerk("csr1")
    f = tmp_path / "dmv.csv"
    f.write_text("plate,state,name,address,responded_on\n"
                 "7ABC123,CA,\"SMITH, JOHN\",\"1 Elm St, Town CA\",2026-02-20\n")
    assert imports.import_owners(db, clerk, f).added == 1
    assert imports.import_owners(db, clerk, f).added == 0
    assert store.owner_of(db, "7ABC123", "CA")["name"] == "SMITH, JOHN"
    bad = tmp_path / "dmv2.csv"
    bad.write_text("plate,state,name,address,responded_on\n7ABC123,CA,X,Y,2026-99-01\n")
    with pytest.raises(ValidationError, match="line 2: responded_on"):
        imports.import_owners(db, clerk, bad)


def test_key_in_a_handwritten_citation(db, make_clerk) -> None:
    import datetime as dt

    clerk = make_clerk("csr1")
    c = store.NewCitation(make_number(42), dt.datetime(2026, 3, 1, 8, 0), "5 Oak Ave",
                          "4 ab 12", "ca", None, "FORD", "RED", "PU", "22514", 7500, "P9")
    cid = store.key_in(db, clerk, c)
    got = store.get_citation(db, make_number(42))
    assert got.id == cid and got.row["plate"] == "4AB12" and got.row["source"] == "keyed"
    with pytest.raises(ValidationError, match="already on file"):
        store.key_in(db, clerk, c)


def test_search_by_number_notice_plate_state_and_owner(db, make_clerk, tmp_path) -> None:
    from clerk_tui.domain.citations import finders
    from clerk_tui.domain.errors import NotFound

    clerk = make_clerk("csr1")
    imports.import_citations(db, clerk, write_csv(tmp_path / "d.csv", [
        row(1), row(2), row(3, plate="7ABC123", state="NV"), row(4, plate="OTHER1")]))
    f = tmp_path / "dmv.csv"
    f.write_text("plate,state,name,address,responded_on\n"
                 "OTHER1,CA,\"GARCIA, ANA\",\"2 Oak St\",2026-02-20\n")
    imports.import_owners(db, clerk, f)
    assert [v.number for v in finders.search(db, make_number(2)).views] == [make_number(2)]
    assert len(finders.search(db, "7abc123").views) == 3
    assert len(finders.search(db, "7ABC123 CA").views) == 2
    assert len(finders.search(db, "7abc123/nv").views) == 1
    assert [v.number for v in finders.search(db, "garcia").views] == [make_number(4)]
    with pytest.raises(ValidationError, match="check digit"):
        finders.search(db, "C000000019")
    with pytest.raises(NotFound):
        finders.search(db, "nobody here")
    hits = finders.find(db, clerk, make_number(1), 10)
    assert [h.key for h in hits] == [make_number(1)] and hits[0].kind == "citation"
    assert finders.find(db, clerk, "[bold]x", 10) == []
