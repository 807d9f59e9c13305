"""The police front desk (F7, home letter F): visitors and badges, records requests (CPRA),
stored and impounded vehicles, repossessions, registrants, and its reports.

Opening it needs `frontdesk.visitor` (csr1 and up); police records inside it need
`frontdesk.records` AND an admin's clearance (clerk_tui/domain/frontdesk/access.py).
"""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, FinderSpec, ItemKindSpec, Manifest, ScanKind

_D = "clerk_tui.domain.frontdesk"
_S = "clerk_tui.screens.frontdesk"

MANIFEST = Manifest(
    name="frontdesk",
    counters=(
        Counter("frontdesk", "Front desk", "f7", "f", "frontdesk.visitor",
                "Police front desk: visitors, records, releases",
                f"{_S}.screen:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("fd_copy", f"{_D}.items:CopyFeeItem"),
        ItemKindSpec("fd_release", f"{_D}.items:ReleaseFeeItem"),
        ItemKindSpec("fd_repo", f"{_D}.items:RepoFeeItem"),
        ItemKindSpec("fd_subpoena", f"{_D}.items:SubpoenaItem"),
        ItemKindSpec("fd_letter", f"{_D}.items:LetterFeeItem"),
        ItemKindSpec("fd_reg", f"{_D}.items:RegistrationFeeItem"),
    ),
    scan_kinds=(
        ScanKind("visitor_badge", r"[Vv][Bb][0-9]{7}", f"{_D}.visitors:parse_badge",
                 f"{_S}.scans:scan_badge", priority=40, samples=("VB0000018", "vb0000018"),
                 description="visitor badge VB + 6 digits + check digit"),
    ),
    migrations="frontdesk",
    rules_files=("frontdesk/rules.toml", "utility/holidays.toml",
                 "frontdesk/letters/acknowledgement.txt", "frontdesk/letters/extension.txt",
                 "frontdesk/letters/release.txt", "frontdesk/letters/denial.txt",
                 "frontdesk/letters/clearance.txt"),
    demo=f"{_D}.demo:sandbox_builder",
    # The keystroke bench requires each job to post a receipt: the visitor-badge job
    # (clerk_tui.screens.frontdesk.bench:job_visitor_badge) posts none; its UI test runs it.
    bench_jobs=(f"{_S}.bench:job_repo_fee_cash", f"{_S}.bench:job_visitor_badge"),
    reports=(f"{_D}.reports:collections_report",),
    # Police records: the finders also return nothing for a clerk who is not cleared.
    finders=(
        FinderSpec("offender", f"{_D}.finders:find_registrants", f"{_S}.open:open_registrant",
                   permission="frontdesk.records"),
        FinderSpec("pra-req", f"{_D}.finders:find_requests", f"{_S}.open:open_request",
                   permission="frontdesk.records"),
        FinderSpec("impound", f"{_D}.finders:find_impounds", f"{_S}.open:open_impound",
                   permission="frontdesk.records"),
        FinderSpec("visitor", f"{_D}.finders:find_visitors", f"{_S}.open:open_visitor",
                   permission="frontdesk.visitor"),
    ),
)
