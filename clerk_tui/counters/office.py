"""The office's day (issue 17): customer records, misapplied payments, the day report and the
GL file for finance.

Not a counter of its own (no F-key, no home letter): customer records and transfers are on
the account `A` menu (cashier and utility manifests), the reports on F9 Reports and the command
line (`clerk-tui gl-export`, `clerk-tui day-report`). It owns the migration set `office`
(record history, returned mail, payment transfers, and the table of GL exports, one per
business day).
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
