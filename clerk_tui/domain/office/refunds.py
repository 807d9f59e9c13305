"""Refunds for accounts payable: the city checks to issue, from every counter, as a list and CSV.

Why from the ledger: every counter that refunds by city check (the cashier's credit refunds,
citations, licenses and event deposits, front-desk subpoena deposits, and any counter added
later) posts a credit to the refunds-payable GL of data/cashier.toml, and nothing else does.
So a refund is found by that ledger row, whoever wrote it; who gets the check is then looked
up through the journal: the account in it (customer's name and mailing address), or the
finders below for records that are not accounts. A refund no finder knows still shows, with
its memo as the reason and "(see reason)" as the payee, so AP sees every check owed.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.office.day import check_day
from clerk_tui.domain.text import visible
from clerk_tui.files import create_private

CSV_HEADER = ("business_date", "journal", "payee", "address", "amount", "reason", "account")


@dataclass(frozen=True)
class Payee:
    name: str
    address: str
    account: str  # account, license or permit number


@dataclass(frozen=True)
class CityCheck:
    business_date: str
    journal_id: int
    payee: str
    address: str
    amount_cents: int
    reason: str
    account: str


def _account_payee(db: Database, journal_id: int) -> Payee | None:
    r = db.one("SELECT a.number, c.name, coalesce(nullif(c.mailing_address, ''), "
               "a.service_address || ' ' || a.service_city || ' ' || a.service_zip) AS address "
               "FROM ledger_entries e JOIN accounts a ON a.id = e.account_id "
               "JOIN customers c ON c.id = a.customer_id "
               "WHERE e.journal_id = ? AND e.account_id IS NOT NULL LIMIT 1", [journal_id])
    return Payee(r["name"], r["address"].strip(), format_number(r["number"])) if r else None


def _license_payee(db: Database, journal_id: int) -> Payee | None:
    if not db.table_exists("license_payments"):
        return None
    r = db.one("SELECT l.number, l.business_name, coalesce(nullif(l.mailing_address, ''), "
               "l.address) AS address FROM license_payments p JOIN licenses l "
               "ON l.id = p.license_id WHERE p.journal_id = ? LIMIT 1", [journal_id])
    return Payee(r["business_name"], r["address"], f"license {r['number']}") if r else None


def _event_payee(db: Database, journal_id: int) -> Payee | None:
    if not db.table_exists("event_deposit_returns"):
        return None
    r = db.one("SELECT p.number, p.organiser FROM event_deposit_returns d "
               "JOIN event_permits p ON p.id = d.permit_id WHERE d.journal_id = ?",
               [journal_id])
    return Payee(r["organiser"], "(on the permit)", f"event permit {r['number']}") \
        if r else None


def _memo(db: Database, journal_id: int) -> str:
    return str(db.scalar("SELECT memo FROM journals WHERE id = ?", [journal_id]) or "")


_CITATION_MEMO = re.compile(r"^(?:citation refund|hearing deposit refund) (\S+?):?(?: |$)")
_SUBPOENA_MEMO = re.compile(r"^subpoena SUB(\d{6}) ")


def _citation_payee(db: Database, journal_id: int) -> Payee | None:
    """A citation's refund (its memo names the citation): the registered owner of the plate
    on file, else whoever paid it at the counter."""
    found = _CITATION_MEMO.match(_memo(db, journal_id))
    if not found or not db.table_exists("citations"):
        return None
    c = db.one("SELECT id, number, plate, state FROM citations WHERE number = ?",
               [found.group(1)])
    if c is None:
        return None
    owner = db.one("SELECT name, address FROM citation_owners WHERE plate = ? AND state = ? "
                   "ORDER BY id DESC LIMIT 1", [c["plate"], c["state"]])
    if owner is None:
        payer = db.scalar("SELECT r.payer FROM citation_events e JOIN receipts r "
                          "ON r.id = e.receipt_id WHERE e.citation_id = ? AND r.payer <> '' "
                          "ORDER BY e.id DESC LIMIT 1", [c["id"]])
        owner = {"name": payer or "(see reason)", "address": ""}
    return Payee(owner["name"], owner["address"], f"citation {c['number']}")


def _subpoena_payee(db: Database, journal_id: int) -> Payee | None:
    """A subpoena deposit's excess: back to whoever paid the deposit (the receipt's payer)."""
    found = _SUBPOENA_MEMO.match(_memo(db, journal_id))
    if not found or not db.table_exists("fd_subpoenas"):
        return None
    r = db.one("SELECT s.id, s.case_number, coalesce(r.payer, '') AS payer FROM fd_subpoenas s "
               "LEFT JOIN receipts r ON r.id = s.deposit_receipt_id WHERE s.id = ?",
               [int(found.group(1))])
    if r is None:
        return None
    return Payee(r["payer"] or "(see reason)", "", f"SUB{r['id']:06d} {r['case_number']}")


PAYEE_FINDERS: list[Callable[[Database, int], Payee | None]] = [
    _account_payee, _license_payee, _event_payee, _citation_payee, _subpoena_payee]
"""Who a refund's check is made out to, tried in order; the first answer wins."""


def _payee(db: Database, journal_id: int) -> Payee:
    for find in PAYEE_FINDERS:
        p = find(db, journal_id)
        if p is not None:
            return p
    return Payee("(see reason)", "", "")


def city_checks(db: Database, business_date: str | None = None) -> list[CityCheck]:
    """City checks owed (net of any reversal of the refund), one per journal, oldest first;
    one business day or every day."""
    gl = cashier_rules().gl["refunds_payable"]
    sql = ("SELECT j.id, j.business_date, j.memo, -sum(e.amount_cents) AS cents "
           "FROM ledger_entries e JOIN journals j ON j.id = e.journal_id "
           "WHERE e.book = 'clearing' AND e.gl_code = ? AND e.tender IS NULL "
           "AND j.reverses_journal_id IS NULL")
    args: list[object] = [gl]
    if business_date:
        sql += " AND j.business_date = ?"
        args.append(business_date)
    rows = db.all(sql + " GROUP BY j.id HAVING sum(e.amount_cents) < 0 ORDER BY j.id", args)
    # A refund journal reversed later is no check to issue.
    reversed_ids = {r["reverses_journal_id"] for r in db.all(
        "SELECT DISTINCT reverses_journal_id FROM journals WHERE reverses_journal_id IN "
        f"({','.join('?' * len(rows))})", [r["id"] for r in rows])} if rows else set()
    out = []
    for r in rows:
        if r["id"] in reversed_ids:
            continue
        p = _payee(db, r["id"])
        out.append(CityCheck(r["business_date"], r["id"], p.name, p.address, r["cents"],
                             r["memo"], p.account))
    return out


def payable_refunds(db: Database, actor: Actor,
                    business_date: str | None = None) -> list[CityCheck]:
    """The AP list (role `day.report`): one day's city checks, or all when no day is given."""
    authority().require(actor, "day.report", what="see the refunds for accounts payable")
    return city_checks(db, check_day(business_date) if business_date else None)


def _clip(text: str, n: int) -> str:
    text = visible(text).replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "~"


def format_refunds(checks: list[CityCheck], business_date: str | None = None) -> str:
    """The list on screen or paper, at most 78 columns (names and reasons clipped)."""
    head = [f"CITY CHECKS TO ISSUE (accounts payable)  "
            f"{business_date or 'all days'}", ""]
    if not checks:
        return "\n".join(head + ["  none"])
    rows = [[c.business_date[5:], _clip(c.payee, 18), _clip(c.account, 14),
             format_money(c.amount_cents), _clip(c.reason, 22)] for c in checks]
    rows.append(["Total", f"{len(checks)} checks", "",
                 format_money(sum(c.amount_cents for c in checks)), ""])
    body = tabulate(rows, headers=["Day", "Payee", "Account", "Amount", "Reason"],
                    tablefmt="simple", colalign=("left", "left", "left", "right", "left"))
    addresses = ["", "Addresses"] + [f"  J{c.journal_id}  {_clip(c.payee, 24)}: "
                                     f"{_clip(c.address or '-', 40)}" for c in checks]
    return "\n".join(head + [body] + addresses)


def _safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ gets a '."""
    text = visible(text).replace("\n", " ")
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def render_refunds_csv(checks: list[CityCheck]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for c in checks:
        w.writerow([c.business_date, c.journal_id, _safe(c.payee), _safe(c.address),
                    f"{c.amount_cents // 100}.{c.amount_cents % 100:02d}", _safe(c.reason),
                    _safe(c.account)])
    return buf.getvalue()


def write_refunds_csv(db: Database, actor: Actor, folder: Path | str,
                      business_date: str | None = None) -> tuple[Path, int]:
    """`ap-refunds-DAY.csv` (or `ap-refunds-all.csv`) as a private file in `folder`; a name
    already taken gets `-2`, `-3` … (never written over). Audited: it holds names and
    addresses."""
    checks = payable_refunds(db, actor, business_date)
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"No folder {visible(str(folder))}.")
    stem = f"ap-refunds-{check_day(business_date) if business_date else 'all'}"
    text = render_refunds_csv(checks)
    for n in range(1, 100):
        path = folder / (f"{stem}.csv" if n == 1 else f"{stem}-{n}.csv")
        try:
            fd = create_private(path)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        break
    else:
        raise ValidationError(f"Too many {stem} files in that folder.")
    with db.write():
        audit.record(db, actor, "report.ap_refunds", f"file:{path.name}",
                     after={"checks": len(checks),
                            "total_cents": sum(c.amount_cents for c in checks)})
    return path, len(checks)
