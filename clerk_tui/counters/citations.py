"""Citations (F4, home letter C): parking citations from the handhelds' daily file or keyed by
hand, found by number, plate, notice or owner; paid as receipt items; notices of delinquency,
DMV holds and releases, reviews, hearings, appeals, indigent payment plans (CVC 40220),
corrections and dismissals. Residential parking permits are the `permits` package, reached
from this screen's P key.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, Manifest

MANIFEST = Manifest(
    name="citations",
    counters=(
        Counter("citations", "Citations", "f4", "c", "citation.pay",
                "Parking citations and permits", None),
    ),
    migrations="citations",
    rules_files=("citations/violations.toml", "citations/rules.toml"),
)
