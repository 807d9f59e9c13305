-- Append-only means against every statement. SQLite fires no DELETE trigger for the row that
-- REPLACE, INSERT OR REPLACE (or an upsert's conflict) removes, so the no-update/no-delete
-- triggers of 0001-0005 did not stop one statement from rewriting a ledger amount, a receipt
-- total, the database kind or the audit tail. Every append-only table (every table with a
-- BEFORE DELETE trigger: tests/test_append_only_shell.py checks that rule against this file)
-- gets a BEFORE INSERT trigger that aborts when the new row's primary key or any UNIQUE key
-- already exists. A plain INSERT of a new row is unaffected; an INSERT that collides fails
-- with this message instead of "UNIQUE constraint failed".

-- Split from the single-sequence migration 0007_append_only (issue 11): the statements
-- for the utility set's own tables. A database that had 0007 has all three parts.

CREATE TRIGGER adjustments_no_replace BEFORE INSERT ON adjustments
WHEN EXISTS (SELECT 1 FROM adjustments WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM adjustments WHERE journal_id = NEW.journal_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: adjustments rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER bill_lines_no_replace BEFORE INSERT ON bill_lines
WHEN EXISTS (SELECT 1 FROM bill_lines WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bill_lines rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER late_fees_no_replace BEFORE INSERT ON late_fees
WHEN EXISTS (SELECT 1 FROM late_fees WHERE bill_id = NEW.bill_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: late_fees rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER letters_no_replace BEFORE INSERT ON letters
WHEN EXISTS (SELECT 1 FROM letters WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: letters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER notices_no_replace BEFORE INSERT ON notices
WHEN EXISTS (SELECT 1 FROM notices WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: notices rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER plan_installments_no_replace BEFORE INSERT ON plan_installments
WHEN EXISTS (SELECT 1 FROM plan_installments WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM plan_installments WHERE plan_id = NEW.plan_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: plan_installments rows are never replaced (a row with this key exists)'); END;
