"""Text typed by the public: accepted within limits, always shown literally.

A customer name like `[@click=app.quit]x` or one carrying terminal escape codes must be
displayed as typed and do nothing; screens render `visible(value)` inside a `rich.text.Text`
(never as markup), and inputs are checked with `clean_text` before anything is written.

No full card number is ever stored: `clean_text` (and `refuse_card_number`, for the few free
text fields that have a format of their own: tender numbers, counted checks, letter fields)
refuses text holding one. See `find_card_number` for exactly what counts as one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from clerk_tui.domain.checkdigit import luhn_ok
from clerk_tui.domain.errors import ValidationError

_CONTROL_NAMES = {0x1B: "␛", 0x7F: "␡"}


def visible(value: object) -> str:
    """Replace control characters with visible symbols (ESC -> ␛, NUL -> ␀ …)."""
    s = "" if value is None else str(value)
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20:
            out.append(_CONTROL_NAMES.get(o, chr(0x2400 + o)))
        elif o == 0x7F:
            out.append("␡")
        elif 0x80 <= o < 0xA0 or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def clean_text(value: str, *, field: str, max_len: int, required: bool = False,
               multiline: bool = False) -> str:
    """Trim and validate free text; refuse control characters and over-long values."""
    s = (value or "").strip()
    if required and not s:
        raise ValidationError(f"{field} is required.")
    if len(s) > max_len:
        raise ValidationError(f"{field} is too long ({len(s)} characters; at most {max_len}).")
    for ch in s:
        if multiline and ch == "\n":
            continue
        if ord(ch) < 0x20 or ord(ch) == 0x7F or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            raise ValidationError(f"{field} contains a control character; retype it.")
    refuse_card_number(s, field=field)
    return s


# ---- card numbers ------------------------------------------------------------------------------
CARD_MIN_DIGITS, CARD_MAX_DIGITS = 13, 19
_MAX_PUNCT_GAP = 3
_DOTS = frozenset(".\u00b7\u2024\u2027\u30fb\uff0e")


def _separator_class(ch: str) -> str | None:
    """'space', 'dash' or 'dot' for a character that may sit between card digit groups."""
    if ch.isspace():
        return "space"
    if ch == "-" or unicodedata.category(ch) == "Pd" or ch in "\u2212\ufe63\uff0d":
        return "dash"
    if ch in _DOTS:
        return "dot"
    return None


def _gap_kind(gap: str) -> str | None:
    """What joins two digit groups, or None when the gap breaks a card number.

    One letter (`4111a1111`), or one to three spaces, dashes and dots (`4111 1111`,
    `4111 - 1111`). The kind of a punctuation gap is the set of classes in it, so `' '` and
    `'  '` are the same kind but `'-'` and `' '` are not; every letter is one kind.
    """
    if len(gap) == 1 and gap.isalpha():
        return "letter"
    if 1 <= len(gap) <= _MAX_PUNCT_GAP:
        classes = [_separator_class(ch) for ch in gap]
        if all(classes):
            return "+".join(sorted(set(classes)))  # type: ignore[arg-type]
    return None


def _digit_groups(text: str) -> Iterator[tuple[str, int, int]]:
    """Each maximal run of decimal digits (any script: '٤' is 4) as (ASCII digits, start, end)."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isdecimal():
            j = i
            digits = []
            while j < n and text[j].isdecimal():
                digits.append(str(unicodedata.decimal(text[j])))
                j += 1
            yield "".join(digits), i, j
            i = j
        else:
            i += 1


def find_card_number(text: str) -> str | None:
    """The first card number in `text` (its digits), or None.

    A card number is 13 to 19 digits that pass the Luhn check, typed in one piece or in
    groups. Groups are joined by a *separator*: one letter (`4111a1111b1111c1111`), or one to
    three spaces, dashes or dots (`4111 1111 1111 1111`, `4111-1111-1111-1111`,
    `4111 - 1111 - 1111 - 1111`, `4111.1111.1111.1111`). Any stretch of whole groups counts
    (`unit 12 4111 1111 1111 1111` is refused for the last four groups), but never part of a
    group: a 20-digit reference is not a card number.

    Why every separator in one number must be of the same kind (all letters, all single
    spaces, all dashes …): ordinary text strings numbers together with *different*
    separators, and reading across them would refuse a tenth of ordinary notes at random.
    A phone number and an account number (`555-123-4567 1234567-8`), two dates
    (`2026-03-02 2026-04-01`) or a ZIP+4 and a phone (`95814-1234 916-555-1234`) are each
    dashed inside and joined by a space, so they never form one run; a word (`acct`), a
    comma or a slash always breaks a run. The price of that choice: a card number typed with
    mixed separators (`4111-1111 1111.1111`) is not caught, and two bare numbers joined by
    one space that make 13 to 19 digits together (`12345678 5551234567`) are refused one
    time in ten (when they happen to pass the Luhn check); the message then tells the clerk
    to put a word or a comma between them.
    """
    s = text or ""
    groups = list(_digit_groups(s))
    kinds = [_gap_kind(s[a[2]:b[1]]) for a, b in zip(groups, groups[1:], strict=False)]
    for i, (digits, _, _) in enumerate(groups):
        total, kind = digits, None
        for j in range(i, len(groups)):
            if j > i:
                k = kinds[j - 1]
                if k is None or (kind is not None and k != kind):
                    break
                kind = k
                total += groups[j][0]
            if len(total) > CARD_MAX_DIGITS:
                break
            if len(total) >= CARD_MIN_DIGITS and luhn_ok(total):
                return total
    return None


def card_number_message(field: str) -> str:
    """Why the text was refused: said plainly, without echoing the number back."""
    return (f"{field} looks like a card number; never type a full card number (keep the last "
            "4 digits only). Separate numbers? Put a word or a comma between them.")


def refuse_card_number(value: str | None, *, field: str) -> None:
    """Raise ValidationError when `value` holds a card number (see `find_card_number`)."""
    if value and find_card_number(value) is not None:
        raise ValidationError(card_number_message(field))
