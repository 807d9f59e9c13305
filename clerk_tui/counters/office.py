"""The office's day (issue 17): customer records and misapplied payments.

Not a counter of its own (no F-key, no home letter): its duties are on the account `A` menu
(cashier and utility manifests). It owns the migration set `office`.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Manifest

MANIFEST = Manifest(
    name="office",
    migrations="office",
)
