"""The license certificate: plain text for the workstation printer and a PDF for the file or a
page printer, the license number as a Code 128 barcode (`BL` + number) a scanner reads back.

Why fpdf2 for the PDF: pure Python (no system libraries to install at the counter), actively
maintained, small, and it embeds a JPEG as-is (DCTDecode), so the barcode in the file is
exactly the image made from python-barcode (the test pulls it back out and decodes it with
`zbarimg`). Text is shown as typed: markup and control characters stay literal/visible.
"""

from __future__ import annotations

import io
from pathlib import Path

from clerk_tui.domain.errors import StateError
from clerk_tui.domain.licenses.numbers import certificate_code
from clerk_tui.domain.licenses.records import LIVE, License, Term
from clerk_tui.domain.text import visible

WIDTH = 42
"""Receipt-printer columns."""


def paid_term(lic: License) -> Term:
    """The latest term paid in full: what a certificate shows (a renewal opened but not yet
    paid does not extend it)."""
    if lic.status not in LIVE:
        raise StateError(f"License {lic.number} is {lic.status}: no certificate to print.")
    owing = {d.year for d in lic.dues}
    paid = [t for t in lic.terms if t.year not in owing]
    if not paid:
        raise StateError(f"License {lic.number}: no year is paid; no certificate to print.")
    return paid[-1]


def certificate_lines(lic: License, *, duplicate: bool = False) -> list[tuple[str, str]]:
    """(label, value) lines of the certificate, shared by the text and the PDF."""
    term = paid_term(lic)
    out = [("License no.", lic.number), ("Business", visible(lic.business_name))]
    if lic.dba:
        out.append(("Doing business as", visible(lic.dba)))
    out += [("Owner(s)", visible(lic.owners)), ("Location", visible(lic.address)),
            ("Class", f"{lic.class_code} {lic.class_name}"),
            ("Valid", f"{term.starts_on.isoformat()} to {term.ends_on.isoformat()}")]
    if lic.location == "home":
        out.append(("Home occupation", "Planning permit on file"))
    if lic.bid_zone:
        out.append(("BID zone", lic.bid_zone))
    if duplicate:
        out.append(("", "DUPLICATE"))
    return out


def certificate_text(lic: License, *, duplicate: bool = False) -> str:
    """The certificate for the receipt printer (42 columns), barcode text at the foot."""
    lines = ["BUSINESS LICENSE CERTIFICATE".center(WIDTH), "Post in a conspicuous place".center(WIDTH),
             "-" * WIDTH]
    for label, value in certificate_lines(lic, duplicate=duplicate):
        text = f"{label + ':' if label else ''} {value}".strip()
        while len(text) > WIDTH:
            lines.append(text[:WIDTH])
            text = "  " + text[WIDTH:]
        lines.append(text)
    lines += ["-" * WIDTH, f"*{certificate_code(lic.number)}*".center(WIDTH)]
    return "\n".join(lines)


def barcode_jpeg(lic: License) -> bytes:
    """The license number as Code 128, JPEG (what the PDF embeds)."""
    return code128_jpeg(certificate_code(lic.number))


def code128_jpeg(text: str) -> bytes:
    """`text` as a Code 128 JPEG (fpdf2 embeds a JPEG byte for byte)."""
    from PIL import Image

    from clerk_tui.hardware.barcodes import code128_png

    png = code128_png(text, module_width=0.4, module_height=14.0)
    img = Image.open(io.BytesIO(png)).convert("L")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _pdf_text(value: str) -> str:
    """fpdf2's core fonts are Latin-1: anything else is shown as '?' rather than refused."""
    return value.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(lic: License, path: str | Path | None = None, *,
                    duplicate: bool = False) -> bytes:
    """The certificate as a one-page PDF (Letter, landscape); written to `path` if given."""
    from fpdf import FPDF

    lines = certificate_lines(lic, duplicate=duplicate)
    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_title(f"Business license {lic.number}")
    pdf.set_creator("clerk-tui")
    pdf.add_page()
    pdf.set_line_width(1.0)
    pdf.rect(10, 10, 259.4, 195.9)
    pdf.set_font("Helvetica", "B", 26)
    pdf.set_y(22)
    pdf.cell(0, 12, "BUSINESS LICENSE CERTIFICATE", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, "Post in a conspicuous place at the place of business", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for label, value in lines:
        pdf.set_x(40)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(55, 9, _pdf_text(label))
        pdf.set_font("Helvetica", "", 13)
        pdf.multi_cell(160, 9, _pdf_text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(barcode_jpeg(lic)), x=90, y=160, w=100)
    data = bytes(pdf.output())
    if path is not None:
        Path(path).write_bytes(data)
    return data
