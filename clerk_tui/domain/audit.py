"""The hash-chained audit log.

Each row carries the hash of the row before it, so an edited, inserted or deleted row breaks the
chain; `audit_seq` in `counters` (and the latest hash printed on every Z report) catches a row
cut from the end. Rows are written inside the caller's transaction: the change and its audit row
commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor

GENESIS = "0" * 64
_FIELDS = ("seq", "at", "clerk", "workstation", "action", "entity",
           "before_json", "after_json", "override_by", "prev_hash")


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def row_hash(row: dict[str, Any]) -> str:
    canonical = json.dumps([row.get(f) for f in _FIELDS], separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(db: Database, actor: Actor, action: str, entity: str, *,
           before: Any = None, after: Any = None, override_by: str | None = None) -> int:
    """Append one audit row; must run inside `db.write()`.

    Every change writes one, so this is where an actor `auth` did not issue is refused: the
    exception rolls the caller's whole transaction back.
    """
    from clerk_tui.domain import auth  # auth imports this module; the seal key lives there

    if not db.in_write:
        raise RuntimeError("audit.record must run inside db.write()")
    auth.check_actor(actor)
    last = db.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    seq = (last["seq"] if last else 0) + 1
    row = {
        "seq": seq,
        "at": clock.stamp(),
        "clerk": actor.username,
        "workstation": actor.workstation,
        "action": action,
        "entity": entity,
        "before_json": _dump(before),
        "after_json": _dump(after),
        "override_by": override_by,
        "prev_hash": last["hash"] if last else GENESIS,
    }
    row["hash"] = row_hash(row)
    db.insert("audit_log", row)
    db.execute("UPDATE counters SET value = ? WHERE name = 'audit_seq'", [seq])
    return seq


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    head: str
    bad_seq: int | None = None
    problem: str = ""


def verify(db: Database) -> VerifyResult:
    """Walk the whole chain; report the first row that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    cur = db.conn.execute(f"SELECT {', '.join(_FIELDS)}, hash FROM audit_log ORDER BY seq")
    try:
        for values in cur:
            row = dict(zip((*_FIELDS, "hash"), values, strict=True))
            seq = row["seq"]
            if seq != expected_seq:
                return VerifyResult(False, count, prev, expected_seq,
                                    f"row {expected_seq} is missing (next row is {seq})")
            if row["prev_hash"] != prev:
                return VerifyResult(False, count, prev, seq,
                                    f"row {seq} does not follow row {seq - 1} (chain broken)")
            if row_hash(row) != row["hash"]:
                return VerifyResult(False, count, prev, seq, f"row {seq} was altered")
            prev = row["hash"]
            expected_seq += 1
            count += 1
    finally:
        cur.close()
    recorded = db.scalar("SELECT value FROM counters WHERE name = 'audit_seq'") or 0
    if recorded != count:
        return VerifyResult(False, count, prev, count + 1,
                            f"the log ends at row {count} but {recorded} rows were written")
    return VerifyResult(True, count, prev)


def head(db: Database) -> str:
    """The latest hash: printed on Z reports so a printed day can be checked later."""
    return db.scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
