"""How long a permit runs: whole calendar quarters, or a number of days (a visitor permit).

Why quarters: the permit year is kept in calendar quarters so renewal notices go out once a
quarter for everything that expires with it (the coordinator's "quarterly renewal notices"),
and a permit bought in the middle of a quarter runs to that quarter's end (no proration:
RMC 10.52.080, data/permits/permits.toml).
"""

from __future__ import annotations

import datetime as dt

from clerk_tui.domain.permits.rules import PermitType


def quarter_end(d: dt.date) -> dt.date:
    """The last day of the calendar quarter holding `d`."""
    month = (d.month - 1) // 3 * 3 + 3
    nxt = dt.date(d.year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def valid_until(ptype: PermitType, start: dt.date) -> dt.date:
    """The last valid day of a permit of `ptype` that starts on `start`."""
    if ptype.days:
        return start + dt.timedelta(days=ptype.days - 1)
    end = quarter_end(start)
    for _ in range(ptype.quarters - 1):
        end = quarter_end(end + dt.timedelta(days=1))
    return end
