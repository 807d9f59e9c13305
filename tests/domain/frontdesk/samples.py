"""One payable front-desk record per call, for tests that pay every item kind (the
cross-process void test, whose REFERENCES fix each amount): each returns its reference."""

from __future__ import annotations

import datetime as dt
import itertools

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.frontdesk import access, records, repos, vehicles

_n = itertools.count(1)


def _clerk(db: Database) -> Actor:
    if db.scalar("SELECT 1 FROM clerks WHERE username = 'fdsample'") is None:
        auth.add_clerk(db, SYSTEM, "fdsample", "Sample clerk", "csr2", "3333")
        access.set_clearance(db, auth.clerk_actor(db, "admin", "ws-test"), "fdsample", True,
                             "tests")
    return auth.clerk_actor(db, "fdsample", "ws-test")


def copy_fee(db: Database) -> str:
    clerk = _clerk(db)
    r = records.intake(db, clerk, "Sample Requester", "", "Logs", clock.today(), "mail")
    r = records.prepare(db, clerk, r.id, 10, "Logs")
    assert records.copy_fee(r) == 100
    return r.number


def release_fee(db: Database) -> str:
    clerk = _clerk(db)
    n = next(_n)
    v = vehicles.store(db, clerk, f"SMP{n:04d}", f"1HGCM82633A{n:06d}", "Sample", "",
                       clock.today(), "22651")
    assert vehicles.release_fee(v) == 17500
    return v.reference


def repo_fee(db: Database) -> str:
    clerk = _clerk(db)
    taken = clock.now().replace(microsecond=0) - dt.timedelta(hours=1)
    r = repos.intake(db, clerk, "Sample Recovery", "Sample Debtor", f"RP{next(_n):04d}",
                     "1N4AL3AP8JC123456", "Sample", taken, taken)
    r = repos.record_payer(db, clerk, r.id, "Sample Debtor", "debtor")
    return r.reference


def subpoena_deposit(db: Database) -> str:
    from clerk_tui.domain.frontdesk import subpoenas

    clerk = _clerk(db)
    appear = (clock.now() + dt.timedelta(days=10)).replace(microsecond=0)
    s = subpoenas.accept(db, clerk, "civil", "Ofc. Sample", f"CV-{next(_n)}", "Dept 1",
                         appear, "Sample LLP")
    assert s.deposit_cents == 27500
    return s.reference


def letter_fee(db: Database) -> str:
    from clerk_tui.domain.frontdesk import desk

    letter = desk.request_letter(db, _clerk(db), "Sample Person", "1990-01-01", "Visa",
                                 "CA DL D1234567")
    assert desk.letter_fee() == 2500
    return letter.reference


def registration_fee(db: Database) -> str:
    """A registrant registered today; the fee is taken only by a cleared clerk, so every clerk
    with an open drawer (the payers of the void test) is cleared first."""
    from clerk_tui.domain.frontdesk import registrants

    admin = auth.clerk_actor(db, "admin", "ws-test")
    for row in db.all("SELECT DISTINCT clerk FROM drawer_sessions WHERE state = 'open'"):
        if not access.may_see_records(db, auth.clerk_actor(db, row["clerk"], "ws-test")):
            access.set_clearance(db, admin, row["clerk"], True, "tests")
    reg = registrants.register(db, _clerk(db), f"Sample, Person {next(_n)}", "1980-01-01",
                               "290", "1 Sample St", clock.today())
    return reg.fee_reference
