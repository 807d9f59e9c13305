-- Append-only tables of the office set: REPLACE/upsert refused (db.no_replace_trigger).

CREATE TRIGGER gl_exports_no_replace BEFORE INSERT ON gl_exports
WHEN EXISTS (SELECT 1 FROM gl_exports WHERE business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: gl_exports rows are never replaced (a row with this key exists)'); END;
