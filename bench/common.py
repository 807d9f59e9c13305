"""Shared helpers: percentiles, a results table, a scratch folder and a working copy."""

from __future__ import annotations

import shutil
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


def working_copy(cached: Path, prefix: str, name: str) -> tuple[Path, Path]:
    """A scratch folder and in it a copy of the cached database `name`, with the copy's site
    secret (a database opens only with its own): (folder, copy). The cache stays untouched."""
    folder = scratch(prefix)
    work = folder / name
    shutil.copyfile(cached, work)
    shutil.copy2(f"{cached}.secret", f"{work}.secret")
    return folder, work


def show(title: str, headers: list[str], rows: list[list[object]], summary: str) -> None:
    print(f"\n== {title} ==")
    print(tabulate(rows, headers=headers, floatfmt=".2f"))
    print(f"summary: {summary}")
