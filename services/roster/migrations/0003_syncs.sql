-- Roster syncs from the district's SIS over OneRoster 1.2 REST (issue 17): one row per sync, written as it runs
-- (state, phase, progress) so GET shows a running sync's progress, then its outcome. The records go through the
-- CSV import's transaction (import_id: the import report it stored).
CREATE TABLE syncs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  district_id   uuid NOT NULL,
  created_by    uuid,                   -- NULL for a scheduled sync
  trigger       text NOT NULL CHECK (trigger IN ('api', 'schedule')),
  mode          text NOT NULL CHECK (mode IN ('full', 'delta')),
  since         timestamptz,            -- delta: records modified after this
  state         text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  phase         text NOT NULL,          -- token, orgs, academicSessions, users, applying, done
  progress      jsonb NOT NULL DEFAULT '{}',
  timings       jsonb NOT NULL DEFAULT '{}',
  report        json,                   -- the import report (counts, skipped) when applied
  error         jsonb,                  -- {"detail", "problems", "problem_count"} when failed
  import_id     uuid,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz
);
CREATE INDEX syncs_district ON syncs (district_id, seq);
-- One running sync per district.
CREATE UNIQUE INDEX syncs_one_running ON syncs (district_id) WHERE state = 'running';

CREATE FUNCTION sync_json(s syncs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'created_by', s.created_by, 'trigger', s.trigger, 'mode', s.mode,
    'since', rfc3339(s.since), 'state', s.state, 'phase', s.phase,
    'progress', json_build_object(
      'pages_fetched', coalesce((s.progress->>'pages_fetched')::bigint, 0),
      'records_fetched', coalesce((s.progress->>'records_fetched')::bigint, 0),
      'records_applied', coalesce((s.progress->>'records_applied')::bigint, 0),
      'estimated_total', (s.progress->>'estimated_total')::bigint),
    'timings_ms', s.timings, 'import_id', s.import_id,
    'counts', s.report->'counts', 'skipped', s.report->'skipped', 'error', s.error,
    'started_at', rfc3339(s.started_at), 'finished_at', rfc3339(s.finished_at))
$$;
