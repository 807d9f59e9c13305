"""One DS-11 application: the checklist the agent walks through, step by step, by keyboard.

Enter does the next thing still missing (the first unanswered step, then the State fee
instrument, then the city's fees on the ordinary payment screen, then execution); C changes
an answer already given. Every answer is recorded at once (agent and time) through the
session, so nothing typed here is ever lost by Esc.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from clerk_tui.domain import clock
from clerk_tui.domain.cashier import SaleItem
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import format_money, parse_money
from clerk_tui.domain.passports import applications, instruments
from clerk_tui.domain.passports.applications import (
    CONSENT_LABELS,
    STEP_BY_CODE,
    Application,
    Step,
)
from clerk_tui.domain.passports.items import reference
from clerk_tui.domain.passports.rules import data
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import Choice, Field, LetterMenu, Picker, Prompt, required
from clerk_tui.screens.passports.dialogs import DS3053Prompt, InstrumentPrompt, yes
from clerk_tui.widgets.literal import LiteralLabel, join

HINT = "State fee: the applicant's check to the State Dept (never in the drawer)."


SHORT = {"both": "both present", "ds3053": "DS-3053", "sole": "sole authority",
         "own_id": "own ID", "parent": "parent present"}


def checklist_text(a: Application) -> Text:
    """The application as the agent reads it: who, what, and each step done or not."""
    out = Text()
    state = "" if not a.purged else " (personal data purged)"
    out.append_text(join((f"{a.number}  {a.form}  {a.status.upper()}{state}", "bold"),
                         f"   State fee {format_money(a.state_fee_cents)} "
                         "(to U.S. Dept of State)"))
    born = a.birth_date.isoformat() if a.birth_date else "-"
    out.append("\n")
    out.append_text(join(f"{(a.name or '-')[:40]}  born {born} ({a.age_group})"))
    if a.parents:
        out.append_text(join(f"  parents: {a.parents[:24]}"))
    out.append("\n")
    what = {"book": "Book", "card": "Card", "both": "Book + card"}[a.product]
    extras = [x for x, on in (("file search", a.file_search),) if on]
    out.append_text(join(f"{what}, {a.service}{', ' + ', '.join(extras) if extras else ''}"))
    for s in a.steps():
        ans = a.answers.get(s.code)
        done = a.step_done(s)
        shown = ""
        if ans:
            shown = SHORT.get(ans.answer, ans.answer)
            if s.answers is None:  # a document type: its label from the data
                shown = next((d.label for d in data().evidence
                              if d.kind == s.code and d.code == ans.answer), ans.answer)
            if ans.detail:  # "notarised 2026-02-10; ID copy yes"
                shown += " " + ans.detail.replace("notarised ", "").replace(
                    "; ID copy yes", " +ID")
            shown = f"{shown[:25]:<26}{ans.by[:5]} {ans.at[11:16]}"
        out.append("\n")
        out.append_text(join(("[x] " if done else "[ ] ", "bold" if done else ""),
                             s.label[:36].ljust(37), shown[:37]))
    photo = a.answers.get("photo")
    money_rows = [("State fee check / money order", a.instrument or "", bool(a.instrument)),
                  ("Execution fee paid", f"receipt {a.exec_receipt}" if a.exec_receipt else "",
                   bool(a.exec_receipt))]
    if photo and photo.answer == "here":
        money_rows.append(("Photo fee paid", f"receipt {a.photo_receipt}"
                           if a.photo_receipt else "", bool(a.photo_receipt)))
    for label, shown, done in money_rows:
        out.append("\n")
        out.append_text(join(("[x] " if done else "[ ] ", "bold" if done else ""),
                             label.ljust(37), shown[:37]))
    if a.status != "open":
        out.append("\n")
        out.append_text(join((f"Executed {a.executed_at or ''} by {a.executed_by or ''}"
                              + (f"; envelope {a.transmittal}" if a.transmittal else ""),
                              "bold")))
    return out


class ApplicationScreen(ClerkScreen):
    """The checklist of one application (pushed over the Passports counter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter, C and ^D are on F1's list and the hint line; the footer keeps what fits 80.
        Binding("enter", "next", "Next", show=False, id="passports.app.next"),
        Binding("c", "change", "Change", show=False, id="passports.app.change"),
        Binding("f", "state_fee", "State fee", id="passports.app.fee"),
        Binding("p", "pay", "Pay", id="passports.app.pay"),
        Binding("x", "execute", "Execute", id="passports.app.execute"),
        Binding("ctrl+d", "cancel_app", "Cancel", show=False, key_display="^D", id="passports.app.cancel"),
        Binding("escape", "back", "Back", id="passports.app.back"),
    ]
    CSS_PATH = "passports.tcss"

    def __init__(self, counter: Counter, number: str) -> None:
        super().__init__(id="passport-application")
        self.counter = counter
        self.number = number
        self.app_view: Application | None = None
        self._paying = False
        self.title = f"Passport {number}"

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Reading the application…", id="ppa-checklist")
        yield LiteralLabel("", id="ppa-message", classes="message")
        yield LiteralLabel(HINT, style="dim", id="ppa-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def _say(self, message: str) -> None:
        self.query_one("#ppa-message", LiteralLabel).set_value(message)

    def _run(self, fn: Any, then: Any = None, what: str = "") -> None:
        self.session.run(lambda override=None: fn(), what=what or "passport application",
                         on_done=then or self._show, on_error=lambda e: self._say(str(e)),
                         screen=self)

    def reload(self, say: str | None = None) -> None:
        db = self.session.db
        self._run(lambda: applications.get(db, self.number),
                  lambda a: self._show(a, say))

    def _show(self, a: Application | None, say: str | None = None) -> None:
        if a is None or not self.is_attached:
            return
        self.app_view = a
        self.query_one("#ppa-checklist", LiteralLabel).set_text(checklist_text(a))
        if say is not None:
            self._say(say)
        else:
            self._say(self._next_hint(a))

    def _next_hint(self, a: Application) -> str:
        if a.status != "open":
            return f"{a.status.capitalize()}. Esc = back; T on the counter sends envelopes."
        missing = a.missing()
        return f"Next: {missing[0]} (Enter)." if missing else "Ready: X = execute."

    # ---- the walk-through ------------------------------------------------------------------
    def action_next(self) -> None:
        a = self.app_view
        if a is None:
            return
        if a.status != "open":
            self._say(self._next_hint(a))
            return
        for s in a.steps():
            if not a.step_done(s):
                self.ask_step(s)
                return
        if a.instrument_id is None:
            self.action_state_fee()
        elif a.missing():
            self.action_pay()
        else:
            self.action_execute()

    def action_change(self) -> None:
        a = self.app_view
        if a is None or a.status != "open":
            return
        items = [(s.code, s.label) for s in a.steps()]
        self.app.push_screen(Picker("Change which step?", items),
                             lambda code: self.ask_step(STEP_BY_CODE[code]) if code else None)

    def ask_step(self, s: Step) -> None:
        a = self.app_view
        assert a is not None
        db, actor = self.session.db, self.session.actor

        def record(answer: str | None, **kw: Any) -> None:
            if answer is None:
                self._say("Nothing recorded.")
                return
            self._run(lambda: applications.record_step(db, actor, a.number, s.code, answer,
                                                       **kw), what="record a step")

        if s.answers is None:  # a document type from the data's list
            docs = data().documents(s.code, clock.today())
            self.app.push_screen(Picker(s.label + ": which document?",
                                        [(d.code, d.label) for d in docs]), record)
        elif s.code == "photo":
            self.app.push_screen(LetterMenu("Photo", [
                Choice("h", "Taken here (city photo fee)"),
                Choice("b", "Brought by the applicant")]),
                lambda k: record({"h": "here", "b": "brought"}.get(k or "")))
        elif s.code == "consent":
            self._ask_consent(a, record)
        else:
            self.app.push_screen(LetterMenu(f"{s.label}?", [Choice("y", "Yes"),
                                                            Choice("n", "No")]),
                                 lambda k: record({"y": "yes", "n": "no"}.get(k or "")))

    def _ask_consent(self, a: Application, record: Any) -> None:
        if a.age_group == "minor":
            choices = [Choice("b", CONSENT_LABELS["both"]), Choice("d", CONSENT_LABELS["ds3053"]),
                       Choice("s", CONSENT_LABELS["sole"])]
            codes = {"b": "both", "d": "ds3053", "s": "sole"}
        else:
            choices = [Choice("o", CONSENT_LABELS["own_id"]),
                       Choice("p", CONSENT_LABELS["parent"])]
            codes = {"o": "own_id", "p": "parent"}

        def picked(k: str | None) -> None:
            how = codes.get(k or "")
            if how != "ds3053":
                record(how)
                return

            def form(v: dict[str, str] | None) -> None:
                if v is None:
                    record(None)
                    return
                record(how, notarised_on=v["notarised"].strip(), id_copy=yes(v["idcopy"]))

            self.app.push_screen(DS3053Prompt(), form)

        self.app.push_screen(LetterMenu(f"Parents / guardians ({a.age_group})", choices),
                             picked)

    # ---- money -----------------------------------------------------------------------------
    def action_state_fee(self) -> None:
        a = self.app_view
        if a is None or a.status != "open":
            return
        if a.instrument_id is not None:
            self._replace_instrument(a)
            return
        payer = (a.parents or "").split(",")[0].strip() if a.age_group == "minor" else a.name
        db, actor = self.session.db, self.session.actor

        def answered(v: dict[str, str] | None) -> None:
            if v is None:
                self._say("No State fee recorded.")
                return
            others = [x.strip() for x in v["also"].split(",") if x.strip()]
            kind = "money_order" if v["kind"].strip().lower() == "m" else "check"
            try:
                amount = parse_money(v["amount"], allow_zero=False)
            except ClerkError as e:
                self._say(str(e))
                return
            self._run(lambda: (instruments.record(db, actor, [a.number, *others], kind,
                                                  v["number"], amount, v["payer"]),
                               applications.get(db, a.number))[1],
                      what="record the State fee")

        self.app.push_screen(InstrumentPrompt(format_money(a.state_fee_cents), payer or ""),
                             answered)

    def _replace_instrument(self, a: Application) -> None:
        """F with a State fee already recorded: void it (typed wrong) and record another."""
        db, actor = self.session.db, self.session.actor

        def answered(v: dict[str, str] | None) -> None:
            if v is None:
                self._say(f"The State fee stays: {a.instrument}.")
                return
            self._run(lambda: (instruments.void(db, actor, a.number, v["reason"]),
                               applications.get(db, a.number))[1],
                      lambda done: (self._show(done, "Voided. F records the right one."),
                                    None)[1], "void the State fee instrument")

        self.app.push_screen(Prompt(f"Void {a.instrument} (it pays every application listed "
                                    "with it) and record another?", [
            Field("reason", "Reason", placeholder="Why: e.g. typed 881 for 818",
                  max_length=80, check=required("The reason"))], name="void"), answered)

    def action_cancel_app(self) -> None:
        """Ctrl+D: the applicant left; the application is cancelled (city fees already paid
        are voided or reversed on the cashier's screens)."""
        a = self.app_view
        if a is None or a.status != "open":
            return
        db, actor = self.session.db, self.session.actor

        def answered(v: dict[str, str] | None) -> None:
            if v is not None:
                self._run(lambda: applications.cancel(db, actor, a.number, v["reason"]),
                          lambda done: self._show(done, f"{a.number} cancelled."),
                          "cancel the application")

        self.app.push_screen(Prompt(f"Cancel application {a.number}?", [
            Field("reason", "Reason", placeholder="Why (Esc = keep it)", max_length=80,
                  check=required("The reason"))], name="cancel"), answered)

    def action_pay(self) -> None:
        """The city's fees for this visit (execution, and the photo if taken here) on the
        ordinary payment screen: any tender, a receipt linked to the application."""
        from clerk_tui.domain.cashier import price_items

        a = self.app_view
        if a is None or a.status != "open":
            return
        items: list[SaleItem] = []
        if a.exec_receipt is None:
            items.append(SaleItem("passport", reference(a.number, "EXEC")))
        photo = a.answers.get("photo")
        if photo and photo.answer == "here" and a.photo_receipt is None:
            items.append(SaleItem("passport", reference(a.number, "PHOTO")))
        if not items:
            self._say("The city's fees are paid.")
            return
        db = self.session.db

        def priced(preview: Any) -> None:
            if preview is None or not self.is_attached:
                return
            self._paying = True
            self.session.open_payment(self.counter, items, preview)

        self._run(lambda: price_items(db, items), priced, "price the passport fees")

    def on_screen_resume(self) -> None:
        if self._paying:
            self._paying = False
            self.reload()

    def action_execute(self) -> None:
        a = self.app_view
        if a is None or a.status != "open":
            return
        missing = a.missing()
        if missing:
            self._say(f"Not yet: {missing[0]}" + (f" (+{len(missing) - 1} more)."
                                                  if len(missing) > 1 else "."))
            return
        db, actor = self.session.db, self.session.actor

        def go(ok: bool) -> None:
            if ok:
                self._run(lambda: applications.execute(db, actor, a.number),
                          lambda done: self._show(done, f"{a.number} executed by "
                                                  f"{actor.username}. Esc = back."),
                          "execute the application")

        self.session.confirm(f"Mark {a.number} executed by you now? Every step is done.", go,
                             yes="Execute", no="Not yet")

    def action_back(self) -> None:
        self.dismiss()

