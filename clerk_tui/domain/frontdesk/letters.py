"""The front desk's letters (records-request acknowledgement, extension, release, denial; the
clearance letter) from templates in `data/frontdesk/letters/[es/]<kind>.txt`.

Why templates: the wording cites the Government Code and changes with it, without a release;
and each letter has its Spanish translation beside it (issue 17). Values are substituted once
(a requester named `$number` prints as typed). A requester has no language on file, so the
desk writes English; the Spanish templates are rendered and checked by the tests for when one
is recorded. A template naming a field not in FIELDS is an error, never a hole in a letter.
"""

from __future__ import annotations

import string
from pathlib import Path

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.language import ENGLISH, pick
from clerk_tui.domain.utility.letters import template_path
from clerk_tui.paths import reference_data_dir

KINDS = ("acknowledgement", "extension", "release", "denial", "clearance")
FIELDS = ("date", "requester", "contact", "number", "received_on", "records", "due_on",
          "victim_note", "extension_reason", "extended_to", "released", "pages", "copy_fee",
          "withheld_block", "exemption", "responsible", "duplicate_banner", "name",
          "birth_date", "id_seen", "purpose", "reference")


def letters_folder() -> Path:
    return reference_data_dir() / "frontdesk" / "letters"


def render(kind: str, values: dict[str, object], language: str = ENGLISH) -> str:
    """The letter's text (no final line break, as the desk has always kept it); a value may
    be `{'en': …, 'es': …}`."""
    if kind not in KINDS:
        raise ValidationError(f"No front desk letter {kind!r}.")
    path = template_path(kind, letters_folder(), language)
    template = string.Template(path.read_text(encoding="utf-8"))
    unknown = sorted(set(template.get_identifiers()) - set(FIELDS))
    if unknown or not template.is_valid():
        raise ValidationError(f"{path}: unknown fields {', '.join(unknown) or '(bad $)'}.")
    filled = {f: str(pick(values.get(f, ""), language)) for f in FIELDS}
    return template.substitute(filled).removesuffix("\n")
