"""The fee schedule is effective-dated data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.fees import fee_schedule, load_fees


def test_price_in_force_on_a_date() -> None:
    s = fee_schedule()
    assert s.get("buspass", dt.date(2026, 6, 30)).amount_cents == 4500
    assert s.get("BUSPASS", dt.date(2026, 7, 1)).amount_cents == 5000
    assert s.get("NSF1").amount_cents == 2500 and s.get("NSF2").amount_cents == 3500
    with pytest.raises(NotFound, match="not in effect"):
        s.get("BUSPASS", dt.date(2020, 1, 1))
    with pytest.raises(NotFound):
        s.get("NOSUCH")
    codes = [f.code for f in s.current(dt.date(2026, 3, 2))]
    assert "COPY" in codes and codes == sorted(codes)


def test_bad_schedule_refused(tmp_path: Path) -> None:
    p = tmp_path / "fees.toml"
    p.write_text('[[fee]]\ncode="X"\ndescription="x"\namount="1e3"\nfund="1"\ngl_code="1"\n'
                 'effective="2020-01-01"\n')
    with pytest.raises(ValidationError, match="not an amount"):
        load_fees(p)
    p.write_text('[[fee]]\ncode="X"\ndescription="x"\namount="1.00"\nfund="1"\n'
                 'effective="2020-01-01"\n')
    with pytest.raises(ValidationError, match="gl_code"):
        load_fees(p)
