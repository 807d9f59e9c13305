"""Who is doing something, and where: passed to every domain operation that changes data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    workstation: str
    full_name: str = ""


@dataclass(frozen=True)
class Override:
    """A supervisor's approval, obtained only through `auth.authorize_override`."""

    supervisor: str
    permission: str
    amount_cents: int | None = None


SYSTEM = Actor(username="system", role="admin", workstation="cli", full_name="clerk-tui")
