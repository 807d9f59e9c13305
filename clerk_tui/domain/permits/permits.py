"""Permits: the application the clerk takes, the permit its payment issues, and what happens
to a permit afterwards (renew, replace, vehicle and address changes, lapse).

Why an application first: the money is taken by the ordinary payment screen (item kind
`permit`, reference `RPP-<application>`), and the permit must exist exactly when the receipt
does. So the clerk's checks (address in the district, documents ticked, the dwelling's maximum,
the plate not already permitted) run when the application is taken, and again inside the
receipt's own transaction (`issue`, called by the item kind's `after_post`), where the stock
number is assigned. A rollback of the receipt takes the permit and the stock number with it.

Status is the entitlement (active, replaced, lapsed, void); the hot list is about the physical
tag: a lost tag stays on the hot list whatever happens to its permit afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, NotThisKind, StateError, ValidationError
from clerk_tui.domain.permits import stock
from clerk_tui.domain.permits.addresses import Address, district_for, parse_address
from clerk_tui.domain.permits.numbers import format_permit_number, parse_number
from clerk_tui.domain.permits.periods import valid_until
from clerk_tui.domain.permits.rules import PermitType, permit_rules
from clerk_tui.domain.text import clean_text

KINDS = ("new", "renew", "replace")
LOST_REASONS = ("lost", "stolen")
_PLATE = re.compile(r"^[A-Z0-9]{2,8}$")
_STATE = re.compile(r"^[A-Z]{2}$")
_REF = re.compile(r"^\s*RPP-?(\d{1,9})\s*$", re.I)
ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def reference(application_id: int) -> str:
    """The receipt line's reference for an application."""
    return f"RPP-{application_id}"


def parse_reference(text: str) -> int:
    m = _REF.match(text or "")
    if not m:
        raise NotThisKind(f"{text!r} is not a permit application (RPP-123).")
    return int(m.group(1))


def normalize_plate(text: str) -> str:
    plate = re.sub(r"[\s-]", "", (text or "").upper())
    if not _PLATE.match(plate):
        raise ValidationError(f"{text!r} is not a licence plate (2-8 letters and digits).")
    return plate


def normalize_state(text: str) -> str:
    state = (text or "CA").strip().upper() or "CA"
    if not _STATE.match(state):
        raise ValidationError(f"{text!r} is not a state (two letters, like CA).")
    return state


# ---- records ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Permit:
    id: int
    number: str
    district: str
    permit_type: str
    address: Address
    holder: str
    mailing: str
    plate: str
    plate_state: str
    vehicle: str
    tier: int
    fee_cents: int
    valid_from: str
    valid_until: str
    status: str
    replaces_id: int | None
    renews_id: int | None
    receipt_id: int
    hot: str  # '' or the hot-list reason of this permit's tag

    def valid_on(self, on: dt.date) -> bool:
        return self.status == "active" and not self.hot and \
            self.valid_from <= on.isoformat() <= self.valid_until

    @property
    def type_label(self) -> str:
        try:
            return permit_rules().permit_type(self.permit_type,
                                              dt.date.fromisoformat(self.valid_from)).label
        except (NotFound, ValueError):
            return self.permit_type


def _permit(row: dict) -> Permit:
    return Permit(row["id"], row["number"], row["district"], row["permit_type"],
                  Address(row["house_number"], row["street"], row["unit"]), row["holder"],
                  row["mailing"], row["plate"], row["plate_state"], row["vehicle"], row["tier"],
                  row["fee_cents"], row["valid_from"], row["valid_until"], row["status"],
                  row["replaces_id"], row["renews_id"], row["receipt_id"], row.get("hot") or "")


_SELECT = ("SELECT p.*, (SELECT h.reason FROM permit_hotlist h WHERE h.number = p.number) AS hot "
           "FROM permits p ")


def get_permit(db: Database, number: str) -> Permit:
    number = parse_number(number)
    row = db.one(_SELECT + "WHERE p.number = ?", [number])
    if row is None:
        raise NotFound(f"No permit {number}.")
    return _permit(row)


def permit_by_id(db: Database, permit_id: int) -> Permit:
    row = db.one(_SELECT + "WHERE p.id = ?", [permit_id])
    if row is None:
        raise NotFound(f"No permit {permit_id}.")
    return _permit(row)


def for_application(db: Database, application_id: int) -> Permit | None:
    """The permit a paid application issued (None: not paid, or the payment rolled back)."""
    row = db.one(_SELECT + "WHERE p.application_id = ?", [application_id])
    return _permit(row) if row else None


def permits_at(db: Database, address: Address) -> list[Permit]:
    """Every permit of a dwelling, newest first."""
    return [_permit(r) for r in db.all(_SELECT + "WHERE p.house_number = ? AND p.street = ? "
                                       "AND p.unit = ? ORDER BY p.id DESC",
                                       [address.number, address.street, address.unit])]


def permits_for_plate(db: Database, plate: str) -> list[Permit]:
    return [_permit(r) for r in db.all(_SELECT + "WHERE p.plate = ? ORDER BY p.id DESC",
                                       [normalize_plate(plate)])]


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str
    reason: str
    at: str
    clerk: str


def history(db: Database, permit_id: int) -> list[Change]:
    return [Change(r["what"], r["before_text"], r["after_text"], r["reason"], r["at"],
                   r["clerk"])
            for r in db.all("SELECT * FROM permit_changes WHERE permit_id = ? ORDER BY id",
                            [permit_id])]


# ---- applications -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Application:
    id: int
    kind: str
    district: str
    permit_type: str
    address: Address
    holder: str
    mailing: str
    plate: str
    plate_state: str
    vehicle: str
    documents: tuple[str, ...]
    of_permit_id: int | None
    lost_reason: str
    status: str

    @property
    def reference(self) -> str:
        return reference(self.id)


def _application(row: dict) -> Application:
    docs = tuple(d for d in row["documents"].split(",") if d)
    return Application(row["id"], row["kind"], row["district"], row["permit_type"],
                       Address(row["house_number"], row["street"], row["unit"]), row["holder"],
                       row["mailing"], row["plate"], row["plate_state"], row["vehicle"], docs,
                       row["of_permit_id"], row["lost_reason"], row["status"])


def get_application(db: Database, application_id: int) -> Application:
    row = db.one("SELECT * FROM permit_applications WHERE id = ?", [application_id])
    if row is None:
        raise NotFound(f"No permit application {reference(application_id)}.")
    return _application(row)


@dataclass(frozen=True)
class Terms:
    """What an application costs and runs for, on a day (the quote and the issue agree)."""

    ptype: PermitType
    tier: int
    amount_cents: int
    fund: str
    gl_code: str
    valid_from: dt.date
    valid_until: dt.date

    @property
    def tier_label(self) -> str:
        return f"{ORDINAL.get(self.tier, f'{self.tier}th')} vehicle" if self.ptype.vehicle \
            else ""


def _overlapping(db: Database, address: Address, start: dt.date, exclude: int | None) -> list[
        dict]:
    """Active permits of the dwelling valid on `start` (the one being replaced excluded)."""
    return db.all("SELECT id, permit_type, plate FROM permits WHERE house_number = ? AND "
                  "street = ? AND unit = ? AND status = 'active' AND valid_from <= ? AND "
                  "valid_until >= ? AND id IS NOT ?",
                  [address.number, address.street, address.unit, start.isoformat(),
                   start.isoformat(), exclude])


def _start(db: Database, app: Application, on: dt.date) -> dt.date:
    if app.kind == "renew" and app.of_permit_id:
        old = permit_by_id(db, app.of_permit_id)
        follows = dt.date.fromisoformat(old.valid_until) + dt.timedelta(days=1)
        return max(on, follows)
    return on


def terms(db: Database, app: Application, on: dt.date) -> Terms:
    """Price and period of `app` on `on`, checking the dwelling's limits (read only).

    A replacement keeps its permit's period and costs the type's replacement fee; anything
    else is priced by tier: the 1st, 2nd, 3rd vehicle permit valid at the dwelling on the day
    the new one starts."""
    rules = permit_rules()
    ptype = rules.permit_type(app.permit_type, on)
    fee = rules.fee(app.permit_type, on)
    if app.kind == "replace":
        assert app.of_permit_id is not None
        old = permit_by_id(db, app.of_permit_id)
        # A renewal not yet started keeps its own start: a new tag never widens the period.
        start = max(on, dt.date.fromisoformat(old.valid_from))
        return Terms(ptype, old.tier, fee.replacement_cents, fee.fund, fee.gl_code,
                     start, dt.date.fromisoformat(old.valid_until))
    start = _start(db, app, on)
    others = _overlapping(db, app.address, start, None)
    same = [o for o in others if o["permit_type"] == ptype.code]
    if len(same) >= ptype.max_per_address:
        raise StateError(f"{app.address} already has {len(same)} {ptype.label.lower()} "
                         f"permit(s): at most {ptype.max_per_address} per dwelling.")
    tier = 1
    if ptype.vehicle:
        vehicle_types = {t.code for t in rules.current_types(on) if t.vehicle}
        vehicles = [o for o in others if o["permit_type"] in vehicle_types]
        district = rules.district(app.district, on)
        if len(vehicles) >= district.max_vehicles:
            raise StateError(f"{app.address} already has {len(vehicles)} vehicle permit(s): "
                             f"district {district.code} allows {district.max_vehicles}.")
        if any(o["plate"] == app.plate for o in vehicles):
            raise StateError(f"Plate {app.plate} already has a permit at {app.address} on "
                             f"{start.isoformat()}.")
        tier = len(vehicles) + 1
    return Terms(ptype, tier, fee.for_tier(tier), fee.fund, fee.gl_code, start,
                 valid_until(ptype, start))


def _check_documents(ptype: PermitType, ticked: tuple[str, ...], on: dt.date) -> tuple[str, ...]:
    rules = permit_rules()
    codes = tuple(sorted({d.strip().upper() for d in ticked if d.strip()}))
    for c in codes:
        rules.document(c, on)  # unknown code: NotFound naming it
    missing = [c for c in ptype.documents if c not in codes]
    if missing:
        labels = "; ".join(rules.document(c, on).label for c in missing)
        raise ValidationError(f"Not seen yet: {labels}.")
    return codes


@dataclass(frozen=True)
class Draft:
    """An application checked but not yet taken: what it will cost and which documents the
    clerk must see (the checklist the screen shows next)."""

    application: Application
    terms: Terms
    documents: tuple[tuple[str, str], ...]
    """(code, label) of each document the type requires."""


def check_application(db: Database, actor: Actor, *, permit_type: str, address: str,
                      holder: str, plate: str = "", plate_state: str = "CA", vehicle: str = "",
                      mailing: str = "", district: str | None = None) -> Draft:
    """Everything `take_application` checks but the documents, writing nothing: eligibility
    of the address (in a district on the day; the district named, if one is), the dwelling's
    maximum, the plate, the name. The screen asks for the checklist after this."""
    authority().require(actor, "permit.sell", what="sell parking permits")
    on = clock.today()
    ptype = permit_rules().permit_type(permit_type, on)
    addr = parse_address(address)
    found = district_for(addr, on)
    if district and district.strip().upper() != found:
        raise ValidationError(f"{addr} is in district {found}, not {district.strip().upper()}.")
    holder = clean_text(holder, field="Name", max_len=60, required=True)
    mailing = clean_text(mailing, field="Mailing address", max_len=120)
    vehicle = clean_text(vehicle, field="Vehicle", max_len=40)
    if ptype.vehicle:
        plate, state = normalize_plate(plate), normalize_state(plate_state)
    else:
        plate = normalize_plate(plate) if plate.strip() else ""
        state = normalize_state(plate_state) if plate else ""
    app = Application(0, "new", found, ptype.code, addr, holder, mailing, plate, state,
                      vehicle, (), None, "", "pending")
    t = terms(db, app, on)
    docs = tuple((c, permit_rules().document(c, on).label) for c in ptype.documents)
    return Draft(app, t, docs)


def take_application(db: Database, actor: Actor, *, permit_type: str, address: str,
                     holder: str, plate: str = "", plate_state: str = "CA", vehicle: str = "",
                     documents: tuple[str, ...] = (), mailing: str = "",
                     district: str | None = None) -> Application:
    """A new permit's application, checked as it will be when paid (`check_application`)
    and with every document of its type ticked. Nothing is issued until it is paid."""
    draft = check_application(db, actor, permit_type=permit_type, address=address,
                              holder=holder, plate=plate, plate_state=plate_state,
                              vehicle=vehicle, mailing=mailing, district=district)
    on = clock.today()
    docs = _check_documents(draft.terms.ptype, documents, on)
    return _insert_application(db, actor, replace(draft.application, documents=docs), on)


def _insert_application(db: Database, actor: Actor, app: Application,
                        on: dt.date) -> Application:
    with db.write():
        t = terms(db, app, on)  # refuses now what the payment would refuse
        aid = db.insert("permit_applications", {
            "kind": app.kind, "district": app.district, "permit_type": app.permit_type,
            "house_number": app.address.number, "street": app.address.street,
            "unit": app.address.unit, "holder": app.holder, "mailing": app.mailing,
            "plate": app.plate, "plate_state": app.plate_state, "vehicle": app.vehicle,
            "documents": ",".join(app.documents), "of_permit_id": app.of_permit_id,
            "lost_reason": app.lost_reason, "created_at": clock.stamp(),
            "created_by": actor.username})
        audit.record(db, actor, "permit.apply", f"permit_application:{aid}",
                     after={"kind": app.kind, "type": app.permit_type,
                            "address": str(app.address), "plate": app.plate,
                            "amount_cents": t.amount_cents, "documents": list(app.documents)})
    return get_application(db, aid)


def start_renewal(db: Database, actor: Actor, number: str,
                  documents: tuple[str, ...] = ()) -> Application:
    """An application to renew a permit (same dwelling, plate and type) for its next period,
    which starts the day after it ends (or today, if it has lapsed)."""
    authority().require(actor, "permit.sell", what="renew parking permits")
    old = get_permit(db, number)
    on = clock.today()
    ptype = permit_rules().permit_type(old.permit_type, on)
    if not ptype.renewable:
        raise StateError(f"A {ptype.label.lower()} permit is not renewed: sell a new one.")
    if old.status not in ("active", "lapsed"):
        raise StateError(f"Permit {old.number} is {old.status}; renew its replacement.")
    if db.scalar("SELECT 1 FROM permits WHERE renews_id = ? AND status = 'active'", [old.id]):
        raise StateError(f"Permit {old.number} is already renewed.")
    district_for(old.address, on)  # still in a district (boundaries change)
    docs = _check_documents(ptype, documents, on)
    return _insert_application(db, actor, Application(
        0, "renew", old.district, old.permit_type, old.address, old.holder, old.mailing,
        old.plate, old.plate_state, old.vehicle, docs, old.id, "", "pending"), on)


def start_replacement(db: Database, actor: Actor, number: str, reason: str) -> Application:
    """An application to replace a lost or stolen tag for the type's replacement fee; when
    paid, the old number goes on the enforcement hot list and a new tag is issued for the rest
    of the same period."""
    authority().require(actor, "permit.sell", what="replace parking permits")
    if reason not in LOST_REASONS:
        raise ValidationError("A permit is replaced when it was lost or stolen.")
    old = get_permit(db, number)
    if old.status != "active" or old.valid_until < clock.today().isoformat():
        state = old.status if old.status != "active" else "expired"
        raise StateError(f"Permit {old.number} is {state}: only a current permit is replaced.")
    return _insert_application(db, actor, Application(
        0, "replace", old.district, old.permit_type, old.address, old.holder, old.mailing,
        old.plate, old.plate_state, old.vehicle, (), old.id, reason, "pending"), clock.today())


# ---- issue and void (inside the receipt's transaction) ---------------------------------------
def issue(db: Database, actor: Actor, application_id: int, receipt_id: int,
          amount_cents: int) -> Permit:
    """The item kind's `after_post`: make the permit and give it the next stock number, in the
    receipt's transaction. Anything refused here rolls the whole receipt back."""
    with db.write():
        app = get_application(db, application_id)
        if app.status != "pending":
            raise StateError(f"Application {app.reference} is {app.status}; it was paid once.")
        on = clock.today()
        old: Permit | None = None
        if app.kind == "replace":
            assert app.of_permit_id is not None
            old = permit_by_id(db, app.of_permit_id)
            if old.status != "active":
                raise StateError(f"Permit {old.number} is {old.status}: it cannot be replaced.")
            db.execute("UPDATE permits SET status = 'replaced' WHERE id = ?", [old.id])
            if not old.hot:
                db.insert("permit_hotlist", {
                    "number": old.number, "permit_id": old.id, "reason": app.lost_reason,
                    "listed_on": on.isoformat(), "clerk": actor.username})
        t = terms(db, app, on)
        if t.amount_cents != amount_cents:
            raise StateError(f"The permit costs {t.amount_cents} cents, not {amount_cents}.")
        range_id, serial = stock.take_next(db, app.district, t.ptype.stock)
        number = format_permit_number(serial)
        pid = db.insert("permits", {
            "number": number, "range_id": range_id, "serial": serial,
            "application_id": application_id, "receipt_id": receipt_id,
            "district": app.district, "permit_type": app.permit_type,
            "house_number": app.address.number, "street": app.address.street,
            "unit": app.address.unit, "holder": app.holder, "mailing": app.mailing,
            "plate": app.plate, "plate_state": app.plate_state, "vehicle": app.vehicle,
            "tier": t.tier, "fee_cents": t.amount_cents,
            "valid_from": t.valid_from.isoformat(), "valid_until": t.valid_until.isoformat(),
            "replaces_id": old.id if old else None,
            "renews_id": app.of_permit_id if app.kind == "renew" else None,
            "issued_at": clock.stamp(), "issued_by": actor.username})
        stock.record_event(db, actor, range_id, serial, "issued", permit_id=pid)
        db.execute("UPDATE permit_applications SET status = 'issued' WHERE id = ?",
                   [application_id])
        audit.record(db, actor, f"permit.{'issue' if app.kind == 'new' else app.kind}",
                     f"permit:{number}",
                     before={"replaces": old.number, "hot": app.lost_reason} if old else None,
                     after={"number": number, "application": app.reference,
                            "receipt_id": receipt_id, "type": app.permit_type,
                            "plate": app.plate, "address": str(app.address),
                            "valid_from": t.valid_from.isoformat(),
                            "valid_until": t.valid_until.isoformat(),
                            "fee_cents": t.amount_cents, "tier": t.tier})
        return permit_by_id(db, pid)


def void_for_receipt(db: Database, actor: Actor, application_id: int, how: str) -> None:
    """The item kind's `after_reverse`: the receipt was voided, reversed or returned unpaid.

    The permit is void. A void happens at the counter, so the tag is taken back and spoiled;
    after a reversal or an NSF return the customer has the tag, so its number goes on the hot
    list. A voided replacement gives the old permit back its entitlement, but its lost tag
    stays on the hot list (sell the replacement again)."""
    with db.write():
        app = get_application(db, application_id)
        row = db.one("SELECT id FROM permits WHERE application_id = ?", [application_id])
        db.execute("UPDATE permit_applications SET status = 'void' WHERE id = ?",
                   [application_id])
        if row is None:
            return
        p = permit_by_id(db, row["id"])
        db.execute("UPDATE permits SET status = 'void' WHERE id = ?", [p.id])
        tag = db.one("SELECT range_id, serial FROM permits WHERE id = ?", [p.id])
        assert tag is not None
        if how == "void":
            stock.record_event(db, actor, tag["range_id"], tag["serial"], "voided",
                               "receipt voided", p.id)
        elif not p.hot:
            db.insert("permit_hotlist", {"number": p.number, "permit_id": p.id,
                                         "reason": "reversed",
                                         "listed_on": clock.today().isoformat(),
                                         "clerk": actor.username})
        if app.kind == "replace" and p.replaces_id:
            db.execute("UPDATE permits SET status = 'active' WHERE id = ? AND status = "
                       "'replaced'", [p.replaces_id])
        audit.record(db, actor, "permit.void", f"permit:{p.number}",
                     before={"status": p.status}, after={"status": "void", "how": how})


# ---- changes and lapse -----------------------------------------------------------------------
def change_vehicle(db: Database, actor: Actor, number: str, plate: str, plate_state: str,
                   vehicle: str, reason: str) -> Permit:
    """The holder changed cars: the permit follows, the old plate and car stay in history."""
    authority().require(actor, "permit.sell", what="change a permit's vehicle")
    reason = clean_text(reason, field="Reason", max_len=120, required=True)
    vehicle = clean_text(vehicle, field="Vehicle", max_len=40)
    plate, state = normalize_plate(plate), normalize_state(plate_state)
    with db.write():
        p = get_permit(db, number)
        if p.status != "active":
            raise StateError(f"Permit {p.number} is {p.status}: only an active permit changes.")
        before = f"{p.plate} {p.plate_state} {p.vehicle}".strip()
        after = f"{plate} {state} {vehicle}".strip()
        if before == after:
            raise ValidationError("That is the vehicle the permit already has.")
        clash = db.scalar("SELECT number FROM permits WHERE plate = ? AND status = 'active' AND "
                          "valid_until >= ? AND id != ? AND house_number = ? AND street = ? "
                          "AND unit = ?", [plate, clock.today().isoformat(), p.id,
                                           p.address.number, p.address.street, p.address.unit])
        if clash:
            raise StateError(f"Plate {plate} already has permit {clash} at {p.address}.")
        db.execute("UPDATE permits SET plate = ?, plate_state = ?, vehicle = ? WHERE id = ?",
                   [plate, state, vehicle, p.id])
        db.insert("permit_changes", {"permit_id": p.id, "what": "vehicle",
                                     "before_text": before, "after_text": after,
                                     "reason": reason, "at": clock.stamp(),
                                     "clerk": actor.username})
        audit.record(db, actor, "permit.change.vehicle", f"permit:{p.number}",
                     before={"vehicle": before}, after={"vehicle": after, "reason": reason})
        return permit_by_id(db, p.id)


def change_address(db: Database, actor: Actor, number: str, address: str, reason: str,
                   documents: tuple[str, ...] = ()) -> Permit:
    """The holder moved within the same district: the new dwelling is checked like a new
    application (eligibility, its maximum, documents seen again). A move to another district
    needs a new permit (its stock and fees are that district's)."""
    authority().require(actor, "permit.sell", what="change a permit's address")
    reason = clean_text(reason, field="Reason", max_len=120, required=True)
    addr = parse_address(address)
    on = clock.today()
    with db.write():
        p = get_permit(db, number)
        if p.status != "active":
            raise StateError(f"Permit {p.number} is {p.status}: only an active permit changes.")
        if addr == p.address:
            raise ValidationError("That is the address the permit already has.")
        found = district_for(addr, on)
        if found != p.district:
            raise StateError(f"{addr} is in district {found}, not {p.district}: sell a permit "
                             "for the new district.")
        ptype = permit_rules().permit_type(p.permit_type, on)
        _check_documents(ptype, documents, on)
        probe = Application(0, "new", p.district, p.permit_type, addr, p.holder, p.mailing,
                            p.plate, p.plate_state, p.vehicle, (), None, "", "pending")
        terms(db, probe, on)  # the new dwelling's maximum and plate
        db.execute("UPDATE permits SET house_number = ?, street = ?, unit = ? WHERE id = ?",
                   [addr.number, addr.street, addr.unit, p.id])
        db.insert("permit_changes", {"permit_id": p.id, "what": "address",
                                     "before_text": str(p.address), "after_text": str(addr),
                                     "reason": reason, "at": clock.stamp(),
                                     "clerk": actor.username})
        audit.record(db, actor, "permit.change.address", f"permit:{p.number}",
                     before={"address": str(p.address)},
                     after={"address": str(addr), "reason": reason})
        return permit_by_id(db, p.id)


def lapse_expired(db: Database, actor: Actor, on: dt.date | None = None) -> list[str]:
    """Mark every active permit whose last valid day is before `on` as lapsed (one audit row
    per permit, one transaction). Returns their numbers."""
    authority().require(actor, "permit.sell", what="lapse expired permits")
    day = (on or clock.today()).isoformat()
    with db.write():
        rows = db.all("SELECT id, number, valid_until FROM permits WHERE status = 'active' AND "
                      "valid_until < ? ORDER BY number", [day])
        for r in rows:
            db.execute("UPDATE permits SET status = 'lapsed' WHERE id = ?", [r["id"]])
            audit.record(db, actor, "permit.lapse", f"permit:{r['number']}",
                         before={"status": "active"},
                         after={"status": "lapsed", "valid_until": r["valid_until"]})
    return [r["number"] for r in rows]


def lookup(db: Database, text: str, limit: int = 20) -> list[Permit]:
    """What the clerk typed in the find field: a permit number, an address, or a plate."""
    t = (text or "").strip()
    if not t:
        raise ValidationError("Type a permit number, an address or a plate.")
    if t.upper().startswith("PK"):
        return [get_permit(db, t)]
    if t[:1].isdigit() and " " in t:
        found = permits_at(db, parse_address(t))[:limit]
        if not found:
            raise NotFound(f"No permit at {parse_address(t)}.")
        return found
    found = permits_for_plate(db, t)[:limit]
    if not found:
        raise NotFound(f"No permit for plate {normalize_plate(t)}.")
    return found
