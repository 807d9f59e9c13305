"""Finding licenses: exact number (rank 0, check digit checked), prefixes of name, DBA, owner
and address (case-insensitive, indexed), the limit, and the F2 finder through the registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.finders import search_everything
from clerk_tui.domain.licenses import finders, records
from clerk_tui.domain.licenses.records import Application


def test_find_by_every_field(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    a = records.apply(db, clerk, Application("Zephyr Tools Inc", "Mina Ortiz, Ray Cole",
                                             "77 Harbor Way", "561", dba="Windy"))
    records.apply(db, clerk, Application("Zebra Cafe", "Al Zed", "1 Elm St", "561"))
    assert [f.key for f in finders.search(db, a.number, 5)] == [a.number]
    assert finders.search(db, a.number, 5)[0].rank == 0
    assert finders.search(db, f"BL{a.number}", 5)[0].key == a.number
    for text in ("zephyr", "ZEPH", "windy", "ray c", "mina", "77 harbor"):
        assert [f.key for f in finders.search(db, text, 5)] == [a.number], text
    assert len(finders.search(db, "ze", 5)) == 2
    assert len(finders.search(db, "ze", 1)) == 1
    assert finders.search(db, "nothing like it", 5) == []
    with pytest.raises(ValidationError, match="check digit"):
        finders.search(db, "1234567", 5)
    with pytest.raises(ValidationError):
        finders.search(db, "   ", 5)
    assert finders.find(db, clerk, "1234567", 5) == []  # the lookup: no hit, no error


def test_f2_lookup_shows_licenses_for_allowed_roles(db: Database,
                                                    make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    a = records.apply(db, clerk, Application("Quixote Books", "Q", "3 Elm St", "561"))
    found = search_everything(db, clerk, "quixote")
    assert [(f.kind, f.key) for f in found.found] == [("license", a.number)]
    trainee = make_clerk("admin", "adm2")  # admin: every permission
    assert search_everything(db, trainee, "quixote").found
