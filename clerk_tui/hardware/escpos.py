"""ESC/POS: the few commands a counter needs, the real-time status decoder, and the 7-bit rule.

We write the bytes ourselves (rather than drive python-escpos) because the same receipt must
go down three very different pipes: a serial/network port that carries any byte, and the
clerk's own terminal (`terminal:`), where Textual's UTF-8 output and the pty's newline
translation would mangle bytes >= 0x80 and LF. The encoder therefore has a *7-bit-safe* mode
that only emits bytes every hop passes untouched, using the ASCII-digit parameter forms Epson
documents for most commands (`ESC a '1'`, `GS V '1'`, `ESC p '0'` …) and `ESC d n` instead of LF.

Why these bytes are unsafe on the terminal path (see `UNSAFE_7BIT`):
- >= 0x80: Textual writes `str` encoded as UTF-8, so one byte would become two;
- NUL, XON (DC1), XOFF (DC3): DEC terminals swallow them in printer-controller mode;
- LF: the server pty's ONLCR turns it into CR LF; HT: may be expanded to spaces (TAB3);
- DC2, DC4, CAN: Wyse-style terminals start/stop transparent print on them (DC4 ends it);
- SUB, CAN: abort an escape sequence in the terminal's parser (it still watches for ESC [ 4 i);
- DLE: starts ESC/POS real-time commands (DLE DC4 pulses / powers off) that must never
  appear by accident inside data; DEL: dropped as padding by some terminals;
- ESC followed by `[ ] P X ^ _ \\`: CSI/OSC/DCS/… would be parsed by the terminal (ESC [ 4 i
  would end printing early; an OSC would swallow the rest).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

Align = Literal["left", "center", "right"]
_ALIGN = {"left": 0, "center": 1, "right": 2}
_HRI = {"off": 0, "above": 1, "below": 2, "both": 3}

UNSAFE_7BIT: frozenset[int] = frozenset(
    {0x00, 0x09, 0x0A, 0x10, 0x11, 0x12, 0x13, 0x14, 0x18, 0x1A, 0x7F} | set(range(0x80, 0x100))
)
_UNSAFE_AFTER_ESC = frozenset(b"[]PX^_\\")

# Real-time status requests (DLE EOT n) and what each reply byte means.
STATUS_PRINTER, STATUS_OFFLINE, STATUS_ERROR, STATUS_PAPER = 1, 2, 3, 4


class UnsafePayload(ValueError):
    """A byte string that would be mangled (or misread) on the 7-bit terminal path."""


def unsafe_7bit_positions(data: bytes) -> list[int]:
    """Offsets of bytes (or ESC-introduced sequences) that the terminal path cannot carry."""
    bad = [i for i, b in enumerate(data) if b in UNSAFE_7BIT]
    bad += [i for i in range(len(data) - 1) if data[i] == 0x1B and data[i + 1] in _UNSAFE_AFTER_ESC]
    return sorted(bad)


def check_7bit_safe(data: bytes) -> None:
    """Raise UnsafePayload naming the first offending byte; the terminal transport calls this."""
    bad = unsafe_7bit_positions(data)
    if bad:
        i = bad[0]
        raise UnsafePayload(
            f"byte 0x{data[i]:02X} at offset {i} cannot be sent through the terminal "
            f"({len(bad)} unsafe byte(s); 7-bit-safe mode avoids them)")


def safe_param(n: int, *, lo: int = 1, hi: int = 0x7E) -> int:
    """The nearest value >= n that is 7-bit safe (clamped to hi): a longer drawer pulse or
    off-time is harmless, a NUL/XON parameter is not."""
    n = max(lo, min(n, hi))
    while n in UNSAFE_7BIT and n < hi:
        n += 1
    while n in UNSAFE_7BIT:
        n -= 1
    return n


def printable_text(text: str, *, safe7: bool, codepage: str = "cp437") -> bytes:
    """Text as printer bytes: control characters dropped, accents folded where the code page
    (or ASCII, in 7-bit mode) lacks them, anything else as '?'. Never raises."""
    out = bytearray()
    for ch in text:
        if ch in "\r\n\t":
            ch = " "
        if unicodedata.category(ch).startswith("C"):
            continue
        enc = "ascii" if safe7 else codepage
        try:
            out += ch.encode(enc)
            continue
        except UnicodeEncodeError:
            pass
        folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
        out += folded if folded else b"?"
    return bytes(out)


class EscPos:
    """A byte builder for one print job. Every method returns self so a job reads top-down.

    `safe7=True` emits only terminal-safe bytes; `bytes()` then double-checks the result.
    """

    def __init__(self, *, safe7: bool = False, codepage: str = "cp437") -> None:
        self.safe7 = safe7
        self.codepage = codepage
        self._buf = bytearray()
        self._align: Align = "left"
        self._bold = False

    # -- helpers ----------------------------------------------------------------------------
    def raw(self, data: bytes) -> EscPos:
        self._buf += data
        return self

    def _digit(self, n: int) -> bytes:
        """Parameter 0..3 in its ASCII-digit form (48..51) in 7-bit mode, binary otherwise."""
        return bytes([n + 48 if self.safe7 else n])

    # -- commands ---------------------------------------------------------------------------
    def init(self) -> EscPos:
        """ESC @: reset modes; in 8-bit mode also select the code page our text uses."""
        self._buf += ESC + b"@"
        self._align, self._bold = "left", False
        if not self.safe7:
            self._buf += ESC + b"t" + bytes([_CODEPAGES.get(self.codepage, 0)])
        return self

    def align(self, how: Align) -> EscPos:
        self._buf += ESC + b"a" + self._digit(_ALIGN[how])
        self._align = how
        return self

    def bold(self, on: bool = True) -> EscPos:
        self._buf += ESC + b"E" + self._digit(1 if on else 0)
        self._bold = on
        return self

    def double(self, on: bool = True) -> EscPos:
        """Double width+height (ESC ! 0x30, which is the ASCII digit '0' — safe). Turning it off
        needs ESC ! 0 (a NUL) so 7-bit mode resets with ESC @ and restores align/bold instead."""
        if on:
            self._buf += ESC + b"!" + bytes([0x38 if self._bold else 0x30])
        elif self.safe7:
            align, bold = self._align, self._bold
            self.init()
            if align != "left":
                self.align(align)
            if bold:
                self.bold(True)
        else:
            self._buf += ESC + b"!" + bytes([0x08 if self._bold else 0x00])
        return self

    def text(self, text: str) -> EscPos:
        self._buf += printable_text(text, safe7=self.safe7, codepage=self.codepage)
        return self

    def newline(self) -> EscPos:
        """End a line: LF, or in 7-bit mode ESC d 1 (print and feed one line)."""
        self._buf += (ESC + b"d\x01") if self.safe7 else LF
        return self

    def line(self, text: str = "") -> EscPos:
        return self.text(text).newline()

    def feed(self, lines: int = 1) -> EscPos:
        """ESC d n: print the buffer and feed n lines."""
        n = max(0, min(lines, 255))
        if self.safe7:
            n = safe_param(n)
        self._buf += ESC + b"d" + bytes([n])
        return self

    def barcode128(self, data: str, *, height: int = 64, width: int = 2,
                   hri: Literal["off", "above", "below", "both"] = "below",
                   center: bool = True) -> EscPos:
        """Code 128 drawn by the printer (GS k 73, function B, code set B). Printer-side bars
        are sharp at any DPI and cost a few bytes instead of a raster image."""
        if not data or not all(0x20 <= ord(c) < 0x7F for c in data):
            raise ValueError(f"Code 128 data must be printable ASCII: {data!r}")
        payload = b"{B" + data.encode("ascii")
        if len(payload) > 255:
            raise ValueError("barcode data too long")
        if self.safe7 and len(payload) in UNSAFE_7BIT:
            raise UnsafePayload(f"barcode of {len(data)} characters has an unsafe length byte")
        if center:
            self.align("center")
        h = max(1, min(height, 255))
        if self.safe7:
            h = safe_param(h, hi=0x7E)
        self._buf += GS + b"h" + bytes([h])
        self._buf += GS + b"w" + bytes([max(2, min(width, 6))])
        self._buf += GS + b"f" + self._digit(0)
        self._buf += GS + b"H" + self._digit(_HRI[hri])
        self._buf += GS + b"kI" + bytes([len(payload)]) + payload
        return self

    def cut(self, *, partial: bool = False, feed: int = 6) -> EscPos:
        """Feed past the cutter, then GS V m (full 0 / partial 1)."""
        self.feed(feed)
        self._buf += GS + b"V" + self._digit(1 if partial else 0)
        return self

    def kick(self, pin: int = 2, pulse_ms: int = 50, off_ms: int = 500) -> EscPos:
        """ESC p m t1 t2: pulse the drawer solenoid on connector pin 2 (m=0) or 5 (m=1) for
        t1*2 ms. In 7-bit mode t1/t2 are nudged to the nearest safe value (t2 capped at 252 ms,
        which only matters between repeated pulses)."""
        if pin not in (2, 5):
            raise ValueError("drawer pin must be 2 or 5")
        t1 = max(1, min(pulse_ms // 2, 255))
        t2 = max(t1, min(off_ms // 2, 255))
        if self.safe7:
            t1, t2 = safe_param(t1), safe_param(t2)
        self._buf += ESC + b"p" + self._digit(0 if pin == 2 else 1) + bytes([t1, t2])
        return self

    def bytes(self) -> bytes:
        data = bytes(self._buf)
        if self.safe7:
            check_7bit_safe(data)
        return data


_CODEPAGES = {"cp437": 0, "cp850": 2, "cp858": 19, "cp1252": 16}


def status_request(n: int) -> bytes:
    """DLE EOT n: answered at once, even while the printer is offline or busy printing."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n takes n = 1..4")
    return DLE + EOT + bytes([n])


def valid_status_byte(b: int) -> bool:
    """Every DLE EOT reply has bits 1 and 4 set and bits 0 and 7 clear (0xx1xx10)."""
    return b & 0x93 == 0x12


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; None means "not reported"."""

    known: bool
    online: bool | None = None
    drawer_open: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    error: bool | None = None
    raw: dict[int, int] = field(default_factory=dict)
    detail: str = ""

    @property
    def ready(self) -> bool:
        """True only when the printer answered and nothing stops it printing."""
        return self.known and not (self.paper_out or self.cover_open or self.error
                                   or self.online is False)

    @property
    def message(self) -> str:
        """One line for the status bar / diagnostics screen."""
        if not self.known:
            return self.detail or "status unknown"
        problems = []
        if self.paper_out:
            problems.append("out of paper")
        if self.cover_open:
            problems.append("cover open")
        if self.error:
            problems.append("printer error")
        if self.online is False and not problems:
            problems.append("offline")
        if problems:
            return "Printer " + ", ".join(problems)
        extra = ", paper low" if self.paper_near_end else ""
        return "Printer ready" + extra


def decode_status(replies: dict[int, int], *, drawer_open_level: str = "high") -> PrinterStatus:
    """Turn DLE EOT replies {n: byte} into a PrinterStatus.

    `drawer_open_level` says which level of connector pin 3 means "open": drawers differ, so it
    is configuration (see docs/hardware.md).
    """
    bad = {n: b for n, b in replies.items() if not valid_status_byte(b)}
    if bad or not replies:
        shown = ", ".join(f"n={n}: 0x{b:02X}" for n, b in bad.items()) or "no reply"
        return PrinterStatus(known=False, raw=dict(replies), detail=f"not a status reply ({shown})")
    online = drawer_open = cover = near = out = error = None
    if STATUS_PRINTER in replies:
        b = replies[STATUS_PRINTER]
        pin3_high = bool(b & 0x04)
        drawer_open = pin3_high if drawer_open_level == "high" else not pin3_high
        online = not (b & 0x08)
    if STATUS_OFFLINE in replies:
        b = replies[STATUS_OFFLINE]
        cover = bool(b & 0x04)
        out = bool(b & 0x20) or None
        error = bool(b & 0x40)
    if STATUS_ERROR in replies:
        b = replies[STATUS_ERROR]
        error = bool(b & (0x08 | 0x20 | 0x40)) or bool(error)
    if STATUS_PAPER in replies:
        b = replies[STATUS_PAPER]
        near = bool(b & 0x0C)
        out = bool(b & 0x60) or bool(out)
    return PrinterStatus(known=True, online=online, drawer_open=drawer_open, cover_open=cover,
                         paper_near_end=near, paper_out=out, error=error, raw=dict(replies))
