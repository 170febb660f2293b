-- Clock hours beside credits (issue 18): an activity may state its clock hours (a 6-hour institute worth 0.6
-- CEUs); a completion records them (the activity's, or its credits when they are Hours); outside-credit requests
-- earn credits of any CEDS credit type (a university course: SemesterCredits) besides their clock hours.
ALTER TABLE catalog_activities ADD COLUMN clock_hours numeric(7, 2) CHECK (clock_hours BETWEEN 0 AND 1000);
ALTER TABLE catalog_completions ADD COLUMN clock_hours numeric(7, 2);
UPDATE catalog_completions SET clock_hours = credits WHERE credit_type = 'Hours';
ALTER TABLE catalog_credit_requests
  ADD COLUMN credit_type text NOT NULL DEFAULT 'Hours'
    CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits', 'SemesterCredits')),
  ADD COLUMN credits numeric(7, 2) CHECK (credits > 0 AND credits <= 1000);
UPDATE catalog_credit_requests SET credits = hours;
ALTER TABLE catalog_credit_requests ALTER COLUMN credits SET NOT NULL;

CREATE OR REPLACE FUNCTION catalog_activity_json(a catalog_activities) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'district_id', a.district_id, 'title', a.title, 'description', a.description,
    'objectives', to_json(a.objectives), 'topics', to_json(a.topics), 'type', a.type,
    'credit_type', a.credit_type, 'credits', a.credits, 'clock_hours', a.clock_hours, 'level', a.level,
    'audience_type', a.audience_type,
    'target_audience', to_json(a.target_audience), 'delivery_method', a.delivery_method,
    'instructional_delivery_mode', a.instructional_delivery_mode, 'funding_source', a.funding_source,
    'cost', a.cost, 'status', a.status,
    'completion_rule', CASE WHEN a.completion_rule = 'all_sessions'
                            THEN json_build_object('kind', 'all_sessions')
                            ELSE json_build_object('kind', 'at_least', 'sessions', a.completion_min_sessions) END,
    'created_by', a.created_by, 'created_at', rfc3339(a.created_at), 'updated_at', rfc3339(a.updated_at),
    'published_at', rfc3339(a.published_at), 'archived_at', rfc3339(a.archived_at), 'version', a.version)
$$;

CREATE OR REPLACE FUNCTION catalog_completion_json(c catalog_completions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'activity_id', c.activity_id, 'educator_id', c.educator_id,
    'credit_type', c.credit_type, 'credits', c.credits, 'clock_hours', c.clock_hours,
    'completed_at', rfc3339(c.completed_at))
$$;

CREATE OR REPLACE FUNCTION catalog_credit_request_json(q catalog_credit_requests) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', q.id, 'district_id', q.district_id, 'educator_id', q.educator_id, 'title', q.title,
    'provider', q.provider, 'description', q.description, 'start_date', to_char(q.start_date, 'YYYY-MM-DD'),
    'end_date', to_char(q.end_date, 'YYYY-MM-DD'), 'hours', q.hours, 'credit_type', q.credit_type,
    'credits', q.credits, 'evidence_url', q.evidence_url, 'status', q.status, 'reason', q.reason,
    'decided_by', q.decided_by, 'decided_at', rfc3339(q.decided_at), 'created_at', rfc3339(q.created_at),
    'updated_at', rfc3339(q.updated_at), 'version', q.version)
$$;
