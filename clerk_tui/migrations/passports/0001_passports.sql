-- The passports counter (domain/passports/): acceptance agents, DS-11 applications and their
-- checklist, the State Department's pass-through instruments, transmittals, appointments.
--
-- City money (execution fee, photo fee) is never stored here: it is a receipt line of item
-- kind `passport` (receipt_items/ledger_entries) and the application only points at the
-- receipt. The State Department's check or money order is NOT city money: it is recorded in
-- passport_instruments, which no drawer, count, X/Z report or deposit reads.
--
-- Workflow rows (agents, applications, transmittals, appointments, instruments) change by
-- plain audited UPDATEs (their history is in the audit chain); checklist answers and purge
-- runs are append-only facts.

CREATE TABLE passport_agents (
    username        TEXT PRIMARY KEY REFERENCES clerks(username),
    certified_on    TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;

CREATE TABLE passport_facility (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    compliance_due  TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;

CREATE TABLE passport_applications (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,          -- PA + 7 digits + Luhn digit
    form            TEXT NOT NULL DEFAULT 'DS-11',
    started_on      TEXT NOT NULL,
    -- personal fields (purged after the retention period; counts and money stay)
    applicant_name  TEXT,
    name_key        TEXT,                          -- upper-case, for the prefix finder
    birth_date      TEXT,
    parents         TEXT,
    -- what was applied for
    age_group       TEXT NOT NULL CHECK (age_group IN ('adult','teen','minor')),
    product         TEXT NOT NULL CHECK (product IN ('book','card','both')),
    expedite        INTEGER NOT NULL DEFAULT 0 CHECK (expedite IN (0,1)),
    delivery        INTEGER NOT NULL DEFAULT 0 CHECK (delivery IN (0,1)),
    file_search     INTEGER NOT NULL DEFAULT 0 CHECK (file_search IN (0,1)),
    state_fee_cents INTEGER NOT NULL CHECK (state_fee_cents > 0),
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open','executed','transmitted','returned','resent',
                                      'cancelled')),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    executed_at     TEXT,
    executed_by     TEXT,
    executed_on     TEXT,
    instrument_id   INTEGER REFERENCES passport_instruments(id),
    exec_receipt_id INTEGER REFERENCES receipts(id),
    photo_receipt_id INTEGER REFERENCES receipts(id),
    transmittal_id  INTEGER REFERENCES passport_transmittals(id),
    purged_at       TEXT,
    purged_by       TEXT
) STRICT;
CREATE INDEX passport_applications_name ON passport_applications(name_key, birth_date);
CREATE INDEX passport_applications_birth ON passport_applications(birth_date);
CREATE INDEX passport_applications_status ON passport_applications(status, executed_on);
CREATE INDEX passport_applications_executed ON passport_applications(executed_on);

-- One answer per row; the latest row of a step is the answer in force. Yes/no and document
-- TYPES only (never a document number, never a copy).
CREATE TABLE passport_steps (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES passport_applications(id),
    step            TEXT NOT NULL,
    answer          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX passport_steps_app ON passport_steps(application_id, step, id);
CREATE TRIGGER passport_steps_no_update BEFORE UPDATE ON passport_steps
BEGIN SELECT RAISE(ABORT, 'passport_steps is append-only'); END;
CREATE TRIGGER passport_steps_no_delete BEFORE DELETE ON passport_steps
BEGIN SELECT RAISE(ABORT, 'passport_steps is append-only'); END;

-- The applicant's check or money order to the U.S. Department of State. Travels with the
-- application(s) it pays (one family check may pay several). Never city money.
CREATE TABLE passport_instruments (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('check','money_order')),
    number          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    payer           TEXT,                         -- personal: purged with the applications
    payee           TEXT NOT NULL DEFAULT 'U.S. Department of State',
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    voided_at       TEXT,                         -- typed wrong / replaced before execution
    voided_by       TEXT,
    void_reason     TEXT
) STRICT;

CREATE TABLE passport_transmittals (
    id              INTEGER PRIMARY KEY,
    tracking        TEXT NOT NULL UNIQUE,
    method          TEXT NOT NULL CHECK (method IN ('mail','hand')),
    created_on      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    left_on         TEXT,                         -- the day the envelope left the office
    left_by         TEXT
) STRICT;

CREATE TABLE passport_appointments (
    id              INTEGER PRIMARY KEY,
    day             TEXT NOT NULL,
    slot            TEXT NOT NULL,
    agent           TEXT NOT NULL,
    name            TEXT,                         -- personal: purged after retention
    status          TEXT NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked','cancelled','no_show','arrived')),
    booked_by       TEXT NOT NULL,
    booked_at       TEXT NOT NULL,
    application_id  INTEGER REFERENCES passport_applications(id)
) STRICT;
CREATE UNIQUE INDEX passport_appointments_slot ON passport_appointments(day, slot, agent)
    WHERE status IN ('booked','arrived');
CREATE INDEX passport_appointments_day ON passport_appointments(day, slot);

-- Each purge run: how many applications lost their personal fields, and up to which day.
CREATE TABLE passport_purges (
    id              INTEGER PRIMARY KEY,
    run_at          TEXT NOT NULL,
    run_by          TEXT NOT NULL,
    cutoff          TEXT NOT NULL,
    applications    INTEGER NOT NULL,
    appointments    INTEGER NOT NULL
) STRICT;
CREATE TRIGGER passport_purges_no_update BEFORE UPDATE ON passport_purges
BEGIN SELECT RAISE(ABORT, 'passport_purges is append-only'); END;
CREATE TRIGGER passport_purges_no_delete BEFORE DELETE ON passport_purges
BEGIN SELECT RAISE(ABORT, 'passport_purges is append-only'); END;

INSERT INTO counters (name, value) SELECT 'passport_application', 0
WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = 'passport_application');
