CREATE TABLE hooks_alerts_incident (
  fingerprint VARCHAR(200) PRIMARY KEY,
  sink VARCHAR(200) NOT NULL,
  ticket VARCHAR(200) NOT NULL,
  is_open BOOLEAN NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  updates INT NOT NULL,
  last_key VARCHAR(300) NOT NULL
);
CREATE TABLE hooks_alerts_lock (
  fingerprint VARCHAR(200) PRIMARY KEY
);
