"""Text typed by the public: accepted within limits, always shown literally.

A customer name like `[@click=app.quit]x` or one carrying terminal escape codes must be
displayed as typed and do nothing; screens render `visible(value)` inside a `rich.text.Text`
(never as markup), and inputs are checked with `clean_text` before anything is written.
"""

from __future__ import annotations

import unicodedata

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
    return s
