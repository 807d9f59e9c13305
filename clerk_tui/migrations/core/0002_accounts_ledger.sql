-- Customers, utility accounts, meters, bills, and the double-entry ledger with the cashier's
-- receipts. Every table that moved money is append-only (triggers below): mistakes are
-- corrected by reversing entries that point at the original.
--
-- Sign convention (integer cents):
--   book 'account'  : + the customer owes more (charge), - paid/credited
--   book 'drawer'   : + money came into a drawer session, - money left it
--   book 'revenue'  : - income to a fund/GL code (credit), + reversal of income
--   book 'trust'    : money held for someone else (e.g. passport fees for the State Dept.)
--   book 'clearing' : the other side of history converted from a legacy system, bank deposits
-- Each journal's entries sum to zero.

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    phone            TEXT,
    email            TEXT,
    mailing_address  TEXT,
    created_at       TEXT NOT NULL
) STRICT;

-- number: 7 digits + Luhn check digit, stored as 8 digits, shown as 1234567-8.
CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE CHECK (length(number) = 8 AND number NOT GLOB '*[^0-9]*'),
    customer_id      INTEGER NOT NULL REFERENCES customers(id),
    service_address  TEXT NOT NULL,
    service_city     TEXT NOT NULL DEFAULT '',
    service_zip      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active'
                     CHECK (status IN ('pending','active','closed','inactive')),
    rate_class       TEXT NOT NULL DEFAULT 'residential',
    services         TEXT NOT NULL DEFAULT 'water,sewer,refuse',
    cycle            INTEGER NOT NULL DEFAULT 1,
    no_checks        INTEGER NOT NULL DEFAULT 0 CHECK (no_checks IN (0,1)),
    opened_on        TEXT NOT NULL,
    closed_on        TEXT
) STRICT;
CREATE INDEX accounts_customer ON accounts(customer_id);

CREATE TABLE account_notes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    at          TEXT NOT NULL,
    clerk       TEXT NOT NULL,
    text        TEXT NOT NULL
) STRICT;
CREATE INDEX account_notes_account ON account_notes(account_id);

CREATE TABLE meters (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    serial        TEXT NOT NULL UNIQUE,
    size          TEXT NOT NULL DEFAULT '5/8"',
    installed_on  TEXT NOT NULL,
    removed_on    TEXT
) STRICT;
CREATE INDEX meters_account ON meters(account_id);

CREATE TABLE meter_reads (
    id          INTEGER PRIMARY KEY,
    meter_id    INTEGER NOT NULL REFERENCES meters(id),
    read_on     TEXT NOT NULL,
    reading     INTEGER NOT NULL CHECK (reading >= 0),
    kind        TEXT NOT NULL CHECK (kind IN ('initial','regular','reread','estimated','final','check')),
    flagged     INTEGER NOT NULL DEFAULT 0,
    clerk       TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX meter_reads_meter ON meter_reads(meter_id, read_on);

-- A journal is one posting: a receipt, a billing batch, an adjustment, a reversal.
CREATE TABLE journals (
    id                   INTEGER PRIMARY KEY,
    kind                 TEXT NOT NULL,
    business_date        TEXT NOT NULL,
    posted_at            TEXT NOT NULL,
    clerk                TEXT NOT NULL,
    workstation          TEXT NOT NULL,
    memo                 TEXT NOT NULL DEFAULT '',
    reverses_journal_id  INTEGER REFERENCES journals(id)
) STRICT;
CREATE INDEX journals_date ON journals(business_date);

CREATE TABLE bills (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    journal_id     INTEGER NOT NULL REFERENCES journals(id),
    bill_date      TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    period_end     TEXT NOT NULL,
    consumption    INTEGER NOT NULL DEFAULT 0,
    amount_cents   INTEGER NOT NULL
) STRICT;
CREATE INDEX bills_account ON bills(account_id, bill_date);

CREATE TABLE drawer_sessions (
    id                  INTEGER PRIMARY KEY,
    clerk               TEXT NOT NULL,
    workstation         TEXT NOT NULL,
    business_date       TEXT NOT NULL,
    opened_at           TEXT NOT NULL,
    opening_bank_cents  INTEGER NOT NULL CHECK (opening_bank_cents >= 0),
    state               TEXT NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open','balancing','balanced','approved')),
    closed_at           TEXT
) STRICT;
CREATE UNIQUE INDEX drawer_sessions_one_open
    ON drawer_sessions(clerk, workstation) WHERE state IN ('open','balancing');

CREATE TABLE receipts (
    id                 INTEGER PRIMARY KEY,
    number             INTEGER NOT NULL UNIQUE CHECK (number > 0),
    journal_id         INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    drawer_session_id  INTEGER NOT NULL REFERENCES drawer_sessions(id),
    business_date      TEXT NOT NULL,
    issued_at          TEXT NOT NULL,
    clerk              TEXT NOT NULL,
    workstation        TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL UNIQUE,
    payer              TEXT NOT NULL DEFAULT '',
    total_cents        INTEGER NOT NULL,
    tendered_cents     INTEGER NOT NULL,
    change_cents       INTEGER NOT NULL CHECK (change_cents >= 0)
) STRICT;
CREATE INDEX receipts_session ON receipts(drawer_session_id);
CREATE INDEX receipts_date ON receipts(business_date);

CREATE TABLE receipt_items (
    id                 INTEGER PRIMARY KEY,
    receipt_id         INTEGER NOT NULL REFERENCES receipts(id),
    line               INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    reference          TEXT NOT NULL,
    description        TEXT NOT NULL,
    amount_cents       INTEGER NOT NULL,
    fund               TEXT NOT NULL,
    gl_code            TEXT NOT NULL,
    account_id         INTEGER REFERENCES accounts(id),
    new_balance_cents  INTEGER,
    UNIQUE (receipt_id, line)
) STRICT;

CREATE TABLE tenders (
    id              INTEGER PRIMARY KEY,
    receipt_id      INTEGER NOT NULL REFERENCES receipts(id),
    line            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('cash','check','money_order','card')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    tendered_cents  INTEGER NOT NULL CHECK (tendered_cents >= amount_cents),
    check_number    TEXT,
    card_last4      TEXT CHECK (card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')),
    auth_code       TEXT,
    UNIQUE (receipt_id, line)
) STRICT;

CREATE TABLE receipt_voids (
    receipt_id   INTEGER PRIMARY KEY REFERENCES receipts(id),
    journal_id   INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    kind         TEXT NOT NULL CHECK (kind IN ('void','reversal','nsf')),
    at           TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    reason_code  TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    override_by  TEXT
) STRICT;

CREATE TABLE ledger_entries (
    id                 INTEGER PRIMARY KEY,
    journal_id         INTEGER NOT NULL REFERENCES journals(id),
    book               TEXT NOT NULL CHECK (book IN ('account','drawer','revenue','trust','clearing')),
    kind               TEXT NOT NULL,
    amount_cents       INTEGER NOT NULL,
    account_id         INTEGER REFERENCES accounts(id),
    drawer_session_id  INTEGER REFERENCES drawer_sessions(id),
    receipt_id         INTEGER REFERENCES receipts(id),
    fund               TEXT NOT NULL DEFAULT '',
    gl_code            TEXT NOT NULL DEFAULT '',
    tender             TEXT,
    reverses_entry_id  INTEGER REFERENCES ledger_entries(id),
    memo               TEXT NOT NULL DEFAULT '',
    CHECK (book <> 'account' OR account_id IS NOT NULL),
    CHECK (book <> 'drawer' OR drawer_session_id IS NOT NULL)
) STRICT;
CREATE INDEX ledger_account ON ledger_entries(account_id) WHERE account_id IS NOT NULL;
CREATE INDEX ledger_journal ON ledger_entries(journal_id);
CREATE INDEX ledger_session ON ledger_entries(drawer_session_id) WHERE drawer_session_id IS NOT NULL;
CREATE INDEX ledger_receipt ON ledger_entries(receipt_id) WHERE receipt_id IS NOT NULL;

-- A closed business day takes no more postings dated in it.
CREATE TABLE closed_business_days (
    business_date  TEXT PRIMARY KEY,
    closed_at      TEXT NOT NULL,
    closed_by      TEXT NOT NULL
) STRICT;

CREATE TRIGGER journals_closed_day BEFORE INSERT ON journals
WHEN EXISTS (SELECT 1 FROM closed_business_days WHERE business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'that business day is closed; post to an open day'); END;

-- Append-only money tables.
CREATE TRIGGER journals_no_update BEFORE UPDATE ON journals
BEGIN SELECT RAISE(ABORT, 'journals are append-only: post a reversal'); END;
CREATE TRIGGER journals_no_delete BEFORE DELETE ON journals
BEGIN SELECT RAISE(ABORT, 'journals are append-only: post a reversal'); END;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversal'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversal'); END;
CREATE TRIGGER bills_no_update BEFORE UPDATE ON bills
BEGIN SELECT RAISE(ABORT, 'bills are append-only: adjust with a ledger entry'); END;
CREATE TRIGGER bills_no_delete BEFORE DELETE ON bills
BEGIN SELECT RAISE(ABORT, 'bills are append-only: adjust with a ledger entry'); END;
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are append-only: void or reverse'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are append-only: void or reverse'); END;
CREATE TRIGGER receipt_items_no_update BEFORE UPDATE ON receipt_items
BEGIN SELECT RAISE(ABORT, 'receipt items are append-only'); END;
CREATE TRIGGER receipt_items_no_delete BEFORE DELETE ON receipt_items
BEGIN SELECT RAISE(ABORT, 'receipt items are append-only'); END;
CREATE TRIGGER tenders_no_update BEFORE UPDATE ON tenders
BEGIN SELECT RAISE(ABORT, 'tenders are append-only'); END;
CREATE TRIGGER tenders_no_delete BEFORE DELETE ON tenders
BEGIN SELECT RAISE(ABORT, 'tenders are append-only'); END;
CREATE TRIGGER receipt_voids_no_update BEFORE UPDATE ON receipt_voids
BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER receipt_voids_no_delete BEFORE DELETE ON receipt_voids
BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER meter_reads_no_update BEFORE UPDATE ON meter_reads
BEGIN SELECT RAISE(ABORT, 'meter reads are append-only: enter a reread'); END;
CREATE TRIGGER meter_reads_no_delete BEFORE DELETE ON meter_reads
BEGIN SELECT RAISE(ABORT, 'meter reads are append-only: enter a reread'); END;
CREATE TRIGGER account_notes_no_update BEFORE UPDATE ON account_notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER account_notes_no_delete BEFORE DELETE ON account_notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER closed_days_no_update BEFORE UPDATE ON closed_business_days
BEGIN SELECT RAISE(ABORT, 'a closed business day stays closed'); END;
CREATE TRIGGER closed_days_no_delete BEFORE DELETE ON closed_business_days
BEGIN SELECT RAISE(ABORT, 'a closed business day stays closed'); END;
