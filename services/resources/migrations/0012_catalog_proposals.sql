-- Teacher-led PD (issue 18 item 3): a teacher leader or school leader proposes an activity (`proposed`); the PD
-- office approves it (`approved`, then published through PATCH as a draft is) or declines it with a reason
-- (`declined`, final). The proposer is recorded and becomes a facilitator of every session the activity gets.

ALTER TABLE catalog_activities DROP CONSTRAINT catalog_activities_status_check;
ALTER TABLE catalog_activities ADD CONSTRAINT catalog_activities_status_check
  CHECK (status IN ('draft', 'proposed', 'approved', 'declined', 'published', 'archived'));

ALTER TABLE catalog_activities
  ADD COLUMN proposed_by     uuid,
  ADD COLUMN decided_by      uuid,
  ADD COLUMN decided_at      timestamptz,
  ADD COLUMN decision_reason text CHECK (char_length(decision_reason) BETWEEN 1 AND 1000),
  -- only proposals are proposed, decided, approved or declined; a proposal awaiting its decision has none
  ADD CONSTRAINT catalog_activities_proposal CHECK (
    (status = 'proposed') = (proposed_by IS NOT NULL AND decided_at IS NULL) AND
    (decided_at IS NULL OR proposed_by IS NOT NULL) AND
    (status NOT IN ('approved', 'declined') OR decided_at IS NOT NULL) AND
    (status <> 'declined' OR decision_reason IS NOT NULL));

-- The proposals of a district (the PD office's queue) and of one proposer, newest first.
CREATE INDEX catalog_activities_proposals ON catalog_activities (district_id, created_at DESC, id DESC)
  WHERE proposed_by IS NOT NULL;
CREATE INDEX catalog_activities_by_proposer ON catalog_activities (district_id, proposed_by, created_at DESC, id DESC)
  WHERE proposed_by IS NOT NULL;

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
    'published_at', rfc3339(a.published_at), 'archived_at', rfc3339(a.archived_at),
    'proposed_by', a.proposed_by, 'decided_by', a.decided_by, 'decided_at', rfc3339(a.decided_at),
    'decision_reason', a.decision_reason, 'version', a.version)
$$;
