"""Who is doing something, and where: passed to every domain operation that changes data.

Only `auth` makes these with a valid `seal` (sign-in, the supervisor-override check, the shell's
administrator); the domain refuses any other, so building one by hand or editing one with
`dataclasses.replace` gets nothing done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    workstation: str
    full_name: str = ""
    seal: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class Override:
    """A supervisor's approval, obtained only through `auth.authorize_override`."""

    supervisor: str
    permission: str
    amount_cents: int | None = None
    seal: str = field(default="", repr=False, compare=False)


def __getattr__(name: str) -> Any:
    """`SYSTEM` is issued by `auth` (it holds the key); kept importable from here."""
    if name == "SYSTEM":
        from clerk_tui.domain.auth import SYSTEM

        return SYSTEM
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
