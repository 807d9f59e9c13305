"""Account search: every way a clerk looks an account up, kept in sync, never breakable."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.db import Database
from clerk_tui.domain import account_numbers, accounts, search
from clerk_tui.domain.actor import SYSTEM


@pytest.fixture
def town(db: Database) -> dict[str, accounts.Account]:
    people = {
        "smith": dict(name="John Smith", service_address="120 N Main St", phone="(530) 555-0142",
                      email="john.smith@example.com", service_zip="95901"),
        "main": dict(name="Maria Mainwaring", service_address="44 Oak Ave",
                     phone="916-555-7788", service_zip="95902"),
        "jose": dict(name="José Núñez", service_address="7 Elm Ct", service_zip="95903"),
        "acme": dict(name="Acme Hardware LLC", service_address="1200 Main St Unit 4",
                     email="billing@acme.example.org", service_zip="95901"),
        "smythe": dict(name="Ann Smythe", service_address="9 W Main St", phone="209 555 0142"),
    }
    return {k: accounts.open_account(db, SYSTEM, **v) for k, v in people.items()}


def names(result: search.SearchResult) -> list[str]:
    return [h.name for h in result.hits]


def test_number_with_and_without_check_digit_and_dashes(db: Database, town) -> None:
    a = town["main"]
    for typed in (a.number, a.number[:7], a.display_number, f" {a.number[:3]}-{a.number[3:]} "):
        r = search.search_accounts(db, typed)
        assert r.hits and r.hits[0].account_id == a.id, typed
        assert r.hits[0].match == "number"
        assert r.hits[0].display_number == a.display_number


def test_number_prefix_and_fragment(db: Database, town) -> None:
    a = town["acme"]
    assert a.id in [h.account_id for h in search.search_accounts(db, a.number[:5]).hits]
    assert a.id in [h.account_id for h in search.search_accounts(db, a.number[2:7]).hits]


def test_any_word_prefix_matching(db: Database, town) -> None:
    assert "John Smith" in names(search.search_accounts(db, "main 120"))
    assert "John Smith" in names(search.search_accounts(db, "120 main"))
    assert names(search.search_accounts(db, "smi")) == ["John Smith"]
    assert set(names(search.search_accounts(db, "sm"))) == {"John Smith", "Ann Smythe"}
    assert names(search.search_accounts(db, "jo sm")) == ["John Smith"]
    assert "Acme Hardware LLC" in names(search.search_accounts(db, "hardw"))
    assert names(search.search_accounts(db, "95903")) == ["José Núñez"]


def test_name_matches_rank_before_address_matches(db: Database, town) -> None:
    r = search.search_accounts(db, "main")
    assert r.hits[0].name == "Maria Mainwaring" and r.hits[0].match == "name"
    assert {h.match for h in r.hits[1:]} == {"address"}
    # then by name
    assert names(r)[1:] == sorted(names(r)[1:], key=str.casefold)


def test_phone_and_email(db: Database, town) -> None:
    assert set(names(search.search_accounts(db, "555-0142"))) == {"John Smith", "Ann Smythe"}
    assert names(search.search_accounts(db, "(916) 555-7788")) == ["Maria Mainwaring"]
    assert names(search.search_accounts(db, "7788")) == ["Maria Mainwaring"]
    assert names(search.search_accounts(db, "john.smith@example")) == ["John Smith"]
    assert names(search.search_accounts(db, "acme.example")) == ["Acme Hardware LLC"]


def test_diacritics_and_case_fold(db: Database, town) -> None:
    assert names(search.search_accounts(db, "jose nunez")) == ["José Núñez"]
    assert names(search.search_accounts(db, "NÚÑ")) == ["José Núñez"]


def test_short_input_asks_for_more(db: Database, town) -> None:
    r = search.search_accounts(db, "m")
    assert not r.hits and r.hint
    assert search.search_accounts(db, "").hits == []
    assert search.search_accounts(db, "   ").hits == []
    # One-letter words still narrow a longer query (directions, initials).
    assert names(search.search_accounts(db, "w main")) == ["Ann Smythe"]


def test_limit_and_more(db: Database) -> None:
    for i in range(30):
        accounts.open_account(db, SYSTEM, name=f"Pat Doe {i}", service_address=f"{i} Pine St")
    r = search.search_accounts(db, "pine", limit=10)
    assert len(r.hits) == 10 and r.more
    r = search.search_accounts(db, "pine", limit=50)
    assert len(r.hits) == 30 and not r.more


@pytest.mark.parametrize("typed", [
    '"', '""', '"main', "main\"", "*", "**", "main*", "NEAR", "NEAR(main smith)", "main OR smith",
    "main AND", "NOT smith", "(", ")", "main)", "^main", "name:smith", "{name}: x", "-main",
    "+", "'; DROP TABLE accounts; --", "[bold]x[/]", "[@click=app.quit]x", "\x1b[31mred",
    "\x00", "\t\n", "x" * 10_000, "1" * 10_000, "main " * 500, "١٢٣", "🙂", "\u202emain",
    "ｍａｉｎ", "main\x00120", "%", "_", "a_b", "\\",
])
def test_bad_input_never_raises(db: Database, town, typed: str) -> None:
    r = search.search_accounts(db, typed)
    assert isinstance(r, search.SearchResult)
    assert len(r.query) <= search.MAX_QUERY_CHARS


def test_operators_are_plain_words(db: Database, town) -> None:
    accounts.open_account(db, SYSTEM, name="Near Orwell", service_address="1 Not Rd")
    assert names(search.search_accounts(db, "near")) == ["Near Orwell"]
    assert names(search.search_accounts(db, "NOT rd")) == ["Near Orwell"]
    # OR is a word to find, not an operator: nobody has "or…" beside main and smith.
    assert names(search.search_accounts(db, '"main" OR "smith"')) == []


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_fuzzed_input_never_raises(db: Database, typed: str) -> None:
    r = search.search_accounts(db, typed)
    assert isinstance(r, search.SearchResult)


def test_parse_query_keeps_only_safe_tokens() -> None:
    q = search.parse_query('NEAR("x" y*) OR ^z')
    assert q.words == ("near", "x", "y", "or", "z")
    assert all(w.isalnum() for w in q.words)
    assert search.parse_query("(530) 555-0142").digits == "5305550142"
    assert search.parse_query("1234567-8").digits == "12345678"
    assert len(search.parse_query("a b c d e f g h i j").words) == search.MAX_TOKENS


def test_triggers_follow_changes_by_any_code_path(db: Database, town) -> None:
    a = town["smith"]
    with db.write():
        db.execute("UPDATE customers SET name = 'Johanna Smithers', phone = '(530) 555-9999' "
                   "WHERE id = ?", [a.customer_id])
    assert names(search.search_accounts(db, "johanna")) == ["Johanna Smithers"]
    assert "Johanna Smithers" in names(search.search_accounts(db, "9999"))
    assert search.search_accounts(db, "john.smith").hits  # email unchanged
    assert not search.search_accounts(db, "0142 5305550142").hits
    with db.write():
        db.execute("UPDATE accounts SET service_address = '5 Quarry Ln' WHERE id = ?", [a.id])
    assert names(search.search_accounts(db, "quarry")) == ["Johanna Smithers"]
    assert "Johanna Smithers" not in names(search.search_accounts(db, "main 120"))
    # A raw insert (no domain helper) is indexed too.
    with db.write():
        cid = db.insert("customers", {"name": "Raw Insert", "created_at": "2026-01-01"})
        db.insert("accounts", {"number": account_numbers.make_number(7654321), "customer_id": cid,
                               "service_address": "3 Side St", "opened_on": "2026-01-01"})
    assert names(search.search_accounts(db, "7654321")) == ["Raw Insert"]


def _answers(db: Database) -> list[list[int]]:
    queries = ["main", "sm", "main 120", "555", "0142", "jose", "example", "9"]
    return [[h.account_id for h in search.search_accounts(db, q).hits] for q in queries]


def test_rebuild_agrees_with_triggers(db: Database, town) -> None:
    before = _answers(db)
    assert search.rebuild_index(db) == len(town)
    assert _answers(db) == before


def test_bulk_load_suspends_and_restores(db: Database, town) -> None:
    with search.bulk_load(db):
        assert not search._trigger_rows(db)
        with db.write():
            cid = db.insert("customers", {"name": "Bulk Person", "created_at": "x"})
            db.insert("accounts", {"number": account_numbers.make_number(7000000), "customer_id": cid,
                                   "service_address": "8 Bulk Way", "opened_on": "x"})
    assert len(search._trigger_rows(db)) == 4
    assert names(search.search_accounts(db, "bulk")) == ["Bulk Person"]
    accounts.open_account(db, SYSTEM, name="After Bulk", service_address="9 Later St")
    assert names(search.search_accounts(db, "after")) == ["After Bulk"]


def test_interrupted_bulk_load_is_repaired(db: Database, town) -> None:
    cm = search.bulk_load(db)
    cm.__enter__()  # a crash: the loader never reaches its end
    assert not search._trigger_rows(db)
    assert search.ensure_index(db) is True
    assert len(search._trigger_rows(db)) == 4
    assert search.ensure_index(db) is False
    accounts.open_account(db, SYSTEM, name="Fixed Later", service_address="1 Mend St")
    assert names(search.search_accounts(db, "mend")) == ["Fixed Later"]


def _statements(db: Database) -> list[str]:
    """Every statement run from now on, on the writer and on the read connection."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    reader = db._read_conn()
    if reader is not None:
        reader.set_trace_callback(seen.append)
    return seen


def test_an_exact_number_answers_from_the_number_index_alone(db: Database, town) -> None:
    """The shortcut gives exactly the first hit of the full search, and asks nothing else."""
    for a in town.values():
        for typed in (a.number, a.number[:7], a.display_number, f" {a.number[:3]} {a.number[3:]}"):
            q = search.parse_query(typed)
            full = search._ranked(db, q, q.digits or "", search.DEFAULT_LIMIT)
            seen = _statements(db)
            fast = search.search_accounts(db, typed)
            db.conn.set_trace_callback(None)
            assert fast.hits == full.hits[:1], typed
            assert fast.hits[0].account_id == a.id and fast.hits[0].tier == 0
            assert fast.query == full.query and not fast.more and not fast.hint
            assert len(seen) == 1 and "account_digits" not in seen[0] \
                and "account_search" not in seen[0], seen


def test_digits_that_name_no_account_still_search_everything(db: Database, town) -> None:
    a = town["smith"]
    wrong_check = a.number[:7] + str((int(a.number[7]) + 1) % 10)
    seen = _statements(db)
    r = search.search_accounts(db, wrong_check)
    db.conn.set_trace_callback(None)
    assert any("account_digits" in s for s in seen)  # the fragment search ran
    assert a.id not in [h.account_id for h in r.hits if h.tier == 0]
    # A phone number is no account number: found by the trigram index as before.
    assert names(search.search_accounts(db, "5305550142")) == ["John Smith"]


def test_only_what_the_list_shows_is_fetched(db: Database) -> None:
    """The index is asked for the rows the list shows plus one (to know there are more), and
    those are ranked: name matches before address matches."""
    for i in range(12):
        accounts.open_account(db, SYSTEM, name=f"Pat Doe {i}", service_address=f"{i} Lark St")
        if i == 2:
            accounts.open_account(db, SYSTEM, name="Larkin Bell", service_address="1 Oak Ave")
    seen = _statements(db)
    r = search.search_accounts(db, "lark", limit=5)
    db.conn.set_trace_callback(None)
    assert r.hits[0].name == "Larkin Bell" and r.hits[0].match == "name"
    assert len(r.hits) == 5 and r.more
    assert all(h.match == "address" for h in r.hits[1:])
    limits = [s for s in seen if s.startswith("SELECT rowid")]  # not FTS5's own statements
    assert limits and all(s.endswith("LIMIT 6") for s in limits), limits  # 5 shown + 1
    # and a row past the window is only found once more is typed
    r = search.search_accounts(db, "lark", limit=2)
    assert "Larkin Bell" not in names(r) and r.more
    assert names(search.search_accounts(db, "larki", limit=2)) == ["Larkin Bell"]
