-- Append-only means against every statement. SQLite fires no DELETE trigger for the row that
-- REPLACE, INSERT OR REPLACE (or an upsert's conflict) removes, so the no-update/no-delete
-- triggers of 0001-0005 did not stop one statement from rewriting a ledger amount, a receipt
-- total, the database kind or the audit tail. Every append-only table (every table with a
-- BEFORE DELETE trigger: tests/test_append_only_shell.py checks that rule against this file)
-- gets a BEFORE INSERT trigger that aborts when the new row's primary key or any UNIQUE key
-- already exists. A plain INSERT of a new row is unaffected; an INSERT that collides fails
-- with this message instead of "UNIQUE constraint failed".

-- Split from the single-sequence migration 0007_append_only (issue 11): the statements
-- for the cashier set's own tables. A database that had 0007 has all three parts.

CREATE TRIGGER cash_movements_no_replace BEFORE INSERT ON cash_movements
WHEN EXISTS (SELECT 1 FROM cash_movements WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM cash_movements WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: cash_movements rows are never replaced (a row with this key exists)'); END;

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

CREATE TRIGGER nsf_returns_no_replace BEFORE INSERT ON nsf_returns
WHEN EXISTS (SELECT 1 FROM nsf_returns WHERE receipt_id = NEW.receipt_id)
   OR EXISTS (SELECT 1 FROM nsf_returns WHERE fee_journal_id = NEW.fee_journal_id)
   OR EXISTS (SELECT 1 FROM nsf_returns WHERE reversal_journal_id = NEW.reversal_journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: nsf_returns rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER refunds_no_replace BEFORE INSERT ON refunds
WHEN EXISTS (SELECT 1 FROM refunds WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM refunds WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: refunds rows are never replaced (a row with this key exists)'); END;
