"""Trainee clerks exist only in training databases.

A trainee learns on the sandbox's made-up town; on a production database a trainee clerk could
open a drawer and take real money under rules written for practice. So the domain itself
refuses, whatever screen or script asked: adding a trainee (or making a clerk one) anywhere but
a training database, a trainee signing in to one, and any money a trainee actor would move
there: opening, counting or closing a drawer (`cashier.sessions`) and every ledger posting
(`ledger.post`, which every payment, void, refund and paid-in/out goes through). An unlabelled
database counts as not training.
"""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain.errors import PermissionDenied

TRAINEE = "trainee"


def require_training_for(db: Database, role: str, what: str) -> None:
    """Refuse `what` when `role` is trainee and `db` is not a training database (cheap for
    every other role: no query)."""
    if role != TRAINEE:
        return
    kind = db.kind()
    if kind == "training":
        return
    where = f"a {kind}" if kind else "an unlabelled"
    raise PermissionDenied(
        f"Trainee clerks exist only in training databases: {what} refused on {where} database "
        "(use the sandbox, clerk-tui --sandbox)."
    )
