-- The BEFORE INSERT no-replace trigger of each append-only table of the passports set
-- (every table with a BEFORE DELETE trigger), in the generator's shape (db.no_replace_trigger):
-- a REPLACE, INSERT OR REPLACE or upsert colliding with an existing key is refused.

CREATE TRIGGER passport_purges_no_replace BEFORE INSERT ON passport_purges
WHEN EXISTS (SELECT 1 FROM passport_purges WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: passport_purges rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER passport_steps_no_replace BEFORE INSERT ON passport_steps
WHEN EXISTS (SELECT 1 FROM passport_steps WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: passport_steps rows are never replaced (a row with this key exists)'); END;
