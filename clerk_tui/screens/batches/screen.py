"""Payment batches (utility desk, job P): the list of batches and what to do with them.

N opens a mail batch and B a drop-box batch (the control count and total first), K keys the
highlighted open batch (the keying screen: scan, Enter), A approves a posted batch
(supervisor), L imports the bank's lockbox file, X works the lockbox exceptions. Every F-key
belongs to another counter, so this is a desk job rather than a counter of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clerk_tui.domain.batches import control, lockbox
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.screens.batches.entry import BatchEntryScreen, _money
from clerk_tui.screens.kit import Action, Field, ListAndAct, Prompt, ReportScreen, Row
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility.common import OnSession


def _count(value: str) -> str | None:
    return None if value.strip().isdigit() else "how many payments (digits)."


class BatchesScreen(OnSession, ListAndAct):
    """Recent batches, newest first."""

    what = "payment batches"

    def __init__(self) -> None:
        super().__init__("Payment batches", ["Batch", "Kind", "Control", "Total", "State"],
                         self._load, [
            Action("n", "New mail batch", work=self._new_mail, prompt=self._ask_control,
                   needs_row=False, said=self._opened, show=self._entry),
            Action("b", "New drop-box batch", work=self._new_dropbox,
                   prompt=self._ask_control, needs_row=False, said=self._opened,
                   show=self._entry),
            Action("k", "Key lines", open=lambda bid: BatchEntryScreen(bid)),
            Action("a", "Approve", work=self._approve,
                   ask=lambda bid: f"Approve batch {bid} for the bank deposit?"),
            Action("l", "Lockbox file", work=self._import, prompt=self._ask_file,
                   needs_row=False, said=self._imported, show=self._import_report),
            Action("x", "Lockbox exceptions", open=lambda _k: ExceptionsScreen(),
                   needs_row=False),
        ], heading="Mail, drop-box and lockbox batches (newest first)",
            empty="No batches yet: N opens a mail batch.")

    def _load(self) -> list[Row]:
        return [Row(b.id, (b.id, control.KINDS[b.kind], b.control_count,
                           format_money(b.control_cents), b.state))
                for b in control.list_batches(self.session.db)]

    @staticmethod
    def _ask_control(_key: object) -> Prompt:
        return Prompt("The batch's control (counted by the mail room)", [
            Field("count", "Count", placeholder="How many payments", max_length=4,
                  check=_count),
            Field("total", "Total", placeholder="Their total, e.g. 1234.56", max_length=14,
                  check=_money)], name="batch-control")

    def _new(self, kind: str, values: dict[str, str]) -> control.BatchView:
        return control.open_batch(self.session.db, self.session.actor, kind,
                                  int(values["count"]), parse_money(values["total"]))

    def _new_mail(self, _key: object, values: dict[str, str]) -> control.BatchView:
        return self._new("mail", values)

    def _new_dropbox(self, _key: object, values: dict[str, str]) -> control.BatchView:
        return self._new("dropbox", values)

    @staticmethod
    def _opened(b: control.BatchView) -> str:
        return f"{b.label} opened: {b.control_count} items, {format_money(b.control_cents)}."

    @staticmethod
    def _entry(b: control.BatchView) -> BatchEntryScreen:
        return BatchEntryScreen(b.id)

    def _approve(self, bid: int) -> str:
        b = control.approve_batch(self.session.db, self.session.actor, bid)
        return f"{b.label} approved: it goes on the next bank deposit."

    @staticmethod
    def _ask_file(_key: object) -> TextPrompt:
        return TextPrompt("The bank's lockbox file (CSV path):", placeholder="/path/file.csv",
                          max_length=400)

    def _import(self, _key: object, path: str) -> lockbox.LockboxImport:
        p = Path(path.strip()).expanduser()
        try:
            data = p.read_bytes()
        except OSError as e:
            raise ValidationError(f"Cannot read {p}: {e.strerror or e}") from None
        return lockbox.import_lockbox(self.session.db, self.session.actor, p.name, data)

    @staticmethod
    def _imported(r: lockbox.LockboxImport) -> str:
        if r.duplicate:
            return f"That file was imported before (file {r.file_id}): nothing added."
        return (f"File {r.file_id}: {format_money(r.posted_cents)} posted, "
                f"{len(r.exceptions)} exception(s) {format_money(r.exception_cents)}.")

    @staticmethod
    def _import_report(r: lockbox.LockboxImport) -> ReportScreen | None:
        if r.duplicate:
            return None  # nothing was added: the line says so
        lines = [f"Lockbox file {r.file_id}: {r.rows} rows",
                 f"File total   {format_money(r.file_cents):>14}",
                 f"Posted       {format_money(r.posted_cents):>14}   batch {r.batch_id or '-'}",
                 f"Exceptions   {format_money(r.exception_cents):>14}", ""]
        lines += [f"Row {e.row_no:>4}  {format_money(e.amount_cents):>11}  {e.reason}"
                  for e in r.exceptions]
        return ReportScreen("Lockbox import", "\n".join(lines))


class ExceptionsScreen(OnSession, ListAndAct):
    """Lockbox rows not posted: A applies one to an account, R returns the check."""

    what = "lockbox exceptions"

    def __init__(self) -> None:
        super().__init__("Lockbox exceptions", ["#", "Row", "Amount", "Check", "Reason"],
                         self._load, [
            Action("a", "Apply to an account", work=self._apply, prompt=self._ask_account),
            Action("r", "Return the check", work=self._return, prompt=self._ask_reason),
        ], heading="Bank file rows not posted (oldest first)",
            empty="No open lockbox exceptions.")

    def _load(self) -> list[Row]:
        return [Row(e.id, (e.id, e.row_no, format_money(e.amount_cents), e.check_number,
                           e.reason[:40]))
                for e in lockbox.exceptions(self.session.db)]

    @staticmethod
    def _ask_account(eid: int) -> Prompt:
        return Prompt(f"Apply exception {eid}", [
            Field("account", "Account", placeholder="Account number 1234567-8", max_length=24),
            Field("amount", "Amount", placeholder="Amount (empty = the bank's)", max_length=14)],
            name="lockbox-apply")

    def _apply(self, eid: int, values: dict[str, Any]) -> str:
        amount = parse_money(values["amount"]) if values.get("amount", "").strip() else None
        n = lockbox.apply_exception(self.session.db, self.session.actor, eid,
                                    values.get("account", ""), amount_cents=amount)
        return f"Exception {eid} applied: receipt {n}."

    @staticmethod
    def _ask_reason(eid: int) -> TextPrompt:
        return TextPrompt(f"Why is exception {eid}'s check returned?", max_length=200)

    def _return(self, eid: int, note: str) -> str:
        lockbox.return_exception(self.session.db, self.session.actor, eid, note)
        return f"Exception {eid} returned."
