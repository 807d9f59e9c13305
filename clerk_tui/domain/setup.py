"""Creating a database: label it production or training and make its first administrator."""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth
from clerk_tui.domain.actor import SYSTEM, Actor


def initialize(db: Database, kind: str, *, admin_username: str = "admin",
               admin_name: str = "Administrator", admin_pin: str | None = None,
               actor: Actor = SYSTEM) -> None:
    """Migrate, label, and (for a new database) add the first admin, all audited."""
    if admin_pin is not None:
        auth.validate_pin(admin_pin)
    db.migrate()
    db.ensure_secret()  # normally made with the file by Database.open(create=True)
    db.set_kind(kind)
    with db.write():
        audit.record(db, actor, "database.init", f"database:{kind}", after={"kind": kind})
        if admin_pin is not None and not db.scalar("SELECT 1 FROM clerks LIMIT 1"):
            auth.add_clerk(db, actor, admin_username, admin_name, "admin", admin_pin)
