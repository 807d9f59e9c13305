"""The GL file for finance: one balanced journal file per closed business day, exported once.

Why only a closed day: a closed day takes no more postings (the database refuses them), so
the file finance imports is final, and a re-print later gives the same bytes; the export
records the file's SHA-256 and a re-print that would differ is refused rather than handed out.
Why once: finance would post the day twice. The `gl_exports` row (primary key = the day) is
written in the same transaction as the audit row; the file is written inside that transaction
and removed again when it does not commit.

Every ledger row of the day's journals (receipts, bills, deposits, reversals, whatever kind
or counter) is one line per journal, fund and GL, netted: positive = debit, negative =
credit, so the file sums to zero because every journal does. Rows with no GL of their own
(drawers say only their tender) take the codes in data/office/gl.toml. Format: README,
"GL file for finance".
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.office.day import check_day
from clerk_tui.domain.text import visible
from clerk_tui.files import create_private
from clerk_tui.paths import reference_data_dir

HEADER = ("date", "fund", "gl", "debit", "credit", "reference", "description")
DESCRIPTION_MAX = 60
_FORMULA = ("=", "+", "-", "@")


@dataclass(frozen=True)
class GlMap:
    effective: dt.date
    fund: str
    tenders: dict[str, str]
    unassigned: str


@dataclass(frozen=True)
class GlLine:
    date: str
    fund: str
    gl: str
    debit_cents: int
    credit_cents: int
    reference: str
    description: str


@dataclass(frozen=True)
class GlFile:
    business_date: str
    path: Path
    lines: int
    debit_cents: int
    credit_cents: int
    sha256: str
    reprint: bool = False


@dataclass(frozen=True)
class GlExportRow:
    business_date: str
    exported_at: str
    exported_by: str
    file_name: str
    lines: int
    debit_cents: int
    sha256: str


def load_maps(path: Path | None = None) -> list[GlMap]:
    path = path or reference_data_dir() / "office" / "gl.toml"
    out = []
    for i, row in enumerate(rulefile.load_rules(path).get("map", []), 1):
        with rulefile.row_errors(f"{path} [[map]] #{i}"):
            out.append(GlMap(rulefile.effective_date(row["effective"], f"{path} #{i}"),
                             str(row["fund"]),
                             {t: str(row[t]) for t in ("cash", "check", "money_order", "card")},
                             str(row["unassigned"])))
    if not out:
        raise ValidationError(f"{path}: no [[map]] rows.")
    return out


@functools.cache
def _maps() -> tuple[GlMap, ...]:
    return tuple(load_maps())


def gl_map(on: str) -> GlMap:
    found = rulefile.effective(_maps(), dt.date.fromisoformat(on))
    if found is None:
        raise ValidationError(f"data/office/gl.toml has no [[map]] in force on {on}.")
    return found


def _fund_of(fund: str, gl: str, default: str) -> str:
    """A row's fund, or the fund its GL code starts with (`100-2020-REFUND`), or the map's."""
    if fund:
        return fund
    head = gl.split("-", 1)[0]
    return head if head.isdigit() else default


def _description(kind: str, memo: str) -> str:
    """The journal's kind and memo, one line, clipped; a leading = + - @ is quoted with ' so a
    spreadsheet opening the file shows a clerk's typed reason as text, never a formula."""
    text = visible(f"{kind}: {memo}" if memo else kind).replace("\n", " ")
    text = text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "~"
    return "'" + text if text.startswith(_FORMULA) else text


def gl_lines(db: Database, business_date: str) -> list[GlLine]:
    """The day's journals as GL lines (every kind; one line per journal, fund and GL)."""
    m = gl_map(business_date)
    rows = db.all(
        "SELECT j.id AS journal_id, j.kind AS jkind, j.memo, e.book, e.amount_cents, e.fund, "
        "e.gl_code, e.tender, (SELECT min(r.number) FROM receipts r WHERE r.id = e.receipt_id)"
        " AS receipt FROM journals j JOIN ledger_entries e ON e.journal_id = j.id "
        "WHERE j.business_date = ? ORDER BY j.id, e.id", [business_date])
    nets: dict[tuple[int, str, str], int] = defaultdict(int)
    info: dict[int, tuple[str, str, int | None]] = {}
    for r in rows:
        gl = r["gl_code"]
        if not gl:
            gl = m.tenders.get(r["tender"] or "cash", m.unassigned) \
                if r["book"] == "drawer" else m.unassigned
        fund = _fund_of(r["fund"], gl, m.fund)
        nets[(r["journal_id"], fund, gl)] += r["amount_cents"]
        jid = r["journal_id"]
        prev = info.get(jid)
        receipt = r["receipt"] if r["receipt"] is not None else (prev[2] if prev else None)
        info[jid] = (r["jkind"], r["memo"], receipt)
    out = []
    for (jid, fund, gl), cents in nets.items():
        if not cents:
            continue
        kind, memo, receipt = info[jid]
        ref = f"J{jid}" + (f"/R{receipt}" if receipt is not None else "")
        out.append(GlLine(business_date, fund, gl, max(cents, 0), max(-cents, 0), ref,
                          _description(kind, memo)))
    return out


def render_csv(lines: list[GlLine]) -> str:
    """The file's text: a header, then one row per line, amounts in dollars with 2 decimals."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for g in lines:
        w.writerow([g.date, g.fund, g.gl, _dollars(g.debit_cents), _dollars(g.credit_cents),
                    g.reference, g.description])
    return buf.getvalue()


def _dollars(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def file_name(business_date: str) -> str:
    return f"gl-{business_date}.csv"


def _write(path: Path, text: str) -> None:
    fd = create_private(path)  # refuses a file (or link) already there
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _closed(db: Database, day: str) -> None:
    if not db.scalar("SELECT 1 FROM closed_business_days WHERE business_date = ?", [day]):
        raise StateError(f"Business day {day} is not closed: the GL file comes after the day "
                         "close (Reports, supervisor).")


def exported(db: Database, business_date: str) -> GlExportRow | None:
    r = db.one("SELECT business_date, exported_at, exported_by, file_name, lines, debit_cents, "
               "sha256 FROM gl_exports WHERE business_date = ?", [business_date])
    return GlExportRow(**r) if r else None


def export_day(db: Database, actor: Actor, business_date: str, folder: Path | str) -> GlFile:
    """Write `gl-DAY.csv` into `folder`, once per closed day (role `gl.export`)."""
    authority().require(actor, "gl.export", what="export the GL file")
    day = check_day(business_date)
    folder = Path(folder)
    path = folder / file_name(day)
    written = False
    try:
        with db.write():
            _closed(db, day)
            done = exported(db, day)
            if done is not None:
                raise StateError(f"The GL file of {day} was exported {done.exported_at} by "
                                 f"{done.exported_by}: a day is exported once (re-print it).")
            if not folder.is_dir():
                raise ValidationError(f"No folder {visible(str(folder))}.")
            lines = gl_lines(db, day)
            text = render_csv(lines)
            debit = sum(g.debit_cents for g in lines)
            credit = sum(g.credit_cents for g in lines)
            if debit != credit:  # every journal balances, so this is a broken ledger
                raise StateError(f"The ledger of {day} does not balance; nothing exported.")
            sha = hashlib.sha256(text.encode()).hexdigest()
            db.insert("gl_exports", {
                "business_date": day, "exported_at": clock.stamp(),
                "exported_by": actor.username, "file_name": path.name, "lines": len(lines),
                "debit_cents": debit, "credit_cents": credit, "sha256": sha})
            audit.record(db, actor, "gl.export", f"business_day:{day}",
                         after={"lines": len(lines), "debit_cents": debit, "sha256": sha,
                                "file": path.name})
            try:
                _write(path, text)
            except FileExistsError:
                raise StateError(f"{visible(str(path))} already exists: move it away first."
                                 ) from None
            written = True
    except BaseException:
        if written:
            path.unlink(missing_ok=True)
        raise
    return GlFile(day, path, len(lines), debit, credit, sha)


def reprint_day(db: Database, actor: Actor, business_date: str, folder: Path | str) -> GlFile:
    """The exported file again, byte for byte (checked against the recorded SHA-256), under a
    name that is free in `folder` (`gl-DAY.csv`, else `gl-DAY-copy2.csv` …)."""
    authority().require(actor, "gl.export", what="re-print the GL file")
    day = check_day(business_date)
    folder = Path(folder)
    done = exported(db, day)
    if done is None:
        raise StateError(f"The GL file of {day} was never exported: export it first.")
    if not folder.is_dir():
        raise ValidationError(f"No folder {visible(str(folder))}.")
    lines = gl_lines(db, day)
    text = render_csv(lines)
    if hashlib.sha256(text.encode()).hexdigest() != done.sha256:
        raise StateError(f"The ledger of {day} no longer gives the exported file: "
                         "call the system administrator (audit verify).")
    n = 1
    while True:
        path = folder / (file_name(day) if n == 1 else f"gl-{day}-copy{n}.csv")
        try:
            _write(path, text)
            break
        except FileExistsError:
            n += 1
            if n > 99:
                raise StateError(f"Too many copies of {file_name(day)} in that folder.") from None
    with db.write():
        audit.record(db, actor, "gl.reprint", f"business_day:{day}",
                     after={"file": path.name, "sha256": done.sha256})
    debit = sum(g.debit_cents for g in lines)
    return GlFile(day, path, len(lines), debit, debit, done.sha256, reprint=True)


def exportable_days(db: Database, limit: int = 10) -> list[tuple[str, str | None]]:
    """The latest closed days and when each was exported (None: not yet)."""
    return [(r["business_date"], r["exported_at"]) for r in db.all(
        "SELECT c.business_date, g.exported_at FROM closed_business_days c "
        "LEFT JOIN gl_exports g ON g.business_date = c.business_date "
        "ORDER BY c.business_date DESC LIMIT ?", [limit])]


def format_gl_result(f: GlFile) -> str:
    what = "Re-printed" if f.reprint else "Exported"
    return (f"{what} the GL file of {f.business_date}: {f.lines} lines, debits "
            f"{_dollars(f.debit_cents)} = credits {_dollars(f.credit_cents)}.\n"
            f"File: {f.path}\nSHA-256: {f.sha256}")
