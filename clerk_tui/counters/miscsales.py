"""Misc. sales (F12, home letter M): copies, bus passes, lost-permit replacement, notary and
other over-the-desk items from `data/miscsales/items.toml`, sold as receipt items.

The proof that a counter is its own folders: this manifest, `domain/miscsales/`,
`screens/miscsales/`, `data/miscsales/` and its tests; the only shared line is its name in
`BUILTIN`. No migration set: a sale is an ordinary receipt (item kind `misc`, reference
`CODE*QTY`), so it needs no table of its own. See docs/counters.md.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, ItemKindSpec, Manifest

MANIFEST = Manifest(
    name="miscsales",
    counters=(
        # F12: the one function key no counter, placeholder or app binding uses (F10 is
        # diagnostics). M for "misc": free on home (l p d r u c b s f g are taken).
        Counter("miscsales", "Misc. sales", "f12", "m", "payment.take",
                "Copies, bus passes, permits, notary",
                "clerk_tui.screens.miscsales.screen:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("misc", "clerk_tui.domain.miscsales.items:MiscItem"),
    ),
    migrations=None,
    rules_files=("miscsales/items.toml", "fees.toml"),
    demo="clerk_tui.domain.miscsales.demo:sandbox_builder",
    bench_jobs=("clerk_tui.screens.miscsales.bench:job_two_items_cash",),
    reports=("clerk_tui.domain.miscsales.reports:day_report",),
)
