-- Coaching: district rubrics (versioned), observations of a cycle rated on one rubric version, feedback on an
-- observation, the teacher's reflection on a feedback, and the append-only log of every read of that content.
-- Every table has district_id and every index starts with it.

-- A rubric's current version. Each insert or change writes the version it makes into rubric_versions (trigger
-- below), whose rows never change: an observation names (rubric_id, version) and always reads what was rated.
CREATE TABLE rubrics (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  domains     jsonb NOT NULL CHECK (jsonb_typeof(domains) = 'array'),
  created_by  uuid NOT NULL,
  updated_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1
);

CREATE INDEX rubrics_page ON rubrics (district_id, created_at DESC, id DESC);

CREATE TABLE rubric_versions (
  district_id uuid NOT NULL,
  rubric_id   uuid NOT NULL REFERENCES rubrics (id),
  version     integer NOT NULL,
  name        text NOT NULL,
  domains     jsonb NOT NULL,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (district_id, rubric_id, version)
);

CREATE FUNCTION rubric_version_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rubric_versions (district_id, rubric_id, version, name, domains, created_by, created_at)
  VALUES (NEW.district_id, NEW.id, NEW.version, NEW.name, NEW.domains, NEW.updated_by, NEW.updated_at);
  RETURN NEW;
END
$$;

CREATE TRIGGER rubric_version_write AFTER INSERT OR UPDATE ON rubrics
  FOR EACH ROW EXECUTE FUNCTION rubric_version_write();

-- Rows that are written once and never changed or removed (rubric versions, the access log): refused by the
-- database itself, whoever asks.
CREATE FUNCTION append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER rubric_versions_append_only BEFORE UPDATE OR DELETE ON rubric_versions
  FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER rubric_versions_no_truncate BEFORE TRUNCATE ON rubric_versions
  FOR EACH STATEMENT EXECUTE FUNCTION append_only();

CREATE FUNCTION rubric_json(r rubrics) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'name', r.name, 'domains', r.domains, 'created_by', r.created_by,
    'created_at', rfc3339(r.created_at), 'updated_at', rfc3339(r.updated_at), 'version', r.version)
$$;

CREATE FUNCTION rubric_version_json(v rubric_versions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'rubric_id', v.rubric_id, 'district_id', v.district_id, 'version', v.version, 'name', v.name,
    'domains', v.domains, 'created_by', v.created_by, 'created_at', rfc3339(v.created_at))
$$;

-- An observation of a cycle: the coach and the teacher copied from the cycle, so every read decides who sees it
-- from the row alone. Content: ratings (indicator, level, notes) and evidence (links with time-stamped comments).
CREATE TABLE observations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id     uuid NOT NULL,
  cycle_id        uuid NOT NULL REFERENCES cycles (id),
  relationship_id uuid NOT NULL,
  coach_id        uuid NOT NULL,
  teacher_id      uuid NOT NULL,
  observed_at     timestamptz NOT NULL,
  rubric_id       uuid NOT NULL,
  rubric_version  integer NOT NULL,
  ratings         jsonb NOT NULL CHECK (jsonb_typeof(ratings) = 'array'),
  evidence        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
  feedback_count  integer NOT NULL DEFAULT 0 CHECK (feedback_count BETWEEN 0 AND 20),
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  version         integer NOT NULL DEFAULT 1,
  FOREIGN KEY (district_id, rubric_id, rubric_version) REFERENCES rubric_versions (district_id, rubric_id, version)
);

CREATE INDEX observations_by_cycle ON observations (district_id, cycle_id, created_at DESC, id DESC);

-- Feedback on an observation (strengths, next steps) and the minutes from the observation to it.
CREATE TABLE feedback (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id               uuid NOT NULL,
  observation_id            uuid NOT NULL REFERENCES observations (id),
  cycle_id                  uuid NOT NULL,
  coach_id                  uuid NOT NULL,
  teacher_id                uuid NOT NULL,
  strengths                 text NOT NULL,
  next_steps                text NOT NULL,
  minutes_since_observation integer NOT NULL CHECK (minutes_since_observation >= 0),
  created_by                uuid NOT NULL,
  created_at                timestamptz NOT NULL DEFAULT clock_timestamp(),
  version                   integer NOT NULL DEFAULT 1
);

CREATE INDEX feedback_by_observation ON feedback (district_id, observation_id, created_at, id);

-- The teacher's reflection on one feedback: one each.
CREATE TABLE reflections (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  feedback_id uuid NOT NULL REFERENCES feedback (id),
  cycle_id    uuid NOT NULL,
  coach_id    uuid NOT NULL,
  teacher_id  uuid NOT NULL,
  text        text NOT NULL,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1,
  UNIQUE (district_id, feedback_id)
);

CREATE FUNCTION reflection_json(r reflections) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'feedback_id', r.feedback_id, 'district_id', r.district_id, 'cycle_id', r.cycle_id,
    'coach_id', r.coach_id, 'teacher_id', r.teacher_id, 'text', r.text, 'created_by', r.created_by,
    'created_at', rfc3339(r.created_at), 'version', r.version)
$$;

CREATE FUNCTION feedback_json(f feedback) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', f.id, 'district_id', f.district_id, 'observation_id', f.observation_id, 'cycle_id', f.cycle_id,
    'coach_id', f.coach_id, 'teacher_id', f.teacher_id, 'strengths', f.strengths, 'next_steps', f.next_steps,
    'minutes_since_observation', f.minutes_since_observation,
    'reflection', (SELECT reflection_json(r) FROM reflections r
                   WHERE r.district_id = f.district_id AND r.feedback_id = f.id),
    'created_by', f.created_by, 'created_at', rfc3339(f.created_at), 'version', f.version)
$$;

CREATE FUNCTION observation_json(o observations) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', o.id, 'district_id', o.district_id, 'cycle_id', o.cycle_id, 'relationship_id', o.relationship_id,
    'coach_id', o.coach_id, 'teacher_id', o.teacher_id, 'observed_at', rfc3339(o.observed_at),
    'rubric_id', o.rubric_id, 'rubric_version', o.rubric_version, 'ratings', o.ratings, 'evidence', o.evidence,
    'feedback', (SELECT coalesce(json_agg(feedback_json(f) ORDER BY f.created_at, f.id), '[]')
                 FROM feedback f WHERE f.district_id = o.district_id AND f.observation_id = o.id),
    'created_by', o.created_by, 'created_at', rfc3339(o.created_at), 'version', o.version)
$$;

-- Every read of content (an observation, a feedback): who read what, when. Written by the statement that reads
-- (one statement: no read without its line), never changed or removed.
CREATE TABLE access_log (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  reader_id   uuid NOT NULL,
  teacher_id  uuid NOT NULL,
  coach_id    uuid NOT NULL,
  record_kind text NOT NULL CHECK (record_kind IN ('observation', 'feedback')),
  record_id   uuid NOT NULL,
  cycle_id    uuid NOT NULL,
  read_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX access_log_page ON access_log (district_id, read_at DESC, id DESC);
CREATE INDEX access_log_by_teacher ON access_log (district_id, teacher_id, read_at DESC, id DESC);

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION append_only();

CREATE FUNCTION access_log_json(a access_log) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'reader_id', a.reader_id, 'teacher_id', a.teacher_id, 'coach_id', a.coach_id,
    'record_kind', a.record_kind, 'record_id', a.record_id, 'cycle_id', a.cycle_id, 'read_at', rfc3339(a.read_at))
$$;
