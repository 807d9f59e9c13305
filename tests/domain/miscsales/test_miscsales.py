"""Misc. sales: the catalogue, pricing a line, refusing bad input, and posting, voiding and
reversing a sale through the cashier's own machinery (item kind `misc`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    get_kind,
    new_idempotency_key,
    post_payment,
    reverse_receipt,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.miscsales import (
    catalogue,
    day_report,
    format_day_report,
    load_catalogue,
    parse_reference,
    price_line,
    sale_items,
)
from clerk_tui.domain.miscsales.demo import generate

from .conftest import NOW, book_total, counts

TODAY = NOW.date()


def test_prices_follow_the_fee_schedule_and_their_own_dates() -> None:
    c = catalogue()
    # BUSPASS takes its price from data/fees.toml, which changes on 2026-07-01.
    assert c.get("BUSPASS", dt.date(2026, 6, 30)).unit_cents == 4500
    assert c.get("buspass", dt.date(2026, 7, 1)).unit_cents == 5000
    assert c.get("BUSPASS", dt.date(2026, 7, 1)).fund == "220"
    # MAP has its own two prices in data/miscsales/items.toml.
    assert c.get("MAP", dt.date(2026, 6, 30)).unit_cents == 300
    assert c.get("MAP", dt.date(2026, 7, 1)).unit_cents == 400
    with pytest.raises(NotFound, match="not sold before"):
        c.get("MAP", dt.date(2020, 1, 1))
    for item in c.current(TODAY):
        assert item.fund and item.gl_code and item.source and item.key != "q"
    assert len({i.key for i in c.current(TODAY)}) == len(c.current(TODAY))


def test_price_is_unit_times_quantity_in_cents() -> None:
    assert price_line("COPY", 12, TODAY).amount_cents == 120
    assert price_line("NOTARY", 3, TODAY).amount_cents == 4500
    line = price_line("copy", 500, TODAY)
    assert (line.amount_cents, line.reference) == (5000, "COPY*500")


@pytest.mark.parametrize("qty, message", [
    (0, "at least 1"), (-2, "at least 1"), (11, "at most 10"), (10**12, "at most 10"),
])
def test_bad_quantities_are_refused(qty: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        price_line("BUSPASS", qty, TODAY)


@pytest.mark.parametrize("ref", ["", "COPY*", "COPY*1.5", "CO PY", "[b]x[/b]", "COPY*abc"])
def test_bad_references_are_refused(ref: str) -> None:
    with pytest.raises(ValidationError):
        parse_reference(ref)


def test_reference_forms() -> None:
    assert parse_reference("copy x12") == ("COPY", 12)
    assert parse_reference(" NOTARY ") == ("NOTARY", 1)
    with pytest.raises(ValidationError, match="at least 1"):
        parse_reference("COPY*-3")
    with pytest.raises(ValidationError, match="at least 1"):
        parse_reference("COPY*0")


def test_unknown_item_is_not_found() -> None:
    with pytest.raises(NotFound, match="No misc. item 'NOSUCH'"):
        price_line("NOSUCH", 1, TODAY)
    with pytest.raises(NotFound):
        get_kind("misc").quote(None, "NOSUCH*2", TODAY)  # type: ignore[arg-type]


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "items.toml"
    p.write_text(body, encoding="utf-8")
    return p


ROW = ('[[item]]\ncode="X"\nkey="x"\ndescription="[bold]Rubber stamp[/bold]"\namount="2.50"\n'
       'fund="100"\ngl_code="100-4190"\nsource="Res. 1"\neffective="2020-01-01"\n')


def test_a_bad_catalogue_file_is_refused_not_skipped(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="missing 'source'"):
        load_catalogue(_write(tmp_path, ROW.replace('source="Res. 1"\n', "")))
    with pytest.raises(ValidationError, match="key must be one letter"):
        load_catalogue(_write(tmp_path, ROW.replace('key="x"', 'key="q"')))
    with pytest.raises(ValidationError, match="max_quantity"):
        load_catalogue(_write(tmp_path, ROW + "max_quantity = 0\n"))
    with pytest.raises(ValidationError, match="book"):
        load_catalogue(_write(tmp_path, ROW + 'book = "mine"\n'))
    with pytest.raises(ValidationError, match="key 'x' is used by"):
        load_catalogue(_write(tmp_path, ROW + ROW.replace('code="X"', 'code="Y"')))
    with pytest.raises(NotFound):  # a fee code that is not in data/fees.toml
        load_catalogue(_write(tmp_path, ROW.replace('amount="2.50"', 'fee="NOPE"')))


def test_markup_in_a_description_is_kept_as_text(tmp_path: Path) -> None:
    item = load_catalogue(_write(tmp_path, ROW)).get("X", TODAY)
    assert item.description == "[bold]Rubber stamp[/bold]"


def _cash(db: Database, actor, lines, tendered: int):  # noqa: ANN001, ANN202
    return post_payment(db, actor, new_idempotency_key(), sale_items(lines),
                        [Tender("cash", tendered)])


def test_a_sale_posts_one_receipt_with_a_line_per_item(db: Database,
                                                        clerk_with_drawer) -> None:  # noqa: ANN001
    alice = clerk_with_drawer("csr2", "alice")
    before = counts(db)
    lines = [price_line("COPY", 12, TODAY), price_line("BUSPASS", 2, TODAY)]
    result = _cash(db, alice, lines, 10_000)
    r = result.receipt
    assert (r.total_cents, r.change_cents) == (9120, 880)
    rows = db.all("SELECT kind, reference, description, amount_cents, fund, gl_code "
                  "FROM receipt_items WHERE receipt_id = (SELECT id FROM receipts "
                  "WHERE number = ?) ORDER BY line", [r.number])
    assert [tuple(x.values()) for x in rows] == [
        ("misc", "COPY*12", "Copies (per page) x 12 @ $0.10", 120, "100", "100-4120"),
        ("misc", "BUSPASS*2", "Monthly bus pass x 2 @ $45.00", 9000, "220", "220-4410"),
    ]
    assert book_total(db, "revenue", gl_code="220-4410") == -9000
    after = counts(db)
    assert after["receipts"] == before["receipts"] + 1
    assert after["journals"] == before["journals"] + 1


def test_a_changed_amount_is_refused(db: Database, clerk_with_drawer) -> None:  # noqa: ANN001
    alice = clerk_with_drawer("csr2", "alice")
    before = counts(db)
    with pytest.raises(ValidationError, match="cannot be changed"):
        post_payment(db, alice, new_idempotency_key(), [SaleItem("misc", "NOTARY*2", 100)],
                     [Tender("cash", 100)])
    with pytest.raises(ValidationError, match="at most 2"):
        post_payment(db, alice, new_idempotency_key(), [SaleItem("misc", "LOSTPERMIT*3")],
                     [Tender("cash", 10_000)])
    assert counts(db) == before


def test_void_in_the_same_drawer_and_reversal_after_close(
        db: Database, clerk_with_drawer, supervisor) -> None:  # noqa: ANN001
    alice = clerk_with_drawer("csr2", "alice")
    bob = clerk_with_drawer("csr2", "bob")
    revenue = book_total(db, "revenue")
    voided = _cash(db, alice, [price_line("NOTARY", 2, TODAY)], 3000).receipt.number
    reversed_ = _cash(db, bob, [price_line("MAP", 5, TODAY)], 1500).receipt.number
    assert void_receipt(db, alice, voided, "KEY", "wrong item").kind == "void"
    with pytest.raises(StateError, match="already voided"):
        void_receipt(db, alice, voided, "KEY", "again")
    session = db.scalar("SELECT id FROM drawer_sessions WHERE clerk = 'bob'")
    submit_count(db, bob, DrawerCount({"hundreds": 1, "fifties": 1, "tens": 1, "fives": 1}))
    approve_session(db, supervisor, session)
    assert reverse_receipt(db, supervisor, reversed_, "MISAPPLIED", "wrong").kind == "reversal"
    assert book_total(db, "revenue") == revenue
    assert audit.verify(db).ok
    lines = {ln.code: ln for ln in day_report(db, TODAY)}
    assert (lines["NOTARY"].quantity, lines["NOTARY"].undone_cents) == (2, 3000)
    assert lines["MAP"].net_cents == 0
    text = format_day_report(list(lines.values()), TODAY)
    assert "NOTARY" in text and all(len(x) <= 78 for x in text.splitlines())


def test_demo_builder_leaves_a_closed_drawer_of_sales(db: Database, make_clerk) -> None:  # noqa: ANN001
    make_clerk("csr2", "csr3")
    make_clerk("supervisor", "super")
    demo = generate(db)
    assert len(demo.receipts) == 4
    assert db.scalar("SELECT count(*) FROM drawer_sessions WHERE clerk = 'csr3' "
                     "AND state IN ('open', 'balancing')") == 0
    report = {ln.code: ln for ln in day_report(db, TODAY)}
    assert report["COPY"].quantity == 12 and report["LOSTPERMIT"].net_cents == 0
    assert audit.verify(db).ok
