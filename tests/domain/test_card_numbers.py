"""No card numbers, anywhere: free text holding a Luhn-valid 13-19 digit run is refused.

Three layers of proof:
- hypothesis, on the rule itself (`text.find_card_number` / `clean_text`): Luhn-valid numbers
  cut into random groups with a random separator, inside random text, are always refused;
  ordinary text built from phone numbers, account numbers, dates, ZIP codes and addresses is
  always accepted;
- explicit examples of the separator rule, both sides (what the docstring promises);
- every free-text entry of the domain (note, payer, money-order serial, check number, reasons,
  names, letters …) called on a real database: refused with the reason, nothing written, and
  the digits appear nowhere in the file.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.db import Database
from clerk_tui.domain import accounts, auth, clock
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    paid_in,
    paid_out,
    pickup,
    post_payment,
    refund_credit,
    reopen_session,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.cashier.tenders import clean_tender
from clerk_tui.domain.checkdigit import luhn_digit, luhn_ok
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.text import clean_text, find_card_number
from clerk_tui.domain.utility import (
    adjustments,
    assistance,
    billing,
    delinquency,
    letters,
    orders,
    plans,
    referrals,
)
from tests.domain.cashier.conftest import create_account

CARD = "4111111111111111"
REFUSED = "looks like a card number"


# ---- the rule, by hypothesis ---------------------------------------------------------------
@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """A Luhn-valid number of 13 to 19 digits."""
    n = draw(st.integers(13, 19))
    body = draw(st.text(string.digits, min_size=n - 1, max_size=n - 1))
    return body + luhn_digit(body)


# One separator kind per number, as `find_card_number` documents (a letter may change).
SEPARATORS = ["", " ", "  ", "-", "--", " - ", ".", " . ", "\u00a0", "\u2013", "letters"]


@st.composite
def typed_card_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(digits, as typed): the number cut into random groups joined by one separator kind."""
    digits = draw(card_numbers())
    sep = draw(st.sampled_from(SEPARATORS))
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
    if not sep:
        cuts = []
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    out = parts[0]
    for part in parts[1:]:
        joint = draw(st.sampled_from(string.ascii_letters)) if sep == "letters" else sep
        out += joint + part
    return digits, out


FILLER = string.ascii_letters + string.digits + " .,-/#:$()'"


@given(typed=typed_card_numbers(), before=st.text(FILLER, max_size=40),
       after=st.text(FILLER, max_size=40), edge=st.sampled_from([" ", ", ", ": ", " / "]))
@settings(max_examples=400, deadline=None)
def test_card_number_anywhere_in_text_is_refused(typed: tuple[str, str], before: str,
                                                  after: str, edge: str) -> None:
    digits, as_typed = typed
    text = f"{before}{edge}{as_typed}{edge}{after}"
    assert find_card_number(text) is not None, text
    with pytest.raises(ValidationError, match=REFUSED):
        clean_text(text, field="Note", max_len=1000)


@given(typed=typed_card_numbers())
@settings(max_examples=200, deadline=None)
def test_the_refusal_never_echoes_the_number(typed: tuple[str, str]) -> None:
    with pytest.raises(ValidationError) as e:
        clean_text(typed[1], field="Payer", max_len=80)
    assert typed[0][-8:] not in str(e.value).replace(" ", "")


# Ordinary pieces of a note: each piece's digit groups use one separator kind of their own, at
# most 12 digits, and its first and last groups hold at most 7 and 5 digits, so two pieces side
# by side never join into 13 digits of one kind.
def _phone(d: st.DrawFn) -> str:
    a, b, c = (d(st.text(string.digits, min_size=k, max_size=k)) for k in (3, 3, 4))
    return d(st.sampled_from([f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}"]))


def _account(d: st.DrawFn) -> str:
    base = d(st.text(string.digits, min_size=7, max_size=7))
    return f"{base}-{luhn_digit(base)}"


def _date(d: st.DrawFn) -> str:
    day = d(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
    return d(st.sampled_from([day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%d.%m.%Y"),
                              day.strftime("%B %d, %Y")]))


def _address(d: st.DrawFn) -> str:
    n = d(st.integers(1, 99999))
    street = d(st.sampled_from(["N Main St", "Oak Ave", "E 14th St", "Elm Ct Apt 4B"]))
    zip5 = d(st.text(string.digits, min_size=5, max_size=5))
    plus4 = d(st.sampled_from(["", "-" + d(st.text(string.digits, min_size=4, max_size=4))]))
    return f"{n} {street}, Sacramento CA {zip5}{plus4}"


def _amount(d: st.DrawFn) -> str:
    return "$" + f"{d(st.integers(0, 999_999_999)) / 100:,.2f}"


def _word(d: st.DrawFn) -> str:
    return d(st.sampled_from(["called", "re", "acct", "paid", "left voicemail", "ph", "on",
                              "cust says", "meter", "at", "and", "moved out", "#"]))


@st.composite
def ordinary_notes(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from([_phone, _account, _date, _address, _amount, _word,
                                            _word]), min_size=1, max_size=12))
    joints = [" ", ", ", "; ", " / ", " - "]
    out = ""
    for i, make in enumerate(pieces):
        out += (draw(st.sampled_from(joints)) if i else "") + make(draw)
    return out


@given(note=ordinary_notes())
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_ordinary_text_is_accepted(note: str) -> None:
    assert find_card_number(note) is None, note
    assert clean_text(note, field="Note", max_len=2000) == note.strip()


@given(text=st.text(FILLER + "\u00e9\u00df ", max_size=200).filter(
    lambda t: sum(ch.isdigit() for ch in t) < 13))
@settings(max_examples=300, deadline=None)
def test_text_with_fewer_than_13_digits_is_accepted(text: str) -> None:
    assert find_card_number(text) is None
    assert clean_text(text, field="Note", max_len=1000) == text.strip()


@given(digits=st.integers(13, 19).flatmap(
    lambda n: st.text(string.digits, min_size=n, max_size=n)),
    words=st.lists(st.text(string.ascii_letters, min_size=2, max_size=8), max_size=4))
@settings(max_examples=300, deadline=None)
def test_a_lone_long_number_is_refused_exactly_when_it_passes_the_card_check(
        digits: str, words: list[str]) -> None:
    text = ", ".join([*words, digits, *words])
    assert (find_card_number(text) is not None) == luhn_ok(digits)


# ---- the separator rule, both sides, by example ----------------------------------------------
@pytest.mark.parametrize("text", [
    "4111111111111111",
    "card 4111 1111 1111 1111 exp 12/27",
    "4111-1111-1111-1111",
    "4111.1111.1111.1111",
    "4111 - 1111 - 1111 - 1111",
    "4111a1111b1111c1111",
    "4111  1111  1111  1111",
    "unit 12 4111 1111 1111 1111",           # any stretch of whole groups
    "3782 822463 10005",                      # Amex 4-6-5
    "378282246310005",
    "6011-0009-9013-9424",                    # Discover
    "4111\u20131111\u20131111\u20131111",     # en dashes
    "\u0664\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661"
    "\u0661",                                  # Arabic-Indic digits
])
def test_refused_examples(text: str) -> None:
    assert find_card_number(text) is not None
    with pytest.raises(ValidationError, match=REFUSED):
        clean_text(text, field="Note", max_len=200)


@pytest.mark.parametrize("text", [
    "Called 555-123-4567 re acct 1234567-8",
    "555-123-4567 1234567-8",                 # phone and account side by side
    "(555) 123-4567 1234567-8",
    "Paid 2026-03-02 2026-04-01 2026-05-01",  # dates
    "03/02/2026 04/01/2026",
    "1445 S Main St, Sacramento CA 95814-1234 916-555-1234",
    "Check 1234 for $1,234.50 on 03.02.2026",
    "4111111111111112",                       # fails the Luhn check
    "411111111111",                           # 12 digits
    "41111111111111111111",                   # 20 digits in one piece: not a card
    "4111-1111 1111.1111",                    # mixed separators: the price of the rule
    "4111aa1111bb1111cc1111",                 # two letters break a number
])
def test_accepted_examples(text: str) -> None:
    assert find_card_number(text) is None
    assert clean_text(text, field="Note", max_len=200) == text


# ---- every free-text entry of the domain, on a real database ---------------------------------
def table_counts(db: Database) -> dict[str, int]:
    names = [r["name"] for r in db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: int(db.scalar(f'SELECT count(*) FROM "{n}"')) for n in names}


def dump(db: Database) -> str:
    """Every row of every table (the search index and its shadow tables too) as text."""
    names = [r["name"] for r in db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return "\n".join(str(row) for n in names for row in db.all(f'SELECT * FROM "{n}"'))


@pytest.fixture
def world(db: Database) -> Iterator[dict]:
    """An admin with an open drawer, an account owing $50 and one receipt on it."""
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0, 0))
    admin = auth.clerk_actor(db, "admin", "ws-test")
    open_session(db, admin)
    acct = create_account(db, 10000)
    receipt = post_payment(db, admin, new_idempotency_key(), [SaleItem("account", acct.number,
                                                                       5000)],
                           [Tender("cash", 5000)]).receipt
    session = db.scalar("SELECT id FROM drawer_sessions WHERE clerk = 'admin'")
    yield {"admin": admin, "acct": acct, "receipt": receipt.number, "session": session}
    clock.set_fixed(None)


def _pay(db: Database, w: dict, tender: Tender, payer: str = "") -> object:
    return post_payment(db, w["admin"], new_idempotency_key(),
                        [SaleItem("account", w["acct"].number, 1000)], [tender], payer=payer)


TYPED = {
    "spaces": "4111 1111 1111 1111",
    "dashes": "4111-1111-1111-1111",
    "letters": "4111a1111b1111c1111",
}

ENTRIES: dict[str, Callable[[Database, dict, str], object]] = {
    "account note": lambda db, w, t: accounts.add_note(db, w["admin"], w["acct"].id,
                                                       f"Customer read card {t} to me"),
    "payer": lambda db, w, t: _pay(db, w, Tender("cash", 1000), payer=t),
    "money order serial": lambda db, w, t: _pay(db, w, Tender("money_order", 1000,
                                                              number=t.replace(" ", ""))),
    "check number": lambda db, w, t: _pay(db, w, Tender("check", 1000, number=t)),
    "card approval code": lambda db, w, t: _pay(db, w, Tender("card", 1000, card_last4="1111",
                                                              auth_code=t)),
    "paid-in reason": lambda db, w, t: paid_in(db, w["admin"], 500, f"refund of {t}"),
    "paid-out voucher": lambda db, w, t: paid_out(db, w["admin"], 500, "Stamps", t),
    "pickup bag": lambda db, w, t: pickup(db, w["admin"], 500, bag=t),
    "refund reason": lambda db, w, t: refund_credit(db, w["admin"], w["acct"].number, 100,
                                                    f"card {t}"),
    "void reason": lambda db, w, t: void_receipt(db, w["admin"], w["receipt"], "KEY",
                                                 f"paid by {t}"),
    "counted money order": lambda db, w, t: submit_count(db, w["admin"], DrawerCount(
        {"twenties": 10}, money_orders=[CountedItem(t, 1000)])),
    "counted check": lambda db, w, t: submit_count(db, w["admin"], DrawerCount(
        {"twenties": 10}, checks=[CountedItem(t, 1000)])),
    "drawer reopen reason": lambda db, w, t: reopen_session(db, w["admin"], w["session"],
                                                            f"card {t}"),
    "adjustment note": lambda db, w, t: adjustments.adjust(db, w["admin"], w["acct"].id, "LEAK",
                                                           amount=100, note=f"card {t}"),
    "plan cancel reason": lambda db, w, t: plans.cancel_plan(db, w["admin"], 1, f"card {t}"),
    "order reason": lambda db, w, t: orders.create_order(db, w["admin"], w["acct"].id,
                                                         "check_read", reason=f"card {t}"),
    "assistance note": lambda db, w, t: assistance.take(
        db, w["admin"], w["acct"].id, assistance.rules().programs[0].code, household_size=2,
        annual_income=2_000_000, note=f"card {t}"),
    "restore note": lambda db, w, t: delinquency.restore_service(db, w["admin"], w["acct"].id,
                                                                 note=f"card {t}"),
    "billing cancel reason": lambda db, w, t: billing.cancel_run(db, w["admin"], 1, f"card {t}"),
    "referral folder": lambda db, w, t: referrals.refer_accounts(db, w["admin"],
                                                                 f"/srv/referrals/{t}"),
    "letter field": lambda db, w, t: letters.issue_letter(db, w["admin"], w["acct"].id,
                                                          "reminder", context={"note": t}),
    "customer name": lambda db, w, t: accounts.open_account(db, w["admin"], name=f"Pat {t}",
                                                            service_address="1 Elm St"),
    "service address": lambda db, w, t: accounts.open_account(db, w["admin"], name="Pat",
                                                              service_address=f"{t} Elm St"),
    "clerk full name": lambda db, w, t: auth.add_clerk(db, w["admin"], "pat", f"Pat {t}",
                                                       "csr1", "2468"),
    "clerk username": lambda db, w, t: auth.add_clerk(db, w["admin"], "p" + t.replace(" ", ""),
                                                      "Pat", "csr1", "2468"),
}


@pytest.mark.parametrize("typed", list(TYPED), ids=list(TYPED))
@pytest.mark.parametrize("entry", list(ENTRIES), ids=list(ENTRIES))
def test_domain_refuses_card_numbers_and_writes_nothing(db: Database, world: dict, entry: str,
                                                        typed: str) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError, match="card number") as e:
        ENTRIES[entry](db, world, TYPED[typed])
    assert "never type a full card number" in str(e.value).lower()
    assert table_counts(db) == before
    assert CARD not in dump(db)
    assert TYPED[typed] not in dump(db)


@given(data=st.data())
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_account_notes_by_hypothesis(db: Database, world: dict, data: st.DataObject) -> None:
    """Through the real `add_note` on a real database: a typed card number inside random text
    is refused and writes nothing; an ordinary note is stored as typed."""
    if data.draw(st.booleans(), label="card"):
        _, typed = data.draw(typed_card_numbers(), label="typed")
        text = data.draw(st.text(string.ascii_letters + " ", max_size=30)) + " " + typed
        before = table_counts(db)
        with pytest.raises(ValidationError, match=REFUSED):
            accounts.add_note(db, world["admin"], world["acct"].id, text)
        assert table_counts(db) == before
    else:
        text = data.draw(ordinary_notes(), label="note")
        note = accounts.add_note(db, world["admin"], world["acct"].id, text)
        assert db.scalar("SELECT text FROM account_notes WHERE id = ?", [note.id]) == text.strip()


def test_ordinary_note_with_phone_account_and_date_is_stored(db: Database, world: dict) -> None:
    text = "Called 555-123-4567 1234567-8, promised to pay 2026-03-09 2026-03-16"
    note = accounts.add_note(db, world["admin"], world["acct"].id, text)
    assert note.text == text


# ---- the card tender's last 4 ------------------------------------------------------------------
@pytest.mark.parametrize("last4", ["4111111111111111", "41111", "4111 1111 1111 1111",
                                   "4111a1111b1111c1111", "12345"])
def test_last4_refuses_more_than_four_digits(db: Database, world: dict, last4: str) -> None:
    with pytest.raises(ValidationError, match="last four digits only"):
        clean_tender(Tender("card", 1000, card_last4=last4, auth_code="AB12"))
    before = table_counts(db)
    with pytest.raises(ValidationError, match="card number"):
        _pay(db, world, Tender("card", 1000, card_last4=last4, auth_code="AB12"))
    assert table_counts(db) == before
    assert not db.scalar("SELECT count(*) FROM tenders WHERE kind = 'card'")


def test_last4_of_four_digits_is_kept(db: Database, world: dict) -> None:
    r = _pay(db, world, Tender("card", 1000, card_last4="1111", auth_code="AB12"))
    assert db.scalar("SELECT card_last4 FROM tenders WHERE kind = 'card'") == "1111"
    assert r.receipt.tenders[0].card_last4 == "1111"  # type: ignore[attr-defined]
