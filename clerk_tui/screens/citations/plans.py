"""The payment plan form (CVC 40220) for a plate: eligibility as recorded by the clerk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clerk_tui.domain.money import parse_money
from clerk_tui.screens.citations.forms import CitationForm, _money
from clerk_tui.screens.kit import Field, Form, required

if TYPE_CHECKING:
    from clerk_tui.session import Session


def plan_form(session: Session, plate: str, state: str) -> Form:
    from clerk_tui.domain.citations import plans

    db, actor = session.db, session.actor

    def submit(v: dict[str, str], override: Any = None) -> str:
        basis = "benefits" if v["basis"].strip().lower().startswith("b") else "income"
        income = parse_money(v["income"]) if v["income"] else None
        monthly = parse_money(v["monthly"]) if v["monthly"] else None
        household = int(v["household"]) if v["household"].isdigit() else 0
        return plans.create_plan(db, actor, plate, state, v["person"], basis, household,
                                 income, monthly, override=override).message

    return CitationForm(f"Payment plan for {plate} {state}", [
        Field("person", "Name", max_length=80, check=required("Name")),
        Field("basis", "Eligible by", "benefits", "benefits or income", 8, check=required("Eligible by")),
        Field("household", "Household", "1", "people", 2,
              check=lambda v: None if v.isdigit() else "a whole number."),
        Field("income", "Yearly income", placeholder="only for income", max_length=12,
              check=_money),
        Field("monthly", "Monthly", placeholder="empty = the most the law allows",
              max_length=12, check=_money),
    ], submit, str, heading="Penalties waived; holds released; one 45-day cure (CVC 40220).")
