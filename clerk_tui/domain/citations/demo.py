"""Sandbox demo data for the citations counter: a few thousand citations across the past year
(many plates, some with five or more: boot/tow), registered owners taken from the utility
town's customers (names and addresses overlap), monthly notice runs and DMV holds, reviews
(pending, upheld, dismissed), plans, dismissals, and payments taken today through a real
drawer (csr1: opened, paid, counted, approved).

Everything goes through the real domain functions; the citations themselves are one
`executemany`-sized write (checked rows, one audit row), so the build takes seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, clock
from clerk_tui.domain.citations import contest, dmv, notices, plans
from clerk_tui.domain.citations.imports import name_key
from clerk_tui.domain.citations.numbers import make_citation_number
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import NewCitation, check_new, insert_citation

FIRST_SERIAL = 500_001
PRACTICE_PLATE = "7DEMO01"
"""The README's example plate: six citations, one of them on a DMV hold."""
_CODES = ("MC10.12.040", "MC10.20.010", "MC10.16.020", "22500(E)", "22514", "MC10.12.070",
          "4000(A)", "22507.8")
_WEIGHTS = (30, 25, 12, 8, 8, 8, 6, 3)
_STREETS = ("Main St", "Oak Ave", "Elm St", "1st St", "Civic Center Dr", "Harbor Blvd")


@dataclass(frozen=True)
class CitationDemo:
    citations: int
    plates: int
    paid: int
    receipts: int


def _plate(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{''.join(rng.choices('ABCDEFGHJKLMNPRSTUVWXYZ', k=3))}" \
           f"{rng.randint(0, 999):03d}"


def dmv_style(name: str) -> str:
    """A person's name as DMV's owner response spells it ("WEBSTER, RODNEY"): searched by the
    start of the surname. A company's name stays as it is."""
    words = name.split()
    if len(words) == 2 and "," not in name:
        return f"{words[1]}, {words[0]}".upper()
    return name.upper()


def generate(db: Database, *, seed: int = 4, count: int = 2000,
             clerk: str = "csr1", supervisor: str = "super") -> CitationDemo:
    rng = random.Random(seed)
    actor = auth.clerk_actor(db, clerk, "demo-1")
    sup = auth.clerk_actor(db, supervisor, "demo-1")
    today = clock.today()
    rules = citation_rules()
    plates = [PRACTICE_PLATE] + [_plate(rng) for _ in range(max(10, count // 4))]
    people = db.all("SELECT c.name, a.service_address FROM customers c JOIN accounts a "
                    "ON a.customer_id = c.id ORDER BY c.id LIMIT ?", [len(plates)])
    rows: list[NewCitation] = []
    for i in range(count):
        plate = PRACTICE_PLATE if i < 6 else plates[min(int(rng.paretovariate(1.3)),
                                                        len(plates) - 1)
                                                    if rng.random() < 0.3
                                                    else rng.randrange(1, len(plates))]
        issued = dt.datetime.combine(today - dt.timedelta(days=rng.randint(0, 364)),
                                     dt.time(rng.randint(7, 18), rng.choice((0, 15, 30, 45))))
        if i < 6:
            issued = dt.datetime.combine(today - dt.timedelta(days=120 - 15 * i),
                                         dt.time(9, 0))
        code = rng.choices(_CODES, _WEIGHTS)[0]
        fine = rules.violation(code, issued.date()).fine_cents
        rows.append(check_new(NewCitation(
            make_citation_number(FIRST_SERIAL + i), issued,
            f"{rng.randint(100, 2999)} {rng.choice(_STREETS)}", plate, "CA",
            None, rng.choice(("TOYT", "HOND", "FORD", "CHEV", "NISS", "TSLA")),
            rng.choice(("BLK", "WHT", "SIL", "BLU", "RED", "GRY")), "4D", code, fine,
            f"P{rng.randint(10, 60)}")))
    with db.write():
        for c in rows:
            insert_citation(db, actor, c, source="demo")
        for n, plate in enumerate(sorted(set(c.plate for c in rows))):
            if n % 10 == 9 and plate != PRACTICE_PLATE:
                continue  # no DMV response yet: the notice run counts these
            who = people[n % len(people)] if people else {"name": f"OWNER {n}",
                                                          "service_address": "City"}
            name = dmv_style(who["name"])
            db.insert("citation_owners", {
                "plate": plate, "state": "CA", "name": name,
                "name_key": name_key(name), "address": who["service_address"],
                "responded_on": (today - dt.timedelta(days=400)).isoformat(),
                "import_id": None, "at": clock.stamp()})
        audit.record(db, actor, "citation.demo", "citations:demo",
                     after={"citations": len(rows)})
    by_number = {r["number"]: r for r in db.all(
        "SELECT id, number, plate, issued_on FROM citations WHERE source = 'demo'")}
    numbers = [c.number for c in rows]
    # Reviews on a few young citations (before their notices): pending, upheld, dismissed.
    young = [n for n in numbers[6:] if (today - dt.date.fromisoformat(
        by_number[n]["issued_on"])).days <= 20]
    for k, n in enumerate(young[:24]):
        issued_on = dt.date.fromisoformat(by_number[n]["issued_on"])
        contest.request_review(db, actor, n, on=issued_on + dt.timedelta(days=2))
        if k % 3 == 1 and issued_on + dt.timedelta(days=5) <= today:
            contest.record_review_result(db, sup, n, "UPHELD", "photos show the sign",
                                         on=issued_on + dt.timedelta(days=5))
        elif k % 3 == 2 and issued_on + dt.timedelta(days=5) <= today:
            contest.record_review_result(db, sup, n, "DISMISSED", "meter was broken",
                                         on=issued_on + dt.timedelta(days=5))
    # Monthly notice and hold runs over the year.
    for back in range(330, -1, -30):
        day = today - dt.timedelta(days=back)
        notices.send_notices(db, sup, day)
        dmv.place_holds(db, sup, day)
    return _payments_and_plans(db, actor, sup, numbers, len(set(c.plate for c in rows)), rng)


def _payments_and_plans(db: Database, actor, sup, numbers: list[str], plate_count: int,
                        rng: random.Random) -> CitationDemo:
    from clerk_tui.domain.cashier import (
        DrawerCount,
        SaleItem,
        Tender,
        approve_session,
        open_session,
        post_payment,
        price_items,
        submit_count,
    )
    from clerk_tui.domain.cashier.denominations import make_change
    from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
    from clerk_tui.domain.citations.store import by_plate

    today = clock.today()
    open_session(db, actor)
    paid = receipts = 0
    plates_done: set[str] = set()
    for n in numbers[6:]:
        if len(plates_done) >= 160:
            break
        plate = db.scalar("SELECT plate FROM citations WHERE number = ?", [n])
        if plate in plates_done or rng.random() < 0.5:
            continue
        plates_done.add(plate)
        owed = [v.number for v in by_plate(db, plate, "CA", today)
                if v.due.due_cents > 0 and v.due.status in ("open", "partial", "hold")]
        if not owed:
            continue
        items = [SaleItem("citation", x) for x in owed[:6]]
        total = price_items(db, items).total_cents
        tender = Tender("card", total, card_last4="4242", auth_code="DEMO01") \
            if receipts % 3 else Tender("cash", -(-total // 2000) * 2000)
        post_payment(db, actor, f"demo-cit-{today.isoformat()}-{receipts}", items, [tender],
                     payer="Demo payer")
        paid += len(items)
        receipts += 1
    session = current_session(db, actor)
    assert session is not None
    submit_count(db, actor, DrawerCount(make_change(cash_on_hand(db, session))))
    approve_session(db, sup, session.id)
    # Plans for a few plates (benefits), which releases their holds.
    made = 0
    for r in db.all("SELECT DISTINCT plate FROM citations WHERE source = 'demo' "
                    "AND plate != ? ORDER BY plate LIMIT 400", [PRACTICE_PLATE]):
        if made >= 8:
            break
        if r["plate"] in plates_done:
            continue
        try:
            plans.create_plan(db, sup, r["plate"], "CA", "Demo person", "benefits", 3)
            made += 1
        except Exception:  # noqa: BLE001 - a plate with nothing a plan can take
            continue
    return CitationDemo(len(numbers), plate_count, paid, receipts)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> CitationDemo:
    """The citations counter's share of a new sandbox (its manifest's `demo`)."""
    return generate(db, seed=seed)
