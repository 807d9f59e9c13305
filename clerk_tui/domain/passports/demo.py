"""Demo data for the sandbox: acceptance agents (one lapsed, one about to lapse), the
facility's compliance date, a month of applications executed day by day with their State fee
checks and execution fees paid in the day's drawer, envelopes (one returned application, one
hand-carried envelope not yet gone, one executed application not yet sent: both overdue), and
appointments for today and the next days.

Everything goes through the real domain functions (so the demo obeys every rule), inside ONE
outer transaction (nested `db.write()` joins it), which keeps a reset sandbox fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier import (
    DrawerCount,
    Tender,
    approve_session,
    open_session,
    post_payment,
    submit_count,
)
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.items import SaleItem
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.passports import (
    agents,
    applications,
    appointments,
    instruments,
    transmittals,
)
from clerk_tui.domain.passports.items import reference
from clerk_tui.domain.utility.calendar import is_business_day

FIRST = ("Ana", "Ben", "Cruz", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "June", "Kai", "Lena")
LAST = ("Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Fong", "Garcia", "Hughes", "Ito", "Jones")


@dataclass(frozen=True)
class PassportDemo:
    applications: int
    transmittals: int
    appointments: int


@contextlib.contextmanager
def _at(when: dt.datetime) -> Iterator[None]:
    """The clock at `when` for the block, then back to what it was (fixed or running):
    `clock.frozen` lets the clock run after it, which would unpin a caller's fixed day."""
    before = clock._fixed  # noqa: SLF001 - read only, to put it back
    clock.set_fixed(when)
    try:
        yield
    finally:
        clock.set_fixed(before)


def _open(d: dt.date) -> bool:
    """A business day; a year the holiday list does not cover counts weekdays (demo only)."""
    try:
        return is_business_day(d)
    except ValidationError:
        return d.weekday() < 5


def _business_days_before(day: dt.date, n: int) -> list[dt.date]:
    out: list[dt.date] = []
    d = day
    while len(out) < n:
        d -= dt.timedelta(days=1)
        if _open(d):
            out.append(d)
    return sorted(out)


def generate(db: Database, *, seed: int = 1, days: int = 20, agent: str = "csr2",
             supervisor: str = "super") -> PassportDemo:
    rnd = random.Random(seed)
    today = clock.today()
    real_now = clock.now()
    admin = auth.clerk_actor(db, "admin", "demo-1")
    sup = auth.clerk_actor(db, supervisor, "demo-1")
    actor = auth.clerk_actor(db, agent, "demo-1")
    napps = ntrans = nappts = 0
    with db.write():
        past = _business_days_before(today, days)
        with _at(dt.datetime.combine(past[0], dt.time(8, 0))):
            agents.record_certification(db, admin, "csr1", past[0] - dt.timedelta(days=60))
            agents.record_certification(db, admin, "csr2", past[0] - dt.timedelta(days=320))
            agents.record_certification(db, admin, "csr3", past[0] - dt.timedelta(days=420))
            agents.record_certification(db, admin, "super", past[0] - dt.timedelta(days=100))
            agents.set_compliance_date(db, admin, today + dt.timedelta(days=30))
        n = 0
        for i, day in enumerate(past):
            with _at(dt.datetime.combine(day, dt.time(9, 0))):
                open_session(db, actor)
                done: list[str] = []
                family: list[applications.Application] = []
                for _ in range(rnd.randint(1, 4)):
                    n += 1
                    last = LAST[rnd.randrange(len(LAST))]
                    minor = rnd.random() < 0.3
                    age = rnd.randint(2, 15) if minor else rnd.randint(18, 80)
                    birth = day.replace(year=day.year - age) - dt.timedelta(days=rnd.randint(1, 300))
                    product = rnd.choice(("book", "book", "book", "card", "both"))
                    app = applications.start(
                        db, actor, f"{FIRST[rnd.randrange(len(FIRST))]} {last}", birth,
                        product, expedite=rnd.random() < 0.2,
                        delivery=product != "card" and rnd.random() < 0.1,
                        parents=f"Pat {last}" if minor else "")
                    photo = "here" if rnd.random() < 0.5 else "brought"
                    for step, answer in (("citizenship", rnd.choice(("BC", "PP", "NAT"))),
                                         ("identity", "PARENT" if minor else "DL"),
                                         ("copies", "yes"), ("photo", photo), ("oath", "yes"),
                                         ("signature", "yes"), ("sealed", "yes")):
                        applications.record_step(db, actor, app.number, step, answer)
                    if minor:
                        applications.record_step(db, actor, app.number, "consent", "ds3053",
                                                 notarised_on=day - dt.timedelta(days=20),
                                                 id_copy=True)
                    family.append(app)
                    instruments.record(db, actor, [app.number],
                                       rnd.choice(("check", "money_order")),
                                       str(1000 + n), app.state_fee_cents, f"Pat {last}")
                    items = [SaleItem("passport", reference(app.number, "EXEC"))]
                    if photo == "here":
                        items.append(SaleItem("passport", reference(app.number, "PHOTO")))
                    total = 3500 + (1500 if photo == "here" else 0)
                    post_payment(db, actor, f"demo-ppt-{day.isoformat()}-{n}", items,
                                 [Tender("cash", total)], payer=f"Pat {last}")
                    applications.execute(db, actor, app.number)
                    done.append(app.number)
                    napps += 1
                session = current_session(db, actor)
                assert session is not None
                submit_count(db, actor, DrawerCount(make_change(cash_on_hand(db, session))))
                approve_session(db, sup, session.id)
                # Every day's applications go out by mail that day, except: four business
                # days ago a hand-carried envelope that has not left (overdue), three days ago
                # applications nobody sent (overdue), and yesterday's (waiting, not late).
                if i == len(past) - 4:
                    transmittals.create(db, actor, done, f"HAND-{day.strftime('%Y%m%d')}",
                                        "hand")
                    ntrans += 1
                elif i not in (len(past) - 3, len(past) - 1):
                    transmittals.create(db, actor, done, f"EZ{day.strftime('%Y%m%d')}US")
                    ntrans += 1
                if i == 5:
                    transmittals.mark_returned(db, actor, done[0], "Photo rejected: glasses")
        with _at(real_now), contextlib.suppress(ValidationError):
            # (a year the holiday list does not cover books no appointments: it says why)
            slots = [dt.time(9, 0), dt.time(9, 30), dt.time(10, 30), dt.time(11, 0)]
            day = today
            booked = 0
            while booked < 10:
                if is_business_day(day):
                    for who, t in zip(("csr1", "csr2", "csr1"), rnd.sample(slots, 3),
                                      strict=True):
                        a = appointments.book(db, actor, day, t.strftime("%H:%M"), who,
                                              f"{FIRST[rnd.randrange(len(FIRST))]} "
                                              f"{LAST[rnd.randrange(len(LAST))]}")
                        booked += 1
                        if day == today and booked == 1 and clock.now().hour >= 9:
                            appointments.no_show(db, actor, a.id)
                day += dt.timedelta(days=1)
            nappts = booked
    return PassportDemo(napps, ntrans, nappts)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> PassportDemo:
    """The passports counter's share of a new sandbox (its manifest's `demo`)."""
    return generate(db, seed=seed)
