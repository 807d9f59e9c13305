"""Passports (F6, home letter S): passport acceptance (DS-11) with the State Department's money
kept out of the drawer.

The city's execution and photo fees are receipt lines of item kind `passport`; the applicant's
check to the State Department is a pass-through instrument recorded with the application and
never seen by a drawer, X/Z report or deposit (issue 15). Own migration set `passports`.
"""

from __future__ import annotations

from clerk_tui.counters.manifest import (
    Counter,
    FinderSpec,
    ItemKindSpec,
    Manifest,
    ScanKind,
)

MANIFEST = Manifest(
    name="passports",
    counters=(
        # Same F-key, home letter and permission as its old placeholder.
        Counter("passports", "Passports", "f6", "s", "passport.accept",
                "Accept US passport applications",
                "clerk_tui.screens.passports.screen:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("passport", "clerk_tui.domain.passports.items:PassportItem"),
    ),
    scan_kinds=(
        ScanKind("passport", r"[Pp][Aa]([0-9]{7})",
                 "clerk_tui.domain.passports.applications:parse_scan",
                 "clerk_tui.screens.passports.screen:scan_opens", priority=26,
                 samples=("PA0000018", "pa0000026"),
                 description="passport application PA + 7 digits (check digit)"),
    ),
    finders=(
        # F2: applications by number, a name's start or a date of birth (personal data: only
        # for roles that accept passports; purged applications are never found by name).
        FinderSpec("passport", "clerk_tui.domain.passports.finders:find",
                   "clerk_tui.screens.passports.screen:open_found", "passport.accept"),
    ),
    migrations="passports",
    rules_files=("passports/fees.toml", "passports/rules.toml", "passports/evidence.toml",
                 "fees.toml", "utility/holidays.toml"),
    demo="clerk_tui.domain.passports.demo:sandbox_builder",
    bench_jobs=("clerk_tui.screens.passports.bench:job_adult_book_cash",),
    reports=("clerk_tui.domain.passports.reports:daily_log",),
)
