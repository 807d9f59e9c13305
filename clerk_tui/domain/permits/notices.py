"""Quarterly renewal notices: a letter to each permit holder whose permit is about to expire.

Why here and not on the utility desk: the notices are the permits' own desk job, so letters
never collide between counters; but they are rendered by the utility letters' machinery
(`render_letter` with this counter's template folder and field list, `save_letter`,
`mailing_folder`), so a notice gets the same guarantees: a fixed set of fields, values printed
literally, control characters made visible, files private.

Which permits: renewable permits still active whose last day falls within the notice window
(`renewal.notice_days` of data/permits/permits.toml) of the run's day. Permits end on quarter
days, so a run in the last month of each quarter notices everything that ends with it. One
notice per permit and expiry, never two (a unique key); a permit already renewed gets none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain import language as lang
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.money import format_money
from clerk_tui.domain.permits import permits
from clerk_tui.domain.permits.rules import permit_rules
from clerk_tui.domain.utility import letters
from clerk_tui.paths import reference_data_dir

KIND = "renewal_notice"
FIELDS = ("date", "city_name", "city_address", "addressee", "address", "permit_number",
          "district", "permit_type", "plate", "valid_until", "renewal_fee", "documents",
          "clerk")


def letters_folder() -> Path:
    return reference_data_dir() / "permits" / "letters"


@dataclass(frozen=True)
class Notice:
    """A renewal notice as sent (its text never changes); shaped like a utility `Letter` for
    `letters.save_letter`."""

    id: int
    permit_number: str
    holder: str
    valid_until: str
    body: str
    delivered: str
    kind: str = "permit_renewal"
    addressee: str = "holder"


def due(db: Database, on: dt.date | None = None) -> list[permits.Permit]:
    """Permits a run on `on` would notice (read only)."""
    on = on or clock.today()
    window = on + dt.timedelta(days=permit_rules().renewal(on).notice_days)
    renewable = [t.code for t in permit_rules().current_types(on) if t.renewable]
    rows = db.all(
        "SELECT p.id FROM permits p WHERE p.status = 'active' AND p.valid_until >= ? AND "
        "p.valid_until <= ? AND p.permit_type IN (SELECT value FROM json_each(?)) "
        "AND NOT EXISTS (SELECT 1 FROM permit_notices n WHERE n.permit_id = p.id AND "
        "n.valid_until = p.valid_until) "
        "AND NOT EXISTS (SELECT 1 FROM permits r WHERE r.renews_id = p.id AND "
        "r.status = 'active') "
        "AND NOT EXISTS (SELECT 1 FROM permit_hotlist h WHERE h.number = p.number) "
        "ORDER BY p.district, p.street, p.house_number, p.unit, p.number",
        [on.isoformat(), window.isoformat(), _json(renewable)])
    return [permits.permit_by_id(db, r["id"]) for r in rows]


def _json(values: list[str]) -> str:
    import json

    return json.dumps(values)


def _context(p: permits.Permit, on: dt.date, actor: Actor) -> dict[str, object]:
    rules = permit_rules()
    city, city_address = letters._site()
    ptype = rules.permit_type(p.permit_type, on)
    follows = dt.date.fromisoformat(p.valid_until) + dt.timedelta(days=1)
    fee = rules.fee(p.permit_type, follows).for_tier(p.tier)
    docs = "\n".join(f"  - {rules.document(d, on).label}" for d in ptype.documents)
    street = str(p.address) + (f"\n{rules.mail_city}" if rules.mail_city else "")
    return {
        "date": lang.dates(on), "city_name": city, "city_address": city_address,
        "addressee": p.holder, "address": p.mailing or street,
        "permit_number": p.number, "district": rules.district(p.district, on).name,
        "permit_type": ptype.label, "plate": f"{p.plate} {p.plate_state}".strip() or "(none)",
        "valid_until": lang.dates(dt.date.fromisoformat(p.valid_until)),
        "renewal_fee": format_money(fee), "documents": docs,
        "clerk": actor.full_name or actor.username,
    }


def send_notices(db: Database, actor: Actor, on: dt.date | None = None) -> list[Notice]:
    """Write a renewal notice for every permit `due` (one transaction); they wait to be saved
    or printed (`undelivered`)."""
    authority().require(actor, "permit.sell", what="send permit renewal notices")
    authority().require(actor, "letter.print", what="generate letters")
    on = on or clock.today()
    out: list[Notice] = []
    with db.write():
        for p in due(db, on):
            body = letters.render_letter(KIND, _context(p, on, actor), folder=letters_folder(),
                                         fields=FIELDS)
            nid = db.insert("permit_notices", {
                "permit_id": p.id, "valid_until": p.valid_until, "body": body,
                "generated_at": clock.stamp(), "clerk": actor.username})
            audit.record(db, actor, "permit.notice", f"permit:{p.number}",
                         after={"notice_id": nid, "valid_until": p.valid_until})
            out.append(Notice(nid, p.number, p.holder, p.valid_until, body, ""))
    return out


def undelivered(db: Database) -> list[Notice]:
    rows = db.all("SELECT n.*, p.number, p.holder FROM permit_notices n JOIN permits p ON "
                  "p.id = n.permit_id WHERE n.delivered = '' ORDER BY n.id")
    return [Notice(r["id"], r["number"], r["holder"], r["valid_until"], r["body"],
                   r["delivered"]) for r in rows]


def save_notices(db: Database, actor: Actor, base: Path | str) -> tuple[Path, list[Notice]]:
    """Save every notice still to mail as a private text file in today's folder under `base`
    and mark it delivered there. Files first, then the marks: a crash between leaves files
    that the next save writes again (same names), never a notice marked but not written."""
    authority().require(actor, "letter.print", what="mail letters")
    folder = letters.mailing_folder(base)
    queued = undelivered(db)
    paths = {n.id: letters.save_letter(n, folder) for n in queued}  # type: ignore[arg-type]
    with db.write():
        for n in queued:
            db.execute("UPDATE permit_notices SET delivered = ? WHERE id = ? AND delivered = ''",
                       [f"file:{paths[n.id]}", n.id])
            audit.record(db, actor, "permit.notice.deliver", f"permit:{n.permit_number}",
                         after={"notice_id": n.id, "delivered": f"file:{paths[n.id]}"})
    return folder, queued


def format_notices(notices: list[Notice], title: str) -> str:
    """A list of notices and, after it, each notice's text (the report view prints it all)."""
    head = [f"{title}: {len(notices)} notice(s)", ""]
    head += [f"{n.permit_number}  {n.valid_until}  {n.holder[:40]}" for n in notices]
    if not notices:
        head.append("No permit is due a renewal notice.")
    bodies = [f"\n{'-' * 76}\n{n.body}" for n in notices]
    return "\n".join(head) + "".join(bodies)
