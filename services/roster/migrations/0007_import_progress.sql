-- Progress of a long CSV import (issue 17): with `Prefer: respond-async` an import is answered 202 and runs in
-- the background, its row written as it goes (state, phase, progress) so GET /v1/roster/imports/{id} shows it,
-- then its report (succeeded) or error (failed, interrupted). A synchronous import's row is written once,
-- finished (the defaults). report holds {"files"} from the start and counts and skipped once applied.
ALTER TABLE imports
  ALTER COLUMN report DROP NOT NULL,
  ADD COLUMN state text NOT NULL DEFAULT 'succeeded'
    CHECK (state IN ('running', 'succeeded', 'failed', 'interrupted')),
  ADD COLUMN phase text NOT NULL DEFAULT 'done' CHECK (phase IN ('queued', 'reading', 'applying', 'done')),
  ADD COLUMN progress jsonb,
  ADD COLUMN error jsonb,                 -- {"detail", "problems", "problem_count"} when failed or interrupted
  ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  ADD COLUMN finished_at timestamptz;
-- One background import per district at a time (a second one is refused with 409 while it runs).
CREATE UNIQUE INDEX imports_one_running ON imports (district_id) WHERE state = 'running';

-- A running import is alive while its process holds the import's advisory lock (taken first in its
-- transaction, so a killed process drops it with its connection); heartbeat_at covers the moment between the
-- 202 and the transaction's start.
CREATE FUNCTION import_abandoned(i imports) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN i.state = 'running' AND i.heartbeat_at < clock_timestamp() - interval '15 seconds'
              THEN pg_try_advisory_xact_lock(hashtextextended('roster.import.run:' || i.id::text, 0))
              ELSE false END
$$;

CREATE OR REPLACE FUNCTION import_json(i imports) RETURNS json
LANGUAGE sql VOLATILE AS $$
  SELECT json_build_object('id', i.id, 'district_id', i.district_id, 'created_by', i.created_by,
                           'created_at', rfc3339(i.created_at), 'dry_run', i.dry_run, 'files', i.report->'files',
                           'counts', i.report->'counts', 'skipped', i.report->'skipped',
                           'state', i.state, 'phase', i.phase,
                           'progress', CASE WHEN i.progress IS NULL THEN NULL ELSE json_build_object(
                             'records_read', coalesce((i.progress->>'records_read')::bigint, 0),
                             'records_applied', coalesce((i.progress->>'records_applied')::bigint, 0),
                             'estimated_total', (i.progress->>'estimated_total')::bigint) END,
                           'error', i.error, 'finished_at', rfc3339(i.finished_at))
$$;
