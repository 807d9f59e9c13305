from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clerk_tui.domain.money import MAX_CENTS, MoneyError, format_money, format_plain, parse_money


@pytest.mark.parametrize(("text", "cents"), [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("$1,234.50", 123450), ("1234.5", 123450),
    ("0", 0), (".75", 75), ("$.5", 50), (" 7.00 ", 700), ("9999999.99", MAX_CENTS),
    ("1,000,000", 100_000_000), ("12.", 1200),
])
def test_parse_accepts(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", [
    "1e3", "-", "12.345", "NaN", "", "  ", "-5", "$-5", "abc", "1,23.00", "12,3456",
    "10000000.00", "inf", "1_000", "１２", "12.3.4", "$$12", "(5.00)", "0x10", "+5",
])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_money(text)


def test_zero_can_be_refused() -> None:
    with pytest.raises(MoneyError, match="more than"):
        parse_money("0.00", allow_zero=False)


def test_messages_are_specific() -> None:
    with pytest.raises(MoneyError, match="two decimal places"):
        parse_money("12.345")
    with pytest.raises(MoneyError, match="over"):
        parse_money("10000000")
    with pytest.raises(MoneyError, match="negative"):
        parse_money("-1")


def test_format() -> None:
    assert format_money(123450) == "$1,234.50"
    assert format_money(5) == "$0.05"
    assert format_money(-100) == "-$1.00"
    assert format_plain(123450) == "1234.50"
    with pytest.raises(TypeError):
        format_money(1.5)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_round_trip(cents: int) -> None:
    assert parse_money(format_money(cents)) == cents
    assert parse_money(format_plain(cents)) == cents


@given(st.text(max_size=30))
def test_parse_never_crashes_and_only_returns_cents(text: str) -> None:
    try:
        value = parse_money(text)
    except MoneyError:
        return
    assert isinstance(value, int) and 0 <= value <= MAX_CENTS
