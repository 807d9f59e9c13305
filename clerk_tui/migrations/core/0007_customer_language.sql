-- Bilingual service (issue 17). A customer's language picks the letters and the receipt
-- wording they get: 'en' (English, the default every existing customer keeps) or 'es'
-- (Spanish). Kept on the customer, not the account: one person, one language, on every account
-- they hold. The customer-records screen changes it; letters and receipts only read it.
ALTER TABLE customers ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'es'));

-- F2 finds a receipt by the number of the check or money order that paid it: an exact,
-- indexed read of the tender rows (a day's tenders are tens of thousands a year).
CREATE INDEX tenders_check_number ON tenders (check_number) WHERE check_number IS NOT NULL;
