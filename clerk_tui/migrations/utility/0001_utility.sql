-- The utility service desk (domain/utility/): service orders, read review, billing runs,
-- adjustments, customer deposits, payment plans, assistance programs, delinquency notices,
-- shutoff lists, collection referrals and letters.
--
-- Money still moves only through journals/ledger_entries (0002). Rows here record the facts
-- around a posting and point at its journal. Workflow rows (service orders, billing runs,
-- plans, deposits, enrolments) carry a `status` that changes by a plain audited UPDATE; their
-- history lives in the audit chain. Facts (lines, notices, letters, adjustments) are
-- append-only.

-- ---- service ------------------------------------------------------------------------------
-- Mailing address of record for the account (the customer's own mailing address may serve
-- several accounts; a landlord's, say). NULL means "same as the service address".
ALTER TABLE accounts ADD COLUMN mailing_address TEXT;
-- Why an account was closed or moved (transfer points at the account that replaced it).
ALTER TABLE accounts ADD COLUMN transferred_to_account_id INTEGER REFERENCES accounts(id);

CREATE TABLE service_orders (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    kind            TEXT NOT NULL CHECK (kind IN ('turn_on','turn_off','shutoff_nonpay',
                        'restore','reread','check_read','bench_test','leak_check',
                        'meter_exchange')),
    priority        TEXT NOT NULL DEFAULT 'routine'
                    CHECK (priority IN ('routine','urgent','emergency')),
    requested_on    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open','dispatched','completed','cancelled')),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    dispatched_at   TEXT,
    technician      TEXT,
    completed_at    TEXT,
    completed_by    TEXT,
    read_id         INTEGER REFERENCES meter_reads(id),
    tech_notes      TEXT NOT NULL DEFAULT '',
    cancelled_reason TEXT,
    delinquency_run_id INTEGER REFERENCES delinquency_runs(id)
) STRICT;
CREATE INDEX service_orders_account ON service_orders(account_id, id);
CREATE INDEX service_orders_open ON service_orders(status, requested_on)
    WHERE status IN ('open','dispatched');

-- Why a read was flagged, and the service order (reread) raised for it.
ALTER TABLE meter_reads ADD COLUMN flag_reason TEXT;
ALTER TABLE meter_reads ADD COLUMN service_order_id INTEGER REFERENCES service_orders(id);

-- ---- billing ------------------------------------------------------------------------------
CREATE TABLE billing_runs (
    id              INTEGER PRIMARY KEY,
    cycle           INTEGER NOT NULL,
    period_end      TEXT NOT NULL,
    bill_date       TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'preliminary'
                    CHECK (status IN ('preliminary','final','cancelled')),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    finalized_at    TEXT,
    finalized_by    TEXT,
    journal_id      INTEGER REFERENCES journals(id),
    total_cents     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX billing_runs_one_live ON billing_runs(cycle, period_end)
    WHERE status IN ('preliminary','final');

-- One line per account in a run: the preliminary register, then what was billed.
CREATE TABLE billing_run_lines (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES billing_runs(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    from_read_id    INTEGER REFERENCES meter_reads(id),
    to_read_id      INTEGER REFERENCES meter_reads(id),
    consumption     INTEGER NOT NULL DEFAULT 0,
    water_cents     INTEGER NOT NULL DEFAULT 0,
    sewer_cents     INTEGER NOT NULL DEFAULT 0,
    refuse_cents    INTEGER NOT NULL DEFAULT 0,
    discount_cents  INTEGER NOT NULL DEFAULT 0,
    total_cents     INTEGER NOT NULL DEFAULT 0,
    skipped         TEXT,
    UNIQUE (run_id, account_id)
) STRICT;

ALTER TABLE bills ADD COLUMN billing_run_id INTEGER REFERENCES billing_runs(id);
ALTER TABLE bills ADD COLUMN kind TEXT NOT NULL DEFAULT 'regular';
-- The 18-digit stub scanline printed on the bill (account + amount due + check digit).
ALTER TABLE bills ADD COLUMN scanline TEXT;

-- A bill's charges by service (what the register and the bill print).
CREATE TABLE bill_lines (
    id            INTEGER PRIMARY KEY,
    bill_id       INTEGER NOT NULL REFERENCES bills(id),
    service       TEXT NOT NULL,
    description   TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL,
    fund          TEXT NOT NULL DEFAULT '',
    gl_code       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX bill_lines_bill ON bill_lines(bill_id);

-- At most one late fee per bill.
CREATE TABLE late_fees (
    bill_id       INTEGER PRIMARY KEY REFERENCES bills(id),
    journal_id    INTEGER NOT NULL REFERENCES journals(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    assessed_on   TEXT NOT NULL
) STRICT;

-- ---- adjustments --------------------------------------------------------------------------
CREATE TABLE adjustments (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    journal_id          INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    reason_code         TEXT NOT NULL,
    service             TEXT NOT NULL DEFAULT '',
    amount_cents        INTEGER NOT NULL,  -- - credit to the customer, + charge
    bill_id             INTEGER REFERENCES bills(id),
    adjusts_journal_id  INTEGER REFERENCES journals(id),
    note                TEXT NOT NULL DEFAULT '',
    at                  TEXT NOT NULL,
    clerk               TEXT NOT NULL,
    override_by         TEXT
) STRICT;
CREATE INDEX adjustments_account ON adjustments(account_id, reason_code, at);

-- ---- customer deposits --------------------------------------------------------------------
CREATE TABLE customer_deposits (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    amount_cents        INTEGER NOT NULL CHECK (amount_cents > 0),
    status              TEXT NOT NULL DEFAULT 'billed'
                        CHECK (status IN ('billed','held','applied','refunded','waived',
                                          'transferred')),
    reason              TEXT NOT NULL DEFAULT '',
    charged_journal_id  INTEGER REFERENCES journals(id),
    closed_journal_id   INTEGER REFERENCES journals(id),
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    closed_at           TEXT,
    -- a transfer moves a held deposit: the new account's row points at the old one
    transferred_from_id INTEGER REFERENCES customer_deposits(id)
) STRICT;
CREATE INDEX customer_deposits_account ON customer_deposits(account_id);

-- ---- payment plans and extensions ---------------------------------------------------------
CREATE TABLE payment_plans (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    kind            TEXT NOT NULL DEFAULT 'plan' CHECK (kind IN ('plan','extension')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    installments    INTEGER NOT NULL CHECK (installments > 0),
    start_on        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active','completed','broken','cancelled')),
    grace_days      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    override_by     TEXT,
    ended_at        TEXT,
    end_reason      TEXT
) STRICT;
CREATE UNIQUE INDEX payment_plans_one_active ON payment_plans(account_id) WHERE status = 'active';

CREATE TABLE plan_installments (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES payment_plans(id),
    seq           INTEGER NOT NULL,
    due_on        TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    UNIQUE (plan_id, seq)
) STRICT;

-- ---- medical certifications and assistance programmes --------------------------------------
CREATE TABLE medical_certifications (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    received_on  TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX medical_certifications_account ON medical_certifications(account_id);

CREATE TABLE assistance_enrollments (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    program       TEXT NOT NULL,
    applied_on    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending','approved','denied','ended')),
    household_size INTEGER,
    annual_income_cents INTEGER,
    taken_by      TEXT NOT NULL,
    decided_by    TEXT,
    decided_on    TEXT,
    expires_on    TEXT,
    note          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX assistance_enrollments_account ON assistance_enrollments(account_id, status);

-- ---- collections --------------------------------------------------------------------------
CREATE TABLE delinquency_runs (
    id          INTEGER PRIMARY KEY,
    run_on      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('notices','shutoff')),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
) STRICT;

CREATE TABLE notices (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    run_id           INTEGER REFERENCES delinquency_runs(id),
    kind             TEXT NOT NULL CHECK (kind IN ('reminder','past_due','shutoff')),
    addressee        TEXT NOT NULL CHECK (addressee IN ('customer','occupant')),
    sent_on          TEXT NOT NULL,
    amount_cents     INTEGER NOT NULL,
    shutoff_on_or_after TEXT,
    letter_id        INTEGER REFERENCES letters(id)
) STRICT;
CREATE INDEX notices_account ON notices(account_id, kind, sent_on);

-- The shutoff list a run produced, and the turn-off order raised for each line.
CREATE TABLE shutoff_list (
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER NOT NULL REFERENCES delinquency_runs(id),
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    amount_cents      INTEGER NOT NULL,
    notice_id         INTEGER REFERENCES notices(id),
    service_order_id  INTEGER REFERENCES service_orders(id),
    UNIQUE (run_id, account_id)
) STRICT;

CREATE TABLE collection_referrals (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
    referred_on   TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    agency        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    clerk         TEXT NOT NULL
) STRICT;

-- ---- letters ------------------------------------------------------------------------------
CREATE TABLE letters (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    kind          TEXT NOT NULL,
    template      TEXT NOT NULL,
    addressee     TEXT NOT NULL DEFAULT 'customer',
    generated_at  TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    body          TEXT NOT NULL,
    delivered     TEXT NOT NULL DEFAULT ''  -- 'printed', 'file:<path>', '' (queued)
) STRICT;
CREATE INDEX letters_account ON letters(account_id, generated_at);

-- Append-only facts.
CREATE TRIGGER bill_lines_no_update BEFORE UPDATE ON bill_lines
BEGIN SELECT RAISE(ABORT, 'bill lines are append-only'); END;
CREATE TRIGGER bill_lines_no_delete BEFORE DELETE ON bill_lines
BEGIN SELECT RAISE(ABORT, 'bill lines are append-only'); END;
CREATE TRIGGER late_fees_no_update BEFORE UPDATE ON late_fees
BEGIN SELECT RAISE(ABORT, 'late fees are append-only: adjust them'); END;
CREATE TRIGGER late_fees_no_delete BEFORE DELETE ON late_fees
BEGIN SELECT RAISE(ABORT, 'late fees are append-only: adjust them'); END;
CREATE TRIGGER adjustments_no_update BEFORE UPDATE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are append-only: adjust again'); END;
CREATE TRIGGER adjustments_no_delete BEFORE DELETE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are append-only: adjust again'); END;
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;
CREATE TRIGGER letters_no_update BEFORE UPDATE OF body, kind, account_id ON letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only'); END;
CREATE TRIGGER plan_installments_no_update BEFORE UPDATE ON plan_installments
BEGIN SELECT RAISE(ABORT, 'a plan schedule is fixed: cancel and make a new plan'); END;
CREATE TRIGGER plan_installments_no_delete BEFORE DELETE ON plan_installments
BEGIN SELECT RAISE(ABORT, 'a plan schedule is fixed: cancel and make a new plan'); END;
