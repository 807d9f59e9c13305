-- Full-text search over accounts (owned by domain/search.py; the only SQLite-specific schema
-- outside db.py, kept behind search.py's small interface so it can move to PostgreSQL).
--
-- account_search: words (unicode61, diacritics folded) with prefix indexes for 2 and 3
--   characters, so search-as-you-type answers a short prefix from the index (~0.1 ms on 1M rows).
--   Columns: number ('12345678 1234567', with and without the check digit), name, address
--   (service address + zip), contact (phone as typed + email).
-- account_digits: trigram index over the account number and the phone's digits, so a fragment
--   ('4567', '555 01') finds the account wherever it sits in the number (~1 ms on 1M rows).
--
-- Both are contentless (the text lives in customers/accounts; rowid = accounts.id) with
-- contentless_delete, so triggers can drop a row by rowid without repeating its old text.
-- Triggers keep both in step with every insert/update by any code path; bulk loads
-- (domain/demo.py) suspend the triggers and rebuild at the end (search.bulk_load).

CREATE VIRTUAL TABLE account_search USING fts5(
    number, name, address, contact,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE VIRTUAL TABLE account_digits USING fts5(
    digits,
    content = '', contentless_delete = 1,
    tokenize = 'trigram'
);

CREATE TRIGGER search_account_insert AFTER INSERT ON accounts
BEGIN
    INSERT INTO account_search (rowid, number, name, address, contact)
    SELECT NEW.id, NEW.number || ' ' || substr(NEW.number, 1, 7), c.name,
           NEW.service_address || ' ' || NEW.service_zip,
           coalesce(c.phone, '') || ' ' || coalesce(c.email, '')
    FROM customers c WHERE c.id = NEW.customer_id;
    INSERT INTO account_digits (rowid, digits)
    SELECT NEW.id, NEW.number || ' ' ||
           replace(replace(replace(replace(replace(replace(coalesce(c.phone, ''),
               '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')
    FROM customers c WHERE c.id = NEW.customer_id;
END;

CREATE TRIGGER search_account_update AFTER UPDATE OF number, customer_id, service_address, service_zip
ON accounts
BEGIN
    DELETE FROM account_search WHERE rowid = OLD.id;
    DELETE FROM account_digits WHERE rowid = OLD.id;
    INSERT INTO account_search (rowid, number, name, address, contact)
    SELECT NEW.id, NEW.number || ' ' || substr(NEW.number, 1, 7), c.name,
           NEW.service_address || ' ' || NEW.service_zip,
           coalesce(c.phone, '') || ' ' || coalesce(c.email, '')
    FROM customers c WHERE c.id = NEW.customer_id;
    INSERT INTO account_digits (rowid, digits)
    SELECT NEW.id, NEW.number || ' ' ||
           replace(replace(replace(replace(replace(replace(coalesce(c.phone, ''),
               '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')
    FROM customers c WHERE c.id = NEW.customer_id;
END;

CREATE TRIGGER search_account_delete AFTER DELETE ON accounts
BEGIN
    DELETE FROM account_search WHERE rowid = OLD.id;
    DELETE FROM account_digits WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_customer_update AFTER UPDATE OF name, phone, email ON customers
BEGIN
    DELETE FROM account_search WHERE rowid IN (SELECT id FROM accounts WHERE customer_id = NEW.id);
    DELETE FROM account_digits WHERE rowid IN (SELECT id FROM accounts WHERE customer_id = NEW.id);
    INSERT INTO account_search (rowid, number, name, address, contact)
    SELECT a.id, a.number || ' ' || substr(a.number, 1, 7), NEW.name,
           a.service_address || ' ' || a.service_zip,
           coalesce(NEW.phone, '') || ' ' || coalesce(NEW.email, '')
    FROM accounts a WHERE a.customer_id = NEW.id;
    INSERT INTO account_digits (rowid, digits)
    SELECT a.id, a.number || ' ' ||
           replace(replace(replace(replace(replace(replace(coalesce(NEW.phone, ''),
               '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')
    FROM accounts a WHERE a.customer_id = NEW.id;
END;
