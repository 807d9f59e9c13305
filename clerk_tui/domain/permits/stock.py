"""Numbered permit stock: boxes of pre-printed decals and hangtags, issued in serial order.

Why it is accounted for like cash: a blank decal is a valid permit once someone writes a plate
on it. So every serial of a range is always in exactly one state: on hand (not yet reached),
issued (on a permit), or spoiled (voided: taken back from a voided sale; damaged: torn in the
printer, never handed out). A supervisor's reconciliation states issued + spoiled + on hand
against the range's size and against the tags physically counted, and records both.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.permits.numbers import MAX_SERIAL, format_permit_number
from clerk_tui.domain.permits.rules import STOCKS, permit_rules
from clerk_tui.domain.text import clean_text

MAX_RANGE = 10_000
"""No single receipt of stock is bigger than this (a typo guard: boxes hold 500)."""


@dataclass(frozen=True)
class StockRange:
    id: int
    district: str
    stock: str
    low: int
    high: int
    next_serial: int
    received_on: str

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    @property
    def label(self) -> str:
        return f"{self.district} {self.stock} {format_permit_number(self.low)}-{format_permit_number(self.high)}"


def _range(row: dict) -> StockRange:
    return StockRange(row["id"], row["district"], row["stock"], row["low"], row["high"],
                      row["next_serial"], row["received_on"])


def get_range(db: Database, range_id: int) -> StockRange:
    row = db.one("SELECT * FROM permit_stock_ranges WHERE id = ?", [range_id])
    if row is None:
        raise NotFound(f"No stock range {range_id}.")
    return _range(row)


def ranges(db: Database) -> list[StockRange]:
    return [_range(r) for r in db.all("SELECT * FROM permit_stock_ranges ORDER BY district, "
                                      "stock, low")]


def receive_range(db: Database, actor: Actor, district: str, stock: str, low: int, high: int,
                  note: str = "") -> StockRange:
    """Record a box of stock received from the printer (supervisor: `permit.stock`)."""
    authority().require(actor, "permit.stock", what="receive permit stock")
    district = permit_rules().district(district).code
    if stock not in STOCKS:
        raise ValidationError(f"Stock is one of {', '.join(STOCKS)}.")
    for v in (low, high):
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_SERIAL:
            raise ValidationError(f"Serials are whole numbers from 1 to {MAX_SERIAL}.")
    if high < low:
        raise ValidationError(f"The last serial {high} is below the first {low}.")
    if high - low + 1 > MAX_RANGE:
        raise ValidationError(f"At most {MAX_RANGE} serials in one range.")
    note = clean_text(note, field="Note", max_len=120)
    with db.write():
        clash = db.one("SELECT id, low, high FROM permit_stock_ranges WHERE low <= ? AND "
                       "high >= ?", [high, low])
        if clash:
            raise StateError(f"Serials {clash['low']}-{clash['high']} were already received "
                             f"(range {clash['id']}); every serial is received once.")
        rid = db.insert("permit_stock_ranges", {
            "district": district, "stock": stock, "low": low, "high": high,
            "next_serial": low, "received_on": clock.today().isoformat(),
            "received_by": actor.username, "note": note})
        audit.record(db, actor, "permit.stock.receive", f"permit_stock:{rid}",
                     after={"district": district, "stock": stock, "low": low, "high": high})
    return get_range(db, rid)


def _spoiled(db: Database, range_id: int, serial: int) -> bool:
    return bool(db.scalar("SELECT 1 FROM permit_stock_events WHERE range_id = ? AND serial = ? "
                          "AND event IN ('voided','damaged')", [range_id, serial]))


def take_next(db: Database, district: str, stock: str) -> tuple[int, int]:
    """Inside the issuing transaction: the next serial of the oldest range with stock on hand
    for this district and kind (damaged serials skipped); the caller records it issued
    (`record_event`) once the permit row exists. Returns (range id, serial)."""
    assert db.in_write, "take_next runs inside the issuing transaction"
    for row in db.all("SELECT * FROM permit_stock_ranges WHERE district = ? AND stock = ? AND "
                      "next_serial <= high ORDER BY id", [district, stock]):
        serial = row["next_serial"]
        while serial <= row["high"] and _spoiled(db, row["id"], serial):
            serial += 1
        db.execute("UPDATE permit_stock_ranges SET next_serial = ? WHERE id = ?",
                   [min(serial + 1, row["high"] + 1), row["id"]])
        if serial > row["high"]:
            continue
        return row["id"], serial
    raise StateError(f"No {stock} stock is on hand for district {district}: a supervisor "
                     "receives the next box (Stock, R).")


def record_event(db: Database, actor: Actor, range_id: int, serial: int, event: str,
                 reason: str = "", permit_id: int | None = None) -> None:
    """Record a serial as issued, voided or damaged (joins the caller's transaction)."""
    db.insert("permit_stock_events", {
        "range_id": range_id, "serial": serial, "event": event, "permit_id": permit_id,
        "at": clock.stamp(), "clerk": actor.username, "reason": reason})


def mark_damaged(db: Database, actor: Actor, number_or_serial: str, reason: str) -> str:
    """A tag torn or misprinted before it was handed out: never issued, never on hand again."""
    from clerk_tui.domain.permits.numbers import parse_number

    authority().require(actor, "permit.sell", what="spoil permit stock")
    reason = clean_text(reason, field="Reason", max_len=120, required=True)
    text = (number_or_serial or "").strip()
    serial = int(text) if text.isdigit() else int(parse_number(text)[2:8])
    with db.write():
        row = db.one("SELECT * FROM permit_stock_ranges WHERE low <= ? AND high >= ?",
                     [serial, serial])
        if row is None:
            raise NotFound(f"Serial {serial} is in no stock range received.")
        if db.scalar("SELECT 1 FROM permit_stock_events WHERE range_id = ? AND serial = ?",
                     [row["id"], serial]):
            raise StateError(f"{format_permit_number(serial)} is already issued or spoiled; a "
                             "permit is voided through its receipt.")
        record_event(db, actor, row["id"], serial, "damaged", reason)
        audit.record(db, actor, "permit.stock.damaged", f"permit_stock:{row['id']}",
                     after={"serial": serial, "reason": reason})
    return f"{format_permit_number(serial)} recorded as damaged."


@dataclass(frozen=True)
class Reconciliation:
    range: StockRange
    issued: int
    spoiled: int
    on_hand: int
    unaccounted: tuple[int, ...]
    """Serials below the next one to issue with no record at all (must be empty)."""

    @property
    def balances(self) -> bool:
        return not self.unaccounted and self.issued + self.spoiled + self.on_hand == \
            self.range.size


def reconcile(db: Database, range_id: int) -> Reconciliation:
    """What the records say about a range: issued + spoiled + on hand (read only)."""
    rng = get_range(db, range_id)
    events = db.all("SELECT serial, event FROM permit_stock_events WHERE range_id = ?",
                    [range_id])
    spoiled = {e["serial"] for e in events if e["event"] in ("voided", "damaged")}
    issued = {e["serial"] for e in events if e["event"] == "issued"} - spoiled
    ahead = {s for s in spoiled if s >= rng.next_serial}
    on_hand = rng.high + 1 - rng.next_serial - len(ahead)
    unaccounted = tuple(s for s in range(rng.low, rng.next_serial)
                        if s not in issued and s not in spoiled)
    return Reconciliation(rng, len(issued), len(spoiled), on_hand, unaccounted)


def record_count(db: Database, actor: Actor, range_id: int, counted: int,
                 note: str = "") -> tuple[Reconciliation, str]:
    """A supervisor's count of the tags on hand, recorded with what the records say.

    A count that differs is recorded too (with the note, required then): the difference is
    the finding, and hiding it would defeat the count."""
    authority().require(actor, "permit.stock", what="reconcile permit stock")
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise ValidationError("The count is a whole number of tags, 0 or more.")
    note = clean_text(note, field="Note", max_len=200)
    with db.write():
        rec = reconcile(db, range_id)
        if counted != rec.on_hand and not note:
            raise ValidationError(f"The records say {rec.on_hand} on hand and you counted "
                                  f"{counted}: say why in the note.")
        db.insert("permit_stock_counts", {
            "range_id": range_id, "issued": rec.issued, "spoiled": rec.spoiled,
            "on_hand": rec.on_hand, "counted": counted, "at": clock.stamp(),
            "clerk": actor.username, "note": note})
        audit.record(db, actor, "permit.stock.count", f"permit_stock:{range_id}",
                     after={"issued": rec.issued, "spoiled": rec.spoiled,
                            "on_hand": rec.on_hand, "counted": counted, "note": note})
    verdict = "balances" if rec.balances and counted == rec.on_hand else "DOES NOT balance"
    return rec, (f"Range {rec.range.label}: issued {rec.issued} + spoiled {rec.spoiled} + on "
                 f"hand {rec.on_hand} of {rec.range.size}; counted {counted}: {verdict}.")
