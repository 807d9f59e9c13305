"""The enforcement export: every permit valid today and the hot list, as one CSV for the
officers' handhelds; and the stock report.

Why one file with a `record` column (VALID / HOT) rather than two: the handheld loads one file
a day, and a number on the hot list must win over anything else it knows about that number
(a lost tag is never shown as valid, even if its permit's dates are current).

Columns: record, number, plate, state, district, valid_until, reason
  VALID rows: reason is empty. HOT rows: plate/state/district/valid_until as the permit had
  them, reason lost | stolen | reversed.
The file holds plates and addresses' permits: it is written private (clerk_tui/files.py), to
a temporary name first and then renamed, so a handheld never loads half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.permits import stock
from clerk_tui.domain.permits.numbers import format_permit_number
from clerk_tui.files import open_private

COLUMNS = ("record", "number", "plate", "state", "district", "valid_until", "reason")


def rows(db: Database, on: dt.date | None = None) -> list[tuple[str, ...]]:
    """The export's rows on `on`: valid permits by number, then the hot list by number."""
    day = (on or clock.today()).isoformat()
    valid = db.all("SELECT number, plate, plate_state, district, valid_until FROM permits p "
                   "WHERE status = 'active' AND valid_from <= ? AND valid_until >= ? AND NOT "
                   "EXISTS (SELECT 1 FROM permit_hotlist h WHERE h.number = p.number) "
                   "ORDER BY number", [day, day])
    hot = db.all("SELECT h.number, h.reason, p.plate, p.plate_state, p.district, "
                 "p.valid_until FROM permit_hotlist h JOIN permits p ON p.id = h.permit_id "
                 "ORDER BY h.number")
    out = [("VALID", r["number"], r["plate"], r["plate_state"], r["district"],
            r["valid_until"], "") for r in valid]
    out += [("HOT", r["number"], r["plate"], r["plate_state"], r["district"], r["valid_until"],
             r["reason"]) for r in hot]
    return out


@dataclass(frozen=True)
class Export:
    path: Path
    valid: int
    hot: int

    @property
    def message(self) -> str:
        return f"Wrote {self.valid} valid permit(s) and {self.hot} hot-list number(s) to " \
               f"{self.path}."


def write_export(db: Database, actor: Actor, folder: Path | str,
                 on: dt.date | None = None) -> Export:
    """Write `permits-enforcement-<day>.csv` in `folder` (created if needed), audited."""
    authority().require(actor, "permit.sell", what="export permits for enforcement")
    on = on or clock.today()
    data = rows(db, on)
    out = Path(folder).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"permits-enforcement-{on.isoformat()}.csv"
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with open_private(tmp, newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerows(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    result = Export(path, sum(r[0] == "VALID" for r in data), sum(r[0] == "HOT" for r in data))
    with db.write():
        audit.record(db, actor, "permit.export", "permits:enforcement",
                     after={"path": str(path), "valid": result.valid, "hot": result.hot,
                            "day": on.isoformat()})
    return result


def format_stock_report(db: Database) -> str:
    """Every stock range: issued + spoiled + on hand against its size (at most 78 columns)."""
    lines = [f"PERMIT STOCK  {clock.today().isoformat()}", "",
             f"{'Range':>5} {'Dist':<4} {'Stock':<8} {'First':<10} {'Last':<10} "
             f"{'Issued':>6} {'Spoil':>5} {'OnHand':>6}  Balances"]
    for rng in stock.ranges(db):
        rec = stock.reconcile(db, rng.id)
        lines.append(f"{rng.id:>5} {rng.district:<4} {rng.stock:<8} {format_permit_number(rng.low):<10} "
                     f"{format_permit_number(rng.high):<10} {rec.issued:>6} {rec.spoiled:>5} "
                     f"{rec.on_hand:>6}  {'yes' if rec.balances else 'NO'}")
    if len(lines) == 3:
        lines.append("No permit stock has been received.")
    return "\n".join(lines)
