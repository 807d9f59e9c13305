"""Sandbox demo data for the front desk: every record kind, fictional people only.

Built through the real domain functions (so it obeys every rule) in a fraction of a second:
csr2 and the supervisor are cleared for police records (csr3 is deliberately not, to show an
uncleared clerk seeing nothing); visitors in and out today; records requests received, extended,
overdue, ready for a copy fee, and a victim's free copy; stored and impounded vehicles;
repossessions (one with the debtor recorded as payer, ready for the fee); registrants of each
type, one overdue; subpoenas (a civil one with its deposit due, a criminal, a records one);
phone messages, ride-along applications (one booked) and a clearance letter awaiting its fee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.frontdesk import (
    access,
    desk,
    records,
    registrants,
    repos,
    subpoenas,
    vehicles,
    visitors,
)


@dataclass(frozen=True)
class FrontDeskDemo:
    visitors: int
    requests: int
    vehicles: int
    repos: int
    registrants: int
    subpoenas: int


def generate(db: Database, workstation: str = "demo-1") -> FrontDeskDemo:
    admin = auth.clerk_actor(db, "admin", workstation)
    for who in ("csr2", "super"):
        access.set_clearance(db, admin, who, True, "demo: background check passed")
    clerk = auth.clerk_actor(db, "csr2", workstation)
    today = clock.today()
    now = clock.now().replace(microsecond=0)

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    people = [("Avery Quill", "Northwind Supply", "Det. R. Ortega", "Evidence pickup", True),
              ("Blake Fenn", "", "Lt. S. Marsh", "Interview", True),
              ("Casey Dunmore", "City IT", "Records unit", "Printer repair", False),
              ("Dana Whitlock", "Acme Couriers", "Chief's office", "Delivery", True)]
    for n, (name, company, whom, why, seen) in enumerate(people):
        v = visitors.check_in(db, clerk, name, company, whom, why, seen)
        if n % 2:
            visitors.check_out(db, clerk, v.badge)

    reqs = [("Jordan Pike, Valley Herald", "jpike@example.org", "Use-of-force reports 2025",
             ago(20), "email", False),
            ("Morgan Hale", "555-0142", "Incident report of my burglary", ago(3), "counter",
             False),
            ("R. Sato (victim)", "555-0177", "Incident report face sheet", ago(1), "counter",
             True),
            ("Lee Brandt", "lbrandt@example.com", "Dispatch logs March", ago(8), "web", False)]
    made = [records.intake(db, clerk, *r) for r in reqs]
    records.extend(db, clerk, made[3].id,
                   records.words("cpra", "extension_reasons")[1], 14)
    records.prepare(db, clerk, made[1].id, 12, "Incident report 26-00412, redacted",
                    "Witness phone numbers", records.words("cpra", "exemptions")[1])
    records.prepare(db, clerk, made[2].id, 3, "Face sheet and report")

    reason_codes = [r.code for r in vehicles.reasons()]
    cars = [("7ABC123", "1HGCM82633A004352", "Honda Accord", "Pat Lowry", ago(5), "14602.6"),
            ("5XYZ987", "2T1BURHE0JC014321", "Toyota Corolla", "Kim Ardent", ago(1), "22651"),
            ("8LMN456", "3FA6P0H73HR123456", "Ford Fusion", "Sky Mercer", ago(40), "14602.6")]
    for plate, vin, make, owner, stored, code in cars:
        if code in reason_codes:
            vehicles.store(db, clerk, plate, vin, make, owner, stored, code)

    taken = now - dt.timedelta(hours=3)
    repos.intake(db, clerk, "Bayline Adjusters", "Robin Kale", "4TUV654", "JM1BL1SF7A1234567",
                 "Mazda 3", taken - dt.timedelta(days=2),
                 taken - dt.timedelta(days=2) + dt.timedelta(minutes=90))
    # The newest (first on the list, the bench's row): its debtor recorded as payer.
    r1 = repos.intake(db, clerk, "Golden State Recovery", "Terry Vance", "6QRS321",
                      "1N4AL3AP8JC123456", "Nissan Altima", taken, taken + dt.timedelta(minutes=20))
    repos.record_payer(db, clerk, r1.id, "Terry Vance", "debtor")

    regs = [("Quinn Harrow", dt.date(1980, 3, 4), "290", "12 Elm Ct", ago(360), False, False),
            ("Rowan Ashby", dt.date(1975, 7, 19), "290", "", ago(25), True, False),
            ("Sage Brennan", dt.date(1990, 11, 2), "457.1", "88 Ridge Rd", ago(100), False,
             False),
            ("Tatum Greer", dt.date(1985, 5, 30), "186.30", "5 Canal St", ago(200), False,
             False),
            ("Uma Castell", dt.date(1968, 9, 9), "290", "301 Oak Ave", ago(95), False, True)]
    for name, born, code, address, registered, transient, special in regs:
        registrants.register(db, clerk, name, born, code, address, registered,
                             tier="2" if code == "290" else "", transient=transient,
                             special_class=special)
    court = (now + dt.timedelta(days=14)).replace(hour=9, minute=0, second=0)
    subpoenas.accept(db, clerk, "civil", "Ofc. R. Ortega #412", "CV-26-0101",
                     "Superior Court Dept 4", court, "Lane & Pike LLP", days=2)
    subpoenas.accept(db, clerk, "criminal", "Ofc. R. Ortega #412", "CR-26-0077",
                     "Superior Court Dept 12", court + dt.timedelta(days=1), "District Attorney")
    subpoenas.accept(db, clerk, "records", "Custodian of records", "CV-26-0150",
                     "Superior Court Dept 2", court + dt.timedelta(days=3), "Lane & Pike LLP")
    desk.take_message(db, clerk, "Jamie Rowe", "555-0199", "Det. R. Ortega",
                      "Has new information on the bicycle thefts; call after 3 pm")
    done = desk.take_message(db, clerk, "Court clerk, Dept 4", "555-0123", "Ofc. R. Ortega #412",
                             "Hearing CV-26-0101 confirmed")
    desk.message_done(db, clerk, done.id)
    ride = desk.apply_ridealong(db, clerk, "Morgan Ellis", dt.date(1995, 4, 12), "555-0150",
                                True)
    desk.ridealong_background(db, clerk, ride.id, "clear")
    desk.ridealong_appointment(db, clerk, ride.id, f"{today + dt.timedelta(days=6)} 18:00 swing")
    desk.apply_ridealong(db, clerk, "Riley Stone", dt.date(2001, 8, 30), "555-0161", False)
    desk.request_letter(db, clerk, "Kim Ardent", dt.date(1990, 5, 5), "Visa application",
                        "CA DL D7654321")
    return FrontDeskDemo(len(people), len(reqs), len(cars), 2, len(regs), 3)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> FrontDeskDemo:
    """The front desk's share of a new sandbox (its manifest's `demo`)."""
    return generate(db)
