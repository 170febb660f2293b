-- Answers to POSTs sent with an Idempotency-Key (status NULL: still running).
CREATE TABLE idempotency_keys (
  district_id uuid NOT NULL,
  subject uuid NOT NULL,
  idem_key text NOT NULL,
  request_hash text NOT NULL,
  status int,
  content_type text,
  location text,
  etag text,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_id, subject, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
