"""Shared helpers: percentiles, a results table, and a scratch folder."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from tabulate import tabulate


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"clerk-bench-{prefix}-"))


def show(title: str, headers: list[str], rows: list[list[object]], summary: str) -> None:
    print(f"\n== {title} ==")
    print(tabulate(rows, headers=headers, floatfmt=".2f"))
    print(f"summary: {summary}")
