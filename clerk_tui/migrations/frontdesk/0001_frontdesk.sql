-- Police front desk (F7): visitors, records requests (CPRA), stored/impounded vehicles,
-- repossessions, registrants (local tickler), subpoenas, ride-alongs, clearance letters, the
-- phone message log, and who is cleared to see them.
-- Nothing here holds money: fees are receipt items (item kinds fd_copy, fd_release,
-- fd_repo, fd_subpoena) and these rows only point at the receipt. No row is ever deleted
-- (police records): every table has a no-delete trigger; logs and history are append-only.

-- Who is cleared for police records: the latest row for a clerk is in force (an admin sets it).
CREATE TABLE fd_clearances (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL REFERENCES clerks(username),
    cleared     INTEGER NOT NULL CHECK (cleared IN (0, 1)),
    reason      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_clearances_user ON fd_clearances(username, id);

CREATE TABLE fd_visitors (
    id              INTEGER PRIMARY KEY,
    badge           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL COLLATE NOCASE,
    company         TEXT NOT NULL DEFAULT '',
    visiting        TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    id_seen         INTEGER NOT NULL CHECK (id_seen IN (0, 1)),
    business_date   TEXT NOT NULL,
    in_at           TEXT NOT NULL,
    in_by           TEXT NOT NULL,
    out_at          TEXT,
    out_by          TEXT,
    out_how         TEXT CHECK (out_how IN ('scan', 'list', 'day_end')),
    badge_missing   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX fd_visitors_day ON fd_visitors(business_date);
CREATE INDEX fd_visitors_open ON fd_visitors(out_at);
CREATE INDEX fd_visitors_name ON fd_visitors(name);

CREATE TABLE fd_requests (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    requester       TEXT NOT NULL COLLATE NOCASE,
    contact         TEXT NOT NULL DEFAULT '',
    records         TEXT NOT NULL,
    received_on     TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('counter', 'mail', 'email', 'phone', 'web')),
    victim          INTEGER NOT NULL DEFAULT 0 CHECK (victim IN (0, 1)),
    due_on          TEXT NOT NULL,
    extended_to     TEXT,
    extension_reason TEXT,
    status          TEXT NOT NULL CHECK (status IN ('received', 'extended', 'ready',
                        'released', 'released_part', 'denied', 'withdrawn', 'closed')),
    released        TEXT NOT NULL DEFAULT '',
    withheld        TEXT NOT NULL DEFAULT '',
    exemption       TEXT NOT NULL DEFAULT '',
    pages           INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0),
    fee_receipt_id  INTEGER REFERENCES receipts(id),
    decided_on      TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_requests_requester ON fd_requests(requester);
CREATE INDEX fd_requests_status ON fd_requests(status);

CREATE TABLE fd_letters (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER NOT NULL REFERENCES fd_requests(id),
    kind            TEXT NOT NULL CHECK (kind IN ('acknowledgement', 'extension', 'release', 'denial')),
    body            TEXT NOT NULL,
    at              TEXT NOT NULL,
    clerk           TEXT NOT NULL
) STRICT;

CREATE TABLE fd_vehicles (
    id              INTEGER PRIMARY KEY,
    plate           TEXT NOT NULL,
    vin             TEXT NOT NULL,
    make            TEXT NOT NULL,
    owner           TEXT NOT NULL DEFAULT '',
    stored_on       TEXT NOT NULL,
    reason_code     TEXT NOT NULL,
    hold_until      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('stored', 'ready', 'released')),
    checklist_json  TEXT NOT NULL DEFAULT '{}',
    exception       TEXT,
    exception_by    TEXT,
    fee_receipt_id  INTEGER REFERENCES receipts(id),
    release_number  TEXT,
    released_at     TEXT,
    released_to     TEXT,
    hearing_requested_on TEXT,
    hearing_on      TEXT,
    hearing_outcome TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_vehicles_plate ON fd_vehicles(plate);
CREATE INDEX fd_vehicles_vin ON fd_vehicles(vin);
CREATE INDEX fd_vehicles_release ON fd_vehicles(release_number);

CREATE TABLE fd_repossessions (
    id              INTEGER PRIMARY KEY,
    agency          TEXT NOT NULL,
    debtor          TEXT NOT NULL,
    plate           TEXT NOT NULL,
    vin             TEXT NOT NULL,
    make            TEXT NOT NULL,
    repossessed_at  TEXT NOT NULL,
    phone_notice_at TEXT NOT NULL,
    written_notice_at TEXT,
    payer           TEXT,
    fee_receipt_id  INTEGER REFERENCES receipts(id),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_repossessions_plate ON fd_repossessions(plate);

CREATE TABLE fd_registrants (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL COLLATE NOCASE,
    birth_date      TEXT NOT NULL,
    type            TEXT NOT NULL,
    tier            TEXT NOT NULL DEFAULT '',
    special_class   INTEGER NOT NULL DEFAULT 0 CHECK (special_class IN (0, 1)),
    transient       INTEGER NOT NULL DEFAULT 0 CHECK (transient IN (0, 1)),
    address         TEXT NOT NULL,
    moved_on        TEXT,
    last_registered_on TEXT NOT NULL,
    next_due        TEXT NOT NULL,
    appointment     TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_registrants_name ON fd_registrants(name);
CREATE INDEX fd_registrants_due ON fd_registrants(next_due);

-- Every change to a registrant, as it was after the change (the record keeps its history).
CREATE TABLE fd_registrant_history (
    id              INTEGER PRIMARY KEY,
    registrant_id   INTEGER NOT NULL REFERENCES fd_registrants(id),
    event           TEXT NOT NULL,
    detail          TEXT NOT NULL,
    form            TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL,
    clerk           TEXT NOT NULL
) STRICT;
CREATE INDEX fd_registrant_history_reg ON fd_registrant_history(registrant_id, id);

CREATE TABLE fd_subpoenas (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('civil', 'criminal', 'records')),
    named           TEXT NOT NULL,
    case_number     TEXT NOT NULL,
    court           TEXT NOT NULL,
    appear_at       TEXT NOT NULL,
    days            INTEGER NOT NULL DEFAULT 1 CHECK (days >= 1),
    served_by       TEXT NOT NULL,
    served_at       TEXT NOT NULL,
    deposit_cents   INTEGER NOT NULL DEFAULT 0,
    deposit_receipt_id INTEGER REFERENCES receipts(id),
    actual_cents    INTEGER,
    settled         TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_subpoenas_named ON fd_subpoenas(named COLLATE NOCASE, appear_at);

CREATE TABLE fd_messages (
    id              INTEGER PRIMARY KEY,
    caller          TEXT NOT NULL,
    callback        TEXT NOT NULL DEFAULT '',
    for_whom        TEXT NOT NULL,
    message         TEXT NOT NULL,
    taken_by        TEXT NOT NULL,
    taken_at        TEXT NOT NULL,
    done_at         TEXT
) STRICT;

-- Ride-along applications (a background check: police records).
CREATE TABLE fd_ridealongs (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL COLLATE NOCASE,
    birth_date      TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    applied_on      TEXT NOT NULL,
    waiver_signed   INTEGER NOT NULL DEFAULT 0 CHECK (waiver_signed IN (0, 1)),
    background      TEXT NOT NULL DEFAULT 'pending' CHECK (background IN ('pending', 'clear', 'refused')),
    appointment     TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX fd_ridealongs_person ON fd_ridealongs(name, birth_date);

-- Clearance / reference letters ("no record" letters) for a fee.
CREATE TABLE fd_clearance_letters (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL COLLATE NOCASE,
    birth_date      TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    id_seen         TEXT NOT NULL,
    body            TEXT,
    fee_receipt_id  INTEGER REFERENCES receipts(id),
    printed_at      TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE TRIGGER fd_clearances_no_update BEFORE UPDATE ON fd_clearances
BEGIN SELECT RAISE(ABORT, 'clearances are append-only: set it again'); END;
CREATE TRIGGER fd_clearances_no_delete BEFORE DELETE ON fd_clearances
BEGIN SELECT RAISE(ABORT, 'clearances are append-only: set it again'); END;
CREATE TRIGGER fd_registrant_history_no_update BEFORE UPDATE ON fd_registrant_history
BEGIN SELECT RAISE(ABORT, 'registrant history is append-only'); END;
CREATE TRIGGER fd_registrant_history_no_delete BEFORE DELETE ON fd_registrant_history
BEGIN SELECT RAISE(ABORT, 'registrant history is append-only'); END;
CREATE TRIGGER fd_letters_no_update BEFORE UPDATE ON fd_letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only'); END;
CREATE TRIGGER fd_letters_no_delete BEFORE DELETE ON fd_letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only'); END;
CREATE TRIGGER fd_visitors_no_delete BEFORE DELETE ON fd_visitors
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_requests_no_delete BEFORE DELETE ON fd_requests
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_vehicles_no_delete BEFORE DELETE ON fd_vehicles
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_repossessions_no_delete BEFORE DELETE ON fd_repossessions
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_registrants_no_delete BEFORE DELETE ON fd_registrants
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_subpoenas_no_delete BEFORE DELETE ON fd_subpoenas
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_messages_no_delete BEFORE DELETE ON fd_messages
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_ridealongs_no_delete BEFORE DELETE ON fd_ridealongs
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
CREATE TRIGGER fd_clearance_letters_no_delete BEFORE DELETE ON fd_clearance_letters
BEGIN SELECT RAISE(ABORT, 'police front desk records are never deleted'); END;
