"""Business licenses (F5, home letter B): applications routed to departments, the license tax,
CASp fee and penalties as receipt items, renewals by scanned notice, certificates, BID
assessments and remittance, notices and reports. See clerk_tui/domain/licenses/."""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, FinderSpec, ItemKindSpec, Manifest, ScanKind

_D = "clerk_tui.domain.licenses"
_S = "clerk_tui.screens.licenses"

MANIFEST = Manifest(
    name="licenses",
    counters=(
        # F5 and B: the placeholder's key and letter, and its permission.
        Counter("licenses", "Licenses", "f5", "b", "license.renew",
                "Business licenses: issue and renew", f"{_S}.screen:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("license", f"{_D}.items:LicenseItem"),
        ItemKindSpec("bid", f"{_D}.items:BidItem"),
        ItemKindSpec("event", f"{_D}.items:EventItem"),
    ),
    scan_kinds=(
        ScanKind("license_notice", r"[Bb][Ll]([0-9]{12})", f"{_D}.numbers:parse_notice",
                 f"{_S}.screen:scan_opens_renewal", priority=44,
                 samples=("BL100001720273", "bl100001720273"),
                 description="license renewal notice BL + number + year + check digit"),
        ScanKind("license", r"[Bb][Ll]([0-9]{7})", f"{_D}.numbers:parse_certificate",
                 f"{_S}.screen:scan_opens_license", priority=43, samples=("BL1000017",),
                 description="license certificate BL + license number"),
    ),
    finders=(FinderSpec("license", f"{_D}.finders:find", f"{_S}.screen:open_license",
                        permission="license.renew"),),
    migrations="licenses",
    rules_files=("licenses/tax.toml", "licenses/routing.toml", "licenses/bid.toml",
                 "licenses/events.toml", "licenses/letters/renewal.txt",
                 "licenses/letters/delinquent.txt", "licenses/letters/denial.txt"),
    demo=f"{_D}.demo:sandbox_builder",
    bench_jobs=(f"{_S}.bench:job_renewal_scan_cash",),
    reports=(f"{_D}.reports:issued", f"{_D}.reports:renewals_due", f"{_D}.reports:delinquent",
             f"{_D}.reports:revenue", f"{_D}.reports:pending_by_department",
             f"{_D}.reports:casp_report", f"{_D}.reports:bid_month"),
)
