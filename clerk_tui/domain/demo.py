"""Believable, deterministic demo data: the sandbox's town and the 1M-account benchmark.

Same seed and same as-of date (the clock) -> byte-for-byte the same rows. Everything random
comes from one `random.Random(seed)` consumed in a fixed order, and names come from pools that
a seeded Faker fills once up front (calling Faker per row is ~100x too slow for a million
accounts).

The town: the City of Riverton, CA (fictional), ZIP codes 95901-95915. Each account has one
customer, a service address, one meter, monthly meter reads and bills, and converted payment
history. Customers behave in a few ways: most pay on time; some pay late (30-day bucket); ~6%
stopped paying 3-5 months ago (delinquent, 60/90+ days); ~4% overpay (credit balance); ~5% pay
part of each bill; ~1.5% carry the no-checks flag; ~2% are closed, ~1% pending (no bills yet).

How it is written (why it reaches 1M accounts in minutes):
- rows are built in Python in chunks of accounts and written with `executemany`, one
  transaction per chunk (few, big transactions), with explicit ids so no row needs a read back;
- a billing batch posts ONE journal per (billing cycle, month, chunk) with one account entry per
  bill and ONE aggregated revenue entry per fund (water, sewer, refuse); converted payments post
  one journal per (payment date, chunk): one account entry per payment and one aggregated
  'clearing' entry. Every journal's entries sum to zero (checked before it is written);
- for large loads the search index triggers are suspended and the index is rebuilt once at the
  end (`search.bulk_load`);
- one audit row per chunk plus one summary row, not one per generated row.

History per account: `history_months` of monthly reads, bills and payments. The default is
12 months (a year) up to 50,000 accounts and 3 months above that: a 1M-account database with a
full year would hold ~50M rows for no benefit to the lookup benchmark. Whatever is older than
the window and still unpaid (delinquent customers) becomes 'balance_forward' entries against
'clearing', one per unpaid month on that month's bill date, so aging still shows 60/90+ day
delinquencies with a short window.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from clerk_tui.db import Database, DatabaseError
from clerk_tui.domain import account_numbers, audit, auth, clock, search
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.utility import rates

CITY = "Riverton"
STATE = "CA"
ZIPS = [f"959{n:02d}" for n in range(1, 16)]
AREA_CODES = ("530", "916", "209")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
DEMO_ACTOR = auth.shell_actor("demo", "demo", "Demo data loader")
FULL_HISTORY_LIMIT = 50_000  # up to this many accounts, a full year of history by default
MAX_ACCOUNTS = 5_000_000
BULK_INDEX_THRESHOLD = 5_000  # above this, suspend search triggers and rebuild once

# Demo bills are priced by the real rate tables (data/utility/rates.toml, through the rates
# module, effective-dated on each bill's read date), so a rate change shows up in demo data too.

_STREET_BASES = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Walnut", "Willow", "Sycamore", "Birch",
    "Washington", "Lincoln", "Jefferson", "Madison", "Lake", "Hill", "Park", "River", "Mill",
    "Church", "School", "Spring", "Orchard", "Vineyard", "Canal", "Levee", "Depot", "Harbor",
    "Sunset", "Valley", "Meadow", "Ridge", "Granite", "Quail", "Heron", "Poplar", "Magnolia",
    "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th",
)
_SUFFIXES = ("St", "St", "St", "Ave", "Ave", "Dr", "Ln", "Ct", "Way", "Blvd", "Pl", "Rd", "Cir")
_DIRECTIONS = ("N", "S", "E", "W")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class DemoSummary:
    """What a generate() call wrote (printed by `clerk-tui demo`)."""

    seed: int
    accounts: int
    history_months: int
    meters: int
    reads: int
    bills: int
    journals: int
    ledger_entries: int
    delinquent: int
    no_checks: int
    credits: int

    def __str__(self) -> str:
        return (f"{self.accounts:,} accounts ({self.delinquent:,} delinquent, "
                f"{self.no_checks:,} no-checks, {self.credits:,} in credit), "
                f"{self.bills:,} bills, {self.reads:,} meter reads, "
                f"{self.ledger_entries:,} ledger entries in {self.journals:,} journals; "
                f"{self.history_months} months of history, seed {self.seed}")


# ---- pools ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pools:
    first: list[str]
    last: list[str]
    middle: list[str]
    companies: list[str]
    streets: list[tuple[str, str]]  # (street, zip)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _pools(seed: int, accounts: int) -> _Pools:
    """Names and streets drawn once from a seeded Faker (deterministic per seed)."""
    from faker import Faker  # imported here: only the demo loader needs it

    fake = Faker("en_US")
    fake.seed_instance(seed)
    first = _unique([fake.first_name() for _ in range(1500)])
    last = _unique([fake.last_name() for _ in range(2500)])
    companies = _unique([fake.company() for _ in range(600)])
    rng = random.Random(seed * 7919 + 17)
    bases = list(_STREET_BASES) + last[:400]
    n_streets = max(40, min(4000, accounts // 150))
    streets: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(streets) < n_streets:
        # Every town has its Main St, Oak Ave … first; then streets named after people.
        k = len(streets)
        base = _STREET_BASES[k] if k < len(_STREET_BASES) else rng.choice(bases)
        name = f"{base} {_SUFFIXES[0] if k == 0 else rng.choice(_SUFFIXES)}"
        if rng.random() < 0.3:
            name = f"{rng.choice(_DIRECTIONS)} {name}"
        if name in seen:
            if len(seen) >= len(bases) * len(_SUFFIXES) * 5:
                seen.clear()
            continue
        seen.add(name)
        streets.append((name, rng.choice(ZIPS)))
    middle = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return _Pools(first, last, middle, companies, streets)


# ---- calendar -------------------------------------------------------------------------------
def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def _cycle_day(cycle: int) -> int:
    return 3 + (cycle - 1) * 7  # cycles 1-4 bill on the 3rd, 10th, 17th, 24th


def _bill_dates(as_of: dt.date, months: int, cycle: int) -> list[dt.date]:
    """The last `months` bill dates of a cycle, on or before as_of, oldest first."""
    day = _cycle_day(cycle)
    d = dt.date(as_of.year, as_of.month, day)
    if d > as_of:
        d = _add_months(d, -1)
    return [_add_months(d, -k) for k in range(months - 1, -1, -1)]


@lru_cache(maxsize=1 << 16)
def _bill_parts(hcf: int, size: str, services: str, rate_class: str,
                on: str) -> dict[tuple[str, str], int]:
    """A demo bill's charges by (fund, GL code), priced by the rates in force on `on`.

    Cached: a demo load prices millions of bills from a few hundred distinct inputs.
    """
    parts: dict[tuple[str, str], int] = {}
    for c in rates.charges(hcf, size, rate_class, services.split(","), on):
        parts[(c.fund, c.gl_code)] = parts.get((c.fund, c.gl_code), 0) + c.amount_cents
    return parts


# ---- the generator --------------------------------------------------------------------------
class _Chunk:
    """Rows for one chunk of accounts, written in one transaction."""

    def __init__(self) -> None:
        self.customers: list[tuple] = []
        self.accounts: list[tuple] = []
        self.meters: list[tuple] = []
        self.reads: list[tuple] = []
        self.bills: list[tuple] = []  # (account_id, journal_key, bill_date, due, start, end, hcf, cents)
        # journal_key -> (kind, business_date, memo, [entries]); entries are
        # (book, kind, cents, account_id, fund, gl_code, memo)
        self.journals: dict[tuple, tuple[str, str, str, list[tuple]]] = {}
        self.revenue: dict[tuple, dict[tuple[str, str], int]] = {}
        self.clearing: dict[tuple, int] = {}

    def journal(self, key: tuple, kind: str, date: str, memo: str) -> list[tuple]:
        j = self.journals.get(key)
        if j is None:
            j = (kind, date, memo, [])
            self.journals[key] = j
        return j[3]


def _check_target(db: Database) -> None:
    kind = db.kind()
    if kind == "production":
        raise DatabaseError(
            f"{db.path} is a production database; demo data goes only into a training database."
        )
    if kind is None:
        db.set_kind("training")


def generate(db: Database, accounts: int, seed: int = 1,
             progress: Callable[[int], None] | None = None, *,
             history_months: int | None = None, as_of: dt.date | None = None,
             chunk_size: int = 20_000) -> DemoSummary:
    """Add `accounts` demo accounts (with history up to `as_of`, default today) to `db`.

    Refuses a production database; labels an unlabelled one 'training'. Adds to whatever is
    there (numbers continue after the highest account number), so run it on a fresh database
    for exactly reproducible content.
    """
    if not isinstance(accounts, int) or not 1 <= accounts <= MAX_ACCOUNTS:
        raise ValidationError(f"accounts must be between 1 and {MAX_ACCOUNTS:,}.")
    months = history_months if history_months is not None else (
        12 if accounts <= FULL_HISTORY_LIMIT else 3)
    if not 1 <= months <= 60:
        raise ValidationError("history_months must be between 1 and 60.")
    _check_target(db)
    search.ensure_index(db)
    as_of = as_of or clock.today()
    stamp = f"{as_of.isoformat()}T06:00:00"
    rng = random.Random(seed)
    pools = _pools(seed, accounts)

    start = {
        "customer": int(db.scalar("SELECT coalesce(max(id), 0) FROM customers")) + 1,
        "account": int(db.scalar("SELECT coalesce(max(id), 0) FROM accounts")) + 1,
        "meter": int(db.scalar("SELECT coalesce(max(id), 0) FROM meters")) + 1,
        "journal": int(db.scalar("SELECT coalesce(max(id), 0) FROM journals")) + 1,
        "bill": int(db.scalar("SELECT coalesce(max(id), 0) FROM bills")) + 1,
    }
    top = db.scalar("SELECT max(number) FROM accounts")
    base = int(top[:7]) + 1 if top else 1_000_000 + rng.randrange(1000)
    spacing = 1 if accounts * 3 + base > 9_999_999 else 3
    if base + accounts * spacing > 9_999_999:
        raise ValidationError("Not enough account numbers left for that many demo accounts.")

    counts = dict(meters=0, reads=0, bills=0, journals=0, entries=0, delinquent=0,
                  no_checks=0, credits=0)
    next_journal = start["journal"]
    next_bill = start["bill"]
    cycle_dates = {c: _bill_dates(as_of, months, c) for c in (1, 2, 3, 4)}
    bill_days = _bill_days(cycle_dates)
    history_start = min(d for ds in cycle_dates.values() for d in ds)
    opened_floor = _add_months(history_start, -120)

    saved_cache = db.scalar("PRAGMA cache_size")
    db.execute("PRAGMA cache_size = -262144")  # 256 MB while loading
    bulk = search.bulk_load(db) if accounts > BULK_INDEX_THRESHOLD else _nullcontext()
    try:
        with bulk:
            done = 0
            while done < accounts:
                n = min(chunk_size, accounts - done)
                chunk = _Chunk()
                for i in range(done, done + n):
                    _one_account(
                        chunk, rng, pools, counts,
                        customer_id=start["customer"] + i, account_id=start["account"] + i,
                        meter_id=start["meter"] + i, base=base + i * spacing + (
                            rng.randrange(spacing) if spacing > 1 else 0),
                        bill_days=bill_days, as_of=as_of,
                        history_start=history_start, opened_floor=opened_floor, stamp=stamp,
                        chunk_no=done // chunk_size,
                    )
                next_journal, next_bill = _write_chunk(db, chunk, counts, next_journal,
                                                       next_bill, stamp, seed, done, n)
                done += n
                if progress:
                    progress(done)
        summary = DemoSummary(seed, accounts, months, counts["meters"], counts["reads"],
                              counts["bills"], counts["journals"], counts["entries"],
                              counts["delinquent"], counts["no_checks"], counts["credits"])
        with db.write():
            audit.record(db, DEMO_ACTOR, "demo.generate", f"demo:seed={seed}",
                         after={**summary.__dict__, "as_of": as_of.isoformat()})
    finally:
        db.execute(f"PRAGMA cache_size = {int(saved_cache)}")
    db.execute("PRAGMA optimize")
    return summary


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass(frozen=True)
class _BillDay:
    """One bill date of a cycle with every string it needs, computed once per load."""

    date: dt.date
    iso: str
    read_iso: str
    due_iso: str
    label: str  # 'Nov 2026'
    memo: str  # journal memo
    season: float
    ordinal: int


def _bill_days(cycle_dates: dict[int, list[dt.date]]) -> dict[int, list[_BillDay]]:
    out: dict[int, list[_BillDay]] = {}
    for cycle, dates in cycle_dates.items():
        out[cycle] = [
            _BillDay(d, d.isoformat(), (d - dt.timedelta(days=2)).isoformat(),
                     (d + dt.timedelta(days=21)).isoformat(), _month(d),
                     f"Billing cycle {cycle} {_month(d)}", 1.0 + 0.45 * _summer(d.month),
                     d.toordinal())
            for d in dates
        ]
    return out


_ISO_CACHE: dict[int, str] = {}


def _iso(ordinal: int) -> str:
    s = _ISO_CACHE.get(ordinal)
    if s is None:
        s = _ISO_CACHE[ordinal] = dt.date.fromordinal(ordinal).isoformat()
    return s


_DELAYS = {"good": (5, 21), "late": (25, 46), "partial": (10, 25), "credit": (3, 15),
           "delinquent": (10, 30)}


def _one_account(chunk: _Chunk, rng: random.Random, pools: _Pools, counts: dict, *,
                 customer_id: int, account_id: int, meter_id: int, base: int,
                 bill_days: dict[int, list[_BillDay]], as_of: dt.date,
                 history_start: dt.date, opened_floor: dt.date, stamp: str,
                 chunk_no: int) -> None:
    r = rng.random

    def ri(lo: int, hi: int) -> int:  # randrange without its overhead (hot loop)
        return lo + int(r() * (hi - lo))

    def pick(seq: tuple | list) -> str:
        return seq[int(r() * len(seq))]

    # --- who and where
    kind_roll = r()
    rate_class = "residential" if kind_roll < 0.88 else ("commercial" if kind_roll < 0.98
                                                          else "irrigation")
    if rate_class == "residential":
        first, last = pick(pools.first), pick(pools.last)
        name = (f"{first} {pick(pools.middle)}. {last}" if r() < 0.15
                else f"{first} {last}")
        if r() < 0.08:
            name = f"{first} & {pick(pools.first)} {last}"
    else:
        first, last = "info", "billing"
        name = pick(pools.companies)
        if r() < 0.5:
            name = f"{name} {pick(('LLC', 'Inc', 'Properties', 'Holdings'))}"
    street, zip_code = pools.streets[int(r() * len(pools.streets))]
    house = ri(100, 9900) if r() < 0.9 else ri(1, 100)
    address = f"{house} {street}"
    if rate_class != "irrigation" and r() < 0.12:
        address += f" {pick(('Apt', 'Unit', '#'))} {ri(1, 40)}"
    phone = (f"({pick(AREA_CODES)}) {ri(200, 999)}-{ri(0, 10000):04d}"
             if r() < 0.85 else None)
    email = None
    if r() < 0.45:
        local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch == "."))
        email = f"{local}{ri(0, 100) if r() < 0.5 else ''}@{pick(EMAIL_DOMAINS)}"
    mailing = (f"{address}\n{CITY}, {STATE} {zip_code}" if r() < 0.9 else
               f"PO Box {ri(100, 9999)}\n{CITY}, {STATE} {pick(ZIPS)}")
    number = account_numbers.make_number(base)

    # --- how they behave
    status = "active"
    roll = r()
    behaviour = ("delinquent" if roll < 0.06 else "credit" if roll < 0.10 else
                 "late" if roll < 0.20 else "partial" if roll < 0.25 else "good")
    st_roll = r()
    if st_roll < 0.01:
        status = "pending"
    elif st_roll < 0.03:
        status = "closed"
    no_checks = 1 if r() < 0.015 else 0
    cycle = ri(1, 5)
    size = ('5/8"' if rate_class == "residential" and r() < 0.85 else
            '3/4"' if rate_class == "residential" else pick(('1"', '2"')))
    if rate_class == "residential":
        services = "water,sewer,refuse" if r() < 0.93 else "water,sewer"
        avg_hcf = 6 + r() * 8
    elif rate_class == "commercial":
        services = "water,sewer,refuse" if r() < 0.6 else "water,sewer"
        avg_hcf = 25 + r() * 60
    else:
        services, avg_hcf = "water", 30 + r() * 80

    days = bill_days[cycle] if status != "pending" else []
    if status == "pending":
        opened = _iso(as_of.toordinal() - ri(1, 20))
    else:
        span = history_start.toordinal() - opened_floor.toordinal()
        opened = _iso(opened_floor.toordinal() + ri(0, max(1, span)))
    closed_on = None
    if status == "closed" and days:
        days = days[:ri(1, len(days) + 1)]
        closed_on = days[-1].iso

    chunk.customers.append((customer_id, name, phone, email, mailing, f"{opened}T09:00:00"))
    chunk.accounts.append((account_id, number, customer_id, address, CITY, zip_code, status,
                           rate_class, services, cycle, no_checks, opened, closed_on))
    chunk.meters.append((meter_id, account_id, f"RV{meter_id:08d}", size, opened, closed_on))
    counts["meters"] += 1
    counts["no_checks"] += no_checks

    if not days:
        return
    reading = ri(0, 9000)
    first_read = _iso(days[0].ordinal - 32)
    chunk.reads.append((meter_id, first_read, reading, "initial", 0, "legacy", stamp))
    counts["reads"] += 1
    balance = 0
    # Older history than the window, summarised: delinquent customers already owed.
    stop_paying = len(days) + 1
    if behaviour == "delinquent":
        stop_paying = len(days) - ri(3, 6)
        if stop_paying < 0:
            # One balance-forward entry per unpaid month before the window, dated on that
            # month's bill date, so aging still sees them as 60/90+ days old.
            for back in range(-stop_paying, 0, -1):
                forward = int(avg_hcf * 600 + 6000)
                bf_date = _add_months(days[0].date, -back).isoformat()
                key = ("bf", chunk_no, bf_date)
                entries = chunk.journal(key, "conversion", bf_date, "Balance forward (legacy)")
                entries.append(("account", "balance_forward", forward, account_id, "", "",
                                "legacy"))
                chunk.clearing[key] = chunk.clearing.get(key, 0) - forward
                balance += forward
            stop_paying = 0
    prev_read = first_read
    as_of_ord = as_of.toordinal()
    lo, hi = _DELAYS[behaviour]
    for k, day in enumerate(days):
        hcf = max(0, int(rng.gauss(avg_hcf * day.season, avg_hcf * 0.2)))
        reading = (reading + hcf) % 100000
        chunk.reads.append((meter_id, day.read_iso, reading,
                            "estimated" if r() < 0.02 else "regular", 0, "legacy", stamp))
        counts["reads"] += 1
        parts = _bill_parts(hcf, size, services, rate_class, day.read_iso)
        amount = sum(parts.values())
        key = ("bill", chunk_no, cycle, day.iso)
        entries = chunk.journal(key, "billing", day.iso, day.memo)
        entries.append(("account", "bill", amount, account_id, "", "", day.label))
        rev = chunk.revenue.setdefault(key, {})
        for fund_gl, cents in parts.items():
            rev[fund_gl] = rev.get(fund_gl, 0) + cents
        chunk.bills.append((account_id, key, day.iso, day.due_iso, prev_read, day.read_iso,
                            hcf, amount))
        counts["bills"] += 1
        balance += amount
        prev_read = day.read_iso
        # --- the customer's payment for this bill
        if k >= stop_paying:
            continue
        paid_on = day.ordinal + ri(lo, hi)
        if paid_on > as_of_ord:
            continue
        if behaviour == "partial":
            pay = (balance if r() < 0.3 else
                   min(balance, int(amount * (0.5 + r() * 0.4)) // 100 * 100 + 100))
        elif behaviour == "credit":
            pay = (balance // 5000 + 1) * 5000 if balance > 0 else 2500
        else:
            pay = max(0, balance) if r() < 0.97 else amount
        if pay <= 0:
            continue
        pd = _iso(paid_on)
        pkey = ("pay", chunk_no, pd)
        entries = chunk.journal(pkey, "conversion", pd, "Converted payments (legacy)")
        entries.append(("account", "payment", -pay, account_id, "", "", "legacy"))
        chunk.clearing[pkey] = chunk.clearing.get(pkey, 0) + pay
        balance -= pay
    if balance < 0:
        counts["credits"] += 1
    if behaviour == "delinquent" and balance > 0:
        counts["delinquent"] += 1


def _month(d: dt.date) -> str:
    """'Nov 2026' without strftime (whose %b follows the process locale)."""
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _summer(month: int) -> float:
    """0 in winter .. 1 in July/August: irrigation drives summer water use."""
    return {6: 0.6, 7: 1.0, 8: 1.0, 9: 0.7, 5: 0.3, 10: 0.3}.get(month, 0.0)


def _write_chunk(db: Database, chunk: _Chunk, counts: dict, next_journal: int, next_bill: int,
                 stamp: str, seed: int, first: int, n: int) -> tuple[int, int]:
    journal_rows: list[tuple] = []
    entry_rows: list[tuple] = []
    journal_ids: dict[tuple, int] = {}
    # Oldest journals first, so entry ids run roughly in date order.
    for key, (kind, date, memo, entries) in sorted(chunk.journals.items(),
                                                   key=lambda kv: (kv[1][1], kv[0])):
        jid = next_journal
        next_journal += 1
        journal_ids[key] = jid
        journal_rows.append((jid, kind, date, f"{date}T06:00:00", DEMO_ACTOR.username,
                             DEMO_ACTOR.workstation, memo))
        rows = [(jid, *e) for e in entries]
        for (fund, gl_code), cents in sorted(chunk.revenue.get(key, {}).items()):
            rows.append((jid, "revenue", "bill", -cents, None, fund, gl_code,
                         f"{memo}: {fund}"))
        if key in chunk.clearing:
            rows.append((jid, "clearing", entries[0][1], chunk.clearing[key], None, "",
                         "", memo))
        if sum(r[3] for r in rows) != 0:  # the ledger's rule, checked before anything is written
            raise AssertionError(f"demo journal {key} does not balance")
        entry_rows.extend(rows)
    bill_rows = []
    for b in chunk.bills:
        bill_rows.append((next_bill, b[0], journal_ids[b[1]], *b[2:]))
        next_bill += 1
    with db.write():
        db.executemany("INSERT INTO customers (id, name, phone, email, mailing_address, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?)", chunk.customers)
        db.executemany("INSERT INTO accounts (id, number, customer_id, service_address, "
                       "service_city, service_zip, status, rate_class, services, cycle, "
                       "no_checks, opened_on, closed_on) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chunk.accounts)
        db.executemany("INSERT INTO meters (id, account_id, serial, size, installed_on, "
                       "removed_on) VALUES (?, ?, ?, ?, ?, ?)", chunk.meters)
        db.executemany("INSERT INTO meter_reads (meter_id, read_on, reading, kind, flagged, "
                       "clerk, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", chunk.reads)
        db.executemany("INSERT INTO journals (id, kind, business_date, posted_at, clerk, "
                       "workstation, memo) VALUES (?, ?, ?, ?, ?, ?, ?)", journal_rows)
        db.executemany("INSERT INTO ledger_entries (journal_id, book, kind, amount_cents, "
                       "account_id, fund, gl_code, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       entry_rows)
        db.executemany("INSERT INTO bills (id, account_id, journal_id, bill_date, due_date, "
                       "period_start, period_end, consumption, amount_cents) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", bill_rows)
        audit.record(db, DEMO_ACTOR, "demo.load_batch", f"demo:seed={seed}",
                     after={"first_account": first + 1, "accounts": n,
                            "journals": len(journal_rows), "ledger_entries": len(entry_rows),
                            "bills": len(bill_rows), "reads": len(chunk.reads)})
    counts["journals"] += len(journal_rows)
    counts["entries"] += len(entry_rows)
    return next_journal, next_bill


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> None:
    """The utility counter's share of a new sandbox (its manifest's `demo`): the demo town,
    then the practice customer the README's keystroke examples pay."""
    from clerk_tui.domain import practice

    generate(db, accounts, seed=seed)
    practice.add_practice_account(db)
