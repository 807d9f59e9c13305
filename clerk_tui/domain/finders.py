"""The F2 lookup across counters: accounts plus whatever each counter's finder finds.

A counter declares a `FinderSpec` in its manifest (`clerk_tui.counters.manifest`); its
`find(db, actor, text, limit) -> list[Found]` answers from its own index. `search_everything`
runs the account search and every finder the clerk's role is allowed outright (a hit is a
disclosure, and a search box has no place to ask for a supervisor), merges the hits and ranks
them: an exact number first (rank 0, an account's or a citation's alike), then by rank, each
source keeping its own order within a rank. A finder that raises is logged and left out, so
one broken counter never costs the clerk the account search.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.search import MAX_QUERY_CHARS, SearchHit, search_accounts

if TYPE_CHECKING:
    from clerk_tui.counters.manifest import FinderSpec

log = logging.getLogger(__name__)

ACCOUNT = "account"
"""The kind of the lookup's own hits; no finder may take it."""


@dataclass(frozen=True)
class Found:
    """One line of the lookup list from any counter.

    `key` is what the counter's `open(screen, key)` takes back (a record number or id);
    `title` and `detail` are shown as text (never markup); `rank` orders the merged list:
    0 = the exact number typed, 50 = an ordinary match (accounts rank 0-40)."""

    kind: str
    key: str
    title: str
    detail: str = ""
    rank: int = 50


@dataclass(frozen=True)
class LookupResult:
    """What the lookup shows: the merged hits, plus the account columns and the notes."""

    query: str
    found: list[Found] = field(default_factory=list)
    accounts: dict[int, SearchHit] = field(default_factory=dict)
    """The account hits by id (number and status have columns of their own)."""
    more: bool = False
    hint: str = ""
    failed: tuple[str, ...] = ()
    """Kinds whose finder raised this time (logged; their hits are missing)."""


def account_found(hit: SearchHit) -> Found:
    """An account hit as a lookup line: key = the account id, rank by why it matched."""
    return Found(ACCOUNT, str(hit.account_id), hit.name, hit.service_address, hit.tier * 10)


def allowed_finders(actor: Actor, finders: Sequence[FinderSpec] | None = None
                    ) -> list[FinderSpec]:
    """The registered finders this clerk's role may use outright (authority.toml)."""
    from clerk_tui.domain.authority import authority

    if finders is None:
        from clerk_tui.counters import registry

        finders = registry().finders
    out = []
    for spec in finders:
        if spec.permission is not None:
            try:
                authority().require(actor, spec.permission, what="look up " + spec.kind)
            except ClerkError:  # denied, or only with a supervisor's approval
                continue
        out.append(spec)
    return out


def clean_text(text: object) -> str:
    """What a finder is given: printable, trimmed, at most MAX_QUERY_CHARS characters."""
    s = "" if text is None else str(text)[: MAX_QUERY_CHARS * 2]
    return "".join(ch if ch.isprintable() else " " for ch in s).strip()[:MAX_QUERY_CHARS]


def search_everything(db: Database, actor: Actor, text: object, limit: int = 50, *,
                      finders: Sequence[FinderSpec] | None = None) -> LookupResult:
    """Accounts and every allowed finder's hits for `text`, ranked, at most `limit`."""
    from clerk_tui.counters.manifest import resolve

    limit = max(1, min(int(limit), 500))
    accounts = search_accounts(db, text, limit=limit)
    found = [account_found(h) for h in accounts.hits]
    more = accounts.more
    failed: list[str] = []
    typed = clean_text(text)
    if typed:
        for spec in allowed_finders(actor, finders):
            try:
                hits = list(resolve(spec.find)(db, actor, typed, limit))
                for h in hits:
                    if not isinstance(h, Found) or h.kind != spec.kind:
                        raise TypeError(f"finder {spec.kind!r} returned {h!r}")
            except Exception:
                log.exception("lookup finder %r failed; its hits are left out", spec.kind)
                failed.append(spec.kind)
                continue
            found += hits
    found.sort(key=lambda f: f.rank)  # stable: accounts, then finders in manifest order
    more = more or len(found) > limit
    found = found[:limit]
    shown_ids = {int(f.key) for f in found if f.kind == ACCOUNT}
    return LookupResult(accounts.query, found,
                        {h.account_id: h for h in accounts.hits if h.account_id in shown_ids},
                        more, accounts.hint if not found else "", tuple(failed))
