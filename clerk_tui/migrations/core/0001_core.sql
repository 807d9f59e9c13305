-- Core: identity of the database, clerks, the hash-chained audit log, named counters.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
) STRICT;

-- key 'kind' = production | training, written once and checked at every start.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

CREATE TRIGGER meta_kind_is_permanent BEFORE UPDATE ON meta
WHEN OLD.key = 'kind' AND NEW.value <> OLD.value
BEGIN SELECT RAISE(ABORT, 'the database kind (production/training) cannot change'); END;

CREATE TRIGGER meta_kind_not_deleted BEFORE DELETE ON meta
WHEN OLD.key = 'kind'
BEGIN SELECT RAISE(ABORT, 'the database kind (production/training) cannot be removed'); END;

-- Explicit counter rows (receipt numbers, audit sequence): updated inside the same
-- BEGIN IMMEDIATE as the row that uses the number, so a rollback gives the number back.
CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL CHECK (value >= 0)
) STRICT;

CREATE TRIGGER counters_never_go_back BEFORE UPDATE ON counters
WHEN NEW.value < OLD.value
BEGIN SELECT RAISE(ABORT, 'counters only move forward'); END;

CREATE TRIGGER counters_not_deleted BEFORE DELETE ON counters
BEGIN SELECT RAISE(ABORT, 'counters cannot be deleted'); END;

CREATE TABLE clerks (
    id               INTEGER PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name        TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('trainee','csr1','csr2','csr3','supervisor','admin')),
    pin_hash         TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked           INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0,1)),
    created_at       TEXT NOT NULL
) STRICT;

CREATE TRIGGER clerks_not_deleted BEFORE DELETE ON clerks
BEGIN SELECT RAISE(ABORT, 'clerks are disabled, never deleted (their names are in the audit log)'); END;

-- Every change, who did it, where, and what it looked like before and after.
-- hash = sha256(prev_hash + canonical row); seq is gapless, so an edited or deleted row shows.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    workstation  TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    override_by  TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

INSERT INTO counters (name, value) VALUES ('audit_seq', 0);
INSERT INTO counters (name, value) VALUES ('receipt_number', 0);
