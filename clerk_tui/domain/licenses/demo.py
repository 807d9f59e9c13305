"""Demo data for the sandbox (and the lookup bench): a few thousand businesses across the
classes, some home occupations, some in the Downtown BID, some delinquent, pending reviews,
and three upcoming special events (one nonprofit, one still without insurance).

Why not `records.apply` per business: thousands of transactions (each with its audit row) take
far too long for a sandbox reset. The rows are computed with the same pure functions (the tax,
proration, CASp split, BID formula, routing, number with check digit) and written with
`executemany` in ONE transaction closed by one audit row. Licenses issued before this year were
paid in the old system: their payments are conversion rows (no receipt, no money moved here).
A handful are made through the real `records.apply` so a trainee sees the real path too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses import tax as taxmod
from clerk_tui.domain.licenses.numbers import FIRST_SERIAL, license_number
from clerk_tui.domain.licenses.records import Application, key
from clerk_tui.domain.licenses.rules import license_rules

DEMO_LICENSES = 3000
FIRST = ("Blue", "Golden", "Valley", "Oak", "Summit", "River", "Pioneer", "Cedar", "Sunrise",
         "Main Street", "Redwood", "Harbor", "Granite", "Orchard", "Lakeside", "Mission",
         "Sierra", "Willow", "Eagle", "Bright")
SECOND = {"238": ("Electric", "Plumbing", "Roofing", "Painting", "HVAC"),
          "445": ("Market", "Grocery", "Deli", "Liquor"),
          "448": ("Boutique", "Outfitters", "Shoes", "Threads"),
          "541": ("Law Group", "Accounting", "Design", "Engineering", "Consulting"),
          "722": ("Cafe", "Bistro", "Taqueria", "Pizza", "Grill", "Brewing"),
          "812": ("Salon", "Barbers", "Nails", "Spa"),
          "453": ("Crafts", "Quilts", "Candles", "Pottery"),
          "561": ("Cleaning", "Staffing", "Office Services", "Landscaping")}
SURNAMES = ("Garcia", "Nguyen", "Smith", "Patel", "Johnson", "Lee", "Martinez", "Brown",
            "Kim", "Lopez", "Chen", "Davis", "Wilson", "Singh", "Rivera", "Clark", "Hall",
            "Young", "Allen", "Wright")
GIVEN = ("Ana", "Tom", "Maria", "Sam", "Priya", "Luis", "Grace", "Omar", "Jo", "Dee",
         "Ken", "Rosa", "Ben", "Mei", "Ivan", "Lena")
STREETS = ("Elm St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Ln", "Lincoln Blvd",
           "Washington St", "Park Ave", "Hill St", "Lake Dr")
SUFFIX = {"sole": "", "partnership": " & Co", "corporation": " Inc", "llc": " LLC"}


@dataclass(frozen=True)
class LicenseDemo:
    licenses: int
    delinquent: int
    in_review: int
    bench_number: str
    """A flat-tax license, issued and paid for this year: its renewal notice is the bench's."""


def build(db: Database, count: int = DEMO_LICENSES, seed: int = 14) -> LicenseDemo:
    """Add `count` licenses in one transaction (plus a few through the real functions)."""
    rules = license_rules()
    today = clock.today()
    year = today.year
    g = rules.general_on(dt.date(year, 1, 1))
    casp = taxmod.casp_split(g)
    zones = rules.zones_on(today)
    rng = random.Random(seed)
    classes = [c.code for c in rules.classes_on(today)]
    stamp = clock.stamp()
    first_id = int(db.scalar("SELECT coalesce(max(id), 0) FROM licenses")) + 1
    lic_rows, owner_rows, term_rows, pay_rows, review_rows, hist_rows = [], [], [], [], [], []
    term_id = int(db.scalar("SELECT coalesce(max(id), 0) FROM license_terms")) + 1
    delinquent = in_review = 0
    for i in range(count):
        lid = first_id + i
        code = rng.choice(classes)
        cls = rules.class_on(code, today)
        ownership = rng.choice(("sole", "sole", "partnership", "corporation", "llc"))
        owner = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
        owners = owner if ownership == "sole" else f"{owner}, {rng.choice(GIVEN)} " \
            f"{rng.choice(SURNAMES)}"
        word = rng.choice(SECOND[code])
        name = f"{rng.choice(FIRST)} {word}{SUFFIX.get(ownership, '')}"
        dba = f"{rng.choice(FIRST)} {word}" if rng.random() < 0.3 else ""
        roll = rng.random()
        location = "home" if code == "453" or roll < 0.05 else \
            "out_of_town" if roll < 0.10 else "in_city"
        if location == "in_city" and rng.random() < 0.15:
            address = f"{rng.randint(100, 899)} Main St"
        else:
            address = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
        if location == "out_of_town":
            address += ", Fresno"
        employees = rng.randint(0, 40)
        receipts = rng.randint(20, 3000) * 1000_00 if cls.base == "gross_receipts" else None
        contractor = str(rng.randint(100000, 999999)) if cls.contractor_license else ""
        start = dt.date(rng.randint(year - 15, year), rng.randint(1, 12), rng.randint(1, 28))
        if start > today:
            start = today - dt.timedelta(days=rng.randint(1, 60))
        state = rng.random()
        status = "issued"
        if state < 0.04:
            status = "delinquent"
        elif state < 0.07 and start.year == year:
            status = "in_review"
        elif state < 0.09:
            status = "closed"
        zone = taxmod.bid_zone_for(address, zones) if location != "out_of_town" else None
        number = license_number(FIRST_SERIAL + lid)
        lic_rows.append((lid, number, name, key(name), dba, key(dba), ownership, owners,
                         address, key(address), location, "", "", "", code, start.isoformat(),
                         employees, contractor, zone.code if zone else "", status, stamp,
                         "system"))
        for o in owners.split(", "):
            owner_rows.append((lid, o, key(o)))
        new_business = start.year == year
        tax = taxmod.term_tax(cls, g, location=location, year=year, start=start,
                              new_business=new_business, employees=employees,
                              gross_receipts_cents=receipts)
        bid = taxmod.bid_assessment(zone, tax) if zone else 0
        hop = g.home_occupation_fee_cents if location == "home" and new_business else 0
        due_on = records.new_term_due(g, dt.date(year, 1, 1), start if new_business else None)
        term_rows.append((term_id, lid, year, f"{year}-01-01", f"{year}-12-31",
                          due_on.isoformat(), int(new_business), employees, receipts, tax,
                          casp.city_cents, casp.state_cents, hop, bid,
                          zone.code if zone else "", stamp, "system"))
        if status in ("issued", "closed"):
            for part, cents in (("TAX", tax), ("CASPC", casp.city_cents),
                                ("CASPS", casp.state_cents), ("HOP", hop), ("BID", bid)):
                if cents:
                    pay_rows.append((lid, term_id, part, cents, "", "", None,
                                     due_on.isoformat(), stamp))
        if status == "delinquent":
            delinquent += 1
        if status == "in_review":
            in_review += 1
            opened = (today - dt.timedelta(days=rng.randint(0, 45))).isoformat()
            for dept, reason in records.route(rules, code, location, today) or \
                    [("planning", "Zoning check")]:
                review_rows.append((lid, dept, reason, opened))
        hist_rows.append((lid, stamp, "system", "converted", f"status {status}"))
        term_id += 1
    with db.write():
        db.executemany(
            "INSERT INTO licenses (id, number, business_name, name_key, dba, dba_key, ownership, "
            "owners, address, address_key, location, mailing_address, phone, email, class_code, "
            "start_date, employees, contractor_no, bid_zone, status, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lic_rows)
        db.executemany("INSERT INTO license_owners (license_id, name, name_key) VALUES (?, ?, ?)",
                       owner_rows)
        db.executemany(
            "INSERT INTO license_terms (id, license_id, year, starts_on, ends_on, due_on, "
            "new_business, employees, gross_receipts_cents, tax_cents, casp_city_cents, "
            "casp_state_cents, hop_cents, bid_cents, bid_zone, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", term_rows)
        db.executemany(
            "INSERT INTO license_payments (license_id, term_id, part, amount_cents, fund, "
            "gl_code, receipt_id, paid_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            pay_rows)
        db.executemany("INSERT INTO license_reviews (license_id, department, reason, "
                       "created_at) VALUES (?, ?, ?, ?)", review_rows)
        db.executemany("INSERT INTO license_history (license_id, at, clerk, event, detail) "
                       "VALUES (?, ?, ?, ?, ?)", hist_rows)
        audit.record(db, SYSTEM, "license.demo", "licenses",
                     after={"licenses": count, "delinquent": delinquent,
                            "in_review": in_review})
    bench = records.apply(db, SYSTEM, Application(
        "Tidy Offices", "Sam Roe", "5 Elm St", "561", dba="Tidy",
        start_date=dt.date(year - 3, 5, 1)))
    with db.write():  # paid in the old system, like the converted ones
        for part, cents in bench.dues[0].parts.items():
            db.insert("license_payments", {"license_id": bench.id,
                                           "term_id": bench.current_term.id,  # type: ignore[union-attr]
                                           "part": part, "amount_cents": cents, "fund": "",
                                           "gl_code": "", "receipt_id": None,
                                           "paid_on": today.isoformat(), "created_at": stamp})
        records._set_status(db, SYSTEM, bench.id, "issued", "converted, paid")
        audit.record(db, SYSTEM, "license.demo", f"license:{bench.id}")
    records.apply(db, SYSTEM, Application("Quilts by Jo", "Jo Park", "14 Willow Ln", "453",
                                          "home"))
    records.apply(db, SYSTEM, Application("Blue Door Cafe LLC", "Ana Ruiz, Tom Lee",
                                          "210 Main St", "722", dba="Blue Door",
                                          ownership="llc", gross_receipts_cents=400_000_00,
                                          employees=6))
    from clerk_tui.domain.licenses.events import EventApplication, apply_event

    for days, (org, name, place, people, proof) in enumerate((
            ("Downtown Lions Club", "Spring Street Fair", "Main St 100-400 block", 800, ""),
            ("Valley Food Bank", "Harvest Fun Run", "Riverside Park", 300, "EIN 94-3012345"),
            ("Cedar Ln Neighbors", "Block Party", "Cedar Ln", 80, "")), start=1):
        day = today + dt.timedelta(days=7 * days)
        apply_event(db, SYSTEM, EventApplication(
            org, name, place, day, day, people, nonprofit=bool(proof), nonprofit_proof=proof,
            insurance_expires_on=day + dt.timedelta(days=365) if days != 3 else None))
    return LicenseDemo(count + 3, delinquent, in_review + 2, bench.number)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> LicenseDemo:
    """The licenses counter's share of a new sandbox (its manifest's `demo`)."""
    return build(db, DEMO_LICENSES, seed)
