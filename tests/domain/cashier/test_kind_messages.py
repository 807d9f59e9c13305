"""The payment screen offers a typed code to every item kind and shows a "not found" first
(`screens/payment.py: recognise`), so a kind may say "not found" only for text shaped like its
own references. A front-desk kind that said "No records request 'COPY*0'" for any text hid
Misc. sales' "quantity must be at least 1" from the clerk."""

from __future__ import annotations

import pytest

from clerk_tui.counters import load_builtin
from clerk_tui.db import Database
from clerk_tui.domain.cashier.items import kinds, quote_item
from clerk_tui.domain.errors import ClerkError, NotFound

CODE_WORDS = {"fee", "misc"}
"""The kinds whose references are free words (fee and item codes): "No fee 'HELLO'" is right."""


@pytest.mark.parametrize("text", ["ab$", "COPY*0", "NOTARY*0", "hello", "12", "x" * 300,
                                  "[b]red[/b]", "\x1b[31m"])
def test_only_a_kind_whose_shape_the_text_has_says_not_found(db: Database, text: str) -> None:
    load_builtin()
    claimed = []
    for kind in kinds():
        try:
            quote_item(db, kind.code, text)
        except NotFound:
            claimed.append(kind.code)
        except ClerkError:
            pass
    assert set(claimed) <= CODE_WORDS, claimed


def test_a_misc_quantity_of_nought_is_what_the_clerk_is_told(db: Database) -> None:
    load_builtin()
    from clerk_tui.screens.payment import recognise

    with pytest.raises(ClerkError, match="quantity"):
        recognise(db, "COPY*0")


def test_text_no_kind_knows_gets_one_plain_message(db: Database) -> None:
    load_builtin()
    from clerk_tui.screens.payment import recognise

    with pytest.raises(ClerkError, match="Nothing matches 'ab\\$'") as e:
        recognise(db, "ab$")
    assert "clearance letter" not in str(e.value)
