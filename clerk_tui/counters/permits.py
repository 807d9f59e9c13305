"""Residential parking permits: districts, numbered stock, issue on payment, renew, replace,
vehicle and address changes, renewal notices and the enforcement export.

No function key of its own: F4 is the citations counter, whose screen pushes
`clerk_tui.screens.permits.screen:PermitsScreen()` (key P there). The manifest still declares
everything else a counter adds: the `permit` item kind, the `PK` scan, the migration set, the
rules file, the demo data and the bench job.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import FinderSpec, ItemKindSpec, Manifest, ScanKind

_D = "clerk_tui.domain.permits"
_S = "clerk_tui.screens.permits"

MANIFEST = Manifest(
    name="permits",
    counters=(),
    item_kinds=(
        ItemKindSpec("permit", f"{_D}.items:PermitItem"),
    ),
    scan_kinds=(
        # 'PK' + 6-digit serial + Luhn digit, as printed on the hangtag/decal (COUNTERS.md
        # assigns 'PK' to permits; the letters keep it off receipts, stubs and accounts).
        ScanKind("permit", r"[Pp][Kk]([0-9]{7})", f"{_D}.numbers:parse_scan",
                 f"{_S}.screen:scan_opens_permit", priority=47,
                 samples=("PK1000017", "pk1000017"),
                 description="parking permit number PK + serial + check digit"),
    ),
    finders=(
        FinderSpec("permit", f"{_D}.lookup:find", f"{_S}.screen:open_permit",
                   permission="permit.sell"),
    ),
    migrations="permits",
    rules_files=("permits/permits.toml", "permits/letters/renewal_notice.txt"),
    demo=f"{_D}.demo:sandbox_builder",
    bench_jobs=(f"{_S}.bench:job_issue_permit",),
    reports=(f"{_D}.export:format_stock_report",),
)
