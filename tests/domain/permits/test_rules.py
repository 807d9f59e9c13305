"""The rules file: districts (street ranges, odd/even), fee tiers by date, documents; a bad
file is refused naming the row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.permits.addresses import district_for, normalize_street, parse_address
from clerk_tui.domain.permits.periods import quarter_end, valid_until
from clerk_tui.domain.permits.rules import load_permit_rules, permit_rules
from clerk_tui.paths import reference_data_dir

D = dt.date


def test_every_fee_type_and_district_names_a_source() -> None:
    r = permit_rules()
    assert {d.code for d in r.districts} == {"A", "B"}
    assert all(x.source for x in (*r.districts, *r.types, *r.fees, *r.documents))


@pytest.mark.parametrize(("typed", "district"), [
    ("212 Oak St", "A"), ("213 oak street", "A"), ("398 OAK ST.", "A"), ("400 Oak St", None),
    ("250 Elm Street #3", "A"), ("251 elm st apt 2", "A"), ("300 Elm St", None),
    ("101 2nd Ave", "A"), ("102 Second Avenue", None),  # odd side only
    ("600 University Ave", "B"), ("601 University Ave", None), ("10 Maple Dr", "B"),
])
def test_eligibility_by_street_range_and_side(typed: str, district: str | None) -> None:
    addr = parse_address(typed)
    if district is None:
        with pytest.raises(NotFound, match="not in a residential permit district"):
            district_for(addr, D(2026, 3, 2))
    else:
        assert district_for(addr, D(2026, 3, 2)) == district


def test_district_b_starts_on_its_effective_date() -> None:
    addr = parse_address("600 University Ave")
    with pytest.raises(NotFound):
        district_for(addr, D(2024, 6, 30))
    assert district_for(addr, D(2024, 7, 1)) == "B"


@pytest.mark.parametrize("bad", ["", "Oak St", "12", "212 [bold]Oak", "212 Oak St\x1b[2J",
                                 "9999999 Oak St", "x" * 100])
def test_bad_addresses_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_address(bad)


def test_unit_keeps_dwellings_apart() -> None:
    assert parse_address("250 Elm St #3") != parse_address("250 Elm St #4")
    assert str(parse_address("250 elm street unit 3")) == "250 ELM ST #3"
    assert normalize_street("second avenue") == "2ND AVE"


@pytest.mark.parametrize(("on", "tiers"), [
    (D(2026, 6, 30), (4000, 6000, 9000, 9000)),
    (D(2026, 7, 1), (4500, 7000, 10500, 10500)),  # Res. 2026-020 from July 1
])
def test_fee_tiers_by_date(on: dt.date, tiers: tuple[int, ...]) -> None:
    fee = permit_rules().fee("RA", on)
    assert tuple(fee.for_tier(n) for n in (1, 2, 3, 4)) == tiers
    assert fee.replacement_cents == 1500 and fee.fund == "245"


def test_periods_are_calendar_quarters_or_days() -> None:
    r = permit_rules()
    assert quarter_end(D(2026, 3, 2)) == D(2026, 3, 31)
    assert quarter_end(D(2026, 12, 31)) == D(2026, 12, 31)
    assert valid_until(r.permit_type("RQ"), D(2026, 3, 2)) == D(2026, 3, 31)
    assert valid_until(r.permit_type("RA"), D(2026, 3, 2)) == D(2026, 12, 31)
    assert valid_until(r.permit_type("RA"), D(2026, 4, 1)) == D(2027, 3, 31)
    assert valid_until(r.permit_type("DV"), D(2026, 3, 2)) == D(2026, 3, 2)


def _bad(tmp_path: Path, old: str, new: str) -> Path:
    text = (reference_data_dir() / "permits" / "permits.toml").read_text()
    assert old in text
    path = tmp_path / "permits.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "says"), [
    ('side = "even" }', 'side = "evens" }', "side must be one of"),
    ('tiers = ["40.00", "60.00", "90.00"]', 'tiers = ["40.00", "0.00"]', "tiers"),
    ('tiers = ["12.00", "18.00", "27.00"]', 'tiers = ["12.00", "-1"]', "fee #3: "),
    ('documents = ["DL", "REG", "RES1", "RES2"]', 'documents = ["DL", "XX"]', "unknown document"),
    ('max_vehicles = 3', 'max_vehicles = 0', "max_vehicles"),
    ('vehicle = true\nquarters = 4', 'vehicle = true\ndays = 2\nquarters = 4', "not both"),
    ('source = "Res. 2023-113, Schedule 1"', 'source = ""', "names no source"),
])
def test_a_bad_rules_file_is_refused_naming_the_row(tmp_path: Path, old: str, new: str,
                                                    says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        load_permit_rules(_bad(tmp_path, old, new))
