CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  district_id uuid NOT NULL,
  topic text NOT NULL,
  event_key text NOT NULL,
  payload text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
