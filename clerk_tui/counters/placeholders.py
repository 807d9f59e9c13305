"""Counters the office has asked for but that are not built yet: they show the honest "not
available yet" screen. Each moves to its own manifest (and leaves this file) when it is built."""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, Manifest

MANIFEST = Manifest(
    name="placeholders",
    counters=(
        Counter("licenses", "Licenses", "f5", "b", "license.renew",
                "Business licenses: issue and renew", None),
        Counter("passports", "Passports", "f6", "s", "passport.accept",
                "Accept US passport applications", None),
        Counter("frontdesk", "Front desk", "f7", "f", "frontdesk.visitor",
                "Police front desk: visitors, records, releases", None),
    ),
)
