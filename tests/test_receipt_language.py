"""Receipts in the customer's language (issue 17): the fixed wording in Spanish for a Spanish
customer, amounts and numbers unchanged; English byte-for-byte what it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    get_receipt,
    new_idempotency_key,
    open_session,
    post_payment,
)
from clerk_tui.hardware.receipt import ReceiptDoc, ReceiptItem, ReceiptTender, render_text
from clerk_tui.station import Site, load_site, receipt_doc
from tests.domain.cashier.conftest import create_account

GOLDEN = Path(__file__).parent / "fixtures" / "receipt_golden"
SITE = Site("City of Testville", ("1 Main St",), ("Thanks",), ("Gracias",))


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with clock.frozen(dt.datetime(2026, 3, 2, 10, 0)):
        yield


def _doc(**kw: object) -> ReceiptDoc:
    return ReceiptDoc(123, "2026-03-02 10:00", "csr2", "ws-1",
                      (ReceiptItem("Water bill payment", 4210, "1000001-8", 0),
                       ReceiptItem("Returned check fee", 2500, "", None)),
                      (ReceiptTender("Check", 5000, "No. 1234"), ReceiptTender("Cash", 2000)),
                      290, ("City of Testville", "1 Main St"), payer="Dana Reyes",
                      footer_lines=("Thanks",), training=True, duplicate=True, void=True,
                      **kw)  # type: ignore[arg-type]


def test_english_receipts_are_unchanged() -> None:
    """Golden files rendered by the code before issue 17."""
    assert render_text(_doc()) == (GOLDEN / "receipt-all-banners.txt").read_text("utf-8")
    plain = ReceiptDoc(7, "2026-03-02 10:00", "csr2", "ws-1", (ReceiptItem("Fee", 100),))
    assert render_text(plain, 32) == (GOLDEN / "receipt-plain.txt").read_text("utf-8")


def test_spanish_wording_same_amounts() -> None:
    en, es = render_text(_doc()), render_text(_doc(language="es"))
    for word in ("RECIBO DE PAGO", "Recibo 123", "Atendido por csr2", "Estación ws-1",
                 "Pagado por Dana Reyes", "Nuevo saldo $0.00", "CAMBIO", "ANULADO",
                 "DUPLICADO", "PRÁCTICA - NO ES UN RECIBO"):
        assert word in es
    for word in ("PAYMENT RECEIPT", "Receipt 123", "Clerk", "Station", "Paid by", "CHANGE",
                 "DUPLICATE"):
        assert word not in es
    assert "TRAINING - NOT A RECEIPT" in es  # a training receipt says so in English too
    assert len(en.splitlines()) + 2 == len(es.splitlines())  # that banner, top and bottom
    for amount in ("$42.10", "$25.00", "$67.10", "$50.00", "$20.00", "$2.90", "R000001230"):
        assert amount in en and amount in es


def test_a_spanish_customers_receipt_is_in_spanish(db: Database, make_clerk) -> None:
    actor = make_clerk("csr2")
    open_session(db, actor)
    es_acct = create_account(db, 4210)
    en_acct = create_account(db, 1000)
    with db.write():
        db.execute("UPDATE customers SET language = 'es' WHERE id = "
                   "(SELECT customer_id FROM accounts WHERE id = ?)", [es_acct.id])
    es = post_payment(db, actor, new_idempotency_key(), [SaleItem("account", es_acct.number)],
                      [Tender("check", 4210, number="5512")]).receipt
    en = post_payment(db, actor, new_idempotency_key(), [SaleItem("account", en_acct.number)],
                      [Tender("check", 1000, number="5513")]).receipt
    assert es.language == "es" and en.language == "en"
    assert get_receipt(db, es.number).language == "es"  # the reprint too
    text = render_text(receipt_doc(es, SITE))
    assert "RECIBO DE PAGO" in text and "Cheque No. 5512" in text and "$42.10" in text
    assert "Gracias" in text and "Thanks" not in text
    english = render_text(receipt_doc(en, SITE))
    assert "PAYMENT RECEIPT" in english and "Check No. 5513" in english
    assert "Thanks" in english and "Gracias" not in english


def test_the_site_has_a_spanish_footer() -> None:
    site = load_site()
    assert site.footer_es and site.footer_for("es") == site.footer_es
    assert site.footer_for("en") == site.footer


def test_spanish_receipt_prints_on_the_printer_and_the_terminal_path() -> None:
    """Accented wording goes out in the printer's code page (cp437 has á é í ó ú ñ; what it
    lacks, like Á, is folded to A), and the 7-bit terminal path stays 7-bit."""
    from clerk_tui.hardware.receipt import render_escpos

    data = render_escpos(_doc(language="es"))
    assert "Estación".encode("cp437") in data and b"PRACTICA - NO ES UN RECIBO" in data
    assert max(render_escpos(_doc(language="es"), safe7=True)) < 0x80
