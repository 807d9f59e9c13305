"""Meter reads and their review: a doubtful read is flagged and a reread ordered before billing.

Rules (data/utility/service.toml [[reads]]):
- Use is the new reading minus the last accepted (unflagged, billable) reading. A reading lower
  than the last is a dial rollover (5-dial meters wrap at 100000) only when the wrapped use is
  small (at most `rollover_max_hcf`); any other lower reading is flagged "lower than the last".
- A use above `high_factor` times the average of the last `history` uses (with at least
  `min_history` of them, and above `high_minimum_hcf`) is flagged "far above history".
- A flagged read gets a reread order (one live reread per account); its `service_order_id`
  points at it. Reads are append-only: the reread is a new read, never an edit.
- Rereads and check reads are not flagged (a reread IS the second look; a check read is for
  the tech, not for billing); a clerk may also enter a read as confirmed (seen with the customer
  or the tech on the phone), which skips the review.
- Billing bills from the last read on or before the last bill's period end to the latest
  billable read in the new period; when that latest read is flagged, the account is skipped
  until a reread (or another accepted read) comes in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.accounts import Alert, AlertContext
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.utility import rates

ENTRY_KINDS = ("regular", "reread", "estimated", "final", "check")  # what a clerk enters
KINDS = ("initial", *ENTRY_KINDS)
BILLABLE = ("initial", "regular", "reread", "estimated", "final")
NOT_REVIEWED = ("reread", "check")
KIND_LABELS = {"initial": "Initial", "regular": "Regular", "reread": "Reread",
               "estimated": "Estimated", "final": "Final", "check": "Check"}


@dataclass(frozen=True)
class MeterRead:
    id: int
    meter_id: int
    read_on: str
    reading: int
    kind: str
    flagged: bool
    flag_reason: str | None
    reread_order_id: int | None
    clerk: str


@dataclass(frozen=True)
class Meter:
    id: int
    account_id: int
    serial: str
    size: str


@dataclass(frozen=True)
class BillingReads:
    """What billing would bill for an account: from/to reads and use, or why it is skipped."""

    from_read: MeterRead | None
    to_read: MeterRead | None
    consumption: int
    skipped: str | None
    meter: Meter | None


def _read(r: dict) -> MeterRead:
    return MeterRead(r["id"], r["meter_id"], r["read_on"], r["reading"], r["kind"],
                     bool(r["flagged"]), r["flag_reason"], r["service_order_id"], r["clerk"])


def current_meter(db: Database, account_id: int) -> Meter:
    r = db.one("SELECT * FROM meters WHERE account_id = ? AND removed_on IS NULL "
               "ORDER BY id DESC LIMIT 1", [account_id])
    if not r:
        raise NotFound("The account has no meter in service.")
    return Meter(r["id"], r["account_id"], r["serial"], r["size"])


def list_reads(db: Database, account_id: int, limit: int = 13) -> list[MeterRead]:
    """The account's reads, newest first (all its meters)."""
    rows = db.all("SELECT mr.* FROM meter_reads mr JOIN meters m ON m.id = mr.meter_id "
                  "WHERE m.account_id = ? ORDER BY mr.read_on DESC, mr.id DESC LIMIT ?",
                  [account_id, limit])
    return [_read(r) for r in rows]


def use_between(previous: int, reading: int, rule: rates.ReadRule) -> int | None:
    """HCF used from `previous` to `reading`; a plausible dial wrap counts; else None."""
    if reading >= previous:
        return reading - previous
    wrapped = reading + rule.rollover - previous
    return wrapped if wrapped <= rule.rollover_max_hcf else None


def _accepted(db: Database, meter_id: int) -> list[dict]:
    """Accepted (billable, unflagged) reads of a meter, oldest first."""
    kinds = ", ".join(f"'{k}'" for k in BILLABLE)
    return db.all(f"SELECT * FROM meter_reads WHERE meter_id = ? AND kind IN ({kinds}) "
                  "AND flagged = 0 ORDER BY read_on, id", [meter_id])


def review(db: Database, meter_id: int, reading: int, on: str) -> tuple[int | None, str | None]:
    """(use, flag reason or None) for a new reading against the meter's accepted reads."""
    rule = rates.read_rule(on)
    accepted = _accepted(db, meter_id)
    if not accepted:
        return None, None
    last = accepted[-1]
    use = use_between(last["reading"], reading, rule)
    if use is None:
        return None, (f"Reading {reading} is lower than the last read "
                      f"({last['reading']} on {last['read_on']}).")
    uses = [u for a, b in zip(accepted, accepted[1:], strict=False)
            if (u := use_between(a["reading"], b["reading"], rule)) is not None]
    uses = uses[-rule.history:]
    # use > factor x average, compared exactly (no division, no float)
    if (len(uses) >= rule.min_history and use > rule.high_minimum_hcf
            and use * len(uses) > rule.high_factor * sum(uses)):
        average = (Decimal(sum(uses)) / len(uses)).quantize(Decimal("0.1"))
        return use, (f"Use of {use} HCF is over {rule.high_factor.normalize():f}x the average of the "
                     f"last {len(uses)} ({average} HCF).")
    return use, None


def _check_day(read_on: str | dt.date | None) -> str:
    if read_on is None or read_on == "":
        return clock.today().isoformat()
    try:
        day = read_on if isinstance(read_on, dt.date) else dt.date.fromisoformat(str(read_on))
    except ValueError:
        raise ValidationError(f"Read date {read_on!r} is not a date (YYYY-MM-DD).") from None
    if day > clock.today():
        raise ValidationError("A read cannot be dated in the future.")
    return day.isoformat()


def record_in_write(db: Database, actor: Actor, account_id: int, reading: int, *,
                    kind: str = "regular", read_on: str | dt.date | None = None,
                    confirmed: bool = False,
                    service_order_id: int | None = None) -> MeterRead:
    """Enter a read inside the caller's transaction (orders and closing use this).

    `service_order_id` is the order whose completion took this read (kept in the audit row;
    the order points at the read). A flagged read's own column points at its reread order.
    """
    from clerk_tui.domain.utility import orders  # orders completes through us

    if not db.in_write:
        raise RuntimeError("record_in_write must run inside db.write()")
    if kind not in KINDS:
        raise ValidationError(f"Read kind is one of {', '.join(ENTRY_KINDS)}.")
    if isinstance(reading, bool) or not isinstance(reading, int):
        raise ValidationError("A reading is a whole number.")
    day = _check_day(read_on)
    rule = rates.read_rule(day)
    if not 0 <= reading < rule.rollover:
        raise ValidationError(f"A reading is 0 to {rule.rollover - 1}.")
    status = db.scalar("SELECT status FROM accounts WHERE id = ?", [account_id])
    if status is None:
        raise NotFound(f"No account with id {account_id}.")
    if status == "closed":
        raise StateError("The account is closed: no more reads.")
    meter = current_meter(db, account_id)
    latest = db.scalar("SELECT max(read_on) FROM meter_reads WHERE meter_id = ?", [meter.id])
    if latest and day < latest:
        raise ValidationError(f"The meter already has a read on {latest}; a read cannot be "
                              "dated before it.")
    reason = None
    if not confirmed and kind not in NOT_REVIEWED:
        _, reason = review(db, meter.id, reading, day)
    reread_id = None
    if reason:
        order = orders.insert_order(db, actor, account_id, "reread", priority="urgent",
                                    requested_on=clock.today(), reason=reason[:200])
        reread_id = order.id
    read_id = db.insert("meter_reads", {
        "meter_id": meter.id, "read_on": day, "reading": reading, "kind": kind,
        "flagged": 1 if reason else 0, "flag_reason": reason, "service_order_id": reread_id,
        "clerk": actor.username, "created_at": clock.stamp()})
    audit.record(db, actor, "read.enter", f"account:{account_id}", after={
        "read_id": read_id, "meter": meter.serial, "read_on": day, "reading": reading,
        "kind": kind, "confirmed": confirmed, "flag_reason": reason,
        "reread_order_id": reread_id, "service_order_id": service_order_id})
    r = db.one("SELECT * FROM meter_reads WHERE id = ?", [read_id])
    return _read(r)


def record_read(db: Database, actor: Actor, account_id: int, reading: int, *,
                kind: str = "regular", read_on: str | dt.date | None = None,
                confirmed: bool = False) -> MeterRead:
    """Enter a meter read (permission meter.read); a doubtful one is flagged, not refused.

    Flagging is not a refusal: the read is kept (it is what the reader saw) and a reread is
    ordered; billing waits for the reread.
    """
    authority().require(actor, "meter.read", what="enter meter reads")
    if kind not in ENTRY_KINDS:
        raise ValidationError(f"Read kind is one of {', '.join(ENTRY_KINDS)}.")
    with db.write():
        return record_in_write(db, actor, account_id, reading, kind=kind, read_on=read_on,
                               confirmed=confirmed)


def billing_reads(db: Database, account_id: int, period_end: str) -> BillingReads:
    """The reads a bill for the period ending `period_end` would use, or why it is skipped.

    From: the last accepted read on or before the last bill's period end (the account's first
    accepted read when it was never billed). To: the latest billable read after it, up to
    `period_end`; if that one is flagged the account waits for its reread.
    """
    try:
        meter = current_meter(db, account_id)
    except NotFound:
        return BillingReads(None, None, 0, "no meter in service", None)
    accepted = _accepted(db, meter.id)
    if not accepted:
        return BillingReads(None, None, 0, "no read on the meter yet", meter)
    last_end = db.scalar("SELECT max(period_end) FROM bills WHERE account_id = ?", [account_id])
    start = accepted[0]
    if last_end:
        before = [r for r in accepted if r["read_on"] <= last_end]
        if before:
            start = before[-1]
    kinds = ", ".join(f"'{k}'" for k in BILLABLE)
    later = db.all(f"SELECT * FROM meter_reads WHERE meter_id = ? AND kind IN ({kinds}) "
                   "AND read_on <= ? AND (read_on > ? OR (read_on = ? AND id > ?)) "
                   "ORDER BY read_on, id", [meter.id, period_end, start["read_on"],
                                             start["read_on"], start["id"]])
    if last_end:
        later = [r for r in later if r["read_on"] > last_end]
    frm = _read(start)
    if not later:
        return BillingReads(frm, None, 0, f"no new read since {start['read_on']}", meter)
    to = later[-1]
    if to["flagged"]:
        return BillingReads(frm, _read(to), 0,
                            f"read of {to['read_on']} flagged, waiting for reread", meter)
    use = use_between(start["reading"], to["reading"], rates.read_rule(to["read_on"]))
    # A lower read that is not flagged was confirmed by a person (or is a reread): no use is
    # billed; an earlier over-read is put right by an adjustment, not by a negative bill.
    return BillingReads(frm, _read(to), use or 0, None, meter)


# ---- the account screen's alert ----------------------------------------------------------------
def flagged_read_alert(db: Database, ctx: AlertContext) -> list[Alert]:
    """The latest billable read is flagged: billing skips the account until the reread."""
    kinds = ", ".join(f"'{k}'" for k in BILLABLE)
    r = db.one(f"SELECT mr.* FROM meter_reads mr JOIN meters m ON m.id = mr.meter_id "
               f"WHERE m.account_id = ? AND mr.kind IN ({kinds}) "
               "ORDER BY mr.read_on DESC, mr.id DESC LIMIT 1", [ctx.account.id])
    if not r or not r["flagged"]:
        return []
    return [Alert("read_flagged", "warn", f"Read of {r['read_on']} flagged; not billed until "
                  f"the reread (order #{r['service_order_id']}).")]
