"""Collection-agency referral of closed accounts that still owe.

An account qualifies when it is closed, owes at least `minimum_balance`, was closed at least
`min_days_closed` ago and its oldest unpaid charge is at least `min_days_past_due` past due
(data/utility/collections.toml [[referral]]). Each is referred once: `collection_referrals`
has one row per account (UNIQUE), so a second batch cannot send the same debt to the agency
twice.

A batch writes the agency's file (CSV, one row per account) into a folder the caller names and
records the referrals in the same transaction. The file is written before the commit and
removed if the commit fails, so there is never a file the database does not know about, nor a
recorded referral without its file. Cells that a spreadsheet would run as a formula
(=, +, -, @ first) get a leading apostrophe: the file holds customer-typed text.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.money import format_money, format_plain, parse_money
from clerk_tui.domain.text import refuse_card_number
from clerk_tui.domain.utility import jobs, letters
from clerk_tui.domain.utility.calendar import rule_set
from clerk_tui.domain.utility.delinquency import standings
from clerk_tui.files import open_private

COLUMNS = ("account_number", "customer_name", "mailing_address", "service_address", "phone",
           "email", "closed_on", "last_payment_on", "oldest_due_on", "balance", "referred_on",
           "agency")


@dataclass(frozen=True)
class ReferralRules:
    agency: str
    minimum_balance_cents: int
    min_days_closed: int
    min_days_past_due: int


def referral_rules(on: dt.date | None = None) -> ReferralRules:
    r = rule_set("referral", on)
    return ReferralRules(str(r["agency"]), parse_money(str(r["minimum_balance"])),
                         int(r.get("min_days_closed", 60)), int(r.get("min_days_past_due", 90)))


@dataclass(frozen=True)
class Candidate:
    account_id: int
    account_number: str
    name: str
    balance_cents: int
    closed_on: str
    oldest_due: str
    days_past_due: int


@dataclass(frozen=True)
class ReferralBatch:
    referred_on: str
    agency: str
    path: Path | None  # None when nobody qualified (no file is written)
    lines: tuple[Candidate, ...]

    @property
    def total_cents(self) -> int:
        return sum(c.balance_cents for c in self.lines)


def candidates(db: Database, on: dt.date | None = None, *,
               account_ids: list[int] | None = None) -> list[Candidate]:
    """Closed accounts that qualify today and were never referred, by account number
    (`account_ids`: only those)."""
    on = on or clock.today()
    rules = referral_rules(on)
    closed_by = (on - dt.timedelta(days=rules.min_days_closed)).isoformat()
    found = standings(db, on, statuses=("closed",), account_ids=account_ids)
    if not found:
        return []
    ids = sorted(found)
    rows = db.all(
        "SELECT a.id, a.number, a.closed_on, c.name FROM accounts a "
        "JOIN customers c ON c.id = a.customer_id "
        f"WHERE a.id IN ({','.join('?' * len(ids))}) AND a.closed_on IS NOT NULL "
        "AND a.closed_on <= ? AND NOT EXISTS (SELECT 1 FROM collection_referrals r "
        "WHERE r.account_id = a.id) ORDER BY a.number", [*ids, closed_by])
    out = []
    for r in rows:
        st = found[r["id"]]
        if st.balance_cents < rules.minimum_balance_cents or st.oldest_due is None:
            continue
        if st.days_past_due < rules.min_days_past_due:
            continue
        out.append(Candidate(r["id"], f"{r['number'][:7]}-{r['number'][7]}", r["name"],
                             st.balance_cents, r["closed_on"], st.oldest_due,
                             st.days_past_due))
    return out


def _cell(value: object) -> str:
    text = "" if value is None else " / ".join(
        part.strip() for part in str(value).splitlines() if part.strip())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _free_path(folder: Path, on: dt.date) -> Path:
    base = f"referrals-{on.isoformat()}"
    path = folder / f"{base}.csv"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}.csv"
    return path


def _row(db: Database, c: Candidate, on: dt.date, agency: str) -> list:
    """The agency file's row for one candidate."""
    info = db.one("SELECT c.phone, c.email FROM accounts a JOIN customers c "
                  "ON c.id = a.customer_id WHERE a.id = ?", [c.account_id])
    last = db.scalar(
        "SELECT max(j.business_date) FROM ledger_entries le JOIN journals j "
        "ON j.id = le.journal_id WHERE le.book = 'account' AND le.account_id = ? "
        "AND le.kind = 'payment'", [c.account_id])
    where = letters.addresses(db, c.account_id)
    return [c.account_number, c.name, where.mailing, where.service,
            info["phone"] if info else "", info["email"] if info else "",
            c.closed_on, last or "", c.oldest_due, format_plain(c.balance_cents),
            on.isoformat(), agency]


def refer_accounts(db: Database, actor: Actor, folder: Path | str, *,
                   on: dt.date | None = None) -> ReferralBatch:
    """Refer every qualifying account: the agency file plus one referral row each.

    The candidates and their file rows are read outside the write lock (after noting the
    ledger's mark); the short write transaction re-reads any account whose ledger moved since
    (a payment) and drops one another batch referred meanwhile, then writes the file and the
    rows together.
    """
    authority().require(actor, "collections.refer", what="refer accounts to collections")
    refuse_card_number(str(folder), field="Folder")
    on = on or clock.today()
    rules = referral_rules(on)
    out_dir = Path(folder)
    path: Path | None = None
    mark = jobs.ledger_mark(db)
    found = candidates(db, on)
    rows = {c.account_id: _row(db, c, on, rules.agency) for c in found}
    try:
        with db.write():
            ids = [c.account_id for c in found]
            moved = jobs.moved_since(db, mark, ids)
            again = {c.account_id: c for c in candidates(db, on, account_ids=sorted(moved))
                     } if moved else {}
            referred = {r["account_id"] for r in db.all(
                "SELECT account_id FROM collection_referrals WHERE account_id IN "
                f"({','.join('?' * len(ids))})", ids)} if ids else set()
            lines: list[Candidate] = []
            for c in found:
                if c.account_id in referred:
                    continue
                if c.account_id in moved:
                    if c.account_id not in again:
                        continue
                    c = again[c.account_id]
                    rows[c.account_id] = _row(db, c, on, rules.agency)
                lines.append(c)
            if not lines:
                audit.record(db, actor, "collections.refer", "collections",
                             after={"referred_on": on.isoformat(), "accounts": 0})
                return ReferralBatch(on.isoformat(), rules.agency, None, ())
            out_dir.mkdir(parents=True, exist_ok=True)
            path = _free_path(out_dir, on)
            for c in lines:
                db.insert("collection_referrals", {
                    "account_id": c.account_id, "referred_on": on.isoformat(),
                    "amount_cents": c.balance_cents, "agency": rules.agency,
                    "file_name": path.name, "clerk": actor.username})
            with open_private(path, newline="") as fh:  # 0600: names, balances, phones
                writer = csv.writer(fh)
                writer.writerow(COLUMNS)
                writer.writerows([[_cell(v) for v in rows[c.account_id]] for c in lines])
            audit.record(db, actor, "collections.refer", "collections", after={
                "referred_on": on.isoformat(), "agency": rules.agency, "file": path.name,
                "accounts": [c.account_number for c in lines],
                "total_cents": sum(c.balance_cents for c in lines)})
    except BaseException:
        if path is not None and path.exists():
            path.unlink()
        raise
    return ReferralBatch(on.isoformat(), rules.agency, path, tuple(lines))


def format_batch(batch: ReferralBatch) -> str:
    out = [f"Collection referrals to {batch.agency} on {batch.referred_on}", ""]
    if not batch.lines:
        out.append("No closed accounts qualify for referral today.")
        return "\n".join(out) + "\n"
    out.append(tabulate([[c.account_number, c.name[:24], c.closed_on, c.days_past_due,
                          format_money(c.balance_cents)] for c in batch.lines],
                        headers=["Account", "Name", "Closed", "Days", "Balance"],
                        colalign=("left", "left", "left", "right", "right"),
                        disable_numparse=True))
    out += ["", f"{len(batch.lines)} account(s), {format_money(batch.total_cents)}.",
            f"File: {batch.path}" if batch.path else ""]
    return "\n".join(out).rstrip("\n") + "\n"
