"""One of each: account numbers, rules-file loading, tender labels; demo bills follow rates.toml.

Why: copies drift. These tests fail when a second copy comes back (a `def` of an account-number
helper or a `tomllib` read outside its one module) and when demo data stops following the
rates file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import clerk_tui.domain
from clerk_tui import station
from clerk_tui.domain import account_numbers, accounts, clock, demo, rules, scanlines, search, setup
from clerk_tui.domain.cashier import items, tenders
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.utility import rates

DOMAIN = Path(clerk_tui.domain.__file__).parent


def _domain_sources() -> Iterator[tuple[Path, str]]:
    for path in sorted(DOMAIN.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_toml_is_read_only_by_the_rules_loader() -> None:
    readers = [str(p.relative_to(DOMAIN)) for p, text in _domain_sources()
               if re.search(r"^\s*import tomllib|tomllib\.loads", text, re.M)]
    assert readers == ["rules.py"]


def test_check_digits_are_added_only_by_the_account_number_module() -> None:
    """Adding a check digit to 7 digits is account-number knowledge: one place does it (other
    record numbers go through `checkdigit.with_check_digit`)."""
    users = [str(p.relative_to(DOMAIN)) for p, text in _domain_sources()
             if re.search(r"\+ luhn_digit\(", text) and p.name not in ("scanlines.py", "checkdigit.py")]
    assert users == ["account_numbers.py"]


def test_account_number_helpers_are_defined_once() -> None:
    pattern = re.compile(r"^def (\w*account\w*number\w*|format_number|format_account|"
                         r"check_account|normalize_number|make_number)\(", re.M)
    defined = {str(p.relative_to(DOMAIN)): pattern.findall(text) for p, text in _domain_sources()}
    defined = {k: v for k, v in defined.items() if v}
    assert list(defined) == ["account_numbers.py"]


def test_old_account_number_names_are_gone_but_the_one_a_screen_uses() -> None:
    assert scanlines.format_account is account_numbers.format_number  # screens/cashier_scans.py
    for module, name in ((search, "format_number"), (scanlines, "check_account"),
                         (scanlines, "make_account_number"), (items, "parse_account_number"),
                         (items, "format_account_number"), (accounts, "make_number"),
                         (accounts, "normalize_number")):
        assert not hasattr(module, name), f"{module.__name__}.{name}"


def test_account_numbers_format_parse_check() -> None:
    assert account_numbers.make_number(1234567) == "12345674"
    assert account_numbers.format_number("12345674") == "1234567-4"
    assert account_numbers.format_number("123") == "123"
    assert account_numbers.parse_number("1234567") == "12345674"
    assert account_numbers.parse_number(" 1234567-4 ") == "12345674"
    assert account_numbers.check_number("1234567-4") == "12345674"
    with pytest.raises(ValidationError, match="check digit"):
        account_numbers.check_number("1234567-5")
    with pytest.raises(ValidationError, match="8 digits"):
        account_numbers.check_number("1234567")  # a scan must carry its check digit
    with pytest.raises(ValidationError, match="check digit"):
        account_numbers.parse_number("12345675")
    assert account_numbers.candidates("1234567") == ["12345674"]
    assert account_numbers.candidates("12345674") == ["12345674"]
    assert account_numbers.candidates("123") == []
    assert account_numbers.normalize_number("Smith") is None
    with pytest.raises(ValidationError):
        account_numbers.normalize_number("1234567 5")


def test_one_tender_label_table() -> None:
    assert station.TENDER_LABELS is tenders.LABELS


def test_rules_loader_messages_and_effective(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ValidationError, match=r"nope\.toml: file not found\."):
        rules.load_rules(missing)
    bad = tmp_path / "bad.toml"
    bad.write_text("a = [", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.toml: "):
        rules.load_rules(bad)
    good = tmp_path / "good.toml"
    good.write_text('[[x]]\neffective = "2020-01-01"\nv = 1\n[[x]]\neffective = "2027-01-01"\n'
                    'v = 2\n', encoding="utf-8")
    rows = rules.load_rules(good)["x"]

    def day(r: dict) -> dt.date:
        return rules.effective_date(r["effective"], "x")

    assert rules.effective(rows, dt.date(2019, 12, 31), day) is None
    assert rules.effective(rows, dt.date(2026, 12, 31), day)["v"] == 1
    assert rules.effective(rows, dt.date(2027, 1, 1), day)["v"] == 2
    with pytest.raises(ValidationError, match="not a date"):
        rules.effective_date("soon", "x[0]")


def _reload() -> None:
    rates.reload()
    demo._bill_parts.cache_clear()


@pytest.fixture
def dearer_water(tmp_path: Path) -> Iterator[Path]:
    """A copy of data/ whose 2020 water base charges are $10 higher."""
    data = tmp_path / "data"
    shutil.copytree(Path(clerk_tui.__file__).resolve().parent.parent / "data", data)
    path = data / "utility" / "rates.toml"
    text = path.read_text(encoding="utf-8")
    old = """base = { '5/8"' = "24.50", '3/4"' = "28.90", '1"' = "41.20", '2"' = "118.50" }"""
    assert old in text
    path.write_text(text.replace(old, """base = { '5/8"' = "34.50", '3/4"' = "38.90", """
                                      """'1"' = "51.20", '2"' = "128.50" }""", 1), encoding="utf-8")
    yield data
    _reload()


def _water_revenue(db_path: Path) -> tuple[int, int]:
    """Water revenue cents and the number of water-metered bills of a small demo town."""
    from clerk_tui.db import open_database

    clock.set_fixed(dt.datetime(2026, 6, 30, 8, 0, 0))
    try:
        db = open_database(db_path, create=True, migrate=True)
        setup.initialize(db, "training")
        demo.generate(db, 30, seed=3)
        cents = -int(db.scalar("SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries "
                               "WHERE book = 'revenue' AND fund = 'water' AND gl_code = ?",
                               [rates.water_rate("2026-06-01").gl_code]))
        bills = int(db.scalar("SELECT count(*) FROM bills b JOIN accounts a ON a.id = b.account_id "
                              "WHERE a.services LIKE '%water%'"))
        db.close()
        return cents, bills
    finally:
        clock.set_fixed(None)


def test_demo_bills_follow_rates_toml(tmp_path: Path, dearer_water: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _reload()
    plain, bills = _water_revenue(tmp_path / "plain.db")
    monkeypatch.setenv("CLERK_TUI_DATA", str(dearer_water))
    _reload()
    assert rates.water_rate("2026-06-01").base_cents['5/8"'] == 3450
    dear, bills2 = _water_revenue(tmp_path / "dear.db")
    assert bills == bills2 and bills > 0
    assert dear - plain == 1000 * bills  # every water bill carries the $10 higher base charge
