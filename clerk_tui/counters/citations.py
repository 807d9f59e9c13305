"""Citations (F4, home letter C): parking citations from the handhelds' daily file or keyed by
hand, found by number, plate, notice or owner; paid as receipt items; notices of delinquency,
DMV holds and releases, reviews, hearings, appeals, indigent payment plans (CVC 40220),
corrections and dismissals. Residential parking permits are the `permits` package, reached
from this screen's P key.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, FinderSpec, ItemKindSpec, Manifest, ScanKind

MANIFEST = Manifest(
    name="citations",
    counters=(
        Counter("citations", "Citations", "f4", "c", "citation.pay",
                "Parking citations and permits",
                "clerk_tui.screens.citations.screen:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("citation", "clerk_tui.domain.citations.items:CitationItem"),
        ItemKindSpec("citation_deposit", "clerk_tui.domain.citations.items:DepositItem"),
        ItemKindSpec("citation_copy", "clerk_tui.domain.citations.items:CopyItem"),
    ),
    scan_kinds=(
        # C + 8-digit serial + Luhn digit: cannot match a receipt (R...), a bill stub (18
        # digits), an account (8 digits) or another counter's prefix (PK, BL, PA, VB).
        ScanKind("citation", r"[Cc]([0-9]{9})", "clerk_tui.domain.citations.numbers:parse_scan",
                 "clerk_tui.screens.citations.scans:scan_opens", priority=25,
                 samples=("C000012344", "c000012344"),
                 description="parking citation C + 9 digits (check digit)"),
    ),
    finders=(
        FinderSpec("citation", "clerk_tui.domain.citations.finders:find",
                   "clerk_tui.screens.citations.scans:open_found", permission="citation.pay"),
    ),
    migrations="citations",
    rules_files=("citations/violations.toml", "citations/rules.toml"),
    demo="clerk_tui.domain.citations.demo:sandbox_builder",
    bench_jobs=("clerk_tui.screens.citations.bench:job_scan_pay",
                "clerk_tui.screens.citations.bench:job_plate_pay_all"),
)
