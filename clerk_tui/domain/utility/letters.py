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
import os
import re
import string
import threading
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.accounts import get_account
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.office.records import HOLD_SQL, held_reason
from clerk_tui.domain.text import refuse_card_number, visible
from clerk_tui.domain.utility import jobs
from clerk_tui.domain.utility.deposits import RefundCandidate
from clerk_tui.files import open_private
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


def template_path(kind: str, folder: Path | None = None) -> Path:
    """The template of `kind` in `folder` (the utility letters by default; another counter
    passes its own `data/<counter>/letters`)."""
    if not _KIND.match(kind or ""):
        raise ValidationError(f"{kind!r} is not a letter kind.")
    path = (folder or letters_dir()) / f"{kind}.txt"
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


def render_letter(kind: str, context: dict, *, folder: Path | None = None,
                  fields: tuple[str, ...] = FIELDS) -> str:
    """The letter's text: the template of `kind` with `context` filled in.

    Unknown context keys and unknown template placeholders are both errors: the field list is
    fixed so a template edit cannot silently print `$balanse`. Another counter's letters pass
    their own template `folder` and field list (the permits' renewal notice).
    """
    path = template_path(kind, folder)
    unknown = sorted(set(context) - set(fields))
    if unknown:
        raise ValidationError(f"Letter fields not known: {', '.join(unknown)}.")
    template = string.Template(path.read_text(encoding="utf-8"))
    if not template.is_valid():
        raise ValidationError(f"{path.name}: a $ is not followed by a field name (use $$).")
    named = set(template.get_identifiers())
    bad = sorted(named - set(fields))
    if bad:
        raise ValidationError(f"{path.name} names unknown fields: {', '.join(bad)}.")
    values = {name: _clean_value(context.get(name, "")) for name in fields}
    text = template.substitute(values)
    # Trailing spaces from empty fields; keep the layout otherwise.
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


# ---- addresses and the standard fields ---------------------------------------------------------
def _site() -> tuple[str, str]:
    """City name and address lines from data/site.toml (read here: domain stays UI-free)."""
    path = reference_data_dir() / "site.toml"
    try:
        raw = rulefile.load_rules(path)
    except ValidationError:
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
    for key, value in (context or {}).items():  # what the caller typed into the letter
        refuse_card_number("" if value is None else str(value), field=f"Letter {key}")
    refuse_card_number(deliver, field="Where the letter was saved")
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


def check_not_held(db: Database, letter_id: int) -> None:
    """Refuse a letter held for returned mail (issue 17) before it is printed or saved."""
    why = held_reason(db, letter_id)
    if why:
        raise StateError(f"Letter {letter_id} is held: {why}.")


def mark_delivered(db: Database, actor: Actor, letter_id: int, delivered: str) -> Letter:
    """Record that a letter was printed or saved (its text never changes)."""
    authority().require(actor, "letter.print", what="print letters")
    if delivered != "printed" and not delivered.startswith("file:"):
        raise ValidationError("A letter is delivered 'printed' or 'file:<path>'.")
    refuse_card_number(delivered, field="Where the letter was saved")
    with db.write():
        row = db.one("SELECT * FROM letters WHERE id = ?", [letter_id])
        if not row:
            raise NotFound(f"No letter {letter_id}.")
        check_not_held(db, letter_id)  # issue 17: returned mail
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
    text instead of making look-alike copies. The file is private (0600, or 0660 in a setgid
    group folder): a letter carries a customer's name, address and balance.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"letter-{letter.id:06d}-{letter.kind}-{letter.addressee}.txt"
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)  # left by a crash of this very process id
    try:
        with open_private(tmp) as fh:
            fh.write(letter.body)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# ---- mailing the queue (utility desk: Mail letters) --------------------------------------------
@dataclass(frozen=True)
class QueuedLetter:
    """A letter logged but not yet printed or saved ("to mail"), with where it came from."""

    letter: Letter
    account_number: str
    customer_name: str
    run_id: int | None  # the delinquency run that sent it (notices), else None
    run_on: str

    @property
    def source(self) -> str:
        return f"Notices run {self.run_id} ({self.run_on})" if self.run_id else "Account letters"


@dataclass(frozen=True)
class QueueGroup:
    run_id: int | None
    source: str
    kind: str
    label: str
    count: int


def undelivered_letters(db: Database) -> list[QueuedLetter]:
    """Every letter still to mail, run by run (letters from no run last), then by kind,
    account and addressee, so a customer's notice and its Occupant copy come out together."""
    rows = db.all(
        "SELECT l.*, a.number AS account_number, c.name AS customer_name, "
        "n.run_id AS run_id, r.run_on AS run_on FROM letters l "
        "JOIN accounts a ON a.id = l.account_id JOIN customers c ON c.id = a.customer_id "
        "LEFT JOIN notices n ON n.letter_id = l.id "
        "LEFT JOIN delinquency_runs r ON r.id = n.run_id "
        f"WHERE l.delivered = '' AND NOT {HOLD_SQL} "
        "ORDER BY n.run_id IS NULL, n.run_id, l.kind, a.number, l.addressee, l.id")
    return [QueuedLetter(_letter(r), format_number(r["account_number"]), r["customer_name"],
                         r["run_id"], r["run_on"] or "") for r in rows]


@dataclass(frozen=True)
class HeldLetter:
    """A letter not yet mailed that must not be: the customer's mail came back (issue 17)."""

    letter: Letter
    account_number: str
    customer_name: str
    reason: str


def held_letters(db: Database) -> list[HeldLetter]:
    """Letters to mail that are held, each with why (returned mail; see office/records.py)."""
    rows = db.all("SELECT l.*, a.number AS account_number, c.name AS customer_name "
                  "FROM letters l JOIN accounts a ON a.id = l.account_id "
                  "JOIN customers c ON c.id = a.customer_id "
                  f"WHERE l.delivered = '' AND {HOLD_SQL} ORDER BY a.number, l.id")
    return [HeldLetter(_letter(r), format_number(r["account_number"]), r["customer_name"],
                       held_reason(db, r["id"])) for r in rows]


def queue_groups(queued: list[QueuedLetter]) -> list[QueueGroup]:
    """How many letters of each kind each run (or the accounts' own letters) left to mail."""
    counts: dict[tuple[int | None, str], int] = {}
    first: dict[tuple[int | None, str], QueuedLetter] = {}
    for q in queued:
        key = (q.run_id, q.letter.kind)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, q)
    return [QueueGroup(key[0], first[key].source, key[1], first[key].letter.label, n)
            for key, n in counts.items()]


MARK_CHUNK = 200  # letters marked per write transaction of a mailing batch


def mark_batch_delivered(db: Database, actor: Actor, delivered: dict[int, str], *,
                         chunk_size: int | None = None) -> list[Letter]:
    """Record a batch of letters as printed or saved.

    `delivered` maps letter id to 'printed' or 'file:<path>'. A letter someone else delivered
    meanwhile keeps what it says (it is not marked twice); the letters marked are returned.
    Nothing is marked when any entry is invalid or names no letter: every entry is checked
    before the first write (letters are never deleted, so a letter found stays found). The
    marks are then written `chunk_size` per short transaction (each mark with its audit row),
    so a mailing of thousands of notices never holds the counter's payments up; marking is
    idempotent, so a batch interrupted half-way is simply marked again.
    """
    authority().require(actor, "letter.print", what="mail letters")
    for how in delivered.values():
        if how != "printed" and not how.startswith("file:"):
            raise ValidationError("A letter is delivered 'printed' or 'file:<path>'.")
        refuse_card_number(how, field="Where the letter was saved")
    ids = list(delivered)
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        found |= {r["id"] for r in db.all(
            f"SELECT id FROM letters WHERE id IN ({','.join('?' * len(part))})", part)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"No letter {missing[0]}.")
    for i in range(0, len(ids), 500):  # issue 17: never mark a held letter as mailed
        part = ids[i:i + 500]
        held = db.scalar(f"SELECT min(l.id) FROM letters l WHERE l.id IN "
                         f"({','.join('?' * len(part))}) AND {HOLD_SQL}", part)
        if held is not None:
            check_not_held(db, int(held))
    marked: list[Letter] = []
    parts = jobs.chunked(ids, chunk_size or MARK_CHUNK)
    chunks = jobs.Chunks(db, len(parts))
    for part in parts:
        with chunks.write():
            for letter_id in part:
                how = delivered[letter_id]
                row = db.one("SELECT * FROM letters WHERE id = ?", [letter_id])
                assert row is not None
                if row["delivered"]:
                    continue
                db.execute("UPDATE letters SET delivered = ? WHERE id = ? AND delivered = ''",
                           [how, letter_id])
                audit.record(db, actor, "letter.deliver", f"account:{row['account_id']}",
                             before={"letter_id": letter_id, "delivered": ""},
                             after={"letter_id": letter_id, "delivered": how, "batch": True})
                row["delivered"] = how
                marked.append(_letter(row))
    return marked


def format_mailing(queued: list[QueuedLetter], marked: list[Letter], how: str) -> str:
    """What a mailing did, as a plain-text list (the report the desk shows; P prints it)."""
    by_id = {q.letter.id: q for q in queued}
    head = (f"LETTERS {how.upper()} {clock.today().isoformat()}: {len(marked)} letter(s)")
    if not marked:
        return head + "\n(nothing was marked delivered)"
    rows = []
    for ltr in marked:
        q = by_id.get(ltr.id)
        where = "printed" if ltr.delivered == "printed" else Path(ltr.delivered[5:]).name
        rows.append([ltr.id, q.account_number if q else ltr.account_id,
                     visible(q.customer_name)[:18] if q else "", ltr.label, ltr.addressee,
                     where])
    return head + "\n" + tabulate(rows, headers=["Letter", "Account", "Customer", "Kind", "To",
                                                 "Delivered"],
                                  tablefmt="simple", disable_numparse=True)


def mailing_folder(base: Path | str, on: dt.date | None = None) -> Path:
    """Where a batch is saved: a folder per day under `base` (`~` is the clerk's home)."""
    return Path(base).expanduser() / (on or clock.today()).isoformat()


# ---- deposit refunds: the refund and its letter together ---------------------------------------
@dataclass(frozen=True)
class DepositRefund(RefundCandidate):
    """A refunded candidate and the letter that tells the customer."""

    letter: Letter


def refund_deposits(db: Database, actor: Actor, deposit_ids: list[int], *,
                    override: Override | None = None) -> list[DepositRefund]:
    """Refund each deposit as a credit (deposits.refund_deposit) and log its `deposit_refund`
    letter to the customer, all in one transaction: a deposit no longer eligible refunds none
    of them, and a letter is logged only for a refund that happened. The letters wait in the
    mailing queue ("to mail") like the notices."""
    from clerk_tui.domain.utility import deposits

    if not deposit_ids:
        raise ValidationError("Pick a deposit to refund.")
    out: list[DepositRefund] = []
    with db.write():
        for deposit_id in deposit_ids:
            try:
                dep = deposits.refund_deposit(db, actor, deposit_id, override=override)
            except StateError as e:  # say whose, in a batch; the transaction rolls back
                number = db.scalar("SELECT a.number FROM customer_deposits d JOIN accounts a "
                                   "ON a.id = d.account_id WHERE d.id = ?", [deposit_id])
                raise StateError(f"Account {format_number(number)}: {e}") from None
            account = get_account(db, dep.account_id)
            streak = deposits.on_time_run(db, dep.account_id, dep.created_at,
                                          clock.today().isoformat())
            letter = issue_letter(db, actor, dep.account_id, "deposit_refund", context={
                "deposit_amount": format_money(dep.amount_cents),
                "applied_amount": format_money(0),
                "refund_amount": format_money(dep.amount_cents),
                "note": "Your bills have been paid on time. The refund is a credit on your "
                        "account and pays your next bills."})
            out.append(DepositRefund(dep.id, dep.account_id, account.display_number,
                                     account.customer_name, dep.amount_cents, streak, letter))
    return out


def format_deposit_refunds(refunds: list[DepositRefund]) -> str:
    """What a refund did, as a plain-text list (the report the desk shows; P prints it)."""
    total = sum(r.amount_cents for r in refunds)
    head = (f"DEPOSITS REFUNDED {clock.today().isoformat()}: {len(refunds)} deposit(s), "
            f"{format_money(total)} credited")
    rows = [[r.account_number, r.customer_name[:20], format_money(r.amount_cents),
             r.on_time_bills, r.letter.id] for r in refunds]
    return (head + "\n" + tabulate(rows, headers=["Account", "Customer", "Deposit", "On time",
                                                  "Letter"],
                                   tablefmt="simple", disable_numparse=True,
                                   colalign=("left", "left", "right", "right", "right"))
            + "\n\nEach refund is a credit on the account. The refund letters wait to be "
            "mailed (utility desk, Mail letters).")
