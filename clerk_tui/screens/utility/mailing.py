"""Mail letters (utility desk, M): the letters logged but not yet printed or saved — the
notices of the delinquency runs, payment-plan agreements, deposit-refund letters — by run and
kind, sent as one batch.

P prints every letter through the workstation's printer (one job per letter); W saves every
letter as a text file into a folder the clerk types (Enter = a folder per day under the data
folder's `letters/`). Then the letters that really went out are marked delivered in one
transaction (`letters.mark_batch_delivered`): a print that fails stops the batch and leaves
that letter and the rest "to mail". What was sent is shown in the report viewer (P prints the
list). Esc, or No at a question, changes nothing. A kit list (`ListAndAct`) whose two actions
are for the whole queue; the printing, saving and marking run through the session's `run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clerk_tui.domain.utility import letters
from clerk_tui.screens.kit import Action, ListAndAct, Row
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility.collections import letters_folder
from clerk_tui.screens.utility.common import DeskReport, OnSession


def default_folder() -> Path:
    return letters.mailing_folder(letters_folder())


@dataclass(frozen=True)
class Sent:
    """What a batch did: the letters tried, those marked, how, and what stopped it."""

    batch: list[letters.QueuedLetter]
    marked: list[letters.Letter]
    how: str
    problem: str
    left: int


class MailLettersScreen(OnSession, ListAndAct):
    """What is waiting to be mailed; P prints it all, W saves it all to a folder."""

    what = "mail letters"

    def __init__(self) -> None:
        self.queued: list[letters.QueuedLetter] = []
        self.held: list[letters.HeldLetter] = []
        super().__init__("Mail letters",
                         ["From", "Kind", "Letters"], self._load, [
            Action("p", "Print all", work=self._print, ask=self._ask_print,
                   said=self._said, show=self._report),
            Action("w", "Save all to a folder", work=self._save, prompt=self._ask_folder,
                   said=self._said, show=self._report),
        ], heading="Letters to mail (not yet printed or saved)",
            empty="No letters are waiting to be mailed.",
            summary=lambda _rows: f"{len(self.queued)} letter(s) to mail." + (
                f" {len(self.held)} held: returned mail (correct the mailing address: "
                "account, A, U; then issue them again)." if self.held else ""))

    def _load(self) -> list[Row]:
        self.queued = letters.undelivered_letters(self.session.db)
        self.held = letters.held_letters(self.session.db)
        rows = [Row(i, (g.source, g.label, str(g.count)))
                for i, g in enumerate(letters.queue_groups(self.queued))]
        # Held letters are listed with why, never printed or saved (issue 17: returned mail).
        held: dict[tuple[str, str], int] = {}
        for h in self.held:
            why = "HELD: returned mail" if h.reason.startswith("returned") \
                else "HELD: old address"
            held[(why, h.letter.label)] = held.get((why, h.letter.label), 0) + 1
        rows += [Row(f"held-{n}", (why, label, str(count)))
                 for n, ((why, label), count) in enumerate(held.items())]
        return rows

    # ---- print -----------------------------------------------------------------------------
    def _ask_print(self, _key: object) -> str:
        return (f"Print all {len(self.queued)} letter(s) on this workstation's printer and "
                "mark them mailed?")

    def _print(self, _key: object) -> Sent:
        batch = list(self.queued)
        station = self.session.station
        done: dict[int, str] = {}
        problem = ""
        for q in batch:
            try:
                result = station.print_text(f"{q.letter.label} {q.letter.id}", q.letter.body)
            except Exception as e:  # devices promise not to raise; a fault must not crash
                problem = f"Letter {q.letter.id} not printed: {e}"
                break
            if not result.ok:
                problem = result.message
                break
            done[q.letter.id] = "printed"
        return self._mark(batch, done, "printed", problem)

    # ---- save ------------------------------------------------------------------------------
    def _ask_folder(self, _key: object) -> TextPrompt:
        return TextPrompt(f"Save all {len(self.queued)} letter(s) into folder:",
                          placeholder=f"Enter = {default_folder()}", max_length=400)

    def _save(self, _key: object, text: str) -> Sent:
        folder = Path(text.strip()).expanduser() if text.strip() else default_folder()
        batch = list(self.queued)
        done: dict[int, str] = {}
        problem = ""
        for q in batch:
            try:
                done[q.letter.id] = f"file:{letters.save_letter(q.letter, folder)}"
            except OSError as e:
                problem = f"Letter {q.letter.id} not saved: {e.strerror or e}"
                break
        return self._mark(batch, done, "saved", problem)

    # ---- mark what went out ------------------------------------------------------------------
    def _mark(self, batch: list[letters.QueuedLetter], done: dict[int, str], how: str,
              problem: str) -> Sent:
        """Mark the letters that went out (one transaction); a refusal is the kit's to say."""
        marked = (letters.mark_batch_delivered(self.session.db, self.session.actor, done)
                  if done else [])
        left = len(letters.undelivered_letters(self.session.db))
        return Sent(batch, marked, how, problem, left)

    @staticmethod
    def _said(sent: Sent) -> str:
        summary = (f"{len(sent.marked)} of {len(sent.batch)} letter(s) {sent.how}; "
                   f"{sent.left} still to mail.")
        return f"{sent.problem} {summary}" if sent.problem else summary

    @staticmethod
    def _report(sent: Sent) -> DeskReport | None:
        if not sent.marked:
            return None
        head = (f"{sent.problem}\n{sent.left} letter(s) still to mail.\n\n" if sent.problem
                else "")
        return DeskReport(f"Letters {sent.how}",
                          head + letters.format_mailing(sent.batch, sent.marked, sent.how))
