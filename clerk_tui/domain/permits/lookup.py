"""The permits' share of the F2 lookup (manifest `finders`): a permit by its number, the
permits of a plate, or of a holder whose name starts with what was typed.

Runs on every keystroke of the lookup, so each query is one indexed lookup with a LIMIT
(permits.number is UNIQUE; plate and holder have their own indexes); nothing is written and no
SQL is built from the text.
"""

from __future__ import annotations

import re

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.finders import Found
from clerk_tui.domain.permits.numbers import parse_number

KIND = "permit"
_PLATE = re.compile(r"^[A-Za-z0-9]{2,8}$")
_COLUMNS = ("SELECT number, holder, district, permit_type, plate, house_number, street, unit, "
            "valid_until, status FROM permits ")


def _found(r: dict, rank: int) -> Found:
    where = f"{r['house_number']} {r['street']}" + (f" #{r['unit']}" if r["unit"] else "")
    detail = (f"{r['district']}/{r['permit_type']} {r['plate'] or '-'} {where} "
              f"to {r['valid_until']} {r['status']}")
    return Found(KIND, r["number"], r["holder"], detail, rank)


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """Permits matching `text`: the exact number (rank 0), a plate (20), a name prefix (40)."""
    t = text.strip()
    if t[:2].upper() == "PK":
        try:
            number = parse_number(t)
        except ValidationError:
            return []
        row = db.one(_COLUMNS + "WHERE number = ?", [number])
        return [_found(row, 0)] if row else []
    out: list[Found] = []
    if _PLATE.match(t):
        out += [_found(r, 20) for r in db.all(
            _COLUMNS + "WHERE plate = ? ORDER BY id DESC LIMIT ?", [t.upper(), limit])]
    if len(out) < limit and len(t) >= 2 and t[0].isalpha():
        prefix = t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out += [_found(r, 40) for r in db.all(
            _COLUMNS + "WHERE holder LIKE ? ESCAPE '\\' ORDER BY holder COLLATE NOCASE LIMIT ?",
            [prefix + "%", limit - len(out)])]
    return out[:limit]
