-- Residential parking permits (domain/permits/): numbered stock, applications, permits, their
-- change history, the enforcement hot list, renewal notices and stock counts.
--
-- Money moves only through receipts (item kind `permit`): an application is priced when the
-- payment screen quotes it and becomes a permit in the receipt's own transaction. Workflow rows
-- (stock ranges, applications, permits) carry a status changed by plain audited UPDATEs; facts
-- (stock events, changes, hot list, notices, counts) are append-only.

-- A box of pre-printed hangtags/decals received: serial numbers low..high, issued in order.
CREATE TABLE permit_stock_ranges (
    id            INTEGER PRIMARY KEY,
    district      TEXT NOT NULL,
    stock         TEXT NOT NULL CHECK (stock IN ('decal','hangtag','visitor')),
    low           INTEGER NOT NULL CHECK (low > 0),
    high          INTEGER NOT NULL CHECK (high >= low),
    next_serial   INTEGER NOT NULL,             -- the next one to issue; high + 1 = used up
    received_on   TEXT NOT NULL,
    received_by   TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    CHECK (next_serial BETWEEN low AND high + 1)
) STRICT;
CREATE INDEX permit_stock_ranges_open ON permit_stock_ranges(district, stock, id)
    WHERE next_serial <= high;

-- What happened to each serial that is not on hand: issued, voided (taken back), damaged.
CREATE TABLE permit_stock_events (
    id            INTEGER PRIMARY KEY,
    range_id      INTEGER NOT NULL REFERENCES permit_stock_ranges(id),
    serial        INTEGER NOT NULL,
    event         TEXT NOT NULL CHECK (event IN ('issued','voided','damaged')),
    permit_id     INTEGER REFERENCES permits(id),
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX permit_stock_events_range ON permit_stock_events(range_id, serial);
CREATE UNIQUE INDEX permit_stock_events_once ON permit_stock_events(range_id, serial, event);

-- What the clerk took at the counter; paid, it becomes a permit (kind new/renew/replace).
CREATE TABLE permit_applications (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('new','renew','replace')),
    district      TEXT NOT NULL,
    permit_type   TEXT NOT NULL,
    house_number  INTEGER NOT NULL,
    street        TEXT NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    holder        TEXT NOT NULL,
    mailing       TEXT NOT NULL DEFAULT '',
    plate         TEXT NOT NULL DEFAULT '',
    plate_state   TEXT NOT NULL DEFAULT '',
    vehicle       TEXT NOT NULL DEFAULT '',
    documents     TEXT NOT NULL DEFAULT '',     -- codes the clerk ticked, comma-separated
    of_permit_id  INTEGER REFERENCES permits(id),  -- renew/replace: the permit it follows
    lost_reason   TEXT NOT NULL DEFAULT '',     -- replace: 'lost' or 'stolen'
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending','issued','void')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
) STRICT;

CREATE TABLE permits (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,         -- 'PK' + serial + check digit, as printed
    range_id      INTEGER NOT NULL REFERENCES permit_stock_ranges(id),
    serial        INTEGER NOT NULL,
    application_id INTEGER NOT NULL UNIQUE REFERENCES permit_applications(id),
    receipt_id    INTEGER NOT NULL REFERENCES receipts(id),
    district      TEXT NOT NULL,
    permit_type   TEXT NOT NULL,
    house_number  INTEGER NOT NULL,
    street        TEXT NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    holder        TEXT NOT NULL,
    mailing       TEXT NOT NULL DEFAULT '',
    plate         TEXT NOT NULL DEFAULT '',
    plate_state   TEXT NOT NULL DEFAULT '',
    vehicle       TEXT NOT NULL DEFAULT '',
    tier          INTEGER NOT NULL DEFAULT 1,
    fee_cents     INTEGER NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active','replaced','lapsed','void')),
    replaces_id   INTEGER REFERENCES permits(id),
    renews_id     INTEGER REFERENCES permits(id),
    issued_at     TEXT NOT NULL,
    issued_by     TEXT NOT NULL
) STRICT;
CREATE INDEX permits_dwelling ON permits(house_number, street, unit, status);
CREATE INDEX permits_plate ON permits(plate);
CREATE INDEX permits_status ON permits(status, valid_until);
CREATE INDEX permits_holder ON permits(holder COLLATE NOCASE);

-- Vehicle and address changes: the history of what a permit said.
CREATE TABLE permit_changes (
    id            INTEGER PRIMARY KEY,
    permit_id     INTEGER NOT NULL REFERENCES permits(id),
    what          TEXT NOT NULL CHECK (what IN ('vehicle','address')),
    before_text   TEXT NOT NULL,
    after_text    TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL
) STRICT;
CREATE INDEX permit_changes_permit ON permit_changes(permit_id, id);

-- Numbers enforcement must treat as invalid (lost, stolen, reversed after it was handed out).
CREATE TABLE permit_hotlist (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    permit_id     INTEGER NOT NULL REFERENCES permits(id),
    reason        TEXT NOT NULL CHECK (reason IN ('lost','stolen','reversed')),
    listed_on     TEXT NOT NULL,
    clerk         TEXT NOT NULL
) STRICT;

-- Renewal notices sent: one per permit and expiry date, never twice.
CREATE TABLE permit_notices (
    id            INTEGER PRIMARY KEY,
    permit_id     INTEGER NOT NULL REFERENCES permits(id),
    valid_until   TEXT NOT NULL,
    body          TEXT NOT NULL,
    generated_at  TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    delivered     TEXT NOT NULL DEFAULT ''      -- '' (to mail), 'printed', 'file:<path>'
) STRICT;
CREATE UNIQUE INDEX permit_notices_once ON permit_notices(permit_id, valid_until);

-- A supervisor's reconciliation of a stock range: what the records say, what was counted.
CREATE TABLE permit_stock_counts (
    id            INTEGER PRIMARY KEY,
    range_id      INTEGER NOT NULL REFERENCES permit_stock_ranges(id),
    issued        INTEGER NOT NULL,
    spoiled       INTEGER NOT NULL,
    on_hand       INTEGER NOT NULL,
    counted       INTEGER NOT NULL,
    at            TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TRIGGER permit_stock_events_no_update BEFORE UPDATE ON permit_stock_events
BEGIN SELECT RAISE(ABORT, 'permit stock events are append-only'); END;
CREATE TRIGGER permit_stock_events_no_delete BEFORE DELETE ON permit_stock_events
BEGIN SELECT RAISE(ABORT, 'permit stock events are append-only'); END;
CREATE TRIGGER permit_changes_no_update BEFORE UPDATE ON permit_changes
BEGIN SELECT RAISE(ABORT, 'permit changes are append-only'); END;
CREATE TRIGGER permit_changes_no_delete BEFORE DELETE ON permit_changes
BEGIN SELECT RAISE(ABORT, 'permit changes are append-only'); END;
CREATE TRIGGER permit_hotlist_no_update BEFORE UPDATE ON permit_hotlist
BEGIN SELECT RAISE(ABORT, 'the permit hot list is append-only'); END;
CREATE TRIGGER permit_hotlist_no_delete BEFORE DELETE ON permit_hotlist
BEGIN SELECT RAISE(ABORT, 'the permit hot list is append-only'); END;
CREATE TRIGGER permit_notices_no_update BEFORE UPDATE OF permit_id, valid_until, body ON permit_notices
BEGIN SELECT RAISE(ABORT, 'permit notices are append-only'); END;
CREATE TRIGGER permit_notices_no_delete BEFORE DELETE ON permit_notices
BEGIN SELECT RAISE(ABORT, 'permit notices are append-only'); END;
CREATE TRIGGER permit_stock_counts_no_update BEFORE UPDATE ON permit_stock_counts
BEGIN SELECT RAISE(ABORT, 'permit stock counts are append-only'); END;
CREATE TRIGGER permit_stock_counts_no_delete BEFORE DELETE ON permit_stock_counts
BEGIN SELECT RAISE(ABORT, 'permit stock counts are append-only'); END;
