-- Append-only against every statement (see core 0005): each table with a no-delete trigger
-- gets the BEFORE INSERT trigger that refuses REPLACE/upsert (db.no_replace_trigger).

CREATE TRIGGER fd_clearance_letters_no_replace BEFORE INSERT ON fd_clearance_letters
WHEN EXISTS (SELECT 1 FROM fd_clearance_letters WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_clearance_letters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_clearances_no_replace BEFORE INSERT ON fd_clearances
WHEN EXISTS (SELECT 1 FROM fd_clearances WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_clearances rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_letters_no_replace BEFORE INSERT ON fd_letters
WHEN EXISTS (SELECT 1 FROM fd_letters WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_letters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_messages_no_replace BEFORE INSERT ON fd_messages
WHEN EXISTS (SELECT 1 FROM fd_messages WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_messages rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_registrant_history_no_replace BEFORE INSERT ON fd_registrant_history
WHEN EXISTS (SELECT 1 FROM fd_registrant_history WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_registrant_history rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_registrants_no_replace BEFORE INSERT ON fd_registrants
WHEN EXISTS (SELECT 1 FROM fd_registrants WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_registrants rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_repossessions_no_replace BEFORE INSERT ON fd_repossessions
WHEN EXISTS (SELECT 1 FROM fd_repossessions WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_repossessions rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_requests_no_replace BEFORE INSERT ON fd_requests
WHEN EXISTS (SELECT 1 FROM fd_requests WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM fd_requests WHERE number = NEW.number)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_requests rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_ridealongs_no_replace BEFORE INSERT ON fd_ridealongs
WHEN EXISTS (SELECT 1 FROM fd_ridealongs WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_ridealongs rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_subpoenas_no_replace BEFORE INSERT ON fd_subpoenas
WHEN EXISTS (SELECT 1 FROM fd_subpoenas WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_subpoenas rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_vehicles_no_replace BEFORE INSERT ON fd_vehicles
WHEN EXISTS (SELECT 1 FROM fd_vehicles WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_vehicles rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER fd_visitors_no_replace BEFORE INSERT ON fd_visitors
WHEN EXISTS (SELECT 1 FROM fd_visitors WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM fd_visitors WHERE badge = NEW.badge)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: fd_visitors rows are never replaced (a row with this key exists)'); END;
