"""Visitors: badge numbers with a check digit, check in/out, who is in, unreturned badges
flagged at day end; the badge's barcode decodes (zbarimg) and prints on the printer."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.frontdesk import visitors
from clerk_tui.domain.scanlines import parse_scan
from clerk_tui.hardware.barcodes import code128_png
from clerk_tui.hardware.sim import reset_sims
from clerk_tui.station import Station
from tests.conftest import require_tool


def test_badge_numbers_and_scans() -> None:
    assert visitors.make_badge(1) == "VB0000018"
    assert visitors.check_badge(" vb0000018 ") == "VB0000018"
    with pytest.raises(ValidationError, match="check digit"):
        visitors.check_badge("VB0000017")
    scan = parse_scan("VB0000018")
    assert scan.kind == "visitor_badge" and scan.value.badge == "VB0000018"
    with pytest.raises(ValidationError):
        parse_scan("VB0000019")  # misread: refused, nobody else checked out


def test_in_and_out(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    a = visitors.check_in(db, clerk, "Avery Quill", "Northwind", "Det. Ortega", "Pickup", True)
    b = visitors.check_in(db, clerk, "Blake [b]Fenn", "", "Lt. Marsh", "Interview", False)
    assert (a.badge, b.badge) == ("VB0000018", "VB0000026")
    assert [v.name for v in visitors.in_building(db)] == ["Avery Quill", "Blake [b]Fenn"]
    out = visitors.check_out(db, clerk, "vb0000018")
    assert out.out_how == "scan" and not out.inside
    with pytest.raises(StateError, match="already left"):
        visitors.check_out(db, clerk, "VB0000018")
    text = visitors.format_in_building(visitors.in_building(db), "2026-03-02T10:00:00")
    assert "Blake [b]Fenn" in text and "1 visitor(s) in the building." in text
    flagged = visitors.flag_unreturned(db, clerk)
    assert [v.badge for v in flagged] == ["VB0000026"]
    assert [v.badge for v in visitors.missing_badges(db)] == ["VB0000026"]
    assert visitors.flag_unreturned(db, clerk) == []  # flagged once
    assert "1 badge(s) not returned" in visitors.format_day_log(visitors.day_log(db),
                                                                 visitors.clock.today())
    later = visitors.check_out(db, clerk, visitor_id=b.id, how="list")
    assert later.out_how == "list" and not later.badge_missing


def test_bad_input_and_permission(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    with pytest.raises(ValidationError, match="Name is required"):
        visitors.check_in(db, clerk, "  ", "", "X", "Y", True)
    with pytest.raises(ValidationError, match="control character"):
        visitors.check_in(db, clerk, "Eve\x1b[31m", "", "X", "Y", True)
    with pytest.raises(ValidationError, match="too long"):
        visitors.check_in(db, clerk, "N" * 61, "", "X", "Y", True)
    assert db.scalar("SELECT count(*) FROM fd_visitors") == 0


@pytest.mark.parametrize("db_kind", ["training"])
def test_a_trainee_may_not_check_visitors_in(db: Database,
                                             make_clerk: Callable[..., Actor]) -> None:
    with pytest.raises(PermissionDenied):
        visitors.check_in(db, make_clerk("trainee"), "A", "", "B", "C", True)


def test_badge_barcode_decodes_with_zbarimg(tmp_path) -> None:
    exe = require_tool("zbarimg")
    path = tmp_path / "badge.png"
    code128_png(visitors.make_badge(1234), path)
    out = subprocess.run([exe, "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(path)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    [text] = out.stdout.splitlines()
    assert text == "VB0012344" == visitors.make_badge(1234)
    assert parse_scan(text).value.badge == "VB0012344"


def test_badge_prints_with_its_barcode(db: Database, make_clerk: Callable[..., Actor]) -> None:
    from clerk_tui.screens.frontdesk.badge import print_badge

    reset_sims()
    station = Station.build("ws-badge", None, sandbox=True)
    try:
        v = visitors.check_in(db, make_clerk("csr1"), "Avery Quill", "Northwind",
                              "Det. Ortega", "Pickup", True)
        result = print_badge(station, v)
        assert result.ok, result.message
        lines = station.printer_text()
        assert "[barcode VB0000018]" in lines and "Avery Quill" in lines
        assert any(re.search(r"Visiting: Det\. Ortega", ln) for ln in lines)
    finally:
        station.close()
        reset_sims()
