"""Keying a mail or drop-box batch: scan the stub, Enter takes it.

A scanned stub fills the account and the amount due and puts the cursor on the amount: Enter
takes the check for the stub's amount (1 key after the scan), or type the check's amount
first. The check number is optional (left empty, the batch's sequence number endorsed on the
item is kept). The line under the list says how the batch stands against its control; once
as many lines as the control are keyed and the total is off, the differences are shown line
by line (stub vs keyed). Ctrl+F keys a line again (fix), Ctrl+R removes one, Ctrl+O shows the
differences in full, Ctrl+T switches check/money order, Ctrl+Y posts when it matches. Scans reach this screen because it is a full screen, not a dialog (the app ignores
scans under a dialog); every read and write runs through the session (no SQL here).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from clerk_tui.domain.batches import control
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.domain.scanlines import ScanResult
from clerk_tui.screens.base import AsksBeforeDiscarding, ClerkScreen
from clerk_tui.screens.kit import Field, Prompt, ReportScreen
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join, literal

HINT = "Scan the stub, Enter takes it  |  or type account, Enter, amount, Enter"
SHOWN_LINES = 9
TENDERS = {"check": "Check", "money_order": "Money order"}


def _line_number(value: str) -> str | None:
    return None if value.strip().isdigit() else "a line number (digits)."


def _money(value: str) -> str | None:
    try:
        parse_money(value)
    except ClerkError as e:
        return str(e)
    return None


class BatchEntryScreen(AsksBeforeDiscarding, ClerkScreen):
    """One batch: its lines as keyed, its standing against the control, post when it matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="batch.back"),
        Binding("ctrl+y", "post", "Post", key_display="^Y", id="batch.post"),
        Binding("ctrl+f", "fix", "Fix", key_display="^F", id="batch.fix"),
        Binding("ctrl+r", "remove", "Remove", key_display="^R", id="batch.remove"),
        Binding("ctrl+t", "tender", "Check/MO", key_display="^T", id="batch.tender",
                show=False),  # said on the head line: the footer's 80 columns are full
        Binding("ctrl+o", "differences", "Diff", key_display="^O", id="batch.diff"),
    ]
    AUTO_FOCUS = "#batch-account"
    CSS_PATH = "batches.tcss"

    def __init__(self, batch_id: int) -> None:
        super().__init__(id="batch-entry")
        self.batch_id = batch_id
        self.batch: control.BatchView | None = None
        self.lines: list[control.LineView] = []
        self.diff: control.Differences | None = None
        self.due: int | None = None  # the scanned stub's amount due
        self.tender = "check"
        self.title = f"Batch {batch_id}"

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("", id="batch-head")
        with Horizontal(classes="batch-row"):
            yield ClerkInput(placeholder="Account or stub", max_length=24, id="batch-account")
            yield ClerkInput(placeholder="Amount", max_length=14, id="batch-amount")
            yield ClerkInput(placeholder="Check no.", max_length=24,
                             id="batch-number")
        yield LiteralLabel("", id="batch-lines")
        yield LiteralLabel("", id="batch-totals")
        yield LiteralLabel("", id="batch-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="batch-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    # ---- reading --------------------------------------------------------------------------
    def reload(self, say: str = "") -> None:
        db = self.session.db

        def read(override: Any = None) -> tuple[Any, ...]:
            return (control.get_batch(db, self.batch_id), control.batch_lines(db, self.batch_id),
                    control.differences(db, self.batch_id))

        def show(got: tuple[Any, ...] | None) -> None:
            if got is None:
                return
            self.batch, self.lines, self.diff = got
            self._draw()
            said = [say] if say else []
            if self.batch.state != "open":
                if not say:
                    said.append(f"{self.batch.label} is {self.batch.state}: nothing more to "
                                "key.")
            elif self.diff.count >= self.diff.control_count and not self.diff.balanced:
                said += ["Does not match its control (Ctrl+F fixes a line):",
                         *self.diff.lines()[:3]]
            elif self.diff.balanced:
                said.append("Matches its control: Ctrl+Y posts it.")
            self._say("\n".join(said), "bold" if len(said) > 1 else "")

        self.session.run(read, what="the batch", on_done=show, on_error=self._refused)

    def _draw(self) -> None:
        b, d = self.batch, self.diff
        assert b is not None and d is not None
        self.title = b.label
        self.query_one("#batch-head", LiteralLabel).set_value(
            f"{b.label}  {b.state.upper()}  control {b.control_count} items "
            f"{format_money(b.control_cents)}   tender: {TENDERS[self.tender]} (^T)", "bold")
        out = Text()
        shown = self.lines[-SHOWN_LINES:]
        if not shown:
            out.append("No lines yet: scan the first stub.", "dim")
        for n, ln in enumerate(shown):
            if n:
                out.append("\n")
            mark = "*" if ln.due_cents is not None and ln.due_cents != ln.amount_cents else " "
            due = format_money(ln.due_cents) if ln.due_cents is not None else ""
            out.append_text(join(f"{ln.line:>3}{mark} ", ln.account_number.ljust(11),
                                 due.rjust(12), format_money(ln.amount_cents).rjust(12), "  ",
                                 TENDERS[ln.tender][:11].ljust(12), ln.number[:20]))
        self.query_one("#batch-lines", LiteralLabel).set_text(out)
        diff = "matches" if d.balanced else (
            f"difference {d.count_diff:+d} items, "
            f"{'-' if d.total_diff < 0 else '+'}{format_money(abs(d.total_diff))}")
        self.query_one("#batch-totals", LiteralLabel).set_value(
            f"Keyed {d.count} of {d.control_count}   {format_money(d.total_cents)} of "
            f"{format_money(d.control_cents)}   {diff}", "bold")

    def _say(self, message: str, style: str = "") -> None:
        """Several lines (the differences) each shown literally, one under the other."""
        out = Text()
        for n, part in enumerate(message.split("\n")):
            if n:
                out.append("\n")
            out.append_text(literal(part, style))
        self.query_one("#batch-message", LiteralLabel).set_text(out)

    def _refused(self, e: ClerkError) -> None:
        self.app.bell()
        self._say(str(e), "bold")

    def _field(self, name: str) -> Input:
        return self.query_one(f"#batch-{name}", Input)

    # ---- scanning and keying --------------------------------------------------------------
    def take_scan(self, scan: ScanResult) -> bool:
        """A stub or account scanned here fills the line (the app's scan path asks us first)."""
        if scan.kind not in ("bill_stub", "account"):
            return False
        value = scan.value
        self.due = getattr(value, "amount_cents", None)
        self._field("account").value = value.account_number
        self._field("amount").value = format_money(self.due).lstrip("$") if self.due else ""
        self._field("number").value = ""
        self._field("amount").focus()
        self._say(f"Stub {scan.display}: Enter takes it, or type the check's amount.")
        return True

    @on(Input.Submitted, "#batch-account")
    def _account_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._say("Scan the stub or type the account number.")
            return
        self.due = None
        self._field("amount").focus()

    @on(Input.Submitted, "#batch-amount")
    @on(Input.Submitted, "#batch-number")
    def _take_line(self, event: Input.Submitted) -> None:
        event.stop()
        account = self._field("account").value.strip()
        text = self._field("amount").value.strip()
        if not account:
            self._say("Scan the stub or type the account number first.")
            self._field("account").focus()
            return
        try:
            amount = parse_money(text)
        except ClerkError as e:
            self._refused(e)
            self._field("amount").focus()
            return
        number, due, tender = self._field("number").value.strip(), self.due, self.tender
        db, actor = self.session.db, self.session.actor

        def add(override: Any = None) -> control.LineView:
            return control.add_line(db, actor, self.batch_id, account, amount, due_cents=due,
                                    tender=tender, number=number)

        def added(line: control.LineView | None) -> None:
            if line is None:
                return
            for name in ("account", "amount", "number"):
                self._field(name).value = ""
            self.mark_saved()
            self.due = None
            self._field("account").focus()
            self.reload(f"Line {line.line}: {line.account_number} "
                        f"{format_money(line.amount_cents)} taken.")

        self.session.run(add, what="the batch line", on_done=added, on_error=self._refused,
                         screen=self)

    # ---- actions --------------------------------------------------------------------------
    def action_tender(self) -> None:
        self.tender = "money_order" if self.tender == "check" else "check"
        if self.batch is not None and self.diff is not None:
            self._draw()
        self._say(f"Next lines are {TENDERS[self.tender].lower()}s.")

    def action_fix(self) -> None:
        prompt = Prompt("Key a line again", [
            Field("line", "Line", placeholder="Line number", max_length=4, check=_line_number),
            Field("amount", "Amount", placeholder="The check's amount", max_length=14,
                  check=_money)], name="batch-fix")
        self.app.push_screen(prompt, self._fix)

    def _fix(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        line, amount = int(values["line"]), parse_money(values["amount"])
        db, actor = self.session.db, self.session.actor

        def fix(override: Any = None) -> control.LineView:
            return control.correct_line(db, actor, self.batch_id, line, amount_cents=amount)

        self.session.run(fix, what="the batch line", on_error=self._refused,
                         on_done=lambda ln: ln and self.reload(
                             f"Line {ln.line} is now {format_money(ln.amount_cents)}."))

    def action_remove(self) -> None:
        prompt = Prompt("Remove a line", [
            Field("line", "Line", placeholder="Line number", max_length=4,
                  check=_line_number)], name="batch-remove")
        self.app.push_screen(prompt, self._remove)

    def _remove(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        line = int(values["line"])
        db, actor = self.session.db, self.session.actor

        def remove(override: Any = None) -> int:
            control.remove_line(db, actor, self.batch_id, line)
            return line

        self.session.run(remove, what="the batch line", on_error=self._refused,
                         on_done=lambda n: n and self.reload(f"Line {n} removed."))

    def action_differences(self) -> None:
        if self.diff is None or self.batch is None:
            return
        text = "\n".join([self.batch.label, "", *self.diff.lines(), "",
                          f"{len(self.lines)} lines keyed"])
        self.app.push_screen(ReportScreen(f"{self.batch.label}: differences", text))

    def action_post(self) -> None:
        if self.diff is not None and not self.diff.balanced:
            self._refused(ClerkError("\n".join(["Does not match its control; nothing posted.",
                                                *self.diff.lines()[:4]])))
            return
        self.session.confirm(f"Post batch {self.batch_id}: every line as a receipt?",
                             self._post, yes="Post")

    def _post(self, yes: bool) -> None:
        if not yes:
            return
        db, actor = self.session.db, self.session.actor

        def post(override: Any = None) -> control.PostedBatch:
            return control.post_batch(db, actor, self.batch_id)

        def posted(p: control.PostedBatch | None) -> None:
            if p is None:
                return
            nums = p.receipt_numbers
            self.reload(f"Posted: receipts {nums[0]}-{nums[-1]} ({len(nums)}). A supervisor "
                        "approves it (batch list, A).")

        self.session.run(post, what="the batch", on_done=posted, on_error=self._refused,
                         screen=self)

    def action_back(self) -> None:
        """Esc: back to the batch list; typed, not yet taken, work is asked about first.
        Lines already taken are kept (the batch stays open to finish later)."""
        self.leave_or_ask(lambda: self.dismiss(None))
