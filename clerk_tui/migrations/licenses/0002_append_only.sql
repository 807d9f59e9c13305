-- Append-only tables of the licenses set: REPLACE/upsert refused (db.no_replace_trigger).

CREATE TRIGGER bid_remittances_no_replace BEFORE INSERT ON bid_remittances
WHEN EXISTS (SELECT 1 FROM bid_remittances WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM bid_remittances WHERE zone = NEW.zone AND month = NEW.month)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bid_remittances rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER bid_remitted_no_replace BEFORE INSERT ON bid_remitted
WHEN EXISTS (SELECT 1 FROM bid_remitted WHERE payment_id = NEW.payment_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: bid_remitted rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER event_deposit_returns_no_replace BEFORE INSERT ON event_deposit_returns
WHEN EXISTS (SELECT 1 FROM event_deposit_returns WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM event_deposit_returns WHERE permit_id = NEW.permit_id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: event_deposit_returns rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER event_payments_no_replace BEFORE INSERT ON event_payments
WHEN EXISTS (SELECT 1 FROM event_payments WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: event_payments rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER license_history_no_replace BEFORE INSERT ON license_history
WHEN EXISTS (SELECT 1 FROM license_history WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: license_history rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER license_letters_no_replace BEFORE INSERT ON license_letters
WHEN EXISTS (SELECT 1 FROM license_letters WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM license_letters WHERE license_id = NEW.license_id AND kind = NEW.kind AND period = NEW.period)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: license_letters rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER license_payments_no_replace BEFORE INSERT ON license_payments
WHEN EXISTS (SELECT 1 FROM license_payments WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: license_payments rows are never replaced (a row with this key exists)'); END;

CREATE TRIGGER license_terms_no_replace BEFORE INSERT ON license_terms
WHEN EXISTS (SELECT 1 FROM license_terms WHERE id = NEW.id)
   OR EXISTS (SELECT 1 FROM license_terms WHERE license_id = NEW.license_id AND year = NEW.year)
BEGIN SELECT RAISE(ABORT, 'REPLACE/upsert refused: license_terms rows are never replaced (a row with this key exists)'); END;
