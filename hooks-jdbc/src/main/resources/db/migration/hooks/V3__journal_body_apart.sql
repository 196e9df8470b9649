-- hooks schema, version 3: the headers and body of a journal entry move to their own table.
-- They are written once and read on claim, while the entry's small row is updated on every
-- claim and outcome; apart, an update rewrites (and keeps as undo) only the small row.

CREATE TABLE hooks_journal_body (
  request_id    VARCHAR(100)     NOT NULL,
  -- {"lower-case-name":["value",...]}, already redacted by ingress
  headers_json  VARCHAR(1000000) NOT NULL,
  body          BYTEA            NOT NULL,
  CONSTRAINT hooks_journal_body_pk PRIMARY KEY (request_id)
);

INSERT INTO hooks_journal_body (request_id, headers_json, body)
  SELECT request_id, headers_json, body FROM hooks_journal;

ALTER TABLE hooks_journal DROP COLUMN headers_json;
ALTER TABLE hooks_journal DROP COLUMN body;
