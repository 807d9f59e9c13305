-- The registration fee (Pen. Code 290.012) for the registrant's current visit: which
-- registration (by date) it paid for and the receipt. Money stays in receipts (item fd_reg).
ALTER TABLE fd_registrants ADD COLUMN fee_for TEXT;
ALTER TABLE fd_registrants ADD COLUMN fee_receipt_id INTEGER REFERENCES receipts(id);
