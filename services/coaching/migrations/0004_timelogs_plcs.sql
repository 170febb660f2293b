-- Coaching time logs (minutes per relationship and activity kind) and professional learning communities
-- (PLCs): their members, norms and goals, and their meetings with agenda, notes and attendance.
-- Every table has district_id and every index starts with it.

CREATE TABLE time_logs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id     uuid NOT NULL,
  relationship_id uuid NOT NULL REFERENCES relationships (id),
  coach_id        uuid NOT NULL,
  teacher_id      uuid NOT NULL,
  activity        text NOT NULL CHECK (activity IN ('planning', 'modelling', 'co_teaching', 'observation',
                    'debrief', 'plc_support')),
  minutes         integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
  logged_on       date NOT NULL,
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX time_logs_by_relationship ON time_logs (district_id, relationship_id, created_at DESC, id DESC);
-- The caseload: last contact and minutes this month of a relationship and of a coach, from the index alone.
CREATE INDEX time_logs_contact ON time_logs (district_id, relationship_id, logged_on) INCLUDE (minutes);
CREATE INDEX time_logs_by_coach ON time_logs (district_id, coach_id, logged_on) INCLUDE (minutes);
-- Open cycles of a relationship and of a coach (the caseload counts them); the cycle list by status.
CREATE INDEX cycles_open ON cycles (district_id, relationship_id) WHERE status NOT IN ('completed', 'cancelled');
CREATE INDEX cycles_open_by_coach ON cycles (district_id, coach_id) WHERE status NOT IN ('completed', 'cancelled');
CREATE INDEX cycles_by_status ON cycles (district_id, status, created_at DESC, id DESC);
CREATE INDEX relationships_active_by_coach ON relationships (district_id, coach_id, created_at DESC, id DESC)
  WHERE status = 'active';

CREATE FUNCTION time_log_json(t time_logs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', t.id, 'district_id', t.district_id, 'relationship_id', t.relationship_id, 'coach_id', t.coach_id,
    'teacher_id', t.teacher_id, 'activity', t.activity, 'minutes', t.minutes,
    'logged_on', to_char(t.logged_on, 'YYYY-MM-DD'), 'created_by', t.created_by, 'created_at', rfc3339(t.created_at))
$$;

-- The first day of the current month (UTC): "minutes this month" counts from here.
CREATE FUNCTION month_start() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date
$$;

-- The educator ids of a PLC's members array ([{educator_id, role}]), of one role or all (role NULL).
CREATE FUNCTION plc_member_ids(members jsonb, role text) RETURNS uuid[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg((m->>'educator_id')::uuid), '{}')
  FROM jsonb_array_elements(members) AS m WHERE role IS NULL OR m->>'role' = role
$$;

CREATE TABLE plcs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id     uuid NOT NULL,
  name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  scope           text NOT NULL CHECK (scope IN ('school', 'cross_school')),
  school_ids      uuid[] NOT NULL CHECK (cardinality(school_ids) BETWEEN 1 AND 50),
  members         jsonb NOT NULL CHECK (jsonb_typeof(members) = 'array'
                    AND jsonb_array_length(members) BETWEEN 1 AND 100),
  member_ids      uuid[] GENERATED ALWAYS AS (plc_member_ids(members, NULL)) STORED,
  facilitator_ids uuid[] GENERATED ALWAYS AS (plc_member_ids(members, 'facilitator')) STORED,
  norms           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(norms) = 'array' AND jsonb_array_length(norms) <= 20),
  goals           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(goals) = 'array' AND jsonb_array_length(goals) <= 20),
  share_notes     boolean NOT NULL DEFAULT false,
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  version         integer NOT NULL DEFAULT 1,
  CHECK (scope <> 'school' OR cardinality(school_ids) = 1),
  CHECK (cardinality(facilitator_ids) >= 1)
);

CREATE INDEX plcs_page ON plcs (district_id, created_at DESC, id DESC);

CREATE FUNCTION plc_json(p plcs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', p.id, 'district_id', p.district_id, 'name', p.name, 'scope', p.scope, 'school_ids', to_json(p.school_ids),
    'members', p.members, 'norms', p.norms, 'goals', p.goals, 'share_notes', p.share_notes,
    'created_by', p.created_by, 'created_at', rfc3339(p.created_at), 'updated_at', rfc3339(p.updated_at),
    'version', p.version)
$$;

CREATE TABLE plc_meetings (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  plc_id      uuid NOT NULL REFERENCES plcs (id),
  held_on     date NOT NULL,
  minutes     integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
  agenda      text NOT NULL DEFAULT '' CHECK (char_length(agenda) <= 4000),
  notes       text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 20000),
  attendance  uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(attendance) <= 100),
  activity_id uuid,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX plc_meetings_page ON plc_meetings (district_id, plc_id, created_at DESC, id DESC);

-- A meeting as who sees it: the agenda and the notes only for the PLC's members, or for anyone who sees the
-- PLC when it shares its notes (show_content).
CREATE FUNCTION plc_meeting_json(m plc_meetings, show_content boolean) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT (CASE WHEN show_content THEN j ELSE j - 'agenda' - 'notes' END)::json
  FROM (SELECT jsonb_build_object(
    'id', m.id, 'district_id', m.district_id, 'plc_id', m.plc_id, 'held_on', to_char(m.held_on, 'YYYY-MM-DD'),
    'minutes', m.minutes, 'agenda', m.agenda, 'notes', m.notes, 'attendance', to_jsonb(m.attendance),
    'attendee_count', cardinality(m.attendance), 'activity_id', m.activity_id, 'created_by', m.created_by,
    'created_at', rfc3339(m.created_at)) AS j) AS built
$$;
