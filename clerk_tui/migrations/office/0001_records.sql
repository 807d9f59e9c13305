-- Customer records and misapplied payments (issue 17; domain/office/records.py, transfers.py).
--
-- customer_changes: every change of a customer's name, phone, email, mailing address or
--   language, field by field, with the value before and after, the reason and who did it.
--   The customers row itself is updated in place (the search triggers follow it); this table
--   is its history, append-only.
-- returned_mail: the post office returned mail (bad address) / the address was corrected.
--   The latest event says whether letters to the customer are held (utility/letters.py).
-- payment_transfers: a payment (or one item of it) moved from where it was applied to where it
--   belongs, or money in suspense (a reversal's) applied. One journal each: the reversing
--   entry (pointing at the original entry) and the applied entry, both on the original
--   receipt; this row points at both entries and at the journal.

CREATE TABLE customer_changes (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    field        TEXT NOT NULL CHECK (field IN ('name','phone','email','mailing_address','language')),
    before       TEXT NOT NULL DEFAULT '',
    after        TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    at           TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    override_by  TEXT
) STRICT;
CREATE INDEX customer_changes_customer ON customer_changes(customer_id, id);

CREATE TABLE returned_mail (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    event        TEXT NOT NULL CHECK (event IN ('returned','corrected')),
    address      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    last_letter_id INTEGER,           -- 'corrected': letters up to this id carry the old address
    at           TEXT NOT NULL,
    clerk        TEXT NOT NULL
) STRICT;
CREATE INDEX returned_mail_customer ON returned_mail(customer_id, id);

CREATE TABLE payment_transfers (
    id                  INTEGER PRIMARY KEY,
    receipt_id          INTEGER NOT NULL REFERENCES receipts(id),
    line                INTEGER,          -- the item moved; NULL = from suspense (whole reversal)
    source              TEXT NOT NULL CHECK (source IN ('item','suspense')),
    from_kind           TEXT NOT NULL,
    from_reference      TEXT NOT NULL,
    to_kind             TEXT NOT NULL,
    to_reference        TEXT NOT NULL,
    to_account_id       INTEGER REFERENCES accounts(id),
    amount_cents        INTEGER NOT NULL CHECK (amount_cents > 0),
    journal_id          INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    reversed_entry_id   INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(id),
    reversing_entry_id  INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(id),
    applied_entry_id    INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(id),
    reason              TEXT NOT NULL CHECK (length(reason) > 0),
    at                  TEXT NOT NULL,
    clerk               TEXT NOT NULL,
    override_by         TEXT
) STRICT;
CREATE INDEX payment_transfers_receipt ON payment_transfers(receipt_id);

CREATE TRIGGER customer_changes_no_update BEFORE UPDATE ON customer_changes
BEGIN SELECT RAISE(ABORT, 'customer history is append-only'); END;
CREATE TRIGGER customer_changes_no_delete BEFORE DELETE ON customer_changes
BEGIN SELECT RAISE(ABORT, 'customer history is append-only'); END;
CREATE TRIGGER returned_mail_no_update BEFORE UPDATE ON returned_mail
BEGIN SELECT RAISE(ABORT, 'returned mail is append-only'); END;
CREATE TRIGGER returned_mail_no_delete BEFORE DELETE ON returned_mail
BEGIN SELECT RAISE(ABORT, 'returned mail is append-only'); END;
CREATE TRIGGER payment_transfers_no_update BEFORE UPDATE ON payment_transfers
BEGIN SELECT RAISE(ABORT, 'transfers are append-only: transfer again'); END;
CREATE TRIGGER payment_transfers_no_delete BEFORE DELETE ON payment_transfers
BEGIN SELECT RAISE(ABORT, 'transfers are append-only: transfer again'); END;
