-- Roster: the district's orgs (schools among them), academic sessions, educators (staff only: students are
-- never stored), the staff role rows they come from, and import reports. Every row has district_id.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- Every org of orgs.csv (district, school, department, ...); the API shows the schools. The equity
-- attributes (locale, title_i, poverty_level, enrolment) are set through the API, never by an import.
CREATE TABLE orgs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq               bigint GENERATED ALWAYS AS IDENTITY,
  district_id       uuid NOT NULL,
  sourced_id        text NOT NULL CHECK (char_length(sourced_id) BETWEEN 1 AND 1024),
  type              text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 1024),
  name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 1024),
  identifier        text CHECK (char_length(identifier) <= 1024),
  parent_sourced_id text CHECK (char_length(parent_sourced_id) <= 1024),
  status            text NOT NULL CHECK (status IN ('active', 'inactive')),
  locale            text CHECK (locale IN ('city', 'suburb', 'town', 'rural')),
  title_i           boolean,
  poverty_level     text CHECK (poverty_level IN ('low', 'mid-low', 'mid-high', 'high')),
  enrolment         integer CHECK (enrolment BETWEEN 0 AND 1000000),
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  version           integer NOT NULL DEFAULT 1,
  UNIQUE (district_id, sourced_id)
);
CREATE INDEX orgs_schools ON orgs (district_id, seq) WHERE type = 'school';

CREATE TABLE academic_sessions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq               bigint GENERATED ALWAYS AS IDENTITY,
  district_id       uuid NOT NULL,
  sourced_id        text NOT NULL CHECK (char_length(sourced_id) BETWEEN 1 AND 1024),
  title             text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 1024),
  type              text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 1024),
  start_date        date NOT NULL,
  end_date          date NOT NULL CHECK (end_date >= start_date),
  parent_sourced_id text CHECK (char_length(parent_sourced_id) <= 1024),
  school_year       integer NOT NULL CHECK (school_year BETWEEN 1 AND 9999),
  status            text NOT NULL CHECK (status IN ('active', 'inactive')),
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  version           integer NOT NULL DEFAULT 1,
  UNIQUE (district_id, sourced_id)
);
CREATE INDEX academic_sessions_page ON academic_sessions (district_id, seq);

-- The active staff rows of roles.csv. Student, parent, guardian and relative rows never get here (the
-- importer drops them as it reads; the CHECK is a second line).
CREATE TABLE staff_roles (
  district_id     uuid NOT NULL,
  sourced_id      text NOT NULL CHECK (char_length(sourced_id) BETWEEN 1 AND 1024),
  user_sourced_id text NOT NULL CHECK (char_length(user_sourced_id) BETWEEN 1 AND 1024),
  role            text NOT NULL CHECK (role NOT IN ('student', 'parent', 'guardian', 'relative')),
  hg_role         text NOT NULL CHECK (hg_role IN ('teacher', 'school_leader', 'district_admin')),
  org_sourced_id  text NOT NULL CHECK (char_length(org_sourced_id) BETWEEN 1 AND 1024),
  PRIMARY KEY (district_id, sourced_id)
);
CREATE INDEX staff_roles_user ON staff_roles (district_id, user_sourced_id);

-- Educators: users with at least one staff role. roles and school_ids are derived from staff_roles (sorted,
-- distinct); status is active when the user is active and enabled and has a staff role. started_teaching_on
-- is set through the API.
CREATE TABLE educators (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq                 bigint GENERATED ALWAYS AS IDENTITY,
  district_id         uuid NOT NULL,
  sourced_id          text NOT NULL CHECK (char_length(sourced_id) BETWEEN 1 AND 1024),
  given_name          text NOT NULL CHECK (char_length(given_name) <= 1024),
  family_name         text NOT NULL CHECK (char_length(family_name) <= 1024),
  email               text CHECK (char_length(email) <= 1024),
  user_active         boolean NOT NULL,
  roles               text[] NOT NULL DEFAULT '{}',
  school_ids          uuid[] NOT NULL DEFAULT '{}',
  status              text NOT NULL CHECK (status IN ('active', 'inactive')),
  started_teaching_on date,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  version             integer NOT NULL DEFAULT 1,
  UNIQUE (district_id, sourced_id)
);
CREATE INDEX educators_page ON educators (district_id, seq);
CREATE INDEX educators_schools ON educators USING gin (school_ids);

-- One row per applied (or dry-run) import: the report it answered with.
CREATE TABLE imports (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  dry_run     boolean NOT NULL,
  report      json NOT NULL -- {"files", "counts", "skipped"}, in the order the service wrote them
);

-- The API representations (and event data), in one place.
CREATE FUNCTION school_json(o orgs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', o.id, 'district_id', o.district_id, 'sourced_id', o.sourced_id, 'name', o.name,
    'identifier', o.identifier, 'status', o.status, 'locale', o.locale, 'title_i', o.title_i,
    'poverty_level', o.poverty_level, 'enrolment', o.enrolment, 'updated_at', rfc3339(o.updated_at),
    'version', o.version)
$$;

-- New teachers are in their first three years: started less than three years ago (UTC date).
CREATE FUNCTION educator_json(e educators) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', e.id, 'district_id', e.district_id, 'sourced_id', e.sourced_id, 'given_name', e.given_name,
    'family_name', e.family_name, 'email', e.email, 'status', e.status, 'roles', to_json(e.roles),
    'school_ids', to_json(e.school_ids),
    'started_teaching_on', to_char(e.started_teaching_on, 'YYYY-MM-DD'),
    'new_teacher', coalesce(e.started_teaching_on > ((now() AT TIME ZONE 'UTC')::date - interval '3 years')::date,
                            false),
    'updated_at', rfc3339(e.updated_at), 'version', e.version)
$$;

CREATE FUNCTION academic_session_json(s academic_sessions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'sourced_id', s.sourced_id, 'title', s.title, 'type', s.type,
    'start_date', to_char(s.start_date, 'YYYY-MM-DD'), 'end_date', to_char(s.end_date, 'YYYY-MM-DD'),
    'parent_sourced_id', s.parent_sourced_id, 'school_year', s.school_year, 'status', s.status,
    'updated_at', rfc3339(s.updated_at), 'version', s.version)
$$;

CREATE FUNCTION import_json(i imports) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object('id', i.id, 'district_id', i.district_id, 'created_by', i.created_by,
                           'created_at', rfc3339(i.created_at), 'dry_run', i.dry_run, 'files', i.report->'files',
                           'counts', i.report->'counts', 'skipped', i.report->'skipped')
$$;
