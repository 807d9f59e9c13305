"""F2 lookup across counters (`domain/finders.py`): a counter's finder adds its hits beside the
accounts, ranked with them; the role's rights decide which finders run; a finder that raises
costs only its own hits. The finders here are test-only (no fake counter in the product)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from clerk_tui.counters import ManifestError, Registry
from clerk_tui.counters.manifest import FinderSpec, Manifest
from clerk_tui.db import Database
from clerk_tui.domain import accounts, finders
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.finders import Found, search_everything

GADGETS = {"G1001": "Blue gadget", "G1002": "Main Street gadget", "G2000": "Red gadget"}
SEEN: list[tuple[str, int]] = []  # (text, limit) each call of find_gadgets was given


def find_gadgets(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Exact number first (rank 0), then any gadget whose words start with what was typed."""
    SEEN.append((text, limit))
    t = text.casefold()
    out = []
    for key, title in GADGETS.items():
        if key.casefold() == t:
            out.append(Found("gadget", key, title, "exact", rank=0))
        elif any(w.casefold().startswith(t) for w in title.split()):
            out.append(Found("gadget", key, title))
    return out[:limit]


def broken_finder(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    raise RuntimeError("the gadget index is gone")


def open_gadget(screen: object, key: str) -> None:  # the manifest needs one; unused here
    raise AssertionError("not opened in domain tests")


GADGET = FinderSpec("gadget", f"{__name__}:find_gadgets", f"{__name__}:open_gadget")
BROKEN = FinderSpec("broken", f"{__name__}:broken_finder", f"{__name__}:open_gadget")


@pytest.fixture
def town(db: Database) -> dict[str, accounts.Account]:
    return {
        "main": accounts.open_account(db, SYSTEM, name="Maria Mainwaring",
                                      service_address="44 Oak Ave"),
        "smith": accounts.open_account(db, SYSTEM, name="John Smith",
                                       service_address="120 N Main St"),
    }


def test_hits_merge_ranked_with_the_kind_of_each(db: Database, town,
                                                 make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    r = search_everything(db, clerk, "main", finders=[GADGET])
    assert [(f.kind, f.title) for f in r.found] == [
        ("account", "Maria Mainwaring"),  # by name (rank 20)
        ("account", "John Smith"),        # by address (rank 30)
        ("gadget", "Main Street gadget"),  # an ordinary finder hit (rank 50)
    ]
    assert set(r.accounts) == {town["main"].id, town["smith"].id}
    assert r.failed == () and not r.more
    # An exact number ranks 0: above every account that merely matched a word.
    r = search_everything(db, clerk, "g1002", finders=[GADGET])
    assert [(f.kind, f.key, f.rank) for f in r.found] == [("gadget", "G1002", 0)]
    # An exact account number ranks 0 too, and accounts come first within a rank.
    a = town["smith"]
    r = search_everything(db, clerk, a.display_number, finders=[GADGET])
    assert (r.found[0].kind, r.found[0].key, r.found[0].rank) == ("account", str(a.id), 0)


def test_limit_applies_to_the_merged_list(db: Database, town,
                                          make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    SEEN.clear()
    r = search_everything(db, clerk, "main", limit=2, finders=[GADGET])
    assert [f.kind for f in r.found] == ["account", "account"] and r.more
    assert set(r.accounts) == {int(f.key) for f in r.found}
    assert SEEN == [("main", 2)]  # the finder is asked for no more than can be shown


def test_text_given_to_a_finder_is_printable_and_bounded(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    SEEN.clear()
    search_everything(db, clerk, "  g1\x1b[31m\x00" + "x" * 1000, finders=[GADGET])
    (text, _), = SEEN
    assert text.isprintable() and len(text) <= 200 and text.startswith("g1")
    SEEN.clear()
    r = search_everything(db, clerk, "   ", finders=[GADGET])
    assert SEEN == [] and r.found == []  # nothing typed: no finder runs


def test_a_failing_finder_is_logged_and_the_others_still_show(
        db: Database, town, make_clerk: Callable[..., Actor],
        caplog: pytest.LogCaptureFixture) -> None:
    clerk = make_clerk("csr2")
    with caplog.at_level(logging.ERROR, logger="clerk_tui.domain.finders"):
        r = search_everything(db, clerk, "main", finders=[BROKEN, GADGET])
    assert [f.kind for f in r.found] == ["account", "account", "gadget"]
    assert r.failed == ("broken",)
    assert "broken" in caplog.text and "the gadget index is gone" in caplog.text


def test_a_finder_that_returns_something_else_counts_as_failed(
        db: Database, town, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    liar = FinderSpec("liar", f"{__name__}:find_gadgets", f"{__name__}:open_gadget")
    r = search_everything(db, clerk, "main", finders=[liar])  # returns kind "gadget"
    assert r.failed == ("liar",) and [f.kind for f in r.found] == ["account", "account"]


def test_only_finders_the_role_may_use_outright_run(
        db: Database, town, make_clerk: Callable[..., Actor]) -> None:
    csr2, csr3 = make_clerk("csr2"), make_clerk("csr3")
    allowed = FinderSpec("gadget", f"{__name__}:find_gadgets", f"{__name__}:open_gadget",
                         permission="citation.pay")  # csr2: allow
    by_override = FinderSpec("gadget", f"{__name__}:find_gadgets", f"{__name__}:open_gadget",
                             permission="payment.reverse")  # csr2: only with an override
    denied = FinderSpec("gadget", f"{__name__}:find_gadgets", f"{__name__}:open_gadget",
                        permission="billing.run")  # csr2: no; csr3: allow
    assert finders.allowed_finders(csr2, [allowed, by_override, denied]) == [allowed]
    assert finders.allowed_finders(csr3, [denied]) == [denied]
    r = search_everything(db, csr2, "g1001", finders=[denied])
    assert r.found == []
    r = search_everything(db, csr3, "g1001", finders=[denied])
    assert [f.key for f in r.found] == ["G1001"]


def test_no_finder_is_registered_by_default_and_the_registry_is_used(
        db: Database, town, make_clerk: Callable[..., Actor]) -> None:
    from clerk_tui.counters import registry

    clerk = make_clerk("csr2")
    r = search_everything(db, clerk, "main")  # whatever the built-in counters register
    assert [f.kind for f in r.found][:2] == ["account", "account"]
    assert all(f.kind in {"account", *(s.kind for s in registry().finders)} for f in r.found)


def test_the_registry_checks_finders_like_every_other_spec() -> None:
    reg = Registry()
    reg.add(Manifest("a", finders=(GADGET,)))
    assert reg.finders == [GADGET]
    with pytest.raises(ManifestError, match="finder kind 'gadget'"):
        reg.add(Manifest("b", finders=(GADGET,)))
    with pytest.raises(ManifestError, match="bad finder kind 'account'"):
        reg.add(Manifest("c", finders=(FinderSpec("account", GADGET.find, GADGET.open),)))
    with pytest.raises(ManifestError, match="bad finder kind"):
        reg.add(Manifest("d", finders=(FinderSpec("Big Kind", GADGET.find, GADGET.open),)))
    with pytest.raises(ManifestError, match="defines no 'find_nothing'"):
        reg.add(Manifest("e", finders=(
            FinderSpec("e", "clerk_tui.domain.finders:find_nothing", GADGET.open),)))
    with pytest.raises(ManifestError, match="open_nothing"):
        reg.add(Manifest("f", finders=(
            FinderSpec("f", GADGET.find, f"{__name__}:open_nothing"),)))
    assert [m.name for m in reg.manifests] == ["a"]
