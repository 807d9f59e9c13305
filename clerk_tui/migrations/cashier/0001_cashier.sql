-- Cashier controls: drawer counts, paid-in/out, pickups, deposits (owned by domain/cashier/).
--
-- Money still moves only through journals/ledger_entries (0002); the tables here record the
-- facts around it (what was counted, why cash left a drawer, who approved what) and point at
-- the journal that moved the money. All of them are append-only: a drawer's state lives in
-- drawer_sessions.state (a plain UPDATE, audited) and its history in drawer_session_events.

-- Every state change of a drawer session, with who did it and why (reopen needs a reason).
CREATE TABLE drawer_session_events (
    id                 INTEGER PRIMARY KEY,
    drawer_session_id  INTEGER NOT NULL REFERENCES drawer_sessions(id),
    at                 TEXT NOT NULL,
    clerk              TEXT NOT NULL,
    from_state         TEXT,
    to_state           TEXT NOT NULL CHECK (to_state IN ('open','balancing','balanced','approved')),
    reason             TEXT NOT NULL DEFAULT '',
    override_by        TEXT
) STRICT;
CREATE INDEX drawer_session_events_session ON drawer_session_events(drawer_session_id, id);

-- An opening bank or a blind closing count. A closing count is in force until a later
-- 'reopen' event (event_id orders them); its over/short was posted as over_short_journal_id.
CREATE TABLE drawer_counts (
    id                    INTEGER PRIMARY KEY,
    drawer_session_id     INTEGER NOT NULL REFERENCES drawer_sessions(id),
    kind                  TEXT NOT NULL CHECK (kind IN ('opening','closing')),
    event_id              INTEGER NOT NULL REFERENCES drawer_session_events(id),
    at                    TEXT NOT NULL,
    clerk                 TEXT NOT NULL,
    currency_cents        INTEGER NOT NULL CHECK (currency_cents >= 0),
    coin_cents            INTEGER NOT NULL CHECK (coin_cents >= 0),
    check_cents           INTEGER NOT NULL DEFAULT 0 CHECK (check_cents >= 0),
    money_order_cents     INTEGER NOT NULL DEFAULT 0 CHECK (money_order_cents >= 0),
    expected_cents        INTEGER,
    over_short_cents      INTEGER,
    over_short_journal_id INTEGER REFERENCES journals(id)
) STRICT;
CREATE INDEX drawer_counts_session ON drawer_counts(drawer_session_id, kind, event_id);

-- Denomination lines of a count (pennies ... $100 bills, rolled coin).
CREATE TABLE drawer_count_lines (
    id            INTEGER PRIMARY KEY,
    count_id      INTEGER NOT NULL REFERENCES drawer_counts(id),
    denomination  TEXT NOT NULL,
    unit_cents    INTEGER NOT NULL CHECK (unit_cents > 0),
    quantity      INTEGER NOT NULL CHECK (quantity >= 0),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents = unit_cents * quantity),
    UNIQUE (count_id, denomination)
) STRICT;

-- Checks and money orders listed one by one in a closing count.
CREATE TABLE drawer_count_items (
    id            INTEGER PRIMARY KEY,
    count_id      INTEGER NOT NULL REFERENCES drawer_counts(id),
    kind          TEXT NOT NULL CHECK (kind IN ('check','money_order')),
    number        TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0)
) STRICT;
CREATE INDEX drawer_count_items_count ON drawer_count_items(count_id);

-- Paid-in, paid-out (petty cash voucher) and pickups (drop to the safe).
CREATE TABLE cash_movements (
    id                 INTEGER PRIMARY KEY,
    drawer_session_id  INTEGER NOT NULL REFERENCES drawer_sessions(id),
    kind               TEXT NOT NULL CHECK (kind IN ('paid_in','paid_out','pickup')),
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    reason             TEXT NOT NULL,
    voucher            TEXT NOT NULL DEFAULT '',
    journal_id         INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    at                 TEXT NOT NULL,
    clerk              TEXT NOT NULL,
    override_by        TEXT
) STRICT;
CREATE INDEX cash_movements_session ON cash_movements(drawer_session_id);

-- A returned (NSF) check: the reversal, and the fee charged to the account.
CREATE TABLE nsf_returns (
    receipt_id           INTEGER PRIMARY KEY REFERENCES receipts(id),
    account_id           INTEGER REFERENCES accounts(id),
    check_numbers        TEXT NOT NULL,
    amount_cents         INTEGER NOT NULL CHECK (amount_cents > 0),
    reversal_journal_id  INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    fee_code             TEXT,
    fee_cents            INTEGER NOT NULL DEFAULT 0 CHECK (fee_cents >= 0),
    fee_journal_id       INTEGER UNIQUE REFERENCES journals(id),
    at                   TEXT NOT NULL,
    clerk                TEXT NOT NULL,
    override_by          TEXT
) STRICT;
CREATE INDEX nsf_returns_account ON nsf_returns(account_id);

-- Refunds of a credit balance (cash from the drawer, or a city check to be mailed).
CREATE TABLE refunds (
    id                 INTEGER PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts(id),
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    method             TEXT NOT NULL CHECK (method IN ('cash','check')),
    drawer_session_id  INTEGER REFERENCES drawer_sessions(id),
    journal_id         INTEGER NOT NULL UNIQUE REFERENCES journals(id),
    reason             TEXT NOT NULL,
    at                 TEXT NOT NULL,
    clerk              TEXT NOT NULL,
    override_by        TEXT
) STRICT;
CREATE INDEX refunds_account ON refunds(account_id);

-- A bank deposit gathers approved drawer sessions; each session is deposited once.
CREATE TABLE deposits (
    id                 INTEGER PRIMARY KEY,
    business_date      TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    currency_cents     INTEGER NOT NULL CHECK (currency_cents >= 0),
    coin_cents         INTEGER NOT NULL CHECK (coin_cents >= 0),
    check_cents        INTEGER NOT NULL CHECK (check_cents >= 0),
    money_order_cents  INTEGER NOT NULL CHECK (money_order_cents >= 0),
    total_cents        INTEGER NOT NULL
                       CHECK (total_cents = currency_cents + coin_cents + check_cents + money_order_cents),
    journal_id         INTEGER NOT NULL UNIQUE REFERENCES journals(id)
) STRICT;

CREATE TABLE deposit_sessions (
    deposit_id         INTEGER NOT NULL REFERENCES deposits(id),
    drawer_session_id  INTEGER NOT NULL UNIQUE REFERENCES drawer_sessions(id),
    PRIMARY KEY (deposit_id, drawer_session_id)
) STRICT;

-- A deposited session stays approved: reopening it would unbalance the bank deposit.
CREATE TRIGGER drawer_sessions_deposited_stay_approved BEFORE UPDATE OF state ON drawer_sessions
WHEN OLD.state = 'approved' AND NEW.state <> 'approved'
     AND EXISTS (SELECT 1 FROM deposit_sessions WHERE drawer_session_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'that drawer session is in a bank deposit and cannot be reopened'); END;

-- Append-only.
CREATE TRIGGER drawer_session_events_no_update BEFORE UPDATE ON drawer_session_events
BEGIN SELECT RAISE(ABORT, 'drawer history is append-only'); END;
CREATE TRIGGER drawer_session_events_no_delete BEFORE DELETE ON drawer_session_events
BEGIN SELECT RAISE(ABORT, 'drawer history is append-only'); END;
CREATE TRIGGER drawer_counts_no_update BEFORE UPDATE ON drawer_counts
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only: reopen and count again'); END;
CREATE TRIGGER drawer_counts_no_delete BEFORE DELETE ON drawer_counts
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only: reopen and count again'); END;
CREATE TRIGGER drawer_count_lines_no_update BEFORE UPDATE ON drawer_count_lines
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
CREATE TRIGGER drawer_count_lines_no_delete BEFORE DELETE ON drawer_count_lines
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
CREATE TRIGGER drawer_count_items_no_update BEFORE UPDATE ON drawer_count_items
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
CREATE TRIGGER drawer_count_items_no_delete BEFORE DELETE ON drawer_count_items
BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are append-only: post a reversal'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are append-only: post a reversal'); END;
CREATE TRIGGER nsf_returns_no_update BEFORE UPDATE ON nsf_returns
BEGIN SELECT RAISE(ABORT, 'NSF returns are append-only'); END;
CREATE TRIGGER nsf_returns_no_delete BEFORE DELETE ON nsf_returns
BEGIN SELECT RAISE(ABORT, 'NSF returns are append-only'); END;
CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
CREATE TRIGGER deposits_no_update BEFORE UPDATE ON deposits
BEGIN SELECT RAISE(ABORT, 'deposits are append-only'); END;
CREATE TRIGGER deposits_no_delete BEFORE DELETE ON deposits
BEGIN SELECT RAISE(ABORT, 'deposits are append-only'); END;
CREATE TRIGGER deposit_sessions_no_update BEFORE UPDATE ON deposit_sessions
BEGIN SELECT RAISE(ABORT, 'deposits are append-only'); END;
CREATE TRIGGER deposit_sessions_no_delete BEFORE DELETE ON deposit_sessions
BEGIN SELECT RAISE(ABORT, 'deposits are append-only'); END;
