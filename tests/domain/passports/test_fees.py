"""The State Department fee on every product, age and service, and the city's fees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.passports import rules
from clerk_tui.domain.passports.fees import age_group, age_on, city_fee, state_fee

ON = dt.date(2026, 3, 2)
BASE = {("book", "adult"): 13000, ("card", "adult"): 3000, ("both", "adult"): 16000,
        ("book", "teen"): 13000, ("card", "teen"): 3000, ("both", "teen"): 16000,
        ("book", "minor"): 10000, ("card", "minor"): 1500, ("both", "minor"): 11500}


@pytest.mark.parametrize("product, group", sorted(BASE))
@pytest.mark.parametrize("expedite", [False, True])
@pytest.mark.parametrize("delivery", [False, True])
@pytest.mark.parametrize("file_search", [False, True])
def test_every_product_age_and_service(product: str, group: str, expedite: bool,
                                       delivery: bool, file_search: bool) -> None:
    if delivery and product == "card":
        with pytest.raises(ValidationError, match="books only"):
            state_fee(product, group, ON, expedite=expedite, delivery=delivery,
                      file_search=file_search)
        return
    fee = state_fee(product, group, ON, expedite=expedite, delivery=delivery,
                    file_search=file_search)
    want = BASE[(product, group)] + 6000 * expedite + 2205 * delivery + 15000 * file_search
    assert fee.total_cents == want
    assert len(fee.lines) == (2 if product == "both" else 1) + expedite + delivery + file_search


def test_fees_follow_their_effective_dates() -> None:
    with pytest.raises(Exception, match="1-2 day return delivery|delivery"):
        state_fee("book", "adult", dt.date(2024, 6, 1), delivery=True)
    assert state_fee("book", "adult", dt.date(2024, 6, 1)).total_cents == 13000
    with pytest.raises(Exception, match="No State Department fee"):
        state_fee("book", "adult", dt.date(2020, 1, 1))


def test_city_fees_come_from_the_city_schedules() -> None:
    exec_fee = city_fee("EXEC", ON)
    assert (exec_fee.amount_cents, exec_fee.fund, exec_fee.gl_code) == (3500, "100", "100-4130")
    photo = city_fee("photo", ON)
    assert photo.amount_cents == 1500 and photo.gl_code == "100-4135" and photo.source


def test_every_row_names_its_source() -> None:
    d = rules.data()
    for row in (*d.state, *d.extras, *d.city):
        assert row.source and row.amount_cents > 0
    for e in d.evidence:
        assert e.source


@pytest.mark.parametrize("birth, group", [
    (dt.date(2010, 3, 3), "minor"),   # 15, 16 tomorrow
    (dt.date(2010, 3, 2), "teen"),    # 16 today
    (dt.date(2008, 3, 3), "teen"),    # 17
    (dt.date(2008, 3, 2), "adult"),   # 18 today
    (dt.date(2026, 3, 1), "minor"),   # a baby
])
def test_age_groups(birth: dt.date, group: str) -> None:
    assert age_group(birth, ON) == group


def test_age_on_leap_day_and_bad_births() -> None:
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
    with pytest.raises(ValidationError, match="after"):
        age_group(dt.date(2027, 1, 1), ON)
    with pytest.raises(ValidationError):
        age_group(dt.date(1800, 1, 1), ON)


def test_bad_rules_file_is_refused(tmp_path: Path) -> None:
    src = rules.data_dir()
    for name in ("fees.toml", "rules.toml", "evidence.toml"):
        (tmp_path / name).write_text((src / name).read_text())
    fees = (tmp_path / "fees.toml").read_text()
    (tmp_path / "fees.toml").write_text(fees.replace('amount = "30.00"', 'amount = "thirty"'))
    with pytest.raises(ValidationError, match="state_fee #2"):
        rules.load(tmp_path)
    (tmp_path / "fees.toml").write_text(fees.replace(
        'source = "22 CFR 22.1 Schedule of Fees item 4 (passport file search)"', 'source = ""'))
    with pytest.raises(ValidationError, match="source"):
        rules.load(tmp_path)
