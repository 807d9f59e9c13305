"""Imports: the handheld ticket writers' daily file (CSV or JSON) and DMV's owner responses.

The handheld file, one citation per row (CSV with this header, or JSON: a list of objects
with these keys, or {"citations": [...]}):

    citation_number  C + 9 digits (check digit)       e.g. C000012344
    issued_at        YYYY-MM-DD HH:MM[:SS]             not in the future
    location         free text (<= 80)
    plate            1-8 letters/digits (spaces and dashes dropped)
    state            two letters
    reg_expiry       YYYY-MM or YYYY-MM-DD, or empty
    make, colour, body_style   free text (<= 20, 20, 10)
    violation_code   a code of data/citations/violations.toml on the issue date
    fine             dollars; must equal that violation's fine on the issue date
    officer_badge    1-12 characters
    remarks          free text (<= 200), may be empty

The DMV owner-response file (CSV): plate, state, name, address, responded_on (YYYY-MM-DD).

Rules for both (why: the file comes from a machine and a bad file must not half-land):
- the same file twice adds nothing (a citation number already on file, or an owner row equal
  to the latest one for the plate, is "known", not added);
- every bad row is refused with its line number (CSV: the physical line, header = 1; JSON:
  the record number) and the reason;
- a file with any bad row adds NOTHING, unless the clerk chooses to import the good rows and
  keep a reject file (the bad rows with their reasons, to send back to the handheld vendor);
- the import, its counts and the reject file's name are recorded and audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations.store import (
    NewCitation,
    check_new,
    clean_plate,
    clean_state,
    insert_citation,
)
from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.money import parse_money
from clerk_tui.domain.text import clean_text, visible

CITATION_COLUMNS = ("citation_number", "issued_at", "location", "plate", "state",
                    "reg_expiry", "make", "colour", "body_style", "violation_code", "fine",
                    "officer_badge", "remarks")
OWNER_COLUMNS = ("plate", "state", "name", "address", "responded_on")
MAX_FILE_BYTES = 50_000_000
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    raw: str


@dataclass
class ImportPlan:
    """What a file would do, read and checked, before anything is written."""

    kind: str
    path: Path
    sha256: str
    total: int
    good: list[tuple[int, Any]] = field(default_factory=list)
    known: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.path.name}: {self.total} row(s): {len(self.good)} new, {self.known} "
                f"already on file, {len(self.rejected)} refused.")

    def refusal(self, shown: int = 5) -> str:
        lines = [f"line {r.line}: {r.reason}" for r in self.rejected[:shown]]
        more = len(self.rejected) - shown
        return ("; ".join(lines) + (f"; and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class ImportResult:
    import_id: int | None
    added: int
    known: int
    rejected: int
    reject_file: Path | None

    @property
    def message(self) -> str:
        out = f"Imported {self.added} new, {self.known} already on file"
        if self.rejected:
            out += f", {self.rejected} refused (reject file {self.reject_file})"
        return out + "."


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError(f"{path.name} is {size} bytes; at most {MAX_FILE_BYTES}.")
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"No file {visible(str(path))}.") from None
    except IsADirectoryError:
        raise ValidationError(f"{visible(str(path))} is a folder, not a file.") from None
    except OSError as e:
        raise ValidationError(f"Cannot read {visible(str(path))}: {e.strerror}.") from None


def _records(data: bytes, path: Path, columns: tuple[str, ...]
             ) -> Iterator[tuple[int, dict[str, str] | None, str, str | None]]:
    """(line, record or None, raw text, why it is bad) for each row of a CSV or JSON file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name} is not UTF-8 text.") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValidationError(f"{path.name}: not valid JSON (line {e.lineno}: {e.msg}).") \
                from None
        if isinstance(doc, dict):
            doc = doc.get("citations", doc.get("owners"))
        if not isinstance(doc, list):
            raise ValidationError(f"{path.name}: JSON must be a list of records.")
        for n, rec in enumerate(doc, start=1):
            raw = json.dumps(rec, ensure_ascii=False)[:300]
            if not isinstance(rec, dict):
                yield n, None, raw, "not a record (an object with the columns)"
                continue
            yield n, {k: "" if rec.get(k) is None else str(rec.get(k)) for k in columns}, \
                raw, None
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError(f"{path.name} is empty.") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValidationError(f"{path.name}: line 1 (header) lacks {', '.join(missing)}.")
    try:
        for row in reader:
            line = reader.line_num
            raw = ",".join(row)[:300]
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                yield line, None, raw, f"{len(row)} columns, the header has {len(header)}"
                continue
            yield line, dict(zip(header, row, strict=True)), raw, None
    except csv.Error as e:
        raise ValidationError(f"{path.name}: line {reader.line_num}: {e}.") from None


def _when(text: str) -> dt.datetime:
    t = text.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(t, fmt)
        except ValueError:
            pass
    raise ValidationError(f"issued_at {visible(text[:30])!r} is not YYYY-MM-DD HH:MM.")


def _expiry(text: str) -> dt.date | None:
    t = text.strip()
    if not t:
        return None
    try:
        if len(t) == 7:
            return dt.date.fromisoformat(t + "-01")
        return dt.date.fromisoformat(t)
    except ValueError:
        raise ValidationError(f"reg_expiry {visible(t[:20])!r} is not YYYY-MM.") from None


def citation_from_record(rec: dict[str, str]) -> NewCitation:
    """One handheld record as a checked citation (ValidationError says what is wrong)."""
    return check_new(NewCitation(
        rec["citation_number"], _when(rec["issued_at"]), rec["location"], rec["plate"],
        rec["state"], _expiry(rec["reg_expiry"]), rec["make"], rec["colour"],
        rec["body_style"], rec["violation_code"], parse_money(rec["fine"], allow_zero=False),
        rec["officer_badge"], rec["remarks"]))


def read_citation_file(db: Database, path: Path | str) -> ImportPlan:
    """Read and check the whole file (no writes): which rows are new, known, refused."""
    path = Path(str(path).strip()).expanduser()
    data = _read_bytes(path)
    plan = ImportPlan("citations", path, hashlib.sha256(data).hexdigest(), 0)
    seen: dict[str, int] = {}
    for line, rec, raw, bad in _records(data, path, CITATION_COLUMNS):
        plan.total += 1
        if plan.total > MAX_ROWS:
            raise ValidationError(f"{path.name}: more than {MAX_ROWS} rows; split the file.")
        if bad:
            plan.rejected.append(Rejected(line, bad, raw))
            continue
        assert rec is not None
        try:
            c = citation_from_record(rec)
        except ClerkError as e:
            plan.rejected.append(Rejected(line, str(e), raw))
            continue
        if c.number in seen:
            plan.rejected.append(Rejected(line, f"{c.number} is also on line {seen[c.number]}",
                                          raw))
            continue
        seen[c.number] = line
        old = db.one("SELECT plate, state, violation_code, issued_at FROM citations "
                     "WHERE number = ?", [c.number])
        if old is None:
            plan.good.append((line, c))
        elif (old["plate"], old["state"], old["violation_code"]) == \
                (c.plate, c.state, c.violation_code):
            plan.known += 1
        else:
            plan.rejected.append(Rejected(
                line, f"{c.number} is on file for plate {old['plate']} {old['state']}, "
                      f"{old['violation_code']}: a different citation", raw))
    return plan


def owner_from_record(rec: dict[str, str]) -> tuple[str, str, str, str, dt.date]:
    try:
        responded = dt.date.fromisoformat(rec["responded_on"].strip())
    except ValueError:
        raise ValidationError(f"responded_on {visible(rec['responded_on'][:20])!r} is not "
                              "YYYY-MM-DD.") from None
    if responded > clock.today():
        raise ValidationError(f"responded_on {responded} is in the future.")
    return (clean_plate(rec["plate"]), clean_state(rec["state"]),
            clean_text(rec["name"], field="Name", max_len=80, required=True),
            clean_text(rec["address"], field="Address", max_len=160, required=True), responded)


def read_owner_file(db: Database, path: Path | str) -> ImportPlan:
    path = Path(str(path).strip()).expanduser()
    data = _read_bytes(path)
    plan = ImportPlan("owners", path, hashlib.sha256(data).hexdigest(), 0)
    for line, rec, raw, bad in _records(data, path, OWNER_COLUMNS):
        plan.total += 1
        if bad:
            plan.rejected.append(Rejected(line, bad, raw))
            continue
        assert rec is not None
        try:
            o = owner_from_record(rec)
        except ClerkError as e:
            plan.rejected.append(Rejected(line, str(e), raw))
            continue
        last = db.one("SELECT name, address, responded_on FROM citation_owners "
                      "WHERE plate = ? AND state = ? ORDER BY id DESC LIMIT 1", [o[0], o[1]])
        same_as_last = bool(last) and (last["name"], last["address"],  # type: ignore[index]
                                       last["responded_on"]) == (o[2], o[3], o[4].isoformat())
        if same_as_last or any(g[1] == o for g in plan.good):
            plan.known += 1
        else:
            plan.good.append((line, o))
    return plan


def write_rejects(plan: ImportPlan, path: Path) -> Path:
    """The reject file: line, reason and the raw row, as CSV (refuses to overwrite a file)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["line", "reason", "row"])
    for r in plan.rejected:
        w.writerow([r.line, r.reason, r.raw])
    try:
        with open(path, "x", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
    except FileExistsError:
        raise ValidationError(f"Reject file {visible(str(path))} exists already; "
                              "name another.") from None
    except OSError as e:
        raise ValidationError(f"Cannot write the reject file: {e.strerror}.") from None
    return path


def default_reject_path(plan: ImportPlan) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return plan.path.with_name(f"{plan.path.stem}.rejects-{stamp}.csv")


def _apply(db: Database, actor: Actor, path: Path | str, kind: str, *, good_only: bool,
           reject_file: Path | str | None) -> ImportResult:
    reader = read_citation_file if kind == "citations" else read_owner_file
    plan = reader(db, path)
    if plan.rejected and not good_only:
        raise ValidationError(f"Nothing imported: {len(plan.rejected)} bad row(s). "
                              + plan.refusal())
    if not plan.good:
        return ImportResult(None, 0, plan.known, len(plan.rejected), None)
    rejects: Path | None = None
    with db.write():
        plan = reader(db, path)  # again inside the write: another clerk may have imported it
        if plan.rejected:
            if not good_only:
                raise ValidationError(f"Nothing imported: {len(plan.rejected)} bad row(s). "
                                      + plan.refusal())
            rejects = Path(str(reject_file)).expanduser() if reject_file else \
                default_reject_path(plan)
        import_id = db.insert("citation_imports", {
            "kind": kind, "file_name": plan.path.name[:200], "sha256": plan.sha256,
            "rows_total": plan.total, "rows_added": len(plan.good), "rows_known": plan.known,
            "rows_rejected": len(plan.rejected),
            "reject_file": str(rejects) if rejects else None, "at": clock.stamp(),
            "clerk": actor.username})
        if kind == "citations":
            for _, c in plan.good:
                insert_citation(db, actor, c, source="import", import_id=import_id)
        else:
            for _, (plate, state, name, address, responded) in plan.good:
                db.insert("citation_owners", {
                    "plate": plate, "state": state, "name": name, "name_key": name_key(name),
                    "address": address, "responded_on": responded.isoformat(),
                    "import_id": import_id, "at": clock.stamp()})
        audit.record(db, actor, f"citation.import_{kind}", f"citation_import:{import_id}",
                     after={"file": plan.path.name, "sha256": plan.sha256,
                            "added": len(plan.good), "known": plan.known,
                            "rejected": len(plan.rejected),
                            "reject_file": str(rejects) if rejects else None})
        if rejects is not None:  # last: a failure to write it rolls the import back
            write_rejects(plan, rejects)
    return ImportResult(import_id, len(plan.good), plan.known, len(plan.rejected), rejects)


def import_citations(db: Database, actor: Actor, path: Path | str, *, good_only: bool = False,
                     reject_file: Path | str | None = None) -> ImportResult:
    """Import a handheld file (see the module docstring for the rules)."""
    return _apply(db, actor, path, "citations", good_only=good_only, reject_file=reject_file)


def import_owners(db: Database, actor: Actor, path: Path | str, *, good_only: bool = False,
                  reject_file: Path | str | None = None) -> ImportResult:
    """Import a DMV owner-response file (same rules)."""
    return _apply(db, actor, path, "owners", good_only=good_only, reject_file=reject_file)


def name_key(name: str) -> str:
    """How owner names are searched: upper case, single spaces ("SMITH JOHN" finds SMITH, JOHN
    and Smith John)."""
    return " ".join(name.upper().replace(",", " ").split())
