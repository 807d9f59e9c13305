"""Code 128 as PNG images (python-barcode + Pillow) for things printed on paper we do not drive
byte by byte: bills and their stubs, PDF/e-mailed receipts, the diagnostics "what should it
look like" view. Receipt printers draw their own barcodes from `GS k` (see escpos.py).

Sizes follow what a handheld CCD/laser scanner reads comfortably off a laser-printed bill:
0.33 mm modules (≈ 4 dots at 300 dpi), 12 mm bars, the 10-module quiet zone Code 128 needs.
"""

from __future__ import annotations

import io
from pathlib import Path

import barcode
from barcode.writer import ImageWriter

from clerk_tui.domain.scanlines import make_receipt_barcode, make_stub_scanline

DEFAULT_OPTIONS = {
    "module_width": 0.33,
    "module_height": 12.0,
    "quiet_zone": 6.6,
    "font_size": 10,
    "text_distance": 4.0,
    "dpi": 300,
}


def code128_png(text: str, path: str | Path | None = None, *, human_readable: str | None = None,
                **options: float) -> bytes:
    """PNG bytes of `text` as Code 128 (python-barcode picks code sets, e.g. C for digits).
    `human_readable` replaces the text printed under the bars (e.g. a grouped scanline)."""
    if not text or not all(0x20 <= ord(c) < 0x7F for c in text):
        raise ValueError(f"Code 128 text must be printable ASCII: {text!r}")
    code = barcode.get("code128", text, writer=ImageWriter())
    opts = {**DEFAULT_OPTIONS, **options}
    buf = io.BytesIO()
    code.write(buf, options=opts, text=human_readable)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def bill_stub_png(account_number: str, amount_due_cents: int,
                  path: str | Path | None = None) -> bytes:
    """The stub barcode for a utility bill (format in domain/scanlines.py)."""
    from clerk_tui.domain.scanlines import format_stub_scanline

    line = make_stub_scanline(account_number, amount_due_cents)
    return code128_png(line, path, human_readable=format_stub_scanline(line))


def receipt_png(receipt_number: int, path: str | Path | None = None) -> bytes:
    """The receipt barcode as an image (the same text the printer draws with GS k)."""
    return code128_png(make_receipt_barcode(receipt_number), path)
