"""The receipt document and its two renderings: ESC/POS bytes for the printer, plain text for
the screen, the reprint preview and tests.

The cashier domain fills a `ReceiptDoc` from the committed receipt row (money moves first,
paper second); this module only lays it out. Both renderings come from one list of lines so
what the clerk previews is what prints. TRAINING and DUPLICATE/VOID banners are part of the
layout, not an option the caller can forget: a training receipt must never pass for money.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from clerk_tui.domain.money import format_money
from clerk_tui.domain.scanlines import make_receipt_barcode
from clerk_tui.hardware.escpos import EscPos

TRAINING_BANNER = "TRAINING - NOT A RECEIPT"
DUPLICATE_BANNER = "DUPLICATE"
VOID_BANNER = "VOID"

WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "PAYMENT RECEIPT", "receipt": "Receipt", "clerk": "Clerk",
           "station": "Station", "paid_by": "Paid by", "new_balance": "New balance",
           "total": "TOTAL", "change": "CHANGE", "training": TRAINING_BANNER,
           "void": VOID_BANNER, "duplicate": DUPLICATE_BANNER},
    "es": {"title": "RECIBO DE PAGO", "receipt": "Recibo", "clerk": "Atendido por",
           "station": "Estación", "paid_by": "Pagado por", "new_balance": "Nuevo saldo",
           "total": "TOTAL", "change": "CAMBIO", "training": "PRÁCTICA - NO ES UN RECIBO",
           "void": "ANULADO", "duplicate": "DUPLICADO"},
}
"""A receipt's fixed wording in each language the customer may read (customers.language);
amounts, numbers, dates and what the clerk typed print the same in both."""


@dataclass(frozen=True)
class ReceiptItem:
    description: str
    amount_cents: int
    reference: str = ""  # account number, citation, license …
    new_balance_cents: int | None = None


@dataclass(frozen=True)
class ReceiptTender:
    kind: str  # "Cash", "Check", "Money order", "Card"
    amount_cents: int
    detail: str = ""  # check number, "x1234" card last four + auth code


@dataclass(frozen=True)
class ReceiptDoc:
    receipt_number: int
    issued_at: datetime | str
    clerk: str
    workstation: str
    items: tuple[ReceiptItem, ...]
    tenders: tuple[ReceiptTender, ...] = ()
    change_cents: int = 0
    header_lines: tuple[str, ...] = ()  # city name first, then address lines
    title: str = ""  # "" = the language's own ("PAYMENT RECEIPT")
    payer: str = ""
    footer_lines: tuple[str, ...] = ()
    training: bool = False
    duplicate: bool = False
    void: bool = False
    language: str = "en"

    @property
    def words(self) -> dict[str, str]:
        return WORDS.get(self.language, WORDS["en"])

    @property
    def total_cents(self) -> int:
        return sum(i.amount_cents for i in self.items)

    @property
    def tendered_cents(self) -> int:
        return sum(t.amount_cents for t in self.tenders)

    @property
    def barcode_text(self) -> str:
        return make_receipt_barcode(self.receipt_number)


Style = Literal["plain", "bold", "double", "center", "center_bold", "banner"]


@dataclass(frozen=True)
class Line:
    text: str
    style: Style = "plain"
    kind: Literal["text", "barcode"] = "text"


@dataclass
class Layout:
    width: int
    lines: list[Line] = field(default_factory=list)

    def add(self, text: str = "", style: Style = "plain", indent: int = 0) -> None:
        """A line of text; longer than the paper, it wraps (an address is never cut off)."""
        for part in _wrap(text, self.width - indent):
            self.lines.append(Line(" " * indent + part, style))

    def pair(self, left: str, right: str, style: Style = "plain") -> None:
        """`left` and `right` on one line, `right` flush right; a `left` too long for the
        line wraps, with `right` on its last line (or a line of its own)."""
        room = self.width - len(right) - 1
        parts = _wrap(left, self.width)
        last = parts.pop()
        if len(last) > room:
            parts.append(last)
            last = ""
        for part in parts:
            self.lines.append(Line(part, style))
        self.lines.append(Line(last + " " * (self.width - len(last) - len(right)) + right, style))

    def rule(self) -> None:
        self.lines.append(Line("-" * self.width))


def _wrap(text: str, width: int) -> list[str]:
    """`text` (whitespace collapsed) in lines of at most `width` characters."""
    text = " ".join(str(text).split())
    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False) or [""]


def _fit(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "~"


def _when(v: datetime | str) -> str:
    return v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else str(v)


def layout(doc: ReceiptDoc, width: int = 42) -> Layout:
    """The receipt as lines; `width` is the printer's columns in font A (42 on 80 mm paper,
    32 on 58 mm)."""
    lo = Layout(width)
    banners = _banners(doc)
    for b in banners:
        lo.lines.append(Line(b, "banner"))
    for i, h in enumerate(doc.header_lines):
        lo.add(h, "center_bold" if i == 0 else "center")
    w = doc.words
    lo.lines.append(Line(_fit(doc.title or w["title"], width // 2), "double"))
    lo.add()
    lo.pair(f"{w['receipt']} {doc.receipt_number}", _when(doc.issued_at))
    lo.pair(f"{w['clerk']} {doc.clerk}", f"{w['station']} {doc.workstation}")
    if doc.payer:
        lo.add(f"{w['paid_by']} {doc.payer}")
    lo.rule()
    for item in doc.items:
        lo.pair(item.description, format_money(item.amount_cents))
        bits = []
        if item.reference:
            bits.append(item.reference)
        if item.new_balance_cents is not None:
            bits.append(f"{w['new_balance']} {format_money(item.new_balance_cents)}")
        if bits:
            lo.add("  ".join(bits), indent=2)
    lo.rule()
    lo.pair(w["total"], format_money(doc.total_cents), "bold")
    for t in doc.tenders:
        label = f"{t.kind} {t.detail}".strip()
        lo.pair(label, format_money(t.amount_cents))
    if doc.tenders or doc.change_cents:
        lo.pair(w["change"], format_money(doc.change_cents), "bold")
    lo.add()
    lo.lines.append(Line(doc.barcode_text, "center", "barcode"))
    for f in doc.footer_lines:
        lo.add(f, "center")
    for b in banners:
        lo.lines.append(Line(b, "banner"))
    return lo


def _banners(doc: ReceiptDoc) -> list[str]:
    out = []
    w = doc.words
    if doc.training:  # in English too, whatever the language: the trainer must read it
        out.append(f"*** {TRAINING_BANNER} ***")
        if w["training"] != TRAINING_BANNER:
            out.append(f"*** {w['training']} ***")
    if doc.void:
        out.append(f"*** {w['void']} ***")
    if doc.duplicate:
        out.append(f"*** {w['duplicate']} ***")
    return out


def render_text(doc: ReceiptDoc, width: int = 42) -> str:
    """Plain text, one line per printed line (the barcode as its human-readable text)."""
    out = []
    for line in layout(doc, width).lines:
        if line.style in ("center", "center_bold", "banner", "double") or line.kind == "barcode":
            out.append(line.text.center(width).rstrip())
        else:
            out.append(line.text.rstrip())
    return "\n".join(out) + "\n"


def render_escpos(doc: ReceiptDoc, width: int = 42, *, safe7: bool = False, cut: bool = True,
                  kick: tuple[int, int] | None = None) -> bytes:
    """ESC/POS for the whole receipt. `safe7` for the terminal path; `kick=(pin, pulse_ms)`
    opens the drawer at the start of the job (one write, so the drawer opens as printing
    starts)."""
    e = EscPos(safe7=safe7).init()
    if kick:
        e.kick(kick[0], kick[1])
    for line in layout(doc, width).lines:
        if line.kind == "barcode":
            e.barcode128(line.text, height=64, width=2, hri="below")
            e.newline().align("left")
            continue
        if line.style == "plain":
            e.line(line.text)
        elif line.style == "bold":
            e.bold(True).line(line.text).bold(False)
        elif line.style in ("center", "center_bold"):
            e.align("center")
            if line.style == "center_bold":
                e.bold(True)
            e.line(line.text)
            if line.style == "center_bold":
                e.bold(False)
            e.align("left")
        elif line.style == "double":
            e.align("center").double(True).line(line.text).double(False).align("left")
        elif line.style == "banner":
            e.align("center").bold(True).line(line.text).bold(False).align("left")
    if cut:
        e.cut(partial=True, feed=4)
    return e.bytes()


def diagnostic_page(width: int = 42, *, safe7: bool = False, title: str = "PRINTER TEST") -> bytes:
    """A short job for the diagnostics screen: alignment, bold, a barcode, the cut."""
    e = EscPos(safe7=safe7).init()
    e.align("center").double(True).line(title).double(False)
    e.bold(True).line("clerk-tui").bold(False)
    e.align("left").line("-" * width)
    e.line("Left").align("right").line("Right").align("left")
    e.barcode128("TEST-1234", hri="below").newline().align("left")
    return e.cut(partial=True, feed=4).bytes()
