"""Item kinds: a license's charges and its BID assessment, sold on any receipt.

`license` — reference `<number>-<year>-<PART>` (PART: TAX, PEN, CASPC, CASPS, HOP) or
`<number>-DUP` (a duplicate certificate). Each part is its own receipt line with its own fund
and GL: the CASp fee is two lines, the city's share (revenue) and the state's (trust, remitted
quarterly). `bid` — reference `<number>-<year>`: the BID assessment, held in trust for the
district's association until the monthly remittance.

Every amount is what `due.amount_due` says on the business date (never typed). `after_post`
records the payment against the term (same transaction); a void or reversal records the
opposite, so what is owed comes back.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.items import ItemKind, ItemQuote, SaleItem
from clerk_tui.domain.errors import NotFound, NotThisKind, ValidationError
from clerk_tui.domain.licenses import due as duemod
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.numbers import parse_number
from clerk_tui.domain.licenses.rules import license_rules

KIND = "license"
BID_KIND = "bid"
_REF = re.compile(r"^\s*(\d{6}-?\d)-(\d{4})-([A-Z]{3,5})\s*$", re.I)
_DUP = re.compile(r"^\s*(\d{6}-?\d)-DUP\s*$", re.I)
_BID = re.compile(r"^\s*(\d{6}-?\d)-(\d{4})(?:-BID)?\s*$", re.I)
TERM_PARTS = ("TAX", "PEN", "CASPC", "CASPS", "HOP")


def _term(db: Database, number: str, year: int) -> dict:
    row = db.one("SELECT t.*, l.status, l.business_name, l.class_code FROM license_terms t "
                 "JOIN licenses l ON l.id = t.license_id WHERE l.number = ? AND t.year = ?",
                 [number, year])
    if row is None:
        raise NotFound(f"License {number} has no {year} term.")
    return row


def _part_due(db: Database, term: dict, part: str, on: dt.date) -> int:
    t = records._terms(db, term["license_id"])
    found = next(x for x in t if x.id == term["id"])
    g = license_rules().general_on(found.starts_on)
    return duemod.amount_due(found.charges, records.paid_for(db, term["id"]), on, g) \
        .parts.get(part, 0)


def _where(part: str, term: dict, on: dt.date) -> tuple[str, str, str]:
    """(fund, gl_code, book) of a part."""
    rules = license_rules()
    g = rules.general_on(dt.date(term["year"], 1, 1))
    if part == "TAX":
        return g.tax_fund, rules.class_on(term["class_code"], dt.date(term["year"], 1, 1)) \
            .gl_code, "revenue"
    return {"PEN": (g.penalty_fund, g.penalty_gl, "revenue"),
            "CASPC": (g.casp_city_fund, g.casp_city_gl, "revenue"),
            "CASPS": (g.casp_state_fund, g.casp_state_gl, "trust"),
            "HOP": (g.tax_fund, g.home_occupation_gl, "revenue")}[part]


class LicenseItem(ItemKind):
    """One part of a license term, or a duplicate certificate; the amount is never typed."""

    code = KIND
    label = "Business license"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        dup = _DUP.match(reference or "")
        if dup:
            number = parse_number(dup.group(1))
            lic = db.one("SELECT id, status, business_name FROM licenses WHERE number = ?",
                         [number])
            if lic is None:
                raise NotFound(f"No license {number}.")
            if lic["status"] not in records.LIVE:
                raise ValidationError(f"License {number} is {lic['status']}: no certificate.")
            g = license_rules().general_on(on)
            return ItemQuote(kind=self.code, reference=f"{number}-DUP",
                             description=f"Duplicate certificate {number}",
                             default_amount_cents=g.duplicate_fee_cents, fund=g.tax_fund,
                             gl_code=g.duplicate_gl, book="revenue", fixed_amount=True,
                             customer=lic["business_name"])
        m = _REF.match(reference or "")
        if not m:
            raise NotThisKind(f"{str(reference)[:30]!r} is not a license charge "
                                  "(NUMBER-YEAR-PART).")
        number, year, part = parse_number(m.group(1)), int(m.group(2)), m.group(3).upper()
        if part not in TERM_PARTS:
            raise ValidationError(f"{part}: not a license charge ({', '.join(TERM_PARTS)}).")
        term = _term(db, number, year)
        amount = _part_due(db, term, part, on)
        if amount <= 0:
            raise ValidationError(f"License {number} {year}: nothing owed for "
                                  f"{duemod.LABELS[part].lower()}.")
        fund, gl, book = _where(part, term, on)
        return ItemQuote(kind=self.code, reference=f"{number}-{year}-{part}",
                         description=f"{duemod.LABELS[part]} {number} {year}",
                         default_amount_cents=amount, fund=fund, gl_code=gl, book=book,
                         fixed_amount=True, customer=term["business_name"])

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        _record(db, actor, quote.reference, amount_cents, receipt_id, quote.fund,
                quote.gl_code)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        _record(db, actor, item["reference"], -item["amount_cents"], item["receipt_id"],
                item["fund"], item["gl_code"], how)


class BidItem(ItemKind):
    """A BID assessment of one license year: trust money for the district's association."""

    code = BID_KIND
    label = "BID assessment"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        m = _BID.match(reference or "")
        if not m:
            raise NotThisKind(f"{str(reference)[:30]!r} is not a BID assessment "
                                  "(NUMBER-YEAR).")
        number, year = parse_number(m.group(1)), int(m.group(2))
        term = _term(db, number, year)
        amount = _part_due(db, term, "BID", on)
        if amount <= 0:
            raise ValidationError(f"License {number} {year}: no BID assessment owed.")
        zone = license_rules().zone_on(term["bid_zone"], dt.date(year, 1, 1))
        return ItemQuote(kind=self.code, reference=f"{number}-{year}-BID",
                         description=f"{zone.name} {number} {year}",
                         default_amount_cents=amount, fund=zone.fund, gl_code=zone.gl_code,
                         book="trust", fixed_amount=True, customer=term["business_name"])

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        _record(db, actor, quote.reference, amount_cents, receipt_id, quote.fund,
                quote.gl_code)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        _record(db, actor, item["reference"], -item["amount_cents"], item["receipt_id"],
                item["fund"], item["gl_code"], how)


def _record(db: Database, actor: Actor, reference: str, amount_cents: int, receipt_id: int,
            fund: str, gl_code: str, how: str = "") -> None:
    """A payment line (or its undoing) against the term's part; a lapsed license that now owes
    nothing is issued again."""
    dup = _DUP.match(reference)
    if dup:
        number, term_id, part = parse_number(dup.group(1)), None, "DUP"
        lid = db.scalar("SELECT id FROM licenses WHERE number = ?", [number])
    else:
        m = re.match(r"^(\d{7})-(\d{4})-([A-Z]+)$", reference)
        if not m:
            raise ValidationError(f"Bad license reference {reference!r}.")
        number, year, part = m.group(1), int(m.group(2)), m.group(3)
        term = _term(db, number, year)
        term_id, lid = term["id"], term["license_id"]
    db.insert("license_payments", {"license_id": lid, "term_id": term_id, "part": part,
                                   "amount_cents": amount_cents, "fund": fund,
                                   "gl_code": gl_code, "receipt_id": receipt_id,
                                   "paid_on": clock.today().isoformat(),
                                   "created_at": clock.stamp()})
    if amount_cents > 0:
        records.mark_paid_up(db, actor, lid)
    else:
        records.history(db, actor, lid, f"payment {how or 'undone'}",
                        f"{reference} {-amount_cents / 100:,.2f}")


def sale_items(db: Database, number_or_id: str | int,
               on: dt.date | None = None) -> list[SaleItem]:
    """Every charge a license owes on `on`, one sale line per part (BID on its own kind)."""
    lic = records.get_license(db, number_or_id, on)
    out: list[SaleItem] = []
    for d in lic.dues:
        for part, _cents in d.parts.items():
            if part == "BID":
                out.append(SaleItem(BID_KIND, f"{lic.number}-{d.year}"))
            else:
                out.append(SaleItem(KIND, f"{lic.number}-{d.year}-{part}"))
    return out


EVENT_KIND = "event"
_EVENT = re.compile(r"^\s*(\d{6}-?\d)-(FEE|DEP)\s*$", re.I)


class EventItem(ItemKind):
    """A special-event permit's fee (revenue) or clean-up deposit (trust): `<number>-FEE`,
    `<number>-DEP`; the amount is what the permit still owes."""

    code = EVENT_KIND
    label = "Special event permit"

    def quote(self, db: Database, reference: str, on: dt.date) -> ItemQuote:
        from clerk_tui.domain.licenses.events import get_permit

        m = _EVENT.match(reference or "")
        if not m:
            raise NotThisKind(f"{str(reference)[:30]!r} is not an event charge "
                                  "(NUMBER-FEE or NUMBER-DEP).")
        number, part = parse_number(m.group(1)), m.group(2).upper()
        p = get_permit(db, number)
        if p.status in ("denied", "closed"):
            raise ValidationError(f"Event permit {number} is {p.status}.")
        amount = p.owed.get(part, 0)
        if amount <= 0:
            raise ValidationError(f"Event permit {number}: no {part.lower()} owed.")
        ev = license_rules().events_on(p.starts_on)
        fund, gl, book, what = (ev.fee_fund, ev.fee_gl, "revenue", "fee") if part == "FEE" \
            else (ev.deposit_fund, ev.deposit_gl, "trust", "deposit")
        return ItemQuote(kind=self.code, reference=f"{number}-{part}",
                         description=f"Event permit {what} {number} {p.event_name}"[:60],
                         default_amount_cents=amount, fund=fund, gl_code=gl, book=book,
                         fixed_amount=True, customer=p.organiser)

    def after_post(self, db: Database, actor: Actor, quote: ItemQuote, amount_cents: int,
                   receipt_id: int) -> None:
        _event_record(db, quote.reference, amount_cents, receipt_id)

    def after_reverse(self, db: Database, actor: Actor, item: dict[str, Any], how: str) -> None:
        _event_record(db, item["reference"], -item["amount_cents"], item["receipt_id"])


def _event_record(db: Database, reference: str, amount_cents: int, receipt_id: int) -> None:
    m = _EVENT.match(reference)
    if not m:
        raise ValidationError(f"Bad event reference {reference!r}.")
    pid = db.scalar("SELECT id FROM event_permits WHERE number = ?", [m.group(1)])
    if pid is None:
        raise NotFound(f"No event permit {m.group(1)}.")
    db.insert("event_payments", {"permit_id": pid, "part": m.group(2).upper(),
                                 "amount_cents": amount_cents, "receipt_id": receipt_id,
                                 "created_at": clock.stamp()})


def event_sale_items(db: Database, number: str) -> list[SaleItem]:
    """What an event permit still owes, one sale line per part."""
    from clerk_tui.domain.licenses.events import get_permit

    p = get_permit(db, number)
    return [SaleItem(EVENT_KIND, f"{p.number}-{part}") for part in p.owed]
