"""Which language a customer is written to in: English or Spanish.

Why on the customer (customers.language, core migration 0007): one person reads one language,
whatever account, plan or deposit a letter is about. Letters and receipts only read it; the
customer-records screen changes it. A record with no customer (a citation's registered owner,
a permit holder, a business license) has no language of its own yet: its letters render in
English unless the caller passes one (the Spanish templates exist and are tested for them).

Templates: `data/<counter>/letters/<kind>.txt` is English; its Spanish translation is
`data/<counter>/letters/es/<kind>.txt`, with exactly the same fields.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain.errors import ValidationError

ENGLISH, SPANISH = "en", "es"
LANGUAGES = (ENGLISH, SPANISH)
NAMES = {ENGLISH: "English", SPANISH: "Español"}

Localized = dict[str, str]
"""A letter value that is prose: the same thing said in each language ({'en': …, 'es': …})."""


def check(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationError(f"{str(language)[:10]!r} is not a language (en or es).")
    return language


def customer_language(db: Database, customer_id: int) -> str:
    lang = db.scalar("SELECT language FROM customers WHERE id = ?", [customer_id])
    return lang if lang in LANGUAGES else ENGLISH


def account_language(db: Database, account_id: int) -> str:
    """The language of the account's customer (English when there is none)."""
    lang = db.scalar("SELECT c.language FROM accounts a JOIN customers c ON c.id = a.customer_id "
                     "WHERE a.id = ?", [account_id])
    return lang if lang in LANGUAGES else ENGLISH


def template_folder(folder: Path, language: str) -> Path:
    """Where `language`'s templates are: the English folder itself, or its `es/` beside."""
    return folder if check(language) == ENGLISH else folder / language


def pick(value: object, language: str) -> object:
    """A `Localized` value's text in `language` (English if it has none); anything else as is."""
    if isinstance(value, dict):
        return value.get(language, value.get(ENGLISH, ""))
    return value


_MONTHS = {
    ENGLISH: ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
    SPANISH: ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"),
}


def format_date(d: dt.date, language: str = ENGLISH) -> str:
    """'March 2, 2026' / '2 de marzo de 2026' (no strftime: its names follow the locale)."""
    if check(language) == SPANISH:
        return f"{d.day} de {_MONTHS[SPANISH][d.month - 1]} de {d.year}"
    return f"{_MONTHS[ENGLISH][d.month - 1]} {d.day}, {d.year}"


def dates(d: dt.date) -> Localized:
    """`d` written in every language (a letter field that is a date)."""
    return {lang: format_date(d, lang) for lang in LANGUAGES}
