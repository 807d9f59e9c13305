"""The batch rules: `data/batches/batches.toml`, effective-dated, read once per process."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from clerk_tui.domain import clock
from clerk_tui.domain.rules import effective_date, load_rules, money_field
from clerk_tui.paths import reference_data_dir


@dataclass(frozen=True)
class BatchRules:
    effective: dt.date
    max_control_count: int
    max_control_cents: int
    tenders: tuple[str, ...]
    sequence_numbers: bool
    approver_not_poster: bool
    max_file_rows: int
    source: str


@functools.cache
def _all() -> tuple[BatchRules, ...]:
    path = reference_data_dir() / "batches" / "batches.toml"
    raw = load_rules(path)
    out = []
    for i, row in enumerate(raw.get("rule", []), start=1):
        where = f"{path.name} rule {i}"
        tenders = tuple(row["tenders"])
        if not tenders or not set(tenders) <= {"check", "money_order"}:
            raise ValueError(f"{where}: a batch takes checks and money orders only")
        out.append(BatchRules(effective_date(row["effective"], where),
                              int(row["max_control_count"]),
                              money_field(row["max_control_total"], where), tenders,
                              bool(row["sequence_numbers"]), bool(row["approver_not_poster"]),
                              int(row["max_file_rows"]), str(row["source"])))
    if not out:
        raise ValueError(f"{path}: no [[rule]]")
    return tuple(out)


def batch_rules(on: dt.date | None = None) -> BatchRules:
    """The rules in force on `on` (today by default)."""
    on = on or clock.today()
    found = [r for r in _all() if r.effective <= on]
    if not found:
        raise ValueError(f"no batch rules in force on {on}")
    return max(found, key=lambda r: r.effective)
