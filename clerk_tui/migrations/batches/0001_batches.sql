-- Mail, drop-box and lockbox payment batches (clerk_tui/domain/batches).
--
-- No money moves through these tables: a batch's payments are ordinary receipts posted through
-- the cashier's post_payment into the batch's own session (drawer_sessions.workstation =
-- 'batch:<batches.id>'). These tables hold the batch's control (count and total), the lines
-- keyed before posting, and the bank's lockbox files with their exceptions.

-- A batch: its control, and where it stands (open -> posted -> approved). The state columns
-- are a plain UPDATE (audited), like drawer_sessions; the control never changes.
CREATE TABLE batches (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('mail','dropbox','lockbox')),
    business_date      TEXT NOT NULL,
    opened_at          TEXT NOT NULL,
    opened_by          TEXT NOT NULL,
    control_count      INTEGER NOT NULL CHECK (control_count > 0),
    control_cents      INTEGER NOT NULL CHECK (control_cents > 0),
    state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','posted','approved')),
    drawer_session_id  INTEGER REFERENCES drawer_sessions(id),
    posted_at          TEXT,
    approved_by        TEXT,
    approved_at        TEXT,
    note               TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX batches_state ON batches(state, id);
CREATE INDEX batches_session ON batches(drawer_session_id);

-- A line as keyed: append-only. A correction is a new row for the same line number that
-- `replaces` the old one; a removal is such a row with removed = 1. The batch's lines are the
-- rows nothing replaces and that are not removed.
CREATE TABLE batch_lines (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL REFERENCES batches(id),
    line            INTEGER NOT NULL CHECK (line > 0),
    account_number  TEXT NOT NULL,
    due_cents       INTEGER,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    tender          TEXT NOT NULL CHECK (tender IN ('check','money_order')),
    number          TEXT NOT NULL,
    replaces        INTEGER REFERENCES batch_lines(id),
    removed         INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    at              TEXT NOT NULL,
    clerk           TEXT NOT NULL
) STRICT;
CREATE INDEX batch_lines_batch ON batch_lines(batch_id, line);
CREATE INDEX batch_lines_replaces ON batch_lines(replaces);

-- A receipt posted from a batch line (written with the receipt, in the same transaction).
CREATE TABLE batch_receipts (
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    line        INTEGER NOT NULL,
    receipt_id  INTEGER NOT NULL UNIQUE REFERENCES receipts(id),
    PRIMARY KEY (batch_id, line)
) STRICT;

-- A bank remittance file, once: the same bytes (sha256) are refused the second time.
CREATE TABLE lockbox_files (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    filename        TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    clerk           TEXT NOT NULL,
    row_count       INTEGER NOT NULL,
    file_cents      INTEGER NOT NULL,
    posted_cents    INTEGER NOT NULL,
    exception_cents INTEGER NOT NULL,
    batch_id        INTEGER REFERENCES batches(id),
    CHECK (file_cents = posted_cents + exception_cents)
) STRICT;

-- A row of a bank file that could not be posted, with why; worked through by a clerk.
CREATE TABLE lockbox_exceptions (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES lockbox_files(id),
    row_no        INTEGER NOT NULL,
    raw           TEXT NOT NULL,
    reason        TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    check_number  TEXT NOT NULL DEFAULT '',
    bank_batch    TEXT NOT NULL DEFAULT '',
    UNIQUE (file_id, row_no)
) STRICT;

-- What was done with an exception, once: applied to an account (its receipt) or returned.
CREATE TABLE lockbox_resolutions (
    exception_id  INTEGER PRIMARY KEY REFERENCES lockbox_exceptions(id),
    action        TEXT NOT NULL CHECK (action IN ('applied','returned')),
    batch_id      INTEGER REFERENCES batches(id),
    note          TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL
) STRICT;

CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN SELECT RAISE(ABORT, 'batches are kept'); END;
CREATE TRIGGER batches_control_fixed BEFORE UPDATE OF kind, business_date, opened_at, opened_by,
    control_count, control_cents ON batches
BEGIN SELECT RAISE(ABORT, 'a batch control never changes: open a new batch'); END;
CREATE TRIGGER batches_posted_stay_posted BEFORE UPDATE OF state ON batches
WHEN OLD.state <> 'open' AND NEW.state = 'open'
BEGIN SELECT RAISE(ABORT, 'a posted batch cannot be reopened'); END;
CREATE TRIGGER batch_lines_no_update BEFORE UPDATE ON batch_lines
BEGIN SELECT RAISE(ABORT, 'batch lines are append-only: key a correction'); END;
CREATE TRIGGER batch_lines_no_delete BEFORE DELETE ON batch_lines
BEGIN SELECT RAISE(ABORT, 'batch lines are append-only: key a correction'); END;
CREATE TRIGGER batch_receipts_no_update BEFORE UPDATE ON batch_receipts
BEGIN SELECT RAISE(ABORT, 'batch receipts are append-only'); END;
CREATE TRIGGER batch_receipts_no_delete BEFORE DELETE ON batch_receipts
BEGIN SELECT RAISE(ABORT, 'batch receipts are append-only'); END;
CREATE TRIGGER lockbox_files_no_update BEFORE UPDATE ON lockbox_files
BEGIN SELECT RAISE(ABORT, 'lockbox files are append-only'); END;
CREATE TRIGGER lockbox_files_no_delete BEFORE DELETE ON lockbox_files
BEGIN SELECT RAISE(ABORT, 'lockbox files are append-only'); END;
CREATE TRIGGER lockbox_exceptions_no_update BEFORE UPDATE ON lockbox_exceptions
BEGIN SELECT RAISE(ABORT, 'lockbox exceptions are append-only'); END;
CREATE TRIGGER lockbox_exceptions_no_delete BEFORE DELETE ON lockbox_exceptions
BEGIN SELECT RAISE(ABORT, 'lockbox exceptions are append-only'); END;
CREATE TRIGGER lockbox_resolutions_no_update BEFORE UPDATE ON lockbox_resolutions
BEGIN SELECT RAISE(ABORT, 'lockbox resolutions are append-only'); END;
CREATE TRIGGER lockbox_resolutions_no_delete BEFORE DELETE ON lockbox_resolutions
BEGIN SELECT RAISE(ABORT, 'lockbox resolutions are append-only'); END;
