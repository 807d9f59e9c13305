"""Counters the office has asked for but that are not built yet: they show the honest "not
available yet" screen. Each moves to its own manifest (and leaves this file) when it is built."""

from __future__ import annotations

from clerk_tui.counters.manifest import Counter, Manifest

MANIFEST = Manifest(
    name="placeholders",
    counters=(
    ),
)
