-- PD catalog (CEDS-aligned): activities, their sessions, registrations with a
-- waitlist, attendance, completions, credit for outside learning. Every row
-- carries district_id and every statement is scoped by it. Column comments
-- name the CEDS element each field carries.

CREATE TABLE catalog_activities (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id                 uuid NOT NULL,
  title                       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description                 text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  objectives                  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(objectives) <= 20),
  topics                      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(topics) <= 20),
  type                        text NOT NULL CHECK (type IN ('CollegeCourse', 'Coaching', 'Mentoring',
                                'Consultation', 'P2P', 'TechnicalAssistance', 'Advisement',
                                'OneTimeWorkshopTraining', 'SeriesOfWorkshopsTraining', 'Other')),
  credit_type                 text NOT NULL CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits',
                                'SemesterCredits')),
  credits                     numeric(7, 2) NOT NULL CHECK (credits >= 0 AND credits <= 1000),
  level                       text CHECK (level IN ('Beginner', 'Intermediate', 'Advanced')),
  audience_type               text CHECK (audience_type IN ('Individual', 'Group')),
  target_audience             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(target_audience) <= 20),
  delivery_method             text CHECK (delivery_method IN ('Onsite', 'Virtual', 'Off-Site', 'Conference')),
  instructional_delivery_mode text CHECK (instructional_delivery_mode IN ('Broadcast', 'Correspondence',
                                'EarlyCollege', 'AudioVideo', 'Conference', 'Online', 'IndependentStudy',
                                'FaceToFace', 'BlendedLearning', 'Other')),
  funding_source              text CHECK (char_length(funding_source) BETWEEN 1 AND 100),
  cost                        numeric(10, 2) CHECK (cost >= 0 AND cost <= 1000000),
  status                      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  completion_rule             text NOT NULL DEFAULT 'all_sessions'
                                CHECK (completion_rule IN ('all_sessions', 'at_least')),
  completion_min_sessions     integer CHECK (completion_min_sessions BETWEEN 1 AND 100),
  created_by                  uuid NOT NULL,
  created_at                  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at                  timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at                timestamptz,
  archived_at                 timestamptz,
  version                     integer NOT NULL DEFAULT 1,
  CHECK ((completion_rule = 'at_least') = (completion_min_sessions IS NOT NULL))
);

CREATE INDEX catalog_activities_page ON catalog_activities (district_id, created_at DESC, id DESC);

CREATE TABLE catalog_sessions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id      uuid NOT NULL,
  activity_id      uuid NOT NULL REFERENCES catalog_activities (id),
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  location         text CHECK (char_length(location) BETWEEN 1 AND 200),
  online_url       text CHECK (char_length(online_url) <= 2048),
  capacity         integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  facilitators     uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(facilitators) <= 20),
  status           text NOT NULL DEFAULT 'registering'
                     CHECK (status IN ('registering', 'completed', 'cancelled')),
  check_in_code    text NOT NULL CHECK (check_in_code ~ '^[A-Z2-9]{8}$'),
  -- Seats, kept under the session row's lock by every registration change:
  -- registered_count never exceeds capacity (the never-oversell rule).
  registered_count integer NOT NULL DEFAULT 0,
  waitlisted_count integer NOT NULL DEFAULT 0 CHECK (waitlisted_count BETWEEN 0 AND 1000),
  next_seq         bigint NOT NULL DEFAULT 1,
  created_by       uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  version          integer NOT NULL DEFAULT 1,
  CHECK (ends_at > starts_at),
  CHECK (location IS NOT NULL OR online_url IS NOT NULL),
  CHECK (registered_count BETWEEN 0 AND capacity)
);

CREATE INDEX catalog_sessions_by_activity ON catalog_sessions (district_id, activity_id, starts_at, id);

CREATE TABLE catalog_registrations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id   uuid NOT NULL,
  session_id    uuid NOT NULL REFERENCES catalog_sessions (id),
  activity_id   uuid NOT NULL REFERENCES catalog_activities (id),
  educator_id   uuid NOT NULL,
  seq           bigint NOT NULL, -- arrival order within the session (assigned under the session lock)
  status        text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
  registered_by uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  promoted_at   timestamptz,
  cancelled_at  timestamptz,
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (session_id, seq)
);

-- One live registration per educator and session: a second is a unique violation (409).
CREATE UNIQUE INDEX catalog_registrations_once ON catalog_registrations (session_id, educator_id)
  WHERE status <> 'cancelled';
CREATE INDEX catalog_registrations_queue ON catalog_registrations (session_id, status, seq);

CREATE TABLE catalog_attendance (
  district_id  uuid NOT NULL,
  session_id   uuid NOT NULL REFERENCES catalog_sessions (id),
  activity_id  uuid NOT NULL REFERENCES catalog_activities (id),
  educator_id  uuid NOT NULL,
  method       text NOT NULL CHECK (method IN ('facilitator', 'check_in')),
  recorded_by  uuid NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (session_id, educator_id)
);

CREATE INDEX catalog_attendance_by_educator ON catalog_attendance (district_id, activity_id, educator_id);

-- A completion is recorded once per educator and activity (the primary key), with the credits the
-- activity carried at that moment.
CREATE TABLE catalog_completions (
  id           uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  district_id  uuid NOT NULL,
  activity_id  uuid NOT NULL REFERENCES catalog_activities (id),
  educator_id  uuid NOT NULL,
  credit_type  text NOT NULL,
  credits      numeric(7, 2) NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (activity_id, educator_id)
);

CREATE INDEX catalog_completions_transcript ON catalog_completions (district_id, educator_id, completed_at);

CREATE TABLE catalog_credit_requests (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id  uuid NOT NULL,
  educator_id  uuid NOT NULL,
  title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  provider     text NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  start_date   date NOT NULL,
  end_date     date NOT NULL,
  hours        numeric(7, 2) NOT NULL CHECK (hours > 0 AND hours <= 1000),
  evidence_url text NOT NULL CHECK (char_length(evidence_url) <= 2048),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
  reason       text CHECK (char_length(reason) BETWEEN 1 AND 1000),
  decided_by   uuid,
  decided_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  version      integer NOT NULL DEFAULT 1,
  CHECK (end_date >= start_date),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);

CREATE INDEX catalog_credit_requests_page ON catalog_credit_requests (district_id, created_at DESC, id DESC);
CREATE INDEX catalog_credit_requests_transcript ON catalog_credit_requests (district_id, educator_id, end_date)
  WHERE status = 'approved';

-- ---- API representations, one place for every statement that returns them ----

CREATE FUNCTION catalog_activity_json(a catalog_activities) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'district_id', a.district_id, 'title', a.title, 'description', a.description,
    'objectives', to_json(a.objectives), 'topics', to_json(a.topics), 'type', a.type,
    'credit_type', a.credit_type, 'credits', a.credits, 'level', a.level, 'audience_type', a.audience_type,
    'target_audience', to_json(a.target_audience), 'delivery_method', a.delivery_method,
    'instructional_delivery_mode', a.instructional_delivery_mode, 'funding_source', a.funding_source,
    'cost', a.cost, 'status', a.status,
    'completion_rule', CASE WHEN a.completion_rule = 'all_sessions'
                            THEN json_build_object('kind', 'all_sessions')
                            ELSE json_build_object('kind', 'at_least', 'sessions', a.completion_min_sessions) END,
    'created_by', a.created_by, 'created_at', rfc3339(a.created_at), 'updated_at', rfc3339(a.updated_at),
    'published_at', rfc3339(a.published_at), 'archived_at', rfc3339(a.archived_at), 'version', a.version)
$$;

-- with_code: the check-in code goes only to district admins and the session's facilitators.
CREATE FUNCTION catalog_session_json(s catalog_sessions, with_code boolean) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'activity_id', s.activity_id,
    'starts_at', rfc3339(s.starts_at), 'ends_at', rfc3339(s.ends_at), 'location', s.location,
    'online_url', s.online_url, 'capacity', s.capacity, 'facilitators', to_json(s.facilitators),
    'status', s.status, 'registered_count', s.registered_count, 'waitlisted_count', s.waitlisted_count,
    'seats_available', s.capacity - s.registered_count,
    'check_in_code', CASE WHEN with_code THEN s.check_in_code END,
    'created_by', s.created_by, 'created_at', rfc3339(s.created_at), 'updated_at', rfc3339(s.updated_at),
    'version', s.version)
$$;

-- waitlist_position: 1 + the waitlisted registrations of the session that arrived before this one
-- (not counting r itself, which an INSERT ... RETURNING cannot see in the table yet).
CREATE FUNCTION catalog_registration_json(r catalog_registrations) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'session_id', r.session_id, 'activity_id', r.activity_id,
    'educator_id', r.educator_id, 'status', r.status,
    'waitlist_position', CASE WHEN r.status = 'waitlisted' THEN 1 +
      (SELECT count(*) FROM catalog_registrations w
        WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.seq < r.seq) END,
    'arrival', r.seq, 'registered_by', r.registered_by, 'created_at', rfc3339(r.created_at),
    'updated_at', rfc3339(r.updated_at), 'promoted_at', rfc3339(r.promoted_at),
    'cancelled_at', rfc3339(r.cancelled_at), 'version', r.version)
$$;

CREATE FUNCTION catalog_attendance_json(t catalog_attendance) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'district_id', t.district_id, 'session_id', t.session_id, 'activity_id', t.activity_id,
    'educator_id', t.educator_id, 'method', t.method, 'recorded_by', t.recorded_by,
    'recorded_at', rfc3339(t.recorded_at))
$$;

CREATE FUNCTION catalog_completion_json(c catalog_completions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'activity_id', c.activity_id, 'educator_id', c.educator_id,
    'credit_type', c.credit_type, 'credits', c.credits, 'completed_at', rfc3339(c.completed_at))
$$;

CREATE FUNCTION catalog_credit_request_json(q catalog_credit_requests) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', q.id, 'district_id', q.district_id, 'educator_id', q.educator_id, 'title', q.title,
    'provider', q.provider, 'description', q.description, 'start_date', to_char(q.start_date, 'YYYY-MM-DD'),
    'end_date', to_char(q.end_date, 'YYYY-MM-DD'), 'hours', q.hours, 'credit_type', 'Hours',
    'evidence_url', q.evidence_url, 'status', q.status, 'reason', q.reason, 'decided_by', q.decided_by,
    'decided_at', rfc3339(q.decided_at), 'created_at', rfc3339(q.created_at),
    'updated_at', rfc3339(q.updated_at), 'version', q.version)
$$;
