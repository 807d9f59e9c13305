-- The office's day (issue 17): the GL file for finance is exported once per business day.
-- A second export of the same day is refused (primary key); the row keeps what was written
-- (its SHA-256 and totals) so a re-print gives the same file and can be checked against it.

CREATE TABLE gl_exports (
    business_date  TEXT PRIMARY KEY,
    exported_at    TEXT NOT NULL,
    exported_by    TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    lines          INTEGER NOT NULL CHECK (lines >= 0),
    debit_cents    INTEGER NOT NULL CHECK (debit_cents >= 0),
    credit_cents   INTEGER NOT NULL CHECK (credit_cents >= 0),
    sha256         TEXT NOT NULL,
    CHECK (debit_cents = credit_cents)
) STRICT;

CREATE TRIGGER gl_exports_no_update BEFORE UPDATE ON gl_exports
BEGIN SELECT RAISE(ABORT, 'gl_exports are append-only: a day is exported once'); END;
CREATE TRIGGER gl_exports_no_delete BEFORE DELETE ON gl_exports
BEGIN SELECT RAISE(ABORT, 'gl_exports are append-only: a day is exported once'); END;
