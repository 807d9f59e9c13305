-- Business licenses (F5): the license record, its yearly terms (what was assessed), what was
-- paid against them, department reviews, history, notices, BID remittances and event permits.
--
-- Facts are append-only: a term's assessment, a payment line, a history line, a remittance.
-- The license row and a review's decision change in place; each change also writes a history
-- line and an audit row (domain/licenses/records.py), so nothing is lost.

CREATE TABLE licenses (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,          -- 6-digit serial + Luhn check digit
    business_name    TEXT NOT NULL,
    name_key         TEXT NOT NULL,                 -- upper case, for prefix lookups
    dba              TEXT NOT NULL DEFAULT '',
    dba_key          TEXT NOT NULL DEFAULT '',
    ownership        TEXT NOT NULL,
    owners           TEXT NOT NULL,
    address          TEXT NOT NULL,
    address_key      TEXT NOT NULL,
    location         TEXT NOT NULL CHECK (location IN ('in_city', 'out_of_town', 'home')),
    mailing_address  TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    class_code       TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    employees        INTEGER NOT NULL DEFAULT 0 CHECK (employees >= 0),
    contractor_no    TEXT NOT NULL DEFAULT '',
    bid_zone         TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('applied', 'in_review', 'approved',
                         'issued', 'expired', 'delinquent', 'closed', 'denied')),
    replaces_id      INTEGER REFERENCES licenses(id),
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
) STRICT;
CREATE INDEX licenses_name ON licenses(name_key);
CREATE INDEX licenses_dba ON licenses(dba_key);
CREATE INDEX licenses_address ON licenses(address_key);
CREATE INDEX licenses_status ON licenses(status);

CREATE TABLE license_owners (
    id          INTEGER PRIMARY KEY,
    license_id  INTEGER NOT NULL REFERENCES licenses(id),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL
) STRICT;
CREATE INDEX license_owners_key ON license_owners(name_key);
CREATE INDEX license_owners_license ON license_owners(license_id);

-- One row per license year: what was assessed, fixed when the term was opened.
CREATE TABLE license_terms (
    id                    INTEGER PRIMARY KEY,
    license_id            INTEGER NOT NULL REFERENCES licenses(id),
    year                  INTEGER NOT NULL,
    starts_on             TEXT NOT NULL,
    ends_on               TEXT NOT NULL,
    due_on                TEXT NOT NULL,
    new_business          INTEGER NOT NULL DEFAULT 0,
    employees             INTEGER NOT NULL DEFAULT 0,
    gross_receipts_cents  INTEGER,                  -- confidential: license.gross_receipts
    tax_cents             INTEGER NOT NULL CHECK (tax_cents >= 0),
    casp_city_cents       INTEGER NOT NULL CHECK (casp_city_cents >= 0),
    casp_state_cents      INTEGER NOT NULL CHECK (casp_state_cents >= 0),
    hop_cents             INTEGER NOT NULL DEFAULT 0,
    bid_cents             INTEGER NOT NULL DEFAULT 0,
    bid_zone              TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    created_by            TEXT NOT NULL,
    UNIQUE (license_id, year)
) STRICT;

-- Money paid (or, negative, undone by a void/reversal) against one part of a term. A row
-- without a receipt was paid before clerk-tui (converted from the old system: the money moved
-- there, never through this ledger); every payment taken here names its receipt, and a refund
-- (a negative row) names the refund's journal.
CREATE TABLE license_payments (
    id           INTEGER PRIMARY KEY,
    license_id   INTEGER NOT NULL REFERENCES licenses(id),
    term_id      INTEGER REFERENCES license_terms(id),
    part         TEXT NOT NULL,   -- TAX CASPC CASPS PEN HOP BID DUP
    amount_cents INTEGER NOT NULL,
    fund         TEXT NOT NULL,
    gl_code      TEXT NOT NULL,
    receipt_id   INTEGER REFERENCES receipts(id),
    journal_id   INTEGER REFERENCES journals(id),
    paid_on      TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX license_payments_term ON license_payments(term_id, part);
CREATE INDEX license_payments_license ON license_payments(license_id);
CREATE INDEX license_payments_part ON license_payments(part, paid_on);

CREATE TABLE license_reviews (
    id          INTEGER PRIMARY KEY,
    license_id  INTEGER NOT NULL REFERENCES licenses(id),
    department  TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'conditions', 'denied', 'withdrawn')),
    note        TEXT NOT NULL DEFAULT '',
    decided_by  TEXT,
    decided_at  TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX license_reviews_pending ON license_reviews(status, department);
CREATE INDEX license_reviews_license ON license_reviews(license_id);

CREATE TABLE license_history (
    id          INTEGER PRIMARY KEY,
    license_id  INTEGER NOT NULL REFERENCES licenses(id),
    at          TEXT NOT NULL,
    clerk       TEXT NOT NULL,
    event       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX license_history_license ON license_history(license_id, id);

-- Letters of this counter (renewal, delinquent, denial): its own mailing queue, same shape as
-- the utility desk's (the body as sent; `delivered` '' until printed or saved).
CREATE TABLE license_letters (
    id            INTEGER PRIMARY KEY,
    license_id    INTEGER NOT NULL REFERENCES licenses(id),
    kind          TEXT NOT NULL,
    period        TEXT NOT NULL,   -- the run that made it (YYYY-MM), one per kind and license
    generated_at  TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    body          TEXT NOT NULL,
    delivered     TEXT NOT NULL DEFAULT '',
    UNIQUE (license_id, kind, period)
) STRICT;
CREATE INDEX license_letters_queue ON license_letters(delivered);

-- BID money remitted to a district's association: one remittance per zone and month, each
-- payment line at most once.
CREATE TABLE bid_remittances (
    id            INTEGER PRIMARY KEY,
    zone          TEXT NOT NULL,
    month         TEXT NOT NULL,   -- YYYY-MM collected
    amount_cents  INTEGER NOT NULL,
    journal_id    INTEGER NOT NULL REFERENCES journals(id),
    created_at    TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    UNIQUE (zone, month)
) STRICT;
CREATE TABLE bid_remitted (
    payment_id     INTEGER NOT NULL PRIMARY KEY REFERENCES license_payments(id),
    remittance_id  INTEGER NOT NULL REFERENCES bid_remittances(id)
) STRICT;

-- Special-event and nonprofit daily permits: sign-offs before, a close-out after (does the
-- deposit come back?), the fee (revenue) and deposit (trust) paid as receipt items, and the
-- deposit refunded (cash or city check) or forfeited once.
CREATE TABLE event_permits (
    id                     INTEGER PRIMARY KEY,
    number                 TEXT NOT NULL UNIQUE,   -- 6-digit serial + Luhn check digit
    organiser              TEXT NOT NULL,
    organiser_key          TEXT NOT NULL,
    phone                  TEXT NOT NULL DEFAULT '',
    event_name             TEXT NOT NULL,
    place                  TEXT NOT NULL,
    starts_on              TEXT NOT NULL,
    ends_on                TEXT NOT NULL,
    attendance             INTEGER NOT NULL CHECK (attendance >= 0),
    nonprofit              INTEGER NOT NULL DEFAULT 0,
    nonprofit_proof        TEXT NOT NULL DEFAULT '',
    insurance_received_on  TEXT,
    insurance_expires_on   TEXT,
    fee_cents              INTEGER NOT NULL CHECK (fee_cents >= 0),
    deposit_cents          INTEGER NOT NULL CHECK (deposit_cents >= 0),
    status                 TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'issued',
                               'denied', 'closed')),
    deposit_outcome        TEXT NOT NULL DEFAULT ''
                           CHECK (deposit_outcome IN ('', 'refund', 'forfeit')),
    closeout_note          TEXT NOT NULL DEFAULT '',
    created_at             TEXT NOT NULL,
    created_by             TEXT NOT NULL
) STRICT;
CREATE INDEX event_permits_organiser ON event_permits(organiser_key);
CREATE INDEX event_permits_starts ON event_permits(starts_on);

CREATE TABLE event_signoffs (
    id          INTEGER PRIMARY KEY,
    permit_id   INTEGER NOT NULL REFERENCES event_permits(id),
    department  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'denied', 'withdrawn')),
    note        TEXT NOT NULL DEFAULT '',
    decided_by  TEXT,
    decided_at  TEXT
) STRICT;
CREATE INDEX event_signoffs_permit ON event_signoffs(permit_id);

-- What was paid (negative: undone) for a permit's FEE or DEP, and deposits refunded/forfeited.
CREATE TABLE event_payments (
    id            INTEGER PRIMARY KEY,
    permit_id     INTEGER NOT NULL REFERENCES event_permits(id),
    part          TEXT NOT NULL CHECK (part IN ('FEE', 'DEP')),
    amount_cents  INTEGER NOT NULL,
    receipt_id    INTEGER NOT NULL REFERENCES receipts(id),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX event_payments_permit ON event_payments(permit_id);
CREATE TABLE event_deposit_returns (
    id            INTEGER PRIMARY KEY,
    permit_id     INTEGER NOT NULL UNIQUE REFERENCES event_permits(id),
    how           TEXT NOT NULL CHECK (how IN ('cash', 'check', 'forfeit')),
    amount_cents  INTEGER NOT NULL,
    journal_id    INTEGER NOT NULL REFERENCES journals(id),
    drawer_session_id INTEGER,
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    override_by   TEXT
) STRICT;

CREATE TRIGGER license_terms_no_update BEFORE UPDATE ON license_terms
BEGIN SELECT RAISE(ABORT, 'license terms are append-only'); END;
CREATE TRIGGER license_terms_no_delete BEFORE DELETE ON license_terms
BEGIN SELECT RAISE(ABORT, 'license terms are append-only'); END;
CREATE TRIGGER license_payments_no_update BEFORE UPDATE ON license_payments
BEGIN SELECT RAISE(ABORT, 'license payments are append-only'); END;
CREATE TRIGGER license_payments_no_delete BEFORE DELETE ON license_payments
BEGIN SELECT RAISE(ABORT, 'license payments are append-only'); END;
CREATE TRIGGER license_history_no_update BEFORE UPDATE ON license_history
BEGIN SELECT RAISE(ABORT, 'license history is append-only'); END;
CREATE TRIGGER license_history_no_delete BEFORE DELETE ON license_history
BEGIN SELECT RAISE(ABORT, 'license history is append-only'); END;
CREATE TRIGGER license_letters_no_update BEFORE UPDATE OF body, kind, license_id ON license_letters
BEGIN SELECT RAISE(ABORT, 'license letters are append-only'); END;
CREATE TRIGGER license_letters_no_delete BEFORE DELETE ON license_letters
BEGIN SELECT RAISE(ABORT, 'license letters are append-only'); END;
CREATE TRIGGER bid_remittances_no_update BEFORE UPDATE ON bid_remittances
BEGIN SELECT RAISE(ABORT, 'BID remittances are append-only'); END;
CREATE TRIGGER bid_remittances_no_delete BEFORE DELETE ON bid_remittances
BEGIN SELECT RAISE(ABORT, 'BID remittances are append-only'); END;
CREATE TRIGGER bid_remitted_no_update BEFORE UPDATE ON bid_remitted
BEGIN SELECT RAISE(ABORT, 'BID remittances are append-only'); END;
CREATE TRIGGER bid_remitted_no_delete BEFORE DELETE ON bid_remitted
BEGIN SELECT RAISE(ABORT, 'BID remittances are append-only'); END;
CREATE TRIGGER event_payments_no_update BEFORE UPDATE ON event_payments
BEGIN SELECT RAISE(ABORT, 'event payments are append-only'); END;
CREATE TRIGGER event_payments_no_delete BEFORE DELETE ON event_payments
BEGIN SELECT RAISE(ABORT, 'event payments are append-only'); END;
CREATE TRIGGER event_deposit_returns_no_update BEFORE UPDATE ON event_deposit_returns
BEGIN SELECT RAISE(ABORT, 'a deposit is returned or forfeited once'); END;
CREATE TRIGGER event_deposit_returns_no_delete BEFORE DELETE ON event_deposit_returns
BEGIN SELECT RAISE(ABORT, 'a deposit is returned or forfeited once'); END;
