-- Analytics: rebuilds of the read models (POST /v1/analytics/rebuild, hg-analytics --rebuild). Bookkeeping,
-- not a read model: its comment below keeps it out of the tables a rebuild swaps (common/rebuild.h), and a
-- rebuild is global (every district's read models), so district_id is the district that asked (the nil UUID
-- for the command line) and its progress is shown to that district only.
CREATE TABLE rebuilds (
  district_id    uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  requested_by   text NOT NULL,
  state          text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  phase          text NOT NULL DEFAULT 'starting' CHECK (phase IN ('starting', 'replaying', 'swapping', 'done')),
  events_applied bigint NOT NULL DEFAULT 0,
  events_total   bigint,
  error          text,
  started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at    timestamptz,
  PRIMARY KEY (district_id, id)
);
-- One rebuild at a time, whoever asked.
CREATE UNIQUE INDEX rebuilds_one_running ON rebuilds (state) WHERE state = 'running';
COMMENT ON TABLE rebuilds IS 'hg:not-rebuilt: the rebuilds themselves (bookkeeping)';
