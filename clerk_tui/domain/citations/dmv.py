"""DMV registration holds (CVC 4760) and the hold/release file for DMV.

A citation is held at DMV once its notice of delinquency is old enough and it is still owed
(not on a plan, not on review or hearing, not dismissed or voided); it is released when it is
paid in full, dismissed, voided or protected by a plan (data: `[[dmv]] release_on`). Each
change is one queued row (`citation_dmv_rows`): a hold only when not held, a release only when
held, never twice. The desk job writes every queued row to one file and marks them filed.

The file (one line per row, `|`-separated, ASCII; amounts in cents, zero-padded):

    H|<agency code>|<file id, 6 digits>|<YYYYMMDD written>|<row count, 4 digits>
    D|<H = hold, R = release>|<citation number>|<plate>|<state>|<YYYYMMDD issued>|
      <violation code>|<amount due, 8 digits>|<reason>            (one line, wrapped here)
    T|<row count, 4 digits>|<sum of hold amounts, 10 digits>

A payment that released a hold and is then voided takes the release back: a release not yet
filed is cancelled; one already sent is followed by a new hold (`after_reverse`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import add_event, due_of, events_for
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.text import visible


def is_held(db: Database, citation_id: int) -> bool:
    """Held at DMV (or queued to be): more live hold rows than release rows."""
    row = db.one("SELECT sum(action = 'hold') AS h, sum(action = 'release') AS r "
                 "FROM citation_dmv_rows WHERE citation_id = ? AND cancelled_at IS NULL",
                 [citation_id])
    return bool(row and (row["h"] or 0) > (row["r"] or 0))


def queue(db: Database, actor: Actor, citation_id: int, action: str, reason: str,
          on: dt.date) -> int:
    """Queue one hold or release (inside the caller's write; the caller audits)."""
    held = is_held(db, citation_id)
    if action == "hold" and held:
        raise StateError("That citation is already held at DMV.")
    if action == "release" and not held:
        raise StateError("That citation is not held at DMV.")
    seq = 1 + int(db.scalar("SELECT coalesce(max(seq), 0) FROM citation_dmv_rows "
                            "WHERE citation_id = ? AND action = ?", [citation_id, action]))
    rid = db.insert("citation_dmv_rows", {
        "citation_id": citation_id, "action": action, "seq": seq, "reason": reason[:40],
        "queued_on": on.isoformat(), "queued_at": clock.stamp()})
    add_event(db, actor, citation_id, "hold_placed" if action == "hold" else "hold_released",
              on, ref=f"dmv:{rid}", reason=reason[:200])
    return rid


def release_if_held(db: Database, actor: Actor, citation_id: int, reason: str,
                    on: dt.date) -> bool:
    """Queue a release when the citation is held (paid, dismissed, voided, on a plan)."""
    if not is_held(db, citation_id):
        return False
    queue(db, actor, citation_id, "release", reason, on)
    return True


def take_back_release(db: Database, actor: Actor, citation_id: int, on: dt.date) -> str | None:
    """A payment that released a hold was undone: cancel the release if no file took it yet,
    else hold again. Returns what was done (None: no release by payment to take back)."""
    last = db.one("SELECT * FROM citation_dmv_rows WHERE citation_id = ? AND action = 'release' "
                  "AND cancelled_at IS NULL ORDER BY id DESC LIMIT 1", [citation_id])
    if last is None or last["reason"] != "paid" or is_held(db, citation_id):
        return None
    if last["file_id"] is None:
        db.execute("UPDATE citation_dmv_rows SET cancelled_at = ? WHERE id = ?",
                   [clock.stamp(), last["id"]])
        add_event(db, actor, citation_id, "hold_placed", on, ref=f"dmv:{last['id']}",
                  reason="release cancelled: payment undone")
        return "release cancelled"
    queue(db, actor, citation_id, "hold", "payment undone", on)
    return "held again"


@dataclass(frozen=True)
class HoldRun:
    held: int
    considered: int


def hold_candidates(db: Database, on: dt.date) -> list[dict]:
    """Citations whose notice is old enough for a DMV hold and that still owe (checked per
    citation by the pure `due`)."""
    days = citation_rules().deadlines(on).hold_after_notice_days
    cutoff = (on - dt.timedelta(days=days)).isoformat()
    rows = db.all("SELECT c.* FROM citations c WHERE c.id IN (SELECT citation_id FROM "
                  "citation_events WHERE kind = 'notice' AND on_date < ?) ORDER BY c.id",
                  [cutoff])
    evs = events_for(db, [r["id"] for r in rows])
    out = []
    for r in rows:
        d = due_of(r, evs[r["id"]], on)
        if d.due_cents > 0 and d.status in ("open", "partial") and not d.held:
            out.append(r)
    return out


def place_holds(db: Database, actor: Actor, on: dt.date | None = None) -> HoldRun:
    """The hold job: queue a DMV hold for each candidate, in one audited write."""
    on = on or clock.today()
    with db.write():
        rows = hold_candidates(db, on)
        for r in rows:
            queue(db, actor, r["id"], "hold", "notice unpaid", on)
        audit.record(db, actor, "citation.dmv_holds", f"dmv_holds:{on}",
                     after={"held": len(rows), "numbers": [r["number"] for r in rows[:50]]})
    return HoldRun(len(rows), len(rows))


@dataclass(frozen=True)
class DmvFile:
    id: int
    path: Path
    rows: int
    holds: int
    releases: int
    text: str


def format_rows(db: Database, rows: list[dict], file_id: int, on: dt.date) -> str:
    """The file's text (see the module docstring for the layout)."""
    agency = citation_rules().other(on).agency_code
    cites = {r["id"]: r for r in db.all(
        f"SELECT * FROM citations WHERE id IN ({','.join('?' * len(rows))})",
        [r["citation_id"] for r in rows])} if rows else {}
    evs = events_for(db, list(cites))
    lines = [f"H|{agency}|{file_id:06d}|{on:%Y%m%d}|{len(rows):04d}"]
    total = 0
    for r in rows:
        c = cites[r["citation_id"]]
        due = due_of(c, evs[c["id"]], on).due_cents if r["action"] == "hold" else 0
        total += due
        lines.append("|".join([
            "D", "H" if r["action"] == "hold" else "R", c["number"], c["plate"], c["state"],
            c["issued_on"].replace("-", ""), c["violation_code"], f"{due:08d}",
            visible(r["reason"]).replace("|", "/").upper()]))
    lines.append(f"T|{len(rows):04d}|{total:010d}")
    return "\n".join(lines) + "\n"


def write_file(db: Database, actor: Actor, folder: Path | str) -> DmvFile:
    """Write every queued row to a new file in `folder` and mark them filed (one write)."""
    folder = Path(str(folder).strip()).expanduser()
    if not folder.is_dir():
        raise ValidationError(f"No folder {visible(str(folder))}.")
    on = clock.today()
    with db.write():
        rows = db.all("SELECT * FROM citation_dmv_rows WHERE file_id IS NULL "
                      "AND cancelled_at IS NULL ORDER BY id")
        if not rows:
            raise ValidationError("Nothing is queued for DMV.")
        holds = sum(1 for r in rows if r["action"] == "hold")
        file_id = 1 + int(db.scalar("SELECT coalesce(max(id), 0) FROM citation_dmv_files"))
        name = f"dmv-{on:%Y%m%d}-{file_id:06d}.txt"
        db.insert("citation_dmv_files", {
            "id": file_id, "file_name": name, "rows": len(rows), "holds": holds,
            "releases": len(rows) - holds, "written_at": clock.stamp(),
            "clerk": actor.username})
        text = format_rows(db, rows, file_id, on)
        db.executemany("UPDATE citation_dmv_rows SET file_id = ? WHERE id = ?",
                       [(file_id, r["id"]) for r in rows])
        audit.record(db, actor, "citation.dmv_file", f"dmv_file:{file_id}",
                     after={"file": name, "rows": len(rows), "holds": holds})
        path = folder / name
        try:
            with open(path, "x", encoding="ascii", errors="replace") as f:
                f.write(text)
        except OSError as e:
            raise ValidationError(f"Cannot write {visible(str(path))}: {e.strerror}.") from None
    return DmvFile(file_id, path, len(rows), holds, len(rows) - holds, text)


def file_log(db: Database, limit: int = 200) -> list[dict]:
    """The DMV file log, newest first (the list the clerk prints)."""
    return db.all("SELECT f.id, f.file_name, f.rows, f.holds, f.releases, f.written_at, f.clerk, "
                  "(SELECT count(*) FROM citation_dmv_rows r WHERE r.file_id IS NULL "
                  " AND r.cancelled_at IS NULL) AS queued FROM citation_dmv_files f "
                  "ORDER BY f.id DESC LIMIT ?", [limit])


def release_by_hand(db: Database, actor: Actor, number: str, reason: str, *,
                    override: object = None) -> str:
    """Release a DMV hold outside a payment (a DMV file discrepancy, a wrong plate): limited by
    role (`citation.dmv_release`; others need a supervisor), with a reason, audited."""
    from clerk_tui.domain.authority import authority
    from clerk_tui.domain.citations.store import get_row
    from clerk_tui.domain.text import clean_text

    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    row = get_row(db, number)
    if not is_held(db, row["id"]):
        raise StateError(f"Citation {row['number']} is not held at DMV.")
    approver = authority().require(actor, "citation.dmv_release", override=override,  # type: ignore[arg-type]
                                   what="release a DMV hold outside a payment")
    with db.write():
        queue(db, actor, row["id"], "release", "by hand", clock.today())
        audit.record(db, actor, "citation.dmv_release", f"citation:{row['number']}",
                     after={"reason": reason}, override_by=approver)
    return f"DMV release of {row['number']} queued for the next file."
