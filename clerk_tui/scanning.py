"""Barcode scans inside the running app: one message, one log, and what each kind of scan does.

Scans reach the app two ways and leave it one way:
- a keyboard-wedge scanner types into the terminal; the app feeds every key to the hardware
  `WedgeAssembler` (prefix first, burst timing as a fallback on local terminals) and a finished
  scan becomes a `ScanReceived` message instead of keys — so a scan never fires a screen's
  single-letter shortcuts and never types into a field;
- a serial scanner's reader thread calls back with each CR/LF frame; the app posts the same
  `ScanReceived` (post_message is thread-safe).

What a scan *means* is domain work (`clerk_tui.domain.scanlines.parse_scan`, a registry of
patterns). What it *does* is the scan kind's handler, named in its counter's manifest (the
cashier's account, bill stub and receipt: clerk_tui/screens/cashier_scans.py); the app only
routes. A counter adds a kind with its pattern, parser, handler and priority:

    ScanKind("citation", r"C[0-9]{8}", "clerk_tui.domain.citations:parse_citation",
             "clerk_tui.screens.citations:scan_opens", priority=15, samples=("C12345674",))
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from clerk_tui.domain.scanlines import ScanResult
from clerk_tui.hardware.scanner import hexdump

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


class ScanReceived(Message):
    """One finished scan, from a wedge (`via` "prefix"/"timing") or a serial scanner."""

    def __init__(self, data: str, raw: bytes, *, via: str,
                 symbology: str | None = None) -> None:
        super().__init__()
        self.data = data
        self.raw = raw
        self.via = via
        self.symbology = symbology


@dataclass
class ScanRecord:
    """A scan as the diagnostics screen shows it: when, how, the raw bytes, what came of it."""

    at: str
    via: str
    data: str
    raw: bytes
    symbology: str | None = None
    outcome: str = ""

    @property
    def hex(self) -> str:
        return hexdump(self.raw)


class ScanLog:
    """The last scans of this session (newest last), raw bytes kept for the IT tech."""

    def __init__(self, size: int = 20) -> None:
        self.records: deque[ScanRecord] = deque(maxlen=size)

    def add(self, scan: ScanReceived) -> ScanRecord:
        record = ScanRecord(dt.datetime.now().strftime("%H:%M:%S"), scan.via, scan.data,
                            scan.raw, scan.symbology)
        self.records.append(record)
        return record

    def __len__(self) -> int:
        return len(self.records)

    def latest(self, n: int) -> list[ScanRecord]:
        return list(self.records)[-n:]


ScanHandler = Callable[["ClerkApp", ScanResult], None]
"""Runs on the UI thread with a parsed scan; the clerk is signed in and the terminal unlocked."""

_handlers: dict[str, ScanHandler] = {}


def register_scan_handler(kind: str, handler: ScanHandler, *, replace: bool = False) -> None:
    """Say by hand what a scan of `kind` does (tests); counters use their manifest's handler."""
    if kind in _handlers and not replace:
        raise ValueError(f"a scan handler for {kind!r} is already registered")
    _handlers[kind] = handler


def unregister_scan_handler(kind: str) -> None:
    _handlers.pop(kind, None)


def scan_handler(kind: str) -> ScanHandler | None:
    """The handler for a scan kind: one set by hand, else the manifest's (imported now)."""
    if kind in _handlers:
        return _handlers[kind]
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve

    for spec in registry().scan_kinds:
        if spec.kind == kind and spec.handler:
            handler: ScanHandler = resolve(spec.handler)
            return handler
    return None


class ScannerProblem(Message):
    """A serial scanner could not be opened or was lost (its reader thread keeps retrying)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
