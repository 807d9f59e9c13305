-- Append-only against every statement (see core 0005): each table with a no-delete trigger
-- gets the BEFORE INSERT trigger that refuses REPLACE/upsert (db.no_replace_trigger).

CREATE TRIGGER batch_lines_no_replace BEFORE INSERT ON batch_lines
WHEN EXISTS (SELECT 1 FROM batch_lines WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: batch_lines rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER batch_receipts_no_replace BEFORE INSERT ON batch_receipts
WHEN EXISTS (SELECT 1 FROM batch_receipts WHERE batch_id = NEW.batch_id AND line = NEW.line)
   OR EXISTS (SELECT 1 FROM batch_receipts WHERE receipt_id = NEW.receipt_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: batch_receipts rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER batches_no_replace BEFORE INSERT ON batches
WHEN EXISTS (SELECT 1 FROM batches WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: batches rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER lockbox_exceptions_no_replace BEFORE INSERT ON lockbox_exceptions
WHEN EXISTS (SELECT 1 FROM lockbox_exceptions WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM lockbox_exceptions WHERE file_id = NEW.file_id AND row_no = NEW.row_no)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: lockbox_exceptions rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER lockbox_files_no_replace BEFORE INSERT ON lockbox_files
WHEN EXISTS (SELECT 1 FROM lockbox_files WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM lockbox_files WHERE sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: lockbox_files rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER lockbox_resolutions_no_replace BEFORE INSERT ON lockbox_resolutions
WHEN EXISTS (SELECT 1 FROM lockbox_resolutions WHERE exception_id = NEW.exception_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: lockbox_resolutions rows are never replaced (a row with this key exists)'); END;
