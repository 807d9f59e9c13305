"""Mail letters (utility desk, M): the letters logged but not yet printed or saved — the
notices of the delinquency runs, payment-plan agreements, deposit-refund letters — by run and
kind, sent as one batch.

P prints every letter through the workstation's printer (one job per letter, in a worker);
W saves every letter as a text file into a folder the clerk types (Enter = a folder per day
under the data folder's `letters/`). Then the letters that really went out are marked
delivered in one transaction (`letters.mark_batch_delivered`): a print that fails stops the
batch and leaves that letter and the rest "to mail". What was sent is shown in the report
viewer (P prints the list). Esc, or No at a question, changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.utility import letters
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.reports import ReportScreen
from clerk_tui.screens.utility.collections import letters_folder
from clerk_tui.widgets.literal import LiteralLabel


def default_folder() -> Path:
    return letters.mailing_folder(letters_folder())


class MailLettersScreen(ClerkScreen):
    """What is waiting to be mailed; P prints it all, W saves it all to a folder."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "print_all", "Print all", id="mail_letters.print"),
        Binding("w", "save_all", "Save all", id="mail_letters.save"),
        Binding("escape", "back", "Back", id="mail_letters.back"),
    ]
    AUTO_FOCUS = "#mail-table"
    CSS_PATH = "../cashier.tcss"
    DEFAULT_CSS = """
    MailLettersScreen #mail-table { height: 1fr; margin: 0 1; }
    MailLettersScreen #mail-title, MailLettersScreen #mail-message,
    MailLettersScreen #mail-hint { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="mail-letters")
        self.title = "Mail letters"
        self.queued: list[letters.QueuedLetter] = []
        self.busy = False

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Letters to mail (not yet printed or saved)", style="bold",
                           id="mail-title")
        yield DataTable(id="mail-table", cursor_type="row", show_row_labels=False)
        yield LiteralLabel("", id="mail-message", classes="message")
        yield LiteralLabel("P = print all    W = save all to a folder    Esc = back",
                           style="dim", id="mail-hint")

    def on_mount(self) -> None:
        table = self.query_one("#mail-table", DataTable)
        for name, width in (("From", 30), ("Kind", 24), ("Letters", 7)):
            table.add_column(name, width=width)
        self.load()

    def load(self) -> None:
        table = self.query_one("#mail-table", DataTable)
        table.clear()
        try:
            self.queued = letters.undelivered_letters(self.session.db)
        except ClerkError as e:
            self._say(str(e))
            return
        for g in letters.queue_groups(self.queued):
            table.add_row(g.source, g.label, str(g.count))
        self._say(f"{len(self.queued)} letter(s) to mail." if self.queued
                  else "No letters are waiting to be mailed.")

    def _say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#mail-message", LiteralLabel).set_value(message)

    def _ready(self) -> bool:
        if self.busy:
            self._say("Mailing… wait for it to finish.")
            return False
        if not self.queued:
            self._say("No letters are waiting to be mailed.")
            return False
        return True

    # ---- print -----------------------------------------------------------------------------
    def action_print_all(self) -> None:
        if not self._ready():
            return
        batch = list(self.queued)

        def answered(yes: bool) -> None:
            if not yes:
                self._say("Nothing printed. Nothing changed.")
                return
            self.busy = True
            self._say(f"Printing {len(batch)} letter(s)…")
            self._print(batch)

        self.session.confirm(f"Print all {len(batch)} letter(s) on this workstation's "
                               "printer and mark them mailed?", answered, yes="Print",
                               no="Back")

    @work(thread=True, exclusive=True, group="mail-letters")
    def _print(self, batch: list[letters.QueuedLetter]) -> None:
        app = self.app
        station = getattr(app, "station", None)
        if station is None:
            app.call_from_thread(self._sent, batch, {}, "printed",
                                 "Not printed: no printer is set up for this workstation.")
            return
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
        app.call_from_thread(self._sent, batch, done, "printed", problem)

    # ---- save ------------------------------------------------------------------------------
    def action_save_all(self) -> None:
        if not self._ready():
            return
        batch = list(self.queued)
        default = default_folder()

        def entered(text: str | None) -> None:
            if text is None:
                self._say("Nothing saved. Nothing changed.")
                return
            folder = Path(text.strip()).expanduser() if text.strip() else default
            self.busy = True
            self._say(f"Saving {len(batch)} letter(s) to {folder}…")
            self._save(batch, folder)

        self.app.push_screen(TextPrompt(f"Save all {len(batch)} letter(s) into folder:",
                                        placeholder=f"Enter = {default}", max_length=400),
                             entered)

    @work(thread=True, exclusive=True, group="mail-letters")
    def _save(self, batch: list[letters.QueuedLetter], folder: Path) -> None:
        done: dict[int, str] = {}
        problem = ""
        for q in batch:
            try:
                done[q.letter.id] = f"file:{letters.save_letter(q.letter, folder)}"
            except OSError as e:
                problem = f"Letter {q.letter.id} not saved: {e.strerror or e}"
                break
        self.app.call_from_thread(self._sent, batch, done, "saved", problem)

    # ---- mark what went out ------------------------------------------------------------------
    def _sent(self, batch: list[letters.QueuedLetter], done: dict[int, str], how: str,
              problem: str) -> None:
        """UI thread: mark the letters that went out (one transaction), say what is left."""
        self.busy = False
        marked: list[letters.Letter] = []
        if done:
            try:
                marked = letters.mark_batch_delivered(self.session.db,
                                                      self.session.actor,
                                                      done)
            except ClerkError as e:
                problem = f"{problem} " if problem else ""
                self.load()
                self._say(f"{problem}Not marked mailed: {e}")
                return
        self.load()
        left = len(self.queued)
        summary = f"{len(marked)} of {len(batch)} letter(s) {how}; {left} still to mail."
        self._say(f"{problem} {summary}" if problem else summary)
        if marked:
            head = f"{problem}\n{left} letter(s) still to mail.\n\n" if problem else ""
            self.app.push_screen(ReportScreen(f"Letters {how}",
                                              head + letters.format_mailing(batch, marked, how)))

    def action_back(self) -> None:
        if not self.busy:
            self.app.pop_screen()
