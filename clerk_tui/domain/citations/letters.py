"""Citation letters (notice of delinquency, review result) from templates in
`data/citations/letters/<kind>.txt`, kept as sent in `citation_letters`.

Like the utility letters: `string.Template` with a fixed set of fields (a template naming
anything else is refused), values substituted once and shown with `visible` (an owner name of
`$amount_due` or an escape code prints as typed, never as a placeholder or a printer command).
"""

from __future__ import annotations

import functools
import string
from typing import Any

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain import rules as rulefile
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.language import ENGLISH, template_folder
from clerk_tui.domain.text import visible
from clerk_tui.paths import reference_data_dir

KINDS = ("notice", "review_result")
FIELDS = ("date", "city_name", "notice_number", "owner_name", "owner_address",
          "citation_number", "issued_on", "location", "plate", "state", "make", "colour",
          "violation", "amount_due", "pay_by", "review_by", "result", "reason", "hearing_by")


@functools.cache
def template(kind: str, language: str = ENGLISH) -> string.Template:
    """The template of `kind` in `language` (Spanish: `letters/es/<kind>.txt`)."""
    if kind not in KINDS:
        raise ValidationError(f"No citation letter {kind!r}.")
    folder = template_folder(reference_data_dir() / "citations" / "letters", language)
    path = folder / f"{kind}.txt"
    try:
        t = string.Template(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"{path}: file not found.") from None
    unknown = sorted(set(t.get_identifiers()) - set(FIELDS))
    if unknown or not t.is_valid():
        raise ValidationError(f"{path}: unknown fields {', '.join(unknown) or '(bad $)'}.")
    return t


@functools.cache
def city_name() -> str:
    try:
        raw = rulefile.load_rules(reference_data_dir() / "site.toml")
    except ValidationError:
        return "City Counter"
    return str(raw.get("name", "City Counter"))


def render(kind: str, values: dict[str, Any], language: str = ENGLISH) -> str:
    """The letter in `language`. A registered owner has no language on file (DMV does not say),
    so the notice runs send English; a caller that knows the owner's language passes it."""
    filled = {f: visible(str(values.get(f, ""))) for f in FIELDS}
    filled.setdefault("date", clock.today().isoformat())
    if not values.get("date"):
        filled["date"] = clock.today().isoformat()
    filled["city_name"] = visible(city_name())
    return template(kind, language).substitute(filled)


def store_letter(db: Database, actor: Actor, citation_id: int, kind: str, body: str) -> int:
    """Keep the letter as sent (inside the caller's write)."""
    return db.insert("citation_letters", {
        "citation_id": citation_id, "kind": kind, "body": body,
        "generated_at": clock.stamp(), "clerk": actor.username})


def letters_of(db: Database, citation_id: int) -> list[dict[str, Any]]:
    return db.all("SELECT * FROM citation_letters WHERE citation_id = ? ORDER BY id",
                  [citation_id])
