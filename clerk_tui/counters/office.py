"""The office's day (issue 17): day-wide reports and the GL file for finance.

Not a counter of its own (no F-key, no home letter): its reports are reached from F9 Reports
and from the command line (`clerk-tui gl-export`, `clerk-tui day-report`). It owns the
migration set `office` (the table recording GL exports, one per business day).
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Manifest

MANIFEST = Manifest(
    name="office",
    migrations="office",
    rules_files=("office/gl.toml", "cashier.toml"),
    reports=("clerk_tui.domain.office.day:day_report",
             "clerk_tui.domain.office.gl:export_day",
             "clerk_tui.domain.office.refunds:payable_refunds"),
)
