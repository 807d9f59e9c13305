"""Things a clerk does *to* an account (service orders, reads, adjustments, plans, deposits,
letters, refunds, reversals…), reached from the account screen's `A` menu.

The account screen has room in its footer for only a handful of keys at 80 columns, and every
desk (utility service, collections, cashier) keeps adding duties. So each counter declares
its duties in its manifest (`ActionSpec`, clerk_tui/counters/), and the account screen shows
one menu with a letter per action — the account screen never changes when a desk adds a duty:

    ActionSpec("order", "o", "Service order", "service.order",
               "clerk_tui.screens.utility.service:new_order")

The menu lists only what the signed-in clerk's role allows outright or with an override (the
domain still has the last word: an over-limit amount asks for a supervisor at the point of
action). `load_actions()` takes them from the loaded manifests; a screen module is imported
only when its action is picked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clerk_tui.domain.authority import DENY, authority
from clerk_tui.screens.kit import Choice, LetterMenu

if TYPE_CHECKING:
    from textual.screen import Screen

    from clerk_tui.domain.actor import Actor

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class AccountAction:
    id: str
    key: str
    """One letter, unique across actions; shown in the menu and typed to pick."""
    label: str
    permission: str | None
    """Shown only to roles that may do it (outright or by override); None = everyone."""
    open: Callable[[int], Screen]
    """`open(account_id)` returns the screen (or modal) that does the job."""
    order: int = 100


_actions: dict[str, AccountAction] = {}
_loaded = False


def register_action(action: AccountAction, *, replace: bool = False) -> None:
    key = action.key.lower()
    if len(key) != 1 or not key.isalnum():
        raise ValueError(f"action key must be one letter or digit, not {action.key!r}")
    for other in _actions.values():
        if other.id != action.id and other.key.lower() == key:
            raise ValueError(f"action key {key!r} is taken by {other.id!r}")
    if action.id in _actions and not replace:
        raise ValueError(f"action {action.id!r} is already registered")
    _actions[action.id] = action


def load_actions() -> None:
    """Register every manifest's account actions (once); each opens its screen lazily."""
    global _loaded
    if _loaded:
        return
    from clerk_tui.counters import registry

    for spec in registry().account_actions:
        register_action(AccountAction(spec.id, spec.key, spec.label, spec.permission,
                                      lazy_factory(spec.open), order=spec.order),
                        replace=True)
    _loaded = True


def lazy_factory(spec: str) -> Callable[..., Screen]:
    """A callable that imports `"module:attr"` when first called, then calls it."""
    from clerk_tui.counters.manifest import resolve

    def open_(*args: object) -> Screen:
        screen: Screen = resolve(spec)(*args)
        return screen

    open_.__qualname__ = spec
    return open_


def actions_for(actor: Actor | None) -> list[AccountAction]:
    load_actions()
    rules = authority()
    out = []
    for a in _actions.values():
        if a.permission is not None and (
                actor is None or rules.mode(actor.role, a.permission) == DENY):
            continue
        out.append(a)
    return sorted(out, key=lambda a: (a.order, a.label))


class AccountActionsScreen(LetterMenu):
    """The `A` menu: the kit's letter menu of the actions the clerk's role may do (a letter,
    or Up/Down + Enter, picks; Esc changes nothing). `action(letter)` is the one picked."""

    def __init__(self, title: str, actions: list[AccountAction]) -> None:
        super().__init__(title, [Choice(a.key, a.label) for a in actions],
                         note="Nothing here for your role.")
        self.actions = actions

    def action(self, letter: str | None) -> AccountAction | None:
        return next((a for a in self.actions if letter and a.key.lower() == letter), None)
