"""The screen kit: the pieces every counter's screens are built from.

- `Form`, `Field`, `required`: a short form with checks, Esc asks before dropping typed work.
- `LetterMenu`, `Choice`: pick by letter, only allowed choices shown.
- `Picker`: pick one of a list (given, or loaded through `run`).
- `Prompt`: a small dialog of fields that closes with what was typed (no domain work).
- `ListAndAct`, `Row`, `Action`: a table with letter actions on the highlighted row, F5 refresh.
- `ReportScreen`: a wrapped report, P prints, Esc closes.
- `ConfirmDialog`, `SayDialog`: yes/no and "read this" modals.
- `PostingModal`: a full-screen modal that posts one thing (refund, reversal).
- `KitModal`, `Run`, `thread_run`, `guarded`, `Refused`: the shared modal boilerplate and the
  `run(fn, *args, then=...)` contract for domain work off the UI thread.

Every piece uses `kit.tcss` (theme variables and `.-ascii` frames only). See docs/kit.md.
"""

from clerk_tui.screens.kit.base import (
    CASHIER_CSS,
    KIT_CSS,
    KitAsks,
    KitModal,
    PostingModal,
    Refused,
    Run,
    guarded,
    thread_run,
)
from clerk_tui.screens.kit.dialogs import ConfirmDialog, SayDialog
from clerk_tui.screens.kit.form import Check, Field, Form, required
from clerk_tui.screens.kit.listact import Action, ListAndAct, Row
from clerk_tui.screens.kit.menu import Choice, LetterMenu, Picker, letter_options
from clerk_tui.screens.kit.prompt import Prompt
from clerk_tui.screens.kit.report import ReportScreen, print_message

__all__ = [
    "CASHIER_CSS", "KIT_CSS", "Action", "Check", "Choice", "ConfirmDialog", "Field", "Form",
    "KitAsks", "KitModal", "LetterMenu", "ListAndAct", "Picker", "PostingModal", "Prompt", "Refused",
    "ReportScreen", "Row", "Run", "SayDialog", "guarded", "letter_options", "print_message",
    "required", "thread_run",
]
