"""Finding a license by number, business name, DBA, owner or address: indexed exact/prefix
lookups only (no scans), for the F5 find field and the F2 lookup (`find`, the manifest's
`FinderSpec`): the exact number ranks 0, names 10-40 after it (never above an account's own
exact number).
"""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.finders import Found
from clerk_tui.domain.licenses.numbers import parse_number
from clerk_tui.domain.licenses.records import key

MAX_TEXT = 80
_COLS = "l.id, l.number, l.business_name, l.dba, l.address, l.status"


def _upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (for an index range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _found(r: dict, rank: int) -> Found:
    title = f"{r['business_name']}" + (f" dba {r['dba']}" if r["dba"] else "")
    return Found("license", r["number"], title[:78], f"{r['address']} ({r['status']})", rank)


def search(db: Database, text: str, limit: int = 20) -> list[Found]:
    """Licenses matching `text`: the number exactly, else names/DBAs/owners/addresses that
    start with it (case-insensitive), best first, at most `limit`."""
    t = (text or "").strip()
    if not t:
        raise ValidationError("Type a license number, name, DBA, owner or address.")
    if len(t) > MAX_TEXT:
        raise ValidationError(f"At most {MAX_TEXT} characters.")
    digits = t.replace("-", "").upper().removeprefix("BL")
    if digits.isdigit() and len(digits) == 7:
        number = parse_number(digits)
        rows = db.all(f"SELECT {_COLS} FROM licenses l WHERE l.number = ?", [number])
        return [_found(r, 0) for r in rows]
    k = key(t)
    hi = _upper_bound(k)
    seen: dict[int, Found] = {}
    queries = [
        (f"SELECT {_COLS} FROM licenses l WHERE l.name_key >= ? AND l.name_key < ? "
         "ORDER BY l.name_key LIMIT ?", 50),
        (f"SELECT {_COLS} FROM licenses l WHERE l.dba_key >= ? AND l.dba_key < ? "
         "ORDER BY l.dba_key LIMIT ?", 50),
        (f"SELECT {_COLS} FROM license_owners o JOIN licenses l ON l.id = o.license_id "
         "WHERE o.name_key >= ? AND o.name_key < ? ORDER BY o.name_key LIMIT ?", 55),
        (f"SELECT {_COLS} FROM licenses l WHERE l.address_key >= ? AND l.address_key < ? "
         "ORDER BY l.address_key LIMIT ?", 60),
    ]
    for sql, rank in queries:
        if len(seen) >= limit:
            break
        for r in db.all(sql, [k, hi, limit]):
            if r["id"] not in seen:
                seen[r["id"]] = _found(r, rank + (0 if r["status"] in ("issued", "in_review",
                                                                       "approved") else 5))
    return sorted(seen.values(), key=lambda f: (f.rank, f.title))[:limit]


def find(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    """F2 finder (domain side): what `search` finds; a shape the lookup cannot use is no hit."""
    try:
        return search(db, text, limit)
    except ValidationError:
        return []
