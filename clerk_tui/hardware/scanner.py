"""Keyboard-wedge scanner assembler: tells a scan from typing, key by key. Pure: no I/O, no clock.

A wedge scanner "types" the barcode into the terminal, so scans arrive as key events mixed
with the clerk's own typing. The app feeds every key (name as Textual reports it, plus the
time) and gets back events: `KeyEvent` to pass on as typed, or one `ScanEvent`.

Two signals, in order of trust:
1. **Prefix** (primary): the scanner is programmed to send a prefix character first. Everything
   from the prefix to the suffix (CR as "enter", LF as "ctrl+j", or Tab) is the scan and none
   of it reaches the screen — so a scan landing on a screen with single-letter shortcuts fires
   none of them. Default prefix: RS, Ctrl+^ (0x1E): tmux (Ctrl+B), screen (Ctrl+A), readline,
   the tty (^C ^\\ ^Z ^S ^Q ^V ^W ^U ^O ^R), telnet (^]) and GS1 data (GS) do not claim it.
   Over SSH the key timing is unreliable (batched, split), so this is the setting to use there.
2. **Timing** (fallback for local terminals): a burst of at least `min_length` characters with
   gaps <= `max_gap` that ends in a suffix is a scan. A burst split in two (as SSH and
   network serial do) is joined when the second part follows within `split_grace`. Typed keys
   are held at most `max_gap` (or `split_grace` while a burst is pending) before being passed
   on, so the app must call `poll(now)` at `deadline()`.

AIM symbology identifiers (`]C0` Code 128, `]A0` Code 39, `]I0` ITF, `]E0` EAN/UPC, `]Q1` QR,
`]d2` Data Matrix …) are stripped from the data and reported as `symbology`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

DEFAULT_PREFIX = "\x1e"
SUFFIXES = ("\r", "\n", "\t")

_AIM = re.compile(r"^\]([A-Za-z])([0-9A-Za-z])")
AIM_SYMBOLOGIES = {
    "A": "Code 39", "C": "Code 128", "E": "EAN/UPC", "F": "Codabar", "G": "Code 93",
    "I": "Interleaved 2 of 5", "L": "PDF417", "Q": "QR Code", "d": "Data Matrix",
    "e": "GS1 DataBar", "z": "Aztec",
}

_NAMED = {
    "enter": "\r", "ctrl+m": "\r", "ctrl+j": "\n", "newline": "\n", "tab": "\t", "ctrl+i": "\t",
    "space": " ", "ctrl+circumflex_accent": "\x1e", "ctrl+right_square_bracket": "\x1d",
    "ctrl+backslash": "\x1c", "ctrl+underscore": "\x1f", "minus": "-", "slash": "/",
    "backslash": "\\", "at": "@", "plus": "+", "underscore": "_",
}


def key_char(key: str, character: str | None = None) -> str | None:
    """The character a key event stands for (Textual key names), or None for keys like 'up'."""
    if character is not None and len(character) == 1:
        return character
    if key in _NAMED:
        return _NAMED[key]
    if len(key) == 1:
        return key
    if key.startswith("ctrl+") and len(key) == 6 and key[5].isalpha():
        return chr(ord(key[5].lower()) - 96)
    if "+" in key:
        return None
    try:
        ch = unicodedata.lookup(key.replace("_", " ").upper())
    except KeyError:
        return None
    return ch if len(ch) == 1 else None


@dataclass(frozen=True)
class KeyEvent:
    """A key to pass on to the app as typed."""

    key: str
    character: str | None
    t: float


@dataclass(frozen=True)
class ScanEvent:
    data: str  # AIM identifier removed
    raw: str  # everything received, prefix and suffix included (diagnostics show it in hex)
    symbology: str | None = None
    via: str = "prefix"  # prefix | timing | serial
    terminated: bool = True  # False: ended by timeout, not by a suffix


Event = KeyEvent | ScanEvent


def strip_aim(data: str) -> tuple[str, str | None]:
    """']C0R000012344' -> ('R000012344', 'Code 128')."""
    m = _AIM.match(data)
    if not m:
        return data, None
    return data[m.end():], AIM_SYMBOLOGIES.get(m.group(1), f"AIM ]{m.group(1)}{m.group(2)}")


@dataclass
class _Held:
    key: str
    character: str | None
    t: float
    ch: str


@dataclass
class WedgeAssembler:
    """See the module docstring. Times are seconds from any monotonic clock."""

    prefix: str = DEFAULT_PREFIX  # "" disables prefix detection
    suffixes: tuple[str, ...] = SUFFIXES  # () = scanner sends no suffix
    max_gap: float = 0.035
    min_length: int = 4
    split_grace: float = 0.25
    scan_timeout: float = 0.6  # prefix seen, suffix never came
    use_timing: bool = True
    strip_aim_ids: bool = True
    _capture: list[_Held] | None = field(default=None, init=False)
    _capture_raw: str = field(default="", init=False)
    _pending: list[_Held] = field(default_factory=list, init=False)
    _swallow: tuple[str, float] | None = field(default=None, init=False)

    # -- public ---------------------------------------------------------------------------
    @property
    def in_scan(self) -> bool:
        """True while a prefixed scan is being collected (the app may show 'scanning…')."""
        return self._capture is not None

    def feed(self, key: str, t: float, character: str | None = None) -> list[Event]:
        out = self.poll(t)
        ch = key_char(key, character)
        if self._swallow is not None:
            want, until = self._swallow
            self._swallow = None
            if ch == want and t <= until:
                return out  # the LF of a CR LF suffix
        held = _Held(key, character, t, ch or "")
        if self._capture is not None:
            out += self._feed_capture(held)
        elif self.prefix and ch == self.prefix[0] and len(self.prefix) == 1:
            out += self._flush_pending()
            self._capture, self._capture_raw = [], ch
        elif self.use_timing and ch is not None and (ch.isprintable() or ch in self.suffixes):
            out += self._feed_timing(held)
        else:
            out += self._flush_pending()
            out.append(KeyEvent(key, character, t))
        return out

    def poll(self, t: float) -> list[Event]:
        """Release what has waited long enough; call at (or after) `deadline()`."""
        out: list[Event] = []
        if self._capture is not None:
            last = self._capture[-1].t if self._capture else None
            if last is not None and t - last > self.scan_timeout:
                out += self._end_capture(terminated=False)
            return out
        if self._pending:
            gap = t - self._pending[-1].t
            if gap > self.max_gap and not (self._burst_like() and gap <= self.split_grace):
                if not self.suffixes and self._burst_like():
                    out.append(self._scan(self._pending, "".join(h.ch for h in self._pending),
                                          "timing", terminated=False))
                    self._pending = []
                else:
                    out += self._flush_pending()
        return out

    def deadline(self) -> float | None:
        """When `poll()` next has work to do, or None."""
        if self._capture is not None:
            return self._capture[-1].t + self.scan_timeout if self._capture else None
        if self._pending:
            wait = self.split_grace if self._burst_like() else self.max_gap
            return self._pending[-1].t + wait + 1e-6
        return None

    def flush(self) -> list[Event]:
        """Give back everything held (e.g. the screen is closing)."""
        if self._capture is not None:
            return self._end_capture(terminated=False)
        return self._flush_pending()

    # -- prefix mode ----------------------------------------------------------------------
    def _feed_capture(self, held: _Held) -> list[Event]:
        assert self._capture is not None
        if held.ch in self.suffixes:
            self._capture_raw += held.ch
            self._capture.append(held)
            out = self._end_capture(terminated=True)
            if held.ch == "\r":
                self._swallow = ("\n", held.t + self.split_grace)
            return out
        if held.ch and held.ch.isprintable():
            self._capture.append(held)
            self._capture_raw += held.ch
            return []
        # a non-character key (arrow, F-key, Esc): a person, not a scanner — give it back
        self._capture, self._capture_raw = None, ""
        return [KeyEvent(held.key, held.character, held.t)]

    def _end_capture(self, *, terminated: bool) -> list[Event]:
        held = self._capture or []
        raw = self._capture_raw
        self._capture, self._capture_raw = None, ""
        data = "".join(h.ch for h in held if h.ch not in self.suffixes)
        if not data:
            return []
        return [self._scan_text(data, raw, "prefix", terminated)]

    # -- timing mode ----------------------------------------------------------------------
    def _burst_like(self) -> bool:
        return len(self._pending) >= self.min_length

    def _feed_timing(self, held: _Held) -> list[Event]:
        out: list[Event] = []
        if self._pending:
            gap = held.t - self._pending[-1].t
            joins = gap <= self.max_gap or (self._burst_like() and gap <= self.split_grace)
            if not joins:
                out += self._flush_pending()
        if held.ch in self.suffixes:
            if self._burst_like():
                pending, self._pending = self._pending, []
                raw = "".join(h.ch for h in pending) + held.ch
                out.append(self._scan(pending, raw, "timing", terminated=True))
                if held.ch == "\r":
                    self._swallow = ("\n", held.t + self.split_grace)
                return out
            out += self._flush_pending()
            out.append(KeyEvent(held.key, held.character, held.t))
            return out
        self._pending.append(held)
        return out

    def _flush_pending(self) -> list[Event]:
        pending, self._pending = self._pending, []
        return [KeyEvent(h.key, h.character, h.t) for h in pending]

    def _scan(self, held: list[_Held], raw: str, via: str, terminated: bool) -> ScanEvent:
        return self._scan_text("".join(h.ch for h in held), raw, via, terminated)

    def _scan_text(self, data: str, raw: str, via: str, terminated: bool) -> ScanEvent:
        symbology = None
        if self.strip_aim_ids:
            data, symbology = strip_aim(data)
        return ScanEvent(data, raw, symbology, via, terminated)


def hexdump(data: bytes | str) -> str:
    """'1e 52 30 30 … 0d' — how the diagnostics screen shows a raw scan, so an IT tech can see
    the prefix, the suffix and any AIM identifier the scanner really sent."""
    raw = data.encode("latin-1", "replace") if isinstance(data, str) else data
    return " ".join(f"{b:02x}" for b in raw)
