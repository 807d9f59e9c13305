"""Letters to customers: reminders, past-due and shutoff notices, plan agreements, deposit refunds.

Why templates in `data/utility/letters/<kind>.txt`: the wording of a shutoff notice is set by
law and by the city attorney, and it changes without a release. Templates use
`string.Template` placeholders (`$balance`, `${account_number}`) from one fixed set of fields
(`FIELDS`): a template that names anything else is refused, so a typo shows up as an error
rather than as a letter with a hole in it. Values are substituted once and never re-read, so a
customer name like `$balance` or `[bold]x` is printed exactly as typed; control characters are
shown as visible symbols (`visible`) so a name can never reach a printer as an escape code.

Every generated letter is logged on the account (`letters` table, append-only, audited), and
its text is kept as it was sent: re-printing a letter prints what the customer got, even after
the template changed.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.accounts import get_account
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import visible
from clerk_tui.paths import reference_data_dir

LETTER_KINDS = ("reminder", "past_due", "shutoff_notice", "plan_agreement", "deposit_refund")
"""The letters the desk generates; a city may add templates of its own (same fields)."""

LABELS = {
    "reminder": "Reminder", "past_due": "Past-due notice", "shutoff_notice": "Shutoff notice",
    "plan_agreement": "Payment plan agreement", "deposit_refund": "Deposit refund",
}

ADDRESSEES = ("customer", "occupant")

FIELDS = (
    "date", "city_name", "city_address", "account_number", "customer_name", "addressee",
    "address", "service_address", "balance", "amount_past_due", "days_past_due",
    "shutoff_date", "plan_offer", "plan_amount", "plan_terms", "grace_days", "deposit_amount",
    "applied_amount", "refund_amount", "note", "clerk",
)
"""Everything a template may name. Callers fill what their letter needs; the rest print empty."""

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Letter:
    id: int
    account_id: int
    kind: str
    template: str
    addressee: str
    generated_at: str
    clerk: str
    body: str
    delivered: str  # '' (not yet), 'printed', 'file:<path>'

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())


# ---- templates ---------------------------------------------------------------------------------
def letters_dir() -> Path:
    return reference_data_dir() / "utility" / "letters"


def template_path(kind: str) -> Path:
    if not _KIND.match(kind or ""):
        raise ValidationError(f"{kind!r} is not a letter kind.")
    path = letters_dir() / f"{kind}.txt"
    if not path.exists():
        raise NotFound(f"No letter template for {kind!r} ({path}).")
    return path


def available_kinds() -> list[str]:
    """The kinds with a template on disk: the built-in ones first, then any the city added."""
    folder = letters_dir()
    found = sorted(p.stem for p in folder.glob("*.txt") if _KIND.match(p.stem)) \
        if folder.exists() else []
    return [k for k in LETTER_KINDS if k in found] + [k for k in found if k not in LETTER_KINDS]


def _clean_value(value: object) -> str:
    """Literal text, line breaks kept, control characters made visible."""
    text = "" if value is None else str(value)
    return "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))


def render_letter(kind: str, context: dict) -> str:
    """The letter's text: the template of `kind` with `context` filled in.

    Unknown context keys and unknown template placeholders are both errors: the field list is
    fixed so a template edit cannot silently print `$balanse`.
    """
    path = template_path(kind)
    unknown = sorted(set(context) - set(FIELDS))
    if unknown:
        raise ValidationError(f"Letter fields not known: {', '.join(unknown)}.")
    template = string.Template(path.read_text(encoding="utf-8"))
    if not template.is_valid():
        raise ValidationError(f"{path.name}: a $ is not followed by a field name (use $$).")
    named = set(template.get_identifiers())
    bad = sorted(named - set(FIELDS))
    if bad:
        raise ValidationError(f"{path.name} names unknown fields: {', '.join(bad)}.")
    values = {name: _clean_value(context.get(name, "")) for name in FIELDS}
    text = template.substitute(values)
    # Trailing spaces from empty fields; keep the layout otherwise.
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


# ---- addresses and the standard fields ---------------------------------------------------------
def _site() -> tuple[str, str]:
    """City name and address lines from data/site.toml (read here: domain stays UI-free)."""
    path = reference_data_dir() / "site.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return "City Counter", ""
    return str(raw.get("name", "City Counter")), "\n".join(map(str, raw.get("lines", [])))


def _norm(text: str) -> str:
    return " ".join(text.replace(",", " ").replace(".", " ").casefold().split())


@dataclass(frozen=True)
class Addresses:
    """Where the account's mail goes, and where the water is delivered."""

    mailing: str  # the block a letter to the customer is sent to
    service: str  # the block a letter to the occupant is sent to
    service_line: str  # one line, for the letter body

    @property
    def differ(self) -> bool:
        """Mail goes somewhere other than the service address (landlord, PO box, moved).

        Compares the first line of the mailing block with the service street address, ignoring
        case, commas and periods, so "120 N. Main St" and "120 n main st" are the same place.
        """
        first = self.mailing.split("\n", 1)[0]
        return _norm(first) != _norm(self.service_line)


def addresses(db: Database, account_id: int) -> Addresses:
    """The account's own mailing address, else the customer's, else the service address."""
    account = get_account(db, account_id)
    own = db.scalar("SELECT mailing_address FROM accounts WHERE id = ?", [account_id])
    city_line = " ".join(p for p in (account.service_city, account.service_zip) if p)
    service = account.service_address + (f"\n{city_line}" if city_line else "")
    mailing = (own or account.mailing_address or "").strip() or service
    return Addresses(mailing, service, account.service_address)


def standard_context(db: Database, account_id: int, addressee: str = "customer",
                     actor: Actor | None = None) -> dict[str, str]:
    """The fields every letter has: who, where, the account and its balance, today's date."""
    if addressee not in ADDRESSEES:
        raise ValidationError(f"A letter goes to the customer or the occupant, not {addressee!r}.")
    account = get_account(db, account_id)
    where = addresses(db, account_id)
    city, city_address = _site()
    balance = ledger.account_balance(db, account_id)
    return {
        "date": format_date(clock.today()),
        "city_name": city,
        "city_address": city_address,
        "account_number": account.display_number,
        "customer_name": account.customer_name,
        "addressee": account.customer_name if addressee == "customer" else "Occupant",
        "address": where.mailing if addressee == "customer" else where.service,
        "service_address": where.service_line,
        "balance": format_money(balance),
        "clerk": (actor.full_name or actor.username) if actor else "",
    }


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def format_date(d: dt.date) -> str:
    """'March 2, 2026' (no strftime: its month names follow the process locale)."""
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


# ---- issuing -----------------------------------------------------------------------------------
def _letter(row: dict) -> Letter:
    return Letter(row["id"], row["account_id"], row["kind"], row["template"], row["addressee"],
                  row["generated_at"], row["clerk"], row["body"], row["delivered"])


def issue_letter(db: Database, actor: Actor, account_id: int, kind: str, *,
                 context: dict | None = None, addressee: str = "customer",
                 deliver: str = "") -> Letter:
    """Render a letter for the account and log it (letters row + audit row).

    Joins the caller's transaction when there is one (a notices run, a deposit refund), so the
    letter is logged only if the thing it tells the customer about really happened.
    `context` adds to or overrides the standard fields (`standard_context`).
    """
    authority().require(actor, "letter.print", what="generate letters")
    if deliver and deliver != "printed" and not deliver.startswith("file:"):
        raise ValidationError("A letter is delivered 'printed' or 'file:<path>'.")
    with db.write():
        fields = standard_context(db, account_id, addressee, actor)
        fields.update({k: ("" if v is None else str(v)) for k, v in (context or {}).items()})
        body = render_letter(kind, fields)
        at = clock.stamp()
        letter_id = db.insert("letters", {
            "account_id": account_id, "kind": kind, "template": template_path(kind).name,
            "addressee": addressee, "generated_at": at, "clerk": actor.username,
            "body": body, "delivered": deliver})
        audit.record(db, actor, "letter.issue", f"account:{account_id}",
                     after={"letter_id": letter_id, "kind": kind, "addressee": addressee,
                            "delivered": deliver})
    return Letter(letter_id, account_id, kind, template_path(kind).name, addressee, at,
                  actor.username, body, deliver)


def mark_delivered(db: Database, actor: Actor, letter_id: int, delivered: str) -> Letter:
    """Record that a letter was printed or saved (its text never changes)."""
    authority().require(actor, "letter.print", what="print letters")
    if delivered != "printed" and not delivered.startswith("file:"):
        raise ValidationError("A letter is delivered 'printed' or 'file:<path>'.")
    with db.write():
        row = db.one("SELECT * FROM letters WHERE id = ?", [letter_id])
        if not row:
            raise NotFound(f"No letter {letter_id}.")
        db.execute("UPDATE letters SET delivered = ? WHERE id = ?", [delivered, letter_id])
        audit.record(db, actor, "letter.deliver", f"account:{row['account_id']}",
                     before={"letter_id": letter_id, "delivered": row["delivered"]},
                     after={"letter_id": letter_id, "delivered": delivered})
        row["delivered"] = delivered
    return _letter(row)


def letters_for(db: Database, account_id: int, limit: int = 100) -> list[Letter]:
    """The account's letters, newest first."""
    rows = db.all("SELECT * FROM letters WHERE account_id = ? ORDER BY generated_at DESC, id DESC "
                  "LIMIT ?", [account_id, limit])
    return [_letter(r) for r in rows]


def get_letter(db: Database, letter_id: int) -> Letter:
    row = db.one("SELECT * FROM letters WHERE id = ?", [letter_id])
    if not row:
        raise NotFound(f"No letter {letter_id}.")
    return _letter(row)


def save_letter(letter: Letter, folder: Path | str) -> Path:
    """Write the letter's text to `folder` (created if needed); returns the file's path.

    The name carries the letter id, so saving twice overwrites the same file with the same
    text instead of making look-alike copies.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"letter-{letter.id:06d}-{letter.kind}-{letter.addressee}.txt"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(letter.body, encoding="utf-8")
    tmp.replace(path)
    return path
