"""Read-only summaries of the cashier's state for screens and the status bar.

Small on purpose: each function answers one question a screen asks, in words a clerk reads,
so screens never need SQL or knowledge of session states.
"""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier.sessions import current_session

_STATE_WORDS = {"open": "open", "balancing": "counting"}


def drawer_state_label(db: Database, actor: Actor) -> str:
    """The status bar's drawer word: "open", "counting" or "closed" (no drawer in use)."""
    s = current_session(db, actor)
    if s is None:
        return "closed"
    return _STATE_WORDS.get(s.state, s.state)
