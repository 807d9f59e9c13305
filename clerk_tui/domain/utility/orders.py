"""Service orders for the field technicians: turn-on, turn-off, shutoff, rereads, tests.

An order moves open -> dispatched -> completed, or to cancelled from open or dispatched;
anything else is refused with a sentence naming both states. Completion records the tech's read
through `reads.record_read` (so a completed reread or turn-on read is reviewed like any other)
and the tech's notes. The status changes by a plain audited UPDATE: the audit chain is the
order's history.

`create_order` is also the door the collections desk uses for shutoff/restore orders
(`delinquency_run_id` ties them to the run that raised them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.accounts import Alert, AlertContext
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.text import clean_text

KINDS = ("turn_on", "turn_off", "shutoff_nonpay", "restore", "reread", "check_read",
         "bench_test", "leak_check", "meter_exchange")
KIND_LABELS = {
    "turn_on": "Turn on", "turn_off": "Turn off", "shutoff_nonpay": "Shutoff (non-pay)",
    "restore": "Restore", "reread": "Reread", "check_read": "Check read",
    "bench_test": "Meter bench test", "leak_check": "Leak check",
    "meter_exchange": "Meter exchange",
}
PRIORITIES = ("emergency", "urgent", "routine")  # most pressing first (route-list order)
STATUSES = ("open", "dispatched", "completed", "cancelled")
LIVE = ("open", "dispatched")
TRANSITIONS = {
    "open": ("dispatched", "cancelled"),
    "dispatched": ("completed", "cancelled", "open"),  # back to open: tech could not go
    "completed": (),
    "cancelled": (),
}
# The read a completed order records, by order kind (None: no read is taken).
READ_KIND = {
    "turn_on": "initial", "turn_off": "check", "shutoff_nonpay": "check", "restore": "check",
    "reread": "reread", "check_read": "check", "meter_exchange": "check", "leak_check": "check",
    "bench_test": None,
}
# Orders that cannot be completed without a read.
NEEDS_READ = ("turn_on", "reread", "check_read", "turn_off", "shutoff_nonpay", "restore",
              "meter_exchange")


@dataclass(frozen=True)
class ServiceOrder:
    id: int
    account_id: int
    account_number: str  # 1234567-8
    service_address: str
    customer_name: str
    kind: str
    priority: str
    requested_on: str
    status: str
    reason: str
    created_at: str
    created_by: str
    technician: str | None
    dispatched_at: str | None
    completed_at: str | None
    completed_by: str | None
    read_id: int | None
    tech_notes: str
    cancelled_reason: str | None
    delinquency_run_id: int | None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


_SQL = ("SELECT o.*, a.number, a.service_address, c.name AS customer_name "
        "FROM service_orders o JOIN accounts a ON a.id = o.account_id "
        "JOIN customers c ON c.id = a.customer_id ")


def _order(r: dict) -> ServiceOrder:
    return ServiceOrder(
        id=r["id"], account_id=r["account_id"], account_number=format_number(r["number"]),
        service_address=r["service_address"], customer_name=r["customer_name"], kind=r["kind"],
        priority=r["priority"], requested_on=r["requested_on"], status=r["status"],
        reason=r["reason"], created_at=r["created_at"], created_by=r["created_by"],
        technician=r["technician"], dispatched_at=r["dispatched_at"],
        completed_at=r["completed_at"], completed_by=r["completed_by"], read_id=r["read_id"],
        tech_notes=r["tech_notes"], cancelled_reason=r["cancelled_reason"],
        delinquency_run_id=r["delinquency_run_id"])


def get_order(db: Database, order_id: int) -> ServiceOrder:
    r = db.one(_SQL + "WHERE o.id = ?", [order_id])
    if not r:
        raise NotFound(f"No service order {order_id}.")
    return _order(r)


def _priority_rank() -> str:
    return ("CASE o.priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END")


def list_orders(db: Database, *, statuses: tuple[str, ...] = LIVE,
                account_id: int | None = None, limit: int = 500) -> list[ServiceOrder]:
    """Orders in route order: priority (emergency first), requested date, address, id."""
    for s in statuses:
        if s not in STATUSES:
            raise ValidationError(f"Unknown order status {s!r}.")
    where = f"WHERE o.status IN ({', '.join('?' for _ in statuses)})"
    params: list = list(statuses)
    if account_id is not None:
        where += " AND o.account_id = ?"
        params.append(account_id)
    rows = db.all(_SQL + where + f" ORDER BY {_priority_rank()}, o.requested_on, "
                  "a.service_address, o.id LIMIT ?", [*params, limit])
    return [_order(r) for r in rows]


def _check_date(text: str | dt.date | None, field: str) -> str:
    if text is None or text == "":
        return clock.today().isoformat()
    if isinstance(text, dt.date):
        return text.isoformat()
    try:
        return dt.date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{field} {text!r} is not a date (YYYY-MM-DD).") from None


def insert_order(db: Database, actor: Actor, account_id: int, kind: str, *,
                 priority: str = "routine", requested_on: str | dt.date | None = None,
                 reason: str = "", delinquency_run_id: int | None = None) -> ServiceOrder:
    """Write an order inside the caller's transaction, without a permission check.

    For the desk's own rules that raise orders as a side effect (a flagged read's reread, a new
    account's turn-on): the permission checked is the one for what the clerk asked to do.
    An open order of the same kind on the account is returned rather than duplicated.
    """
    if not db.in_write:
        raise RuntimeError("insert_order must run inside db.write()")
    if kind not in KINDS:
        raise ValidationError(f"Unknown order kind {kind!r} (one of {', '.join(KINDS)}).")
    if priority not in PRIORITIES:
        raise ValidationError(f"Priority is one of {', '.join(PRIORITIES)}.")
    requested = _check_date(requested_on, "Requested date")
    reason = clean_text(reason, field="Reason", max_len=200)
    status = db.scalar("SELECT status FROM accounts WHERE id = ?", [account_id])
    if status is None:
        raise NotFound(f"No account with id {account_id}.")
    if status == "closed":
        raise StateError("The account is closed: no service orders on a closed account.")
    existing = db.one(_SQL + "WHERE o.account_id = ? AND o.kind = ? AND o.status IN "
                      "('open','dispatched')", [account_id, kind])
    if existing:
        return _order(existing)
    order_id = db.insert("service_orders", {
        "account_id": account_id, "kind": kind, "priority": priority,
        "requested_on": requested, "created_at": clock.stamp(),
        "created_by": actor.username, "reason": reason,
        "delinquency_run_id": delinquency_run_id})
    order = get_order(db, order_id)
    audit.record(db, actor, "order.create", f"service_order:{order_id}",
                 after={"account": order.account_number, "kind": kind, "priority": priority,
                        "requested_on": requested, "reason": reason,
                        "delinquency_run_id": delinquency_run_id})
    return order


def create_order(db: Database, actor: Actor, account_id: int, kind: str, *,
                 priority: str = "routine", requested_on: str | dt.date | None = None,
                 reason: str = "", delinquency_run_id: int | None = None) -> ServiceOrder:
    """Open a service order for an account (permission service.order).

    Refuses a second live order of the same kind on the account (the clerk sees the one
    already open); `requested_on` defaults to today.
    """
    authority().require(actor, "service.order", what="create service orders")
    with db.write():
        if kind in KINDS and db.scalar(
                "SELECT id FROM service_orders WHERE account_id = ? AND kind = ? "
                "AND status IN ('open','dispatched')", [account_id, kind]):
            oid = db.scalar("SELECT id FROM service_orders WHERE account_id = ? AND kind = ? "
                            "AND status IN ('open','dispatched')", [account_id, kind])
            raise StateError(f"This account already has a live {KIND_LABELS[kind].lower()} "
                             f"order (#{oid}).")
        return insert_order(db, actor, account_id, kind, priority=priority,
                            requested_on=requested_on, reason=reason,
                            delinquency_run_id=delinquency_run_id)


def _move(db: Database, actor: Actor, order_id: int, to: str, action: str,
          sets: dict) -> ServiceOrder:
    """Change an order's status inside the caller's transaction, or refuse the transition."""
    before = get_order(db, order_id)
    if to not in TRANSITIONS[before.status]:
        allowed = ", ".join(TRANSITIONS[before.status]) or "nothing (it is finished)"
        raise StateError(f"Order #{order_id} is {before.status}: it cannot become {to} "
                         f"(it can become {allowed}).")
    cols = {"status": to, **sets}
    db.execute(f"UPDATE service_orders SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
               [*cols.values(), order_id])
    after = get_order(db, order_id)
    audit.record(db, actor, action, f"service_order:{order_id}",
                 before={"status": before.status},
                 after={k: v for k, v in asdict(after).items() if k in (*cols, "account_number")})
    return after


def dispatch_order(db: Database, actor: Actor, order_id: int, technician: str) -> ServiceOrder:
    """Hand an open order to a technician (or re-open a dispatched one with technician '')."""
    authority().require(actor, "service.order", what="dispatch service orders")
    tech = clean_text(technician, field="Technician", max_len=60, required=True)
    with db.write():
        return _move(db, actor, order_id, "dispatched", "order.dispatch",
                     {"technician": tech, "dispatched_at": clock.stamp()})


def return_order(db: Database, actor: Actor, order_id: int, note: str = "") -> ServiceOrder:
    """A dispatched order the tech could not work goes back to open."""
    authority().require(actor, "service.order", what="change service orders")
    note = clean_text(note, field="Note", max_len=500)
    with db.write():
        return _move(db, actor, order_id, "open", "order.return",
                     {"technician": None, "dispatched_at": None, "tech_notes": note})


def cancel_order(db: Database, actor: Actor, order_id: int, reason: str) -> ServiceOrder:
    authority().require(actor, "service.order", what="cancel service orders")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    with db.write():
        return cancel_in_write(db, actor, order_id, reason)


def cancel_in_write(db: Database, actor: Actor, order_id: int, reason: str) -> ServiceOrder:
    """Cancel inside the caller's transaction (closing an account cancels its live orders)."""
    return _move(db, actor, order_id, "cancelled", "order.cancel",
                 {"cancelled_reason": reason, "completed_at": clock.stamp()})


def complete_order(db: Database, actor: Actor, order_id: int, *, reading: int | None = None,
                   read_on: str | dt.date | None = None, notes: str = "",
                   completed_by: str | None = None) -> ServiceOrder:
    """Record the field work: the read (through the read review) and the tech's notes.

    Only a dispatched order completes. A turn-on makes a pending account active; the read is
    reviewed like any other (a turn-on read lower than the meter's last read is flagged and gets
    its own reread order). Orders in NEEDS_READ refuse to complete without a reading.
    """
    from clerk_tui.domain.utility import reads  # reads raises reread orders through us

    authority().require(actor, "service.order", what="complete service orders")
    notes = clean_text(notes, field="Tech notes", max_len=1000, multiline=True)
    with db.write():
        order = get_order(db, order_id)
        if order.status != "dispatched":
            raise StateError(f"Order #{order_id} is {order.status}: only a dispatched order "
                             "can be completed (dispatch it first).")
        if reading is None and order.kind in NEEDS_READ:
            raise ValidationError(f"A {order.label.lower()} order needs the meter reading.")
        read_id = None
        if reading is not None and READ_KIND.get(order.kind):
            read = reads.record_in_write(db, actor, order.account_id, reading,
                                         kind=READ_KIND[order.kind], read_on=read_on,
                                         confirmed=order.kind == "reread",
                                         service_order_id=order_id)
            read_id = read.id
        tech = completed_by or order.technician or actor.username
        done = _move(db, actor, order_id, "completed", "order.complete", {
            "completed_at": clock.stamp(), "completed_by": tech, "read_id": read_id,
            "tech_notes": notes})
        if order.kind == "turn_on":
            status = db.scalar("SELECT status FROM accounts WHERE id = ?", [order.account_id])
            if status == "pending":
                db.execute("UPDATE accounts SET status = 'active' WHERE id = ?",
                           [order.account_id])
                audit.record(db, actor, "account.activate", f"account:{order.account_id}",
                             before={"status": "pending"}, after={"status": "active",
                                                                  "order": order_id})
        return done


def route_list(db: Database, *, on: str | dt.date | None = None) -> str:
    """The printable route list: live orders requested on or before `on`, in route order."""
    day = _check_date(on, "Route date")
    orders = [o for o in list_orders(db) if o.requested_on <= day]
    short = {"emergency": "EMERG", "urgent": "URGENT", "routine": ""}
    rows = [[o.id, short[o.priority], o.requested_on, o.service_address[:28], o.label[:17],
             o.status[:4], (o.technician or "")[:10]] for o in orders]
    head = f"ROUTE LIST of open service orders as of {day}: {len(orders)} order(s)"
    if not rows:
        return head + "\n(no open orders)"
    return head + "\n" + tabulate(rows, headers=["#", "Prio", "Requested", "Address", "Work",
                                                 "Stat", "Tech"], tablefmt="simple")


# ---- the account screen's alert ----------------------------------------------------------------
def orders_alert(db: Database, ctx: AlertContext) -> list[Alert]:
    """Live field work on the account (shutoffs are the collections desk's own alert)."""
    rows = db.all("SELECT id, kind, status FROM service_orders WHERE account_id = ? AND status "
                  "IN ('open','dispatched') AND kind <> 'shutoff_nonpay' ORDER BY id",
                  [ctx.account.id])
    if not rows:
        return []
    shown = ", ".join(f"{KIND_LABELS[r['kind']].lower()} #{r['id']} ({r['status']})"
                      for r in rows[:3])
    return [Alert("service_orders", "info", f"Open service order: {shown}.")]
