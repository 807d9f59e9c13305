"""The monthly notices job and this counter's mailing queue.

Once a month the desk job (F5, J) makes:
- a renewal notice for each live license whose term ends by the end of next month and that has
  no next term yet, with the renewal barcode (`BL` + number + year + check digit) that opens
  the renewal at the counter when scanned;
- a delinquent notice for each live license that owes a term past its due date, with the
  amount due on the day of the run (penalty included);
and moves the statuses on: a license whose term ended is `expired`, one past due `delinquent`.

A letter is one row per license, kind and run month (UNIQUE): running the job twice in a month
makes nothing new. Letters wait in `license_letters` until printed or saved (Mail letters),
like the utility desk's queue, whose table is tied to utility accounts.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import threading
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.due import LABELS
from clerk_tui.domain.licenses.numbers import notice_code
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import visible
from clerk_tui.domain.utility.letters import template_path
from clerk_tui.files import create_private, open_private
from clerk_tui.paths import reference_data_dir

KINDS = {"renewal": "Renewal notice", "delinquent": "Delinquent notice",
         "denial": "Application denied"}


@dataclass(frozen=True)
class LicenseLetter:
    id: int
    license_id: int
    kind: str
    period: str
    body: str
    delivered: str

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class RunResult:
    renewal: int
    delinquent: int
    expired: int
    made_delinquent: int
    period: str

    @property
    def message(self) -> str:
        return (f"{self.period}: {self.renewal} renewal + {self.delinquent} delinquent "
                f"notices queued; {self.expired} expired, {self.made_delinquent} newly "
                "delinquent.")


LETTER_FIELDS = ("date", "business_name", "address", "license_number", "title", "expires",
                 "year", "code", "dues", "reason")
"""What a license letter template (`data/licenses/letters/[es/]<kind>.txt`) may name."""

LABELS_ES = {"TAX": "Impuesto de licencia", "PEN": "Recargo por mora",
             "CASPC": "Cargo CASp (ciudad)", "CASPS": "Cargo CASp (estado)",
             "HOP": "Permiso de negocio en casa", "BID": "Contribución BID",
             "DUP": "Certificado duplicado"}
"""The amounts' labels in a Spanish delinquent notice (the English ones are due.LABELS)."""


def letters_folder() -> Path:
    return reference_data_dir() / "licenses" / "letters"


def _dues_lines(lic: records.License, on: dt.date, language: str) -> str:
    labels, total = (LABELS_ES, "TOTAL A PAGAR ") if language == "es" else (LABELS, "TOTAL DUE ")
    lines = [f"  {d.year} {labels[part]:<28}{format_money(cents):>14}"
             for d in lic.dues for part, cents in d.parts.items()]
    lines.append(f"  {total + on.isoformat():<33}{format_money(lic.total_due_cents):>14}")
    return "\n".join(lines)


def _letter_body(lic: records.License, kind: str, on: dt.date, extra: str = "",
                 language: str = "en") -> str:
    """The letter from its template in `language`. Values are made visible once, whole (a
    mailing address's line break shows as ␊, as it always has), and substituted once: a
    business named `$code` prints as typed. A business has no language on file yet, so the
    notices run sends English; the Spanish templates are there for when one is recorded."""
    if kind == "renewal":
        year = (lic.current_term.year + 1) if lic.current_term else on.year
    else:
        year = lic.dues[-1].year if lic.dues else on.year
    values = {
        "date": on.isoformat(), "business_name": visible(lic.business_name),
        "address": visible(lic.mailing_address or lic.address), "license_number": lic.number,
        "title": visible(lic.title)[:60],
        "expires": lic.current_term.ends_on.isoformat() if lic.current_term else "",
        "year": str(year), "code": notice_code(lic.number, year),
        "dues": _dues_lines(lic, on, language) if kind == "delinquent" else "",
        "reason": visible(extra)}
    return render(kind, values, language)


def render(kind: str, values: dict[str, str], language: str = "en") -> str:
    """`kind`'s template in `language` with `values` (already made visible) substituted once;
    a template naming a field not in LETTER_FIELDS is an error, never a hole in a letter."""
    path = template_path(kind, letters_folder(), language)
    template = string.Template(path.read_text(encoding="utf-8"))
    unknown = sorted(set(template.get_identifiers()) - set(LETTER_FIELDS))
    if unknown or not template.is_valid():
        raise ValidationError(f"{path}: unknown fields {', '.join(unknown) or '(bad $)'}.")
    return template.substitute({f: values.get(f, "") for f in LETTER_FIELDS})


def queue_letter(db: Database, actor: Actor, license_id: int, kind: str, period: str, *,
                 extra: str = "") -> int | None:
    """Queue one letter (inside the caller's transaction); None when this run already made it."""
    if kind not in KINDS:
        raise ValidationError(f"No license letter {kind!r}.")
    if db.scalar("SELECT 1 FROM license_letters WHERE license_id = ? AND kind = ? AND "
                 "period = ?", [license_id, kind, period]):
        return None
    lic = records.get_license(db, license_id)
    return db.insert("license_letters", {
        "license_id": license_id, "kind": kind, "period": period,
        "generated_at": clock.stamp(), "clerk": actor.username,
        "body": _letter_body(lic, kind, clock.today(), extra)})


CHUNK = 200
"""Licenses per write transaction of the monthly run (see domain/utility/jobs.py: a payment at
the counter never waits behind the whole run)."""


def monthly_run(db: Database, actor: Actor, on: dt.date | None = None) -> RunResult:
    """Statuses moved on and the month's notices queued, in short transactions of `CHUNK`
    licenses (each with its audit row). Idempotent: a letter is one per license, kind and
    month, so a run stopped half-way is simply run again."""
    from clerk_tui.domain.utility.jobs import Chunks, chunked

    authority().require(actor, "license.notices", what="run the license notices")
    on = on or clock.today()
    period = on.strftime("%Y-%m")
    next_end = clock.add_months(on.replace(day=1), 2) - dt.timedelta(days=1)
    renewal = delinquent = expired = made_del = 0
    ids = [r["id"] for r in db.all("SELECT id FROM licenses WHERE status IN "
                                   "('issued', 'expired', 'delinquent') ORDER BY id")]
    parts = chunked(ids, CHUNK)
    chunks = Chunks(db, len(parts))
    for part in parts:
        counts = [0, 0, 0, 0]
        with chunks.write():
            for lid in part:
                r = db.one("SELECT l.status, max(t.ends_on) AS ends_on FROM licenses l "
                           "JOIN license_terms t ON t.license_id = l.id WHERE l.id = ?", [lid])
                if r is None or r["ends_on"] is None or \
                        r["status"] not in ("issued", "expired", "delinquent"):
                    continue  # closed meanwhile, or never assessed
                ends = dt.date.fromisoformat(r["ends_on"])
                if any(d.months_late > 0 for d in records.dues(db, lid, on)):
                    if r["status"] != "delinquent":
                        records._set_status(db, actor, lid, "delinquent", "tax past due")
                        counts[3] += 1
                    if queue_letter(db, actor, lid, "delinquent", period):
                        counts[1] += 1
                    continue
                if ends < on and r["status"] == "issued":
                    records._set_status(db, actor, lid, "expired", f"term ended {ends}")
                    counts[2] += 1
                if on <= ends + dt.timedelta(days=31) and ends <= next_end and \
                        queue_letter(db, actor, lid, "renewal", period):
                    counts[0] += 1
            audit.record(db, actor, "license.notices", f"period:{period}",
                         after={"licenses": len(part), "renewal": counts[0],
                                "delinquent": counts[1], "expired": counts[2],
                                "delinquent_status": counts[3]})
        renewal += counts[0]
        delinquent += counts[1]
        expired += counts[2]
        made_del += counts[3]
    return RunResult(renewal, delinquent, expired, made_del, period)


def _letter(r: dict) -> LicenseLetter:
    return LicenseLetter(r["id"], r["license_id"], r["kind"], r["period"], r["body"],
                         r["delivered"])


def undelivered(db: Database) -> list[LicenseLetter]:
    return [_letter(r) for r in db.all(
        "SELECT * FROM license_letters WHERE delivered = '' ORDER BY id")]


def get_letter(db: Database, letter_id: int) -> LicenseLetter:
    r = db.one("SELECT * FROM license_letters WHERE id = ?", [letter_id])
    if r is None:
        raise NotFound(f"No license letter {letter_id}.")
    return _letter(r)


def save_letter(letter: LicenseLetter, folder: Path | str) -> Path:
    """The letter's text into `folder` (private file; saving again overwrites the same file);
    a notice with a renewal barcode also gets its PDF beside it (`.pdf`, the barcode drawn)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"license-letter-{letter.id:06d}-{letter.kind}.txt"
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open_private(tmp) as fh:
            fh.write(letter.body)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if notice_barcode(letter):
        letter_pdf(letter, path.with_suffix(".pdf"))
    return path


def mark_delivered(db: Database, actor: Actor, delivered: dict[int, str]) -> int:
    """Mark letters printed/saved (one transaction); a letter already marked keeps its mark."""
    authority().require(actor, "letter.print", what="mail letters")
    for how in delivered.values():
        if how != "printed" and not how.startswith("file:"):
            raise ValidationError("A letter is delivered 'printed' or 'file:<path>'.")
    n = 0
    with db.write():
        for letter_id, how in delivered.items():
            if db.scalar("SELECT delivered FROM license_letters WHERE id = ?",
                         [letter_id]) == "":
                db.execute("UPDATE license_letters SET delivered = ? WHERE id = ?",
                           [how, letter_id])
                n += 1
        audit.record(db, actor, "license.letters.deliver", "license_letters",
                     after={"count": n})
    return n


_CODE = re.compile(r"Renewal code \(scan\): (BL\d{12})")


def notice_barcode(letter: LicenseLetter) -> str | None:
    """The renewal barcode a renewal or delinquent notice carries (None for other letters)."""
    m = _CODE.search(letter.body)
    return m.group(1) if m else None


def letter_pdf(letter: LicenseLetter, path: str | Path | None = None) -> bytes:
    """The letter as a one-page PDF with its renewal code as a Code 128 barcode that the
    counter's scanner reads (the text file says it only in clear)."""
    import io

    from fpdf import FPDF

    from clerk_tui.domain.licenses.certificate import code128_jpeg

    pdf = FPDF(unit="mm", format="Letter")
    pdf.set_title(f"{letter.label} {letter.id}")
    pdf.add_page()
    pdf.set_font("Courier", "", 10)
    for line in letter.body.splitlines():
        if line.startswith("*BL") and line.endswith("*"):
            continue  # the barcode below replaces the star-framed text
        pdf.cell(0, 4.5, line.encode("latin-1", "replace").decode("latin-1"),
                 new_x="LMARGIN", new_y="NEXT")
    code = notice_barcode(letter)
    if code:
        pdf.ln(4)
        pdf.image(io.BytesIO(code128_jpeg(code)), x=pdf.l_margin, w=110)
    data = bytes(pdf.output())
    if path is not None:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with os.fdopen(create_private(tmp), "wb") as fh:
                fh.write(data)
            tmp.replace(out)  # saving again replaces the same file
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return data
