-- Event ids a consumer has applied (or rejected), written in the same
-- transaction as the effect: a redelivered event is skipped.
CREATE TABLE processed_events (
  event_id text PRIMARY KEY,
  topic text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  processed_at timestamptz NOT NULL DEFAULT now()
);
