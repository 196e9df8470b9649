-- hooks schema, version 1. Portable SQL: the same script runs on H2 2.x and PostgreSQL.
-- Instants are BIGINT microseconds since 1970-01-01T00:00:00Z (UTC), so both databases
-- compare and order them the same way without time zone rules.

-- Accepted deliveries and where each stands. status: PENDING, DONE or DEAD.
CREATE TABLE hooks_journal (
  request_id      VARCHAR(100)     NOT NULL,
  endpoint_id     VARCHAR(200)     NOT NULL,
  delivery_id     VARCHAR(500)     NOT NULL,
  received_at_us  BIGINT           NOT NULL,
  method          VARCHAR(16)      NOT NULL,
  url             VARCHAR(4000)    NOT NULL,
  -- {"lower-case-name":["value",...]}, already redacted by ingress
  headers_json    VARCHAR(1000000) NOT NULL,
  body            BYTEA            NOT NULL,
  status          VARCHAR(8)       NOT NULL,
  attempts        INTEGER          NOT NULL,
  next_attempt_us BIGINT           NOT NULL,
  lease_owner     VARCHAR(200)     NOT NULL,
  lease_until_us  BIGINT           NOT NULL,
  fence           BIGINT           NOT NULL,
  -- the last failure, or for a dead letter the reason it was given up
  last_error      VARCHAR(4000)    NOT NULL,
  CONSTRAINT hooks_journal_pk PRIMARY KEY (request_id),
  CONSTRAINT hooks_journal_delivery_uk UNIQUE (endpoint_id, delivery_id)
);

-- Claiming (pending, oldest first), dead letters and purging walk this index.
CREATE INDEX hooks_journal_status_idx ON hooks_journal (status, received_at_us);

-- Deduplication keys. A key outlives its journal entry until expires_at_us (the endpoint's
-- time to live), so a redelivery after the entry was purged is still recognized.
CREATE TABLE hooks_dedupe (
  endpoint_id    VARCHAR(200) NOT NULL,
  delivery_id    VARCHAR(500) NOT NULL,
  request_id     VARCHAR(100) NOT NULL,
  expires_at_us  BIGINT       NOT NULL,
  CONSTRAINT hooks_dedupe_pk PRIMARY KEY (endpoint_id, delivery_id)
);

CREATE INDEX hooks_dedupe_expiry_idx ON hooks_dedupe (expires_at_us);

-- Versioned state (failure counts, deploy locks), written by compare-and-set on version.
CREATE TABLE hooks_state (
  state_key    VARCHAR(500)     NOT NULL,
  state_value  VARCHAR(1000000) NOT NULL,
  version      BIGINT           NOT NULL,
  CONSTRAINT hooks_state_pk PRIMARY KEY (state_key)
);
