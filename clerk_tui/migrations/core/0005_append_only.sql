-- Append-only means against every statement. SQLite fires no DELETE trigger for the row that
-- REPLACE, INSERT OR REPLACE (or an upsert's conflict) removes, so the no-update/no-delete
-- triggers of 0001-0005 did not stop one statement from rewriting a ledger amount, a receipt
-- total, the database kind or the audit tail. Every append-only table (every table with a
-- BEFORE DELETE trigger: tests/test_append_only_shell.py checks that rule against this file)
-- gets a BEFORE INSERT trigger that aborts when the new row's primary key or any UNIQUE key
-- already exists. A plain INSERT of a new row is unaffected; an INSERT that collides fails
-- with this message instead of "UNIQUE constraint failed".

-- Split from the single-sequence migration 0007_append_only (issue 11): the statements
-- for the core set's own tables. A database that had 0007 has all three parts.

CREATE TRIGGER account_notes_no_replace BEFORE INSERT ON account_notes
WHEN EXISTS (SELECT 1 FROM account_notes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: account_notes rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
   OR EXISTS (SELECT 1 FROM audit_log WHERE hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: audit_log rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER bills_no_replace BEFORE INSERT ON bills
WHEN EXISTS (SELECT 1 FROM bills WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bills rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER clerks_no_replace BEFORE INSERT ON clerks
WHEN EXISTS (SELECT 1 FROM clerks WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM clerks WHERE username = NEW.username)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: clerks rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER closed_business_days_no_replace BEFORE INSERT ON closed_business_days
WHEN EXISTS (SELECT 1 FROM closed_business_days WHERE business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: closed_business_days rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER counters_no_replace BEFORE INSERT ON counters
WHEN EXISTS (SELECT 1 FROM counters WHERE name = NEW.name)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: counters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER journals_no_replace BEFORE INSERT ON journals
WHEN EXISTS (SELECT 1 FROM journals WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: journals rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER ledger_entries_no_replace BEFORE INSERT ON ledger_entries
WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: ledger_entries rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER meta_no_replace BEFORE INSERT ON meta
WHEN EXISTS (SELECT 1 FROM meta WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: meta rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER meter_reads_no_replace BEFORE INSERT ON meter_reads
WHEN EXISTS (SELECT 1 FROM meter_reads WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: meter_reads rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER receipt_items_no_replace BEFORE INSERT ON receipt_items
WHEN EXISTS (SELECT 1 FROM receipt_items WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM receipt_items WHERE receipt_id = NEW.receipt_id AND line = NEW.line)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: receipt_items rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER receipt_voids_no_replace BEFORE INSERT ON receipt_voids
WHEN EXISTS (SELECT 1 FROM receipt_voids WHERE receipt_id = NEW.receipt_id)
   OR EXISTS (SELECT 1 FROM receipt_voids WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: receipt_voids rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER receipts_no_replace BEFORE INSERT ON receipts
WHEN EXISTS (SELECT 1 FROM receipts WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM receipts WHERE idempotency_key = NEW.idempotency_key)
   OR EXISTS (SELECT 1 FROM receipts WHERE journal_id = NEW.journal_id)
   OR EXISTS (SELECT 1 FROM receipts WHERE number = NEW.number)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: receipts rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER tenders_no_replace BEFORE INSERT ON tenders
WHEN EXISTS (SELECT 1 FROM tenders WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM tenders WHERE receipt_id = NEW.receipt_id AND line = NEW.line)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: tenders rows are never replaced (a row with this key exists)'); END;

-- The audit row format (audit.py): 1 = the original SHA-256 chain; 2 = HMAC-SHA256 under the
-- site secret (a file outside the database) over the row and `rows_json`, the digest of every
-- money row the change wrote. Rows written before this migration keep format 1 and verify as
-- they always did.
ALTER TABLE audit_log ADD COLUMN fmt INTEGER NOT NULL DEFAULT 1;

ALTER TABLE audit_log ADD COLUMN rows_json TEXT;
