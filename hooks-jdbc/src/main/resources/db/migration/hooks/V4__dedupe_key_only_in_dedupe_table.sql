-- hooks schema, version 4: a delivery id is unique per endpoint through hooks_dedupe alone.
-- hooks_journal's own unique key on it duplicated that check and cost an index write on every
-- append and every outcome; the purge of expired dedupe keys finds entries by request id.

ALTER TABLE hooks_journal DROP CONSTRAINT hooks_journal_delivery_uk;
