"""Errors the counter shows to a person.

Each carries a message written for the clerk at the keyboard; screens show `str(err)` as is.
"""

from __future__ import annotations


class ClerkError(Exception):
    """Base for every refusal a clerk may see."""


class ValidationError(ClerkError, ValueError):
    """Input that cannot be accepted; nothing was changed."""


class NotThisKind(ValidationError):
    """The text is not shaped like this kind's references at all ("'COPY*0' is not a citation
    number"). The payment screen offers a typed code to every item kind: it tells the clerk
    the one message that is about what they typed, and never a mere "not mine" from an
    unrelated counter."""


class NotFound(ClerkError):
    """The account, receipt, clerk … asked for does not exist."""


class PermissionDenied(ClerkError):
    """The clerk's role may not do this at all, even with an override."""


class AuthError(ClerkError):
    """Sign-in or PIN check failed."""


class OverrideRequired(ClerkError):
    """Above the clerk's limit: a supervisor must approve at the point of action.

    Screens catch this, ask for a supervisor's username and PIN, and retry the same operation
    with the resulting `Override`.
    """

    def __init__(self, permission: str, message: str, amount_cents: int | None = None,
                 limit: str | None = None) -> None:
        super().__init__(message)
        self.permission = permission
        self.amount_cents = amount_cents
        self.limit = limit


class StateError(ClerkError):
    """The operation does not fit the current state (drawer closed, receipt already void…)."""
