-- Coaching cycles: a focus, a goal with a measurable target, action steps, and the state machine
-- planning → observing → feedback → reflecting → completed (or cancelled). The coach and the teacher are copied
-- from the relationship when the cycle starts, so every read decides who sees what from the row alone.

CREATE TABLE cycles (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id      uuid NOT NULL,
  relationship_id  uuid NOT NULL REFERENCES relationships (id),
  coach_id         uuid NOT NULL,
  teacher_id       uuid NOT NULL,
  focus            text NOT NULL CHECK (char_length(focus) BETWEEN 1 AND 200),
  goal             jsonb NOT NULL,
  action_steps     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(action_steps) = 'array'
                     AND jsonb_array_length(action_steps) <= 50),
  status           text NOT NULL DEFAULT 'planning' CHECK (status IN ('planning', 'observing', 'feedback',
                     'reflecting', 'completed', 'cancelled')),
  goal_met         boolean,
  state_changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  closed_at        timestamptz,
  created_by       uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  version          integer NOT NULL DEFAULT 1,
  CHECK ((status = 'completed') = (goal_met IS NOT NULL)),
  CHECK ((status IN ('completed', 'cancelled')) = (closed_at IS NOT NULL))
);

CREATE INDEX cycles_page ON cycles (district_id, created_at DESC, id DESC);
CREATE INDEX cycles_by_coach ON cycles (district_id, coach_id, created_at DESC, id DESC);
CREATE INDEX cycles_by_teacher ON cycles (district_id, teacher_id, created_at DESC, id DESC);
CREATE INDEX cycles_by_relationship ON cycles (district_id, relationship_id, created_at DESC, id DESC);

-- The whole cycle; the service removes the content (focus, goal, action_steps) before a leader or an admin
-- sees it, and events carry cycle_event_json only.
CREATE FUNCTION cycle_json(c cycles) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'relationship_id', c.relationship_id, 'coach_id', c.coach_id,
    'teacher_id', c.teacher_id, 'focus', c.focus, 'goal', c.goal, 'action_steps', c.action_steps,
    'status', c.status, 'goal_met', c.goal_met, 'state_changed_at', rfc3339(c.state_changed_at),
    'closed_at', rfc3339(c.closed_at),
    'duration_days', (extract(epoch FROM coalesce(c.closed_at, clock_timestamp()) - c.created_at) / 86400)::int,
    'created_by', c.created_by, 'created_at', rfc3339(c.created_at), 'updated_at', rfc3339(c.updated_at),
    'version', c.version)
$$;
