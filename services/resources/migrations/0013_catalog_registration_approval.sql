-- Registration approval (issue 18 item 4): an activity may require the approval of the educator's school leader.
-- Such a registration is placed on arrival exactly as any other (a seat while there are seats, else the waitlist,
-- in arrival order, under the session's lock) and carries `approval` = 'pending' until a leader of one of the
-- educator's schools (or a district admin) approves it, or declines it with a reason (then it is cancelled and its
-- seat goes to the waitlist as on any cancellation). So a pending registration holds its place and the counters
-- stay what they were: never oversold.

ALTER TABLE catalog_activities ADD COLUMN requires_approval boolean NOT NULL DEFAULT false;

ALTER TABLE catalog_registrations
  ADD COLUMN approval        text CHECK (approval IN ('pending', 'approved', 'declined')),
  ADD COLUMN approval_by     uuid,
  ADD COLUMN approval_at     timestamptz,
  ADD COLUMN approval_reason text CHECK (char_length(approval_reason) BETWEEN 1 AND 1000),
  ADD CONSTRAINT catalog_registrations_approval CHECK (
    (approval IS NULL OR approval = 'pending') = (approval_at IS NULL) AND
    (approval IS DISTINCT FROM 'declined' OR (status = 'cancelled' AND approval_reason IS NOT NULL)));

-- What awaits the leaders: the district's pending registrations.
CREATE INDEX catalog_registrations_pending ON catalog_registrations (district_id, educator_id)
  WHERE approval = 'pending';

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
    'decision_reason', a.decision_reason, 'requires_approval', a.requires_approval, 'version', a.version)
$$;

CREATE OR REPLACE FUNCTION catalog_registration_json(r catalog_registrations) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'session_id', r.session_id, 'activity_id', r.activity_id,
    'educator_id', r.educator_id, 'status', r.status,
    'waitlist_position', CASE WHEN r.status = 'waitlisted' THEN 1 +
      (SELECT count(*) FROM catalog_registrations w
        WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.seq < r.seq) END,
    'arrival', r.seq, 'registered_by', r.registered_by, 'created_at', rfc3339(r.created_at),
    'updated_at', rfc3339(r.updated_at), 'promoted_at', rfc3339(r.promoted_at),
    'cancelled_at', rfc3339(r.cancelled_at), 'approval', r.approval, 'approval_by', r.approval_by,
    'approval_at', rfc3339(r.approval_at), 'approval_reason', r.approval_reason, 'version', r.version)
$$;
