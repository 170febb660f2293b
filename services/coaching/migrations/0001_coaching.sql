-- Coaching: relationships (coach or mentor ↔ teacher), and a read model of the roster's educators.
-- Every table has district_id and every index starts with it.

CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- The roster service's educators, fed by educator.upserted / educator.deactivated on homegrown.roster
-- (common/roster_event.c): who is active, their roles, schools and career stage. A row changes only for a
-- newer version of the educator (a replay changes nothing).
CREATE TABLE roster_educators (
  district_id         uuid NOT NULL,
  educator_id         uuid NOT NULL,
  status              text NOT NULL CHECK (status IN ('active', 'inactive')),
  roles               text[] NOT NULL DEFAULT '{}',
  school_ids          uuid[] NOT NULL DEFAULT '{}',
  started_teaching_on date,
  given_name          text,
  family_name         text,
  version             bigint NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (district_id, educator_id)
);

-- New teachers (years 1-3) are found by their start date.
CREATE INDEX roster_educators_new ON roster_educators (district_id, started_teaching_on DESC, educator_id DESC)
  WHERE status = 'active' AND started_teaching_on IS NOT NULL;

CREATE TABLE relationships (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  coach_id    uuid NOT NULL,
  teacher_id  uuid NOT NULL CHECK (teacher_id <> coach_id),
  kind        text NOT NULL CHECK (kind IN ('instructional_coaching', 'new_teacher_mentoring', 'peer_coaching')),
  starts_on   date NOT NULL,
  ends_on     date CHECK (ends_on >= starts_on),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1,
  CHECK ((status = 'ended') = (ends_on IS NOT NULL))
);

CREATE INDEX relationships_page ON relationships (district_id, created_at DESC, id DESC);
CREATE INDEX relationships_by_coach ON relationships (district_id, coach_id, created_at DESC, id DESC);
CREATE INDEX relationships_by_teacher ON relationships (district_id, teacher_id, created_at DESC, id DESC);
-- One active relationship of a kind between the same two educators (a second one is 409).
CREATE UNIQUE INDEX relationships_one_active ON relationships (district_id, coach_id, teacher_id, kind)
  WHERE status = 'active';

CREATE FUNCTION relationship_json(r relationships) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'coach_id', r.coach_id, 'teacher_id', r.teacher_id,
    'kind', r.kind, 'starts_on', to_char(r.starts_on, 'YYYY-MM-DD'), 'ends_on', to_char(r.ends_on, 'YYYY-MM-DD'),
    'status', r.status, 'created_by', r.created_by, 'created_at', rfc3339(r.created_at),
    'updated_at', rfc3339(r.updated_at), 'version', r.version)
$$;

CREATE FUNCTION new_teacher_json(e roster_educators) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'educator_id', e.educator_id, 'given_name', e.given_name, 'family_name', e.family_name,
    'school_ids', to_json(e.school_ids), 'started_teaching_on', to_char(e.started_teaching_on, 'YYYY-MM-DD'))
$$;
