"""Every letter in English and Spanish (issue 17): same fields, same legal citations, the
customer's language picks the letter, and English output is byte-for-byte what it was.

Templates are discovered by globbing `data/*/letters/*.txt`, so a new letter without its
Spanish translation (or a translation that drops a field) fails here.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock, language
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations import letters as citation_letters
from clerk_tui.domain.frontdesk import letters as frontdesk_letters
from clerk_tui.domain.licenses import notices as license_notices
from clerk_tui.domain.permits import notices as permit_notices
from clerk_tui.domain.utility import delinquency, letters
from clerk_tui.paths import reference_data_dir
from tests.domain.utility.collections_support import bill, open_account

DATA = reference_data_dir()
ENGLISH = sorted(DATA.glob("*/letters/*.txt"))
GOLDEN = Path(__file__).parent.parent / "fixtures" / "letters_golden"


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with clock.frozen(dt.datetime(2026, 3, 2, 10, 0)):
        yield


def _id(path: Path) -> str:
    return f"{path.parts[-3]}-{path.stem}"


def _fields(path: Path) -> set[str]:
    t = string.Template(path.read_text(encoding="utf-8"))
    assert t.is_valid(), path
    return set(t.get_identifiers())


def render(counter: str, kind: str, values: dict[str, object], lang: str) -> str:
    """The counter's own renderer (each counter's letters go through exactly one)."""
    if counter == "citations":
        return citation_letters.render(kind, values, lang)
    if counter == "utility":
        return letters.render_letter(kind, values, language=lang)
    if counter == "permits":
        return letters.render_letter(kind, values, folder=permit_notices.letters_folder(),
                                     fields=permit_notices.FIELDS, language=lang)
    if counter == "licenses":
        return license_notices.render(kind, {k: str(v) for k, v in values.items()}, lang)
    if counter == "frontdesk":
        return frontdesk_letters.render(kind, values, lang)
    raise AssertionError(f"letters of counter {counter!r}: add their renderer to this test")


def test_templates_are_found() -> None:
    assert len(ENGLISH) >= 16  # 5 utility, 2 citations, 1 permits, 3 licenses, 5 front desk


def test_every_spanish_template_has_its_english_one() -> None:
    for es in DATA.glob("*/letters/es/*.txt"):
        assert (es.parent.parent / es.name).exists(), f"{es} translates no English letter"


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_every_letter_renders_in_both_languages_with_the_same_fields(path: Path) -> None:
    es = path.parent / "es" / path.name
    assert es.exists(), f"{path} has no Spanish translation at {es}"
    names = _fields(path)
    assert _fields(es) == names, f"{es} names other fields than {path}"
    values = {n: f"«{n}»" for n in names if n != "city_name"}  # the city comes from site.toml
    english = render(path.parts[-3], path.stem, values, "en")
    spanish = render(path.parts[-3], path.stem, values, "es")
    for value in values.values():
        assert value in english and value in spanish
    assert english != spanish
    # Legal citations and other numbers of the law stay exactly as they are.
    cited = set(re.findall(r"\b\d{3,}(?:\([a-z0-9]+\))*", path.read_text(encoding="utf-8")))
    assert cited <= set(re.findall(r"\b\d{3,}(?:\([a-z0-9]+\))*",
                                   es.read_text(encoding="utf-8"))), path
    assert re.search(r"\b(?:you|your|the|please)\b", spanish, re.I) is None, spanish


@pytest.mark.parametrize("path", [p for p in ENGLISH if p.parts[-3] in (
    "utility", "citations", "permits")], ids=_id)
def test_english_letters_are_unchanged(path: Path) -> None:
    """Golden files rendered by the code before issue 17 (same placeholder values)."""
    values = {n: f"<{n}>" for n in _fields(path)}
    golden = (GOLDEN / f"{_id(path)}.txt").read_text(encoding="utf-8")
    assert render(path.parts[-3], path.stem, values, "en") == golden


def test_spanish_dates() -> None:
    assert language.format_date(dt.date(2026, 3, 2), "es") == "2 de marzo de 2026"
    assert language.format_date(dt.date(2026, 3, 2)) == "March 2, 2026"


def _spanish(db: Database, account_id: int) -> None:
    # The customer-records screen sets it (another branch); here the row is set as it would be.
    with db.write():
        db.execute("UPDATE customers SET language = 'es' WHERE id = "
                   "(SELECT customer_id FROM accounts WHERE id = ?)", [account_id])


def test_a_spanish_customer_gets_the_spanish_letter(db: Database,
                                                     make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    acct = open_account(db, name="Dana Reyes", mailing="PO Box 77\nRiverton CA 95000")
    other = open_account(db, name="Pat Lee", address="9 Elm St")
    bill(db, acct.id, 12_345, "2026-01-01")
    _spanish(db, acct.id)
    rules = delinquency.delinquency_rules()
    es = letters.issue_letter(db, clerk, acct.id, "past_due", context={
        "amount_past_due": "$123.45", "days_past_due": "40", "plan_offer": rules.plan_offers})
    assert es.template == "es/past_due.txt"
    assert "AVISO DE PAGO VENCIDO" in es.body and "2 de marzo de 2026" in es.body
    assert "Dana Reyes\nPO Box 77\nRiverton CA 95000" in es.body
    assert "Saldo de la cuenta: $123.45" in es.body
    assert rules.plan_offer_es.splitlines()[0] in es.body and "payment plan" not in es.body
    occupant = letters.issue_letter(db, clerk, acct.id, "reminder", addressee="occupant")
    assert "\nOcupante\n" in occupant.body
    en = letters.issue_letter(db, clerk, other.id, "past_due", context={
        "amount_past_due": "$1.00", "days_past_due": "40", "plan_offer": rules.plan_offers})
    assert en.template == "past_due.txt" and "PAST DUE NOTICE" in en.body
    assert rules.plan_offer.splitlines()[0] in en.body and "March 2, 2026" in en.body


def test_language_defaults_to_english_and_is_checked(db: Database) -> None:
    acct = open_account(db)
    assert language.account_language(db, acct.id) == "en"
    with pytest.raises(Exception, match="CHECK"), db.write():
        db.execute("UPDATE customers SET language = 'xx'")


def _license():  # type: ignore[no-untyped-def]
    from clerk_tui.domain.licenses import due, records

    ch = due.TermCharges(2026, dt.date(2026, 1, 31), 12000, 100, 400)
    term = records.Term(1, 2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                        dt.date(2026, 1, 31), False, 3, ch, "")
    dues = (due.Due(2025, 3, {"TAX": 12000, "PEN": 1200, "CASPS": 400}),
            due.Due(2026, 0, {"TAX": 12500, "CASPC": 100}))
    return records.License(7, "0000071", "Blue Door Cafe LLC", "Blue Door", "llc", "",
                           "12 Main St", "inside", "PO Box 9\nRiverton CA", "", "", "REST",
                           "Restaurant", dt.date(2020, 1, 1), 3, "", "", "active", None,
                           (term,), (), (), dues)


@pytest.mark.parametrize("kind", ["renewal", "delinquent", "denial"])
def test_license_letters_are_what_the_code_wrote_before(kind: str) -> None:
    """The license letters were written by code before issue 17 moved them into templates:
    the same license renders byte-for-byte as that code's output (golden files)."""
    extra = "Zoning does not allow \x1b[2J a bar here." if kind == "denial" else ""
    body = license_notices._letter_body(_license(), kind, dt.date(2026, 3, 2), extra)
    assert body == (GOLDEN / f"licenses-{kind}.txt").read_text(encoding="utf-8")
    es = license_notices._letter_body(_license(), kind, dt.date(2026, 3, 2), extra, "es")
    assert es != body and "0000071" in es
    if kind == "delinquent":
        assert "Recargo por mora" in es and "TOTAL A PAGAR 2026-03-02" in es
        assert "$262.00" in es and "$262.00" in body


def _request(**kw: object):  # type: ignore[no-untyped-def]
    from clerk_tui.domain.frontdesk import records

    base: dict[str, object] = dict(
        id=1, number="PRA-2026-0001", requester="Kim Ardent",
        contact="kim@example.org\n12 Elm St", records="Incident report 26-1234 and dispatch log",
        received_on=dt.date(2026, 2, 20), channel="email", victim=False,
        due_on=dt.date(2026, 3, 2), extended_to=None, extension_reason=None, status="received",
        released="", withheld="", exemption="", pages=0, fee_receipt_id=None, decided_on=None)
    base.update(kw)
    return records.Request(**base)  # type: ignore[arg-type]


FRONTDESK_CASES = {
    "acknowledgement": {}, "acknowledgement-victim": {"victim": True},
    "extension": {"extended_to": dt.date(2026, 3, 16),
                  "extension_reason": "Records held at another site"},
    "release": {"status": "released", "released": "Incident report 26-1234", "pages": 12},
    "release-withheld": {"status": "released_part", "released": "Dispatch log", "pages": 3,
                         "withheld": "Witness names", "exemption": "Gov. Code 7923.605"},
    "denial": {"status": "denied", "exemption": "Gov. Code 7923.600 (investigation)"},
}


@pytest.mark.parametrize("case", list(FRONTDESK_CASES))
def test_records_request_letters_are_what_the_code_wrote_before(case: str) -> None:
    from clerk_tui.domain.frontdesk import records

    req = _request(**FRONTDESK_CASES[case])
    kind = case.split("-")[0]
    body = records.letter_text(req, kind, dt.date(2026, 3, 2))
    assert body == (GOLDEN / f"frontdesk-{case}.txt").read_text(encoding="utf-8")
    es = records.letter_text(req, kind, dt.date(2026, 3, 2), "es")
    assert es != body and "PRA-2026-0001" in es and "Unidad de Registros" in es
    if case == "acknowledgement-victim":
        assert "Código de Familia 6228" in es
    if case == "release-withheld":
        assert "Retenidos: Witness names" in es and "Withheld" not in es


@pytest.mark.parametrize("duplicate", [False, True])
def test_clearance_letter_is_what_the_code_wrote_before(duplicate: bool) -> None:
    from clerk_tui.domain.frontdesk.desk import ClearanceLetter, clearance_text

    letter = ClearanceLetter(1, "Kim Ardent", "1990-05-05", "Visa application",
                             "CA DL D1234567", 7, None)
    body = clearance_text(letter, dt.date(2026, 3, 2), duplicate)
    name = "frontdesk-clearance" + ("-duplicate" if duplicate else "")
    assert body == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    es = clearance_text(letter, dt.date(2026, 3, 2), duplicate, "es")
    assert "A QUIEN CORRESPONDA" in es and "Carta LTR000001" in es
    assert ("*** DUPLICADO ***" in es) is duplicate
