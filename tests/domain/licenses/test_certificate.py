"""The certificate: plain text for the receipt printer (42 columns, text shown literally) and a
PDF whose embedded barcode `zbarimg` decodes to `BL` + the license number."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.licenses import certificate, records
from clerk_tui.domain.licenses.items import sale_items
from clerk_tui.domain.licenses.records import Application
from tests.conftest import require_tool


def _issued(db: Database, clerk: Actor, name: str = "Corner [b]Books[/b]") -> records.License:
    lic = records.apply(db, clerk, Application(name, "Lu Chen", "5 Elm St", "561",
                                               dba="Corner Books"))
    post_payment(db, clerk, new_idempotency_key(), sale_items(db, lic.number),
                 [Tender("cash", lic.total_due_cents)])
    return records.issue(db, clerk, lic.number)


def test_text_certificate(db: Database, clerk_with_drawer: Callable[..., Actor]) -> None:
    lic = _issued(db, clerk_with_drawer("csr2"))
    text = certificate.certificate_text(lic)
    assert lic.number in text and "Corner [b]Books[/b]" in text
    assert f"*BL{lic.number}*" in text and "2026-01-01 to 2026-12-31" in text
    assert max(len(x) for x in text.splitlines()) <= certificate.WIDTH
    assert "DUPLICATE" in certificate.certificate_text(lic, duplicate=True)


def test_no_certificate_before_issue(db: Database, make_clerk: Callable[..., Actor]) -> None:
    lic = records.apply(db, make_clerk("csr2"), Application("X", "Y", "1 Elm St", "561"))
    with pytest.raises(StateError):
        certificate.certificate_text(lic)


def test_pdf_barcode_decodes_with_zbarimg(db: Database, tmp_path: Path,
                                          clerk_with_drawer: Callable[..., Actor]) -> None:
    zbarimg = require_tool("zbarimg")
    lic = _issued(db, clerk_with_drawer("csr2"))
    pdf = certificate.certificate_pdf(lic, tmp_path / "cert.pdf")
    assert pdf.startswith(b"%PDF") and (tmp_path / "cert.pdf").read_bytes() == pdf
    assert b"/DCTDecode" in pdf
    start = pdf.index(b"\xff\xd8\xff")           # the embedded JPEG, as fpdf2 stores it
    end = pdf.index(b"\xff\xd9", start) + 2
    image = tmp_path / "barcode.jpg"
    image.write_bytes(pdf[start:end])
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"BL{lic.number}"


def test_renewal_notice_pdf_barcode_scans_back_to_the_renewal(
        db: Database, tmp_path: Path, clerk_with_drawer: Callable[..., Actor],
        make_clerk: Callable[..., Actor]) -> None:
    import datetime as dt

    from clerk_tui.domain import clock
    from clerk_tui.domain.licenses import notices
    from clerk_tui.domain.licenses.numbers import notice_code
    from clerk_tui.domain.scanlines import parse_scan

    zbarimg = require_tool("zbarimg")
    lic = _issued(db, clerk_with_drawer("csr2"))
    with clock.frozen(dt.datetime(2026, 12, 2, 9, 0)):
        assert notices.monthly_run(db, make_clerk("csr3")).renewal == 1
    letter = notices.undelivered(db)[0]
    saved = notices.save_letter(letter, tmp_path / "out")
    assert saved.read_text() == letter.body
    pdf = saved.with_suffix(".pdf").read_bytes()
    start = pdf.index(b"\xff\xd8\xff")
    image = tmp_path / "notice.jpg"
    image.write_bytes(pdf[start:pdf.index(b"\xff\xd9", start) + 2])
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == notice_code(lic.number, 2027)
    scan = parse_scan(out.stdout.strip())  # what the counter's scanner makes of it
    assert scan.kind == "license_notice" and scan.value.number == lic.number
    assert scan.value.year == 2027


def test_an_unpaid_renewal_does_not_extend_the_certificate(
        db: Database, clerk_with_drawer: Callable[..., Actor]) -> None:
    import datetime as dt

    from clerk_tui.domain import clock

    clerk = clerk_with_drawer("csr2")
    lic = _issued(db, clerk)
    with clock.frozen(dt.datetime(2026, 12, 20, 9, 0)):
        lic = records.renew(db, clerk, lic.number, 2027)
        assert lic.current_term is not None and lic.current_term.year == 2027
        text = certificate.certificate_text(lic)
    assert "2026-01-01 to 2026-12-31" in text and "2027" not in text
