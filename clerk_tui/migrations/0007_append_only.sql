-- Append-only means against every statement. SQLite fires no DELETE trigger for the row that
-- REPLACE, INSERT OR REPLACE (or an upsert's conflict) removes, so the no-update/no-delete
-- triggers of 0001-0005 did not stop one statement from rewriting a ledger amount, a receipt
-- total, the database kind or the audit tail. Every append-only table (every table with a
-- BEFORE DELETE trigger: tests/test_append_only_shell.py checks that rule against this file)
-- gets a BEFORE INSERT trigger that aborts when the new row's primary key or any UNIQUE key
-- already exists. A plain INSERT of a new row is unaffected; an INSERT that collides fails
-- with this message instead of "UNIQUE constraint failed".

CREATE TRIGGER account_notes_no_replace BEFORE INSERT ON account_notes
WHEN EXISTS (SELECT 1 FROM account_notes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: account_notes rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER adjustments_no_replace BEFORE INSERT ON adjustments
WHEN EXISTS (SELECT 1 FROM adjustments WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM adjustments WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: adjustments rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
   OR EXISTS (SELECT 1 FROM audit_log WHERE hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: audit_log rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER bill_lines_no_replace BEFORE INSERT ON bill_lines
WHEN EXISTS (SELECT 1 FROM bill_lines WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bill_lines rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER bills_no_replace BEFORE INSERT ON bills
WHEN EXISTS (SELECT 1 FROM bills WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bills rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER cash_movements_no_replace BEFORE INSERT ON cash_movements
WHEN EXISTS (SELECT 1 FROM cash_movements WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM cash_movements WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: cash_movements rows are never replaced (a row with this key exists)'); END;

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

CREATE TRIGGER deposit_sessions_no_replace BEFORE INSERT ON deposit_sessions
WHEN EXISTS (SELECT 1 FROM deposit_sessions WHERE deposit_id = NEW.deposit_id AND drawer_session_id = NEW.drawer_session_id)
   OR EXISTS (SELECT 1 FROM deposit_sessions WHERE drawer_session_id = NEW.drawer_session_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: deposit_sessions rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER deposits_no_replace BEFORE INSERT ON deposits
WHEN EXISTS (SELECT 1 FROM deposits WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM deposits WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: deposits rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER drawer_count_items_no_replace BEFORE INSERT ON drawer_count_items
WHEN EXISTS (SELECT 1 FROM drawer_count_items WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: drawer_count_items rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER drawer_count_lines_no_replace BEFORE INSERT ON drawer_count_lines
WHEN EXISTS (SELECT 1 FROM drawer_count_lines WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM drawer_count_lines WHERE count_id = NEW.count_id AND denomination = NEW.denomination)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: drawer_count_lines rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER drawer_counts_no_replace BEFORE INSERT ON drawer_counts
WHEN EXISTS (SELECT 1 FROM drawer_counts WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: drawer_counts rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER drawer_session_events_no_replace BEFORE INSERT ON drawer_session_events
WHEN EXISTS (SELECT 1 FROM drawer_session_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: drawer_session_events rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER journals_no_replace BEFORE INSERT ON journals
WHEN EXISTS (SELECT 1 FROM journals WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: journals rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER late_fees_no_replace BEFORE INSERT ON late_fees
WHEN EXISTS (SELECT 1 FROM late_fees WHERE bill_id = NEW.bill_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: late_fees rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER ledger_entries_no_replace BEFORE INSERT ON ledger_entries
WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: ledger_entries rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER letters_no_replace BEFORE INSERT ON letters
WHEN EXISTS (SELECT 1 FROM letters WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: letters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER meta_no_replace BEFORE INSERT ON meta
WHEN EXISTS (SELECT 1 FROM meta WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: meta rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER meter_reads_no_replace BEFORE INSERT ON meter_reads
WHEN EXISTS (SELECT 1 FROM meter_reads WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: meter_reads rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER notices_no_replace BEFORE INSERT ON notices
WHEN EXISTS (SELECT 1 FROM notices WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: notices rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER nsf_returns_no_replace BEFORE INSERT ON nsf_returns
WHEN EXISTS (SELECT 1 FROM nsf_returns WHERE receipt_id = NEW.receipt_id)
   OR EXISTS (SELECT 1 FROM nsf_returns WHERE fee_journal_id = NEW.fee_journal_id)
   OR EXISTS (SELECT 1 FROM nsf_returns WHERE reversal_journal_id = NEW.reversal_journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: nsf_returns rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER plan_installments_no_replace BEFORE INSERT ON plan_installments
WHEN EXISTS (SELECT 1 FROM plan_installments WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM plan_installments WHERE plan_id = NEW.plan_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: plan_installments rows are never replaced (a row with this key exists)'); END;

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

CREATE TRIGGER refunds_no_replace BEFORE INSERT ON refunds
WHEN EXISTS (SELECT 1 FROM refunds WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM refunds WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: refunds rows are never replaced (a row with this key exists)'); END;

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
