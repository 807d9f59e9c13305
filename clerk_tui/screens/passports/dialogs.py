"""The passports counter's small dialogs: the new-application form and the prompts the
checklist asks (DS-3053, the State fee instrument). Shape checks only; the domain decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import parse_money
from clerk_tui.screens.kit import Field, Form, Prompt, Run, required


def is_date(what: str, *, blank: bool = False) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not value.strip() and blank:
            return None
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return f"{what}: a date like 2014-06-01 (YYYY-MM-DD)."
        return None
    return check


def one_of(what: str, *allowed: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        v = value.strip().lower()
        return None if v in allowed else f"{what}: {' or '.join(allowed)}."
    return check


def yes(value: str) -> bool:
    return value.strip().lower() in ("y", "yes")


def money(value: str) -> str | None:
    try:
        parse_money(value, allow_zero=False)
    except ClerkError as e:
        return str(e)
    return None


class NewApplicationForm(Form):
    """The applicant and what they apply for; closes with the started application."""

    def __init__(self, submit: Callable[[dict[str, str]], Any], run: Run,
                 describe: Callable[[Any], str]) -> None:
        super().__init__("New DS-11 application", [
            Field("name", "Applicant", placeholder="Full name as on the evidence", max_length=80,
                  check=required("The applicant's name")),
            Field("birth", "Born", placeholder="YYYY-MM-DD", max_length=10,
                  check=is_date("Date of birth")),
            Field("parents", "Parents", placeholder="Minors: parents/guardians present",
                  max_length=120),
            Field("product", "Product", "book", "book, card or both", 4,
                  one_of("Product", "book", "card", "both")),
            Field("expedite", "Expedite", "n", "y/n", 3, one_of("Expedite", "y", "n", "yes", "no")),
            Field("delivery", "1-2 day", "n", "y/n (books only)", 3,
                  one_of("1-2 day delivery", "y", "n", "yes", "no")),
            Field("search", "File search", "n", "y/n", 3,
                  one_of("File search", "y", "n", "yes", "no")),
        ], submit, describe, run=run,
            heading="Only what the log needs: no SSN, no document numbers.")

    def _done(self, result: Any) -> None:
        if result is None:
            super()._done(result)
            return
        self.result = result
        self.dismiss(result)


class DS3053Prompt(Prompt):
    """The absent parent's statement of consent: when notarised, and the ID copy."""

    def __init__(self) -> None:
        super().__init__("DS-3053 from the absent parent", [
            Field("notarised", "Notarised", placeholder="Notarised on (YYYY-MM-DD)",
                  max_length=10, check=is_date("Notarised")),
            Field("idcopy", "ID copy", placeholder="Copy of their ID attached? y/n",
                  max_length=3, check=one_of("ID copy", "y", "n", "yes", "no")),
        ], name="ds3053")


class InstrumentPrompt(Prompt):
    """The applicant's check or money order to the U.S. Department of State (pass-through)."""

    def __init__(self, fee: str, payer: str) -> None:
        super().__init__(f"State Department fee {fee}: check or money order (NOT city money)", [
            Field("kind", "Kind", "", "Check: Enter.  Money order: m", 1,
                  lambda v: None if v.strip().lower() in ("", "c", "m")
                  else "Kind: Enter for a check, m for a money order."),
            Field("number", "Number", placeholder="Check / money order number", max_length=20,
                  check=required("Its number")),
            Field("amount", "Amount", fee, "Amount", 14, money),
            Field("payer", "Payer", payer, "Payer's name", 80, required("The payer")),
            Field("also", "Also pays", placeholder="Other applications it pays (PA..., comma)",
                  max_length=120),
        ], name="instrument",
            hint="Enter = next / OK   Esc = cancel   One family check: list the others")
