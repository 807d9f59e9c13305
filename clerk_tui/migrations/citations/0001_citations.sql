-- Parking citations (issue 13): the citation as written, its history, imports, registered
-- owners from DMV, the DMV hold/release file, notices, letters and indigent payment plans.
--
-- Why history and not status columns: the amount due and the status of a citation are a pure
-- function of what happened to it (clerk_tui/domain/citations/due.py), so every table here is
-- append-only; nothing is ever updated except the one column that says which DMV file a queued
-- row went out in (set once, guarded by a trigger). Money itself is receipts and the ledger.

CREATE TABLE citation_imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('citations','owners')),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    rows_total    INTEGER NOT NULL,
    rows_added    INTEGER NOT NULL,
    rows_known    INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    reject_file   TEXT,
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL
) STRICT;

CREATE TABLE citations (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    issued_at      TEXT NOT NULL,
    issued_on      TEXT NOT NULL,
    location       TEXT NOT NULL,
    plate          TEXT NOT NULL,
    state          TEXT NOT NULL,
    reg_expiry     TEXT,
    make           TEXT NOT NULL DEFAULT '',
    colour         TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    violation_code TEXT NOT NULL,
    fine_cents     INTEGER NOT NULL CHECK (fine_cents > 0),
    officer        TEXT NOT NULL,
    remarks        TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL CHECK (source IN ('import','keyed','demo')),
    import_id      INTEGER REFERENCES citation_imports(id),
    created_at     TEXT NOT NULL,
    clerk          TEXT NOT NULL
) STRICT;
CREATE INDEX citations_plate ON citations(plate, state);
CREATE INDEX citations_issued ON citations(issued_on);

CREATE TABLE citation_events (
    id           INTEGER PRIMARY KEY,
    citation_id  INTEGER NOT NULL REFERENCES citations(id),
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    amount_cents INTEGER NOT NULL DEFAULT 0,
    receipt_id   INTEGER,
    ref          TEXT NOT NULL DEFAULT '',
    reason_code  TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    override_by  TEXT
) STRICT;
CREATE INDEX citation_events_citation ON citation_events(citation_id, id);
CREATE INDEX citation_events_kind ON citation_events(kind, on_date);
CREATE INDEX citation_events_notice ON citation_events(ref) WHERE kind = 'notice';

CREATE TABLE citation_owners (
    id           INTEGER PRIMARY KEY,
    plate        TEXT NOT NULL,
    state        TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    address      TEXT NOT NULL,
    responded_on TEXT NOT NULL,
    import_id    INTEGER REFERENCES citation_imports(id),
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX citation_owners_plate ON citation_owners(plate, state, id);
CREATE INDEX citation_owners_name ON citation_owners(name_key);

CREATE TABLE citation_dmv_files (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    holds       INTEGER NOT NULL,
    releases    INTEGER NOT NULL,
    written_at  TEXT NOT NULL,
    clerk       TEXT NOT NULL
) STRICT;

-- The DMV hold/release queue. A citation is in the file once per change of its DMV state: a
-- hold only when it is not held, a release only when it is (seq counts each action per
-- citation; UNIQUE keeps it from ever being queued twice). `file_id` is NULL while queued and
-- set once when the file is written; a queued row no file took yet may be cancelled once
-- (a release whose payment was voided).
CREATE TABLE citation_dmv_rows (
    id           INTEGER PRIMARY KEY,
    citation_id  INTEGER NOT NULL REFERENCES citations(id),
    action       TEXT NOT NULL CHECK (action IN ('hold','release')),
    seq          INTEGER NOT NULL CHECK (seq > 0),
    reason       TEXT NOT NULL,
    queued_on    TEXT NOT NULL,
    queued_at    TEXT NOT NULL,
    file_id      INTEGER REFERENCES citation_dmv_files(id),
    cancelled_at TEXT,
    UNIQUE (citation_id, action, seq)
) STRICT;
CREATE INDEX citation_dmv_rows_queue ON citation_dmv_rows(file_id, id);

CREATE TABLE citation_letters (
    id           INTEGER PRIMARY KEY,
    citation_id  INTEGER NOT NULL REFERENCES citations(id),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    clerk        TEXT NOT NULL
) STRICT;
CREATE INDEX citation_letters_citation ON citation_letters(citation_id, id);

CREATE TABLE citation_plans (
    id              INTEGER PRIMARY KEY,
    person          TEXT NOT NULL,
    basis           TEXT NOT NULL CHECK (basis IN ('benefits','income')),
    household       INTEGER NOT NULL CHECK (household BETWEEN 1 AND 20),
    income_cents    INTEGER,
    total_cents     INTEGER NOT NULL CHECK (total_cents > 0),
    monthly_cents   INTEGER NOT NULL CHECK (monthly_cents > 0),
    months          INTEGER NOT NULL CHECK (months > 0),
    fee_cents       INTEGER NOT NULL CHECK (fee_cents >= 0),
    enrolled_on     TEXT NOT NULL,
    at              TEXT NOT NULL,
    clerk           TEXT NOT NULL,
    override_by     TEXT
) STRICT;

CREATE TABLE citation_plan_items (
    plan_id     INTEGER NOT NULL REFERENCES citation_plans(id),
    citation_id INTEGER NOT NULL REFERENCES citations(id),
    PRIMARY KEY (plan_id, citation_id)
) STRICT;
CREATE INDEX citation_plan_items_citation ON citation_plan_items(citation_id);

-- ---- append-only ------------------------------------------------------------------------------
CREATE TRIGGER citation_imports_no_update BEFORE UPDATE ON citation_imports
BEGIN SELECT RAISE(ABORT, 'citation_imports are append-only'); END;
CREATE TRIGGER citation_imports_no_delete BEFORE DELETE ON citation_imports
BEGIN SELECT RAISE(ABORT, 'citation_imports are append-only'); END;
CREATE TRIGGER citations_no_update BEFORE UPDATE ON citations
BEGIN SELECT RAISE(ABORT, 'citations are append-only: record an event'); END;
CREATE TRIGGER citations_no_delete BEFORE DELETE ON citations
BEGIN SELECT RAISE(ABORT, 'citations are append-only: void one with an event'); END;
CREATE TRIGGER citation_events_no_update BEFORE UPDATE ON citation_events
BEGIN SELECT RAISE(ABORT, 'citation_events are append-only'); END;
CREATE TRIGGER citation_events_no_delete BEFORE DELETE ON citation_events
BEGIN SELECT RAISE(ABORT, 'citation_events are append-only'); END;
CREATE TRIGGER citation_owners_no_update BEFORE UPDATE ON citation_owners
BEGIN SELECT RAISE(ABORT, 'citation_owners are append-only'); END;
CREATE TRIGGER citation_owners_no_delete BEFORE DELETE ON citation_owners
BEGIN SELECT RAISE(ABORT, 'citation_owners are append-only'); END;
CREATE TRIGGER citation_dmv_files_no_update BEFORE UPDATE ON citation_dmv_files
BEGIN SELECT RAISE(ABORT, 'citation_dmv_files are append-only'); END;
CREATE TRIGGER citation_dmv_files_no_delete BEFORE DELETE ON citation_dmv_files
BEGIN SELECT RAISE(ABORT, 'citation_dmv_files are append-only'); END;
CREATE TRIGGER citation_dmv_rows_no_update BEFORE UPDATE ON citation_dmv_rows
WHEN OLD.file_id IS NOT NULL OR OLD.cancelled_at IS NOT NULL
  OR (NEW.file_id IS NULL) = (NEW.cancelled_at IS NULL)
  OR NEW.id IS NOT OLD.id OR NEW.citation_id IS NOT OLD.citation_id
  OR NEW.action IS NOT OLD.action OR NEW.seq IS NOT OLD.seq OR NEW.reason IS NOT OLD.reason
  OR NEW.queued_on IS NOT OLD.queued_on OR NEW.queued_at IS NOT OLD.queued_at
BEGIN SELECT RAISE(ABORT, 'citation_dmv_rows are append-only (a queued row is filed or cancelled once)'); END;
CREATE TRIGGER citation_dmv_rows_no_delete BEFORE DELETE ON citation_dmv_rows
BEGIN SELECT RAISE(ABORT, 'citation_dmv_rows are append-only'); END;
CREATE TRIGGER citation_letters_no_update BEFORE UPDATE ON citation_letters
BEGIN SELECT RAISE(ABORT, 'citation_letters are append-only'); END;
CREATE TRIGGER citation_letters_no_delete BEFORE DELETE ON citation_letters
BEGIN SELECT RAISE(ABORT, 'citation_letters are append-only'); END;
CREATE TRIGGER citation_plans_no_update BEFORE UPDATE ON citation_plans
BEGIN SELECT RAISE(ABORT, 'citation_plans are append-only'); END;
CREATE TRIGGER citation_plans_no_delete BEFORE DELETE ON citation_plans
BEGIN SELECT RAISE(ABORT, 'citation_plans are append-only'); END;
CREATE TRIGGER citation_plan_items_no_update BEFORE UPDATE ON citation_plan_items
BEGIN SELECT RAISE(ABORT, 'citation_plan_items are append-only'); END;
CREATE TRIGGER citation_plan_items_no_delete BEFORE DELETE ON citation_plan_items
BEGIN SELECT RAISE(ABORT, 'citation_plan_items are append-only'); END;
