-- The caseload's last contact counts observations and feedback as well as time logs; leaders see a cycle's
-- observation and feedback counts (figures, never content); a PLC meeting is read and changed on its own
-- (its version is its ETag). Every index starts with district_id.

-- The last observation and feedback of a relationship (through its cycles) and of a coach, from the index alone.
CREATE INDEX observations_contact ON observations (district_id, relationship_id, observed_at);
CREATE INDEX observations_by_coach ON observations (district_id, coach_id, observed_at);
CREATE INDEX feedback_by_cycle ON feedback (district_id, cycle_id, created_at);
CREATE INDEX feedback_by_coach ON feedback (district_id, coach_id, created_at);

-- The whole cycle with its counts of observations and feedback (index lookups); the service removes the content
-- (focus, goal, action_steps) before a leader or an admin sees it, and events carry it without the content.
CREATE OR REPLACE FUNCTION cycle_json(c cycles) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'relationship_id', c.relationship_id, 'coach_id', c.coach_id,
    'teacher_id', c.teacher_id, 'focus', c.focus, 'goal', c.goal, 'action_steps', c.action_steps,
    'status', c.status, 'goal_met', c.goal_met, 'state_changed_at', rfc3339(c.state_changed_at),
    'closed_at', rfc3339(c.closed_at),
    'duration_days', (extract(epoch FROM coalesce(c.closed_at, clock_timestamp()) - c.created_at) / 86400)::int,
    'observation_count', (SELECT count(*) FROM observations o WHERE o.district_id = c.district_id
                          AND o.cycle_id = c.id),
    'feedback_count', (SELECT count(*) FROM feedback f WHERE f.district_id = c.district_id AND f.cycle_id = c.id),
    'created_by', c.created_by, 'created_at', rfc3339(c.created_at), 'updated_at', rfc3339(c.updated_at),
    'version', c.version)
$$;

ALTER TABLE plc_meetings
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN version integer NOT NULL DEFAULT 1;
UPDATE plc_meetings SET updated_at = created_at;
ALTER TABLE plc_meetings ALTER COLUMN updated_at SET NOT NULL,
  ALTER COLUMN updated_at SET DEFAULT clock_timestamp();

-- A meeting as who sees it: the agenda and the notes only for the PLC's members, or for anyone who sees the
-- PLC when it shares its notes (show_content).
CREATE OR REPLACE FUNCTION plc_meeting_json(m plc_meetings, show_content boolean) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT (CASE WHEN show_content THEN j ELSE j - 'agenda' - 'notes' END)::json
  FROM (SELECT jsonb_build_object(
    'id', m.id, 'district_id', m.district_id, 'plc_id', m.plc_id, 'held_on', to_char(m.held_on, 'YYYY-MM-DD'),
    'minutes', m.minutes, 'agenda', m.agenda, 'notes', m.notes, 'attendance', to_jsonb(m.attendance),
    'attendee_count', cardinality(m.attendance), 'activity_id', m.activity_id, 'created_by', m.created_by,
    'created_at', rfc3339(m.created_at), 'updated_at', rfc3339(m.updated_at), 'version', m.version) AS j) AS built
$$;
