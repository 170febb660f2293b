-- Surveys: definitions with their questions, who responded, what was answered, and the roster read model
-- that gives audiences and segments. Every row carries district_id and every statement is scoped by it.

CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- A survey and its questions (a jsonb array validated by services/surveys/question.c; frozen once answered).
CREATE TABLE surveys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id   uuid NOT NULL,
  title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description   text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  purpose       text NOT NULL CHECK (purpose IN ('needs_assessment', 'session_evaluation', 'climate', 'confidence')),
  mode          text NOT NULL CHECK (mode IN ('confidential', 'anonymous')),
  audience      jsonb NOT NULL,
  opens_at      timestamptz,
  closes_at     timestamptz,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  questions     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(questions) = 'array'),
  -- Set when the survey opens: the audience counted in the roster read model then.
  audience_size integer,
  -- Responses so far (kept under the survey row's lock by every submission; answers freeze the questions).
  responses     integer NOT NULL DEFAULT 0,
  created_by    uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  opened_at     timestamptz,
  closed_at     timestamptz,
  version       integer NOT NULL DEFAULT 1,
  CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
);

CREATE INDEX surveys_page ON surveys (district_id, created_at DESC, id DESC);

CREATE FUNCTION survey_json(s surveys) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'title', s.title, 'description', s.description,
    'purpose', s.purpose, 'mode', s.mode, 'audience', s.audience,
    'opens_at', rfc3339(s.opens_at), 'closes_at', rfc3339(s.closes_at), 'status', s.status,
    'questions', s.questions, 'audience_size', s.audience_size, 'answered', s.responses > 0,
    'created_by', s.created_by, 'created_at', rfc3339(s.created_at), 'updated_at', rfc3339(s.updated_at),
    'opened_at', rfc3339(s.opened_at), 'closed_at', rfc3339(s.closed_at), 'version', s.version)
$$;

-- Who responded: one row per educator per survey (the one-each rule is this primary key). A date, never a
-- time. Confidential responses keep their answers here; anonymous ones never do (answer_sets, no link).
CREATE TABLE participants (
  district_id  uuid NOT NULL,
  survey_id    uuid NOT NULL REFERENCES surveys (id),
  educator_id  uuid NOT NULL,
  responded_on date NOT NULL,
  answers      jsonb, -- confidential mode only
  PRIMARY KEY (district_id, survey_id, educator_id)
);

-- What was answered, for results: one row per response, with the respondent's segment (school and its
-- attributes, role, career stage) as it was at submission, and nothing else: a random id (not ordered), no
-- time, no educator. Anonymous rows are written in mixing bins (services/surveys/response_store.c).
CREATE TABLE answer_sets (
  district_id   uuid NOT NULL,
  survey_id     uuid NOT NULL REFERENCES surveys (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  bin           integer NOT NULL,
  school_id     uuid,
  locale        text,
  poverty_level text,
  title_i       boolean,
  role          text,
  career_stage  text,
  answers       jsonb NOT NULL,
  PRIMARY KEY (district_id, survey_id, id)
);

CREATE INDEX answer_sets_bin ON answer_sets (district_id, survey_id, bin);

-- The roster read model (homegrown.roster events): educators with their roles, schools and career start,
-- schools with their equity attributes. A row changes only for a newer version.
CREATE TABLE roster_educators (
  district_id         uuid NOT NULL,
  educator_id         uuid NOT NULL,
  status              text NOT NULL CHECK (status IN ('active', 'inactive')),
  roles               text[] NOT NULL DEFAULT '{}',
  school_ids          uuid[] NOT NULL DEFAULT '{}',
  started_teaching_on date,
  version             bigint NOT NULL,
  PRIMARY KEY (district_id, educator_id)
);

CREATE TABLE roster_schools (
  district_id   uuid NOT NULL,
  school_id     uuid NOT NULL,
  name          text NOT NULL DEFAULT '',
  locale        text,
  poverty_level text,
  title_i       boolean,
  version       bigint NOT NULL,
  PRIMARY KEY (district_id, school_id)
);

-- Career stage from the first year of teaching (UTC date): new (years 1-3), early (4-10), experienced.
CREATE FUNCTION career_stage(started date) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN started IS NULL THEN NULL
              WHEN started > ((now() AT TIME ZONE 'UTC')::date - interval '3 years')::date THEN 'new'
              WHEN started > ((now() AT TIME ZONE 'UTC')::date - interval '10 years')::date THEN 'early'
              ELSE 'experienced' END
$$;

-- Is an educator of the read model in a survey's audience ({} is every active educator of the district)?
CREATE FUNCTION in_audience(e roster_educators, a jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT e.status = 'active'
     AND (NOT a ? 'schools' OR e.school_ids && ARRAY(SELECT jsonb_array_elements_text(a->'schools'))::uuid[])
     AND (NOT a ? 'roles' OR e.roles && ARRAY(SELECT jsonb_array_elements_text(a->'roles')))
     AND (NOT a ? 'career_stages'
          OR career_stage(e.started_teaching_on) = ANY (ARRAY(SELECT jsonb_array_elements_text(a->'career_stages'))))
$$;
