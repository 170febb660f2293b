-- Analytics: read models built from the other services' events (homegrown.roster, homegrown.resources).
-- Every table has district_id and every index starts with it. Rows change only through the consumer
-- (services/analytics/projection_store.c), one event per transaction, each event applied once.

-- The roster's schools and their attributes (school.upserted / school.deactivated); a newer version only.
CREATE TABLE schools (
  district_id   uuid NOT NULL,
  school_id     uuid NOT NULL,
  name          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('active', 'inactive')),
  locale        text CHECK (locale IN ('city', 'suburb', 'town', 'rural')),
  title_i       boolean,
  poverty_level text CHECK (poverty_level IN ('low', 'mid-low', 'mid-high', 'high')),
  version       bigint NOT NULL,
  PRIMARY KEY (district_id, school_id)
);

-- The roster's educators (educator.upserted / educator.deactivated); a newer version only.
CREATE TABLE educators (
  district_id         uuid NOT NULL,
  educator_id         uuid NOT NULL,
  status              text NOT NULL CHECK (status IN ('active', 'inactive')),
  roles               text[] NOT NULL DEFAULT '{}',
  school_ids          uuid[] NOT NULL DEFAULT '{}',
  started_teaching_on date,
  version             bigint NOT NULL,
  PRIMARY KEY (district_id, educator_id)
);

-- The catalog's activities (activity.created/updated/published/archived); a newer version only.
CREATE TABLE activities (
  district_id                 uuid NOT NULL,
  activity_id                 uuid NOT NULL,
  title                       text NOT NULL,
  type                        text NOT NULL,
  credit_type                 text NOT NULL CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits',
                                                                   'SemesterCredits')),
  credits                     numeric(9, 2) NOT NULL CHECK (credits >= 0),
  delivery_method             text,
  instructional_delivery_mode text,
  status                      text NOT NULL,
  version                     bigint NOT NULL,
  PRIMARY KEY (district_id, activity_id)
);

-- The catalog's sessions (session.scheduled/completed/cancelled); a newer version only. Hours of a session
-- are its length (ends_at - starts_at).
CREATE TABLE sessions (
  district_id uuid NOT NULL,
  session_id  uuid NOT NULL,
  activity_id uuid NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  status      text NOT NULL CHECK (status IN ('registering', 'completed', 'cancelled')),
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, session_id)
);

-- Who was present at which session (attendance.recorded): once per educator and session.
CREATE TABLE attendance (
  district_id uuid NOT NULL,
  session_id  uuid NOT NULL,
  activity_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (district_id, session_id, educator_id)
);
CREATE INDEX attendance_educator ON attendance (district_id, educator_id);

-- Completions (activity.completed): the credits earned, once per activity and educator.
CREATE TABLE completions (
  district_id   uuid NOT NULL,
  completion_id uuid NOT NULL,
  activity_id   uuid NOT NULL,
  educator_id   uuid NOT NULL,
  credit_type   text NOT NULL CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits', 'SemesterCredits')),
  credits       numeric(9, 2) NOT NULL CHECK (credits >= 0),
  completed_at  timestamptz NOT NULL,
  PRIMARY KEY (district_id, completion_id)
);
CREATE INDEX completions_educator ON completions (district_id, educator_id);

-- Learning done elsewhere and approved (credit_request.decided with status approved): hours on its end date.
CREATE TABLE outside_credits (
  district_id uuid NOT NULL,
  request_id  uuid NOT NULL,
  educator_id uuid NOT NULL,
  hours       numeric(9, 2) NOT NULL CHECK (hours > 0),
  end_date    date NOT NULL,
  PRIMARY KEY (district_id, request_id)
);
CREATE INDEX outside_credits_educator ON outside_credits (district_id, educator_id);

-- Career stage on a given day from the first year of teaching, as the surveys count it: new (less than 3
-- years), early (less than 10), experienced; NULL when unknown.
CREATE FUNCTION career_stage(started date, on_day date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN started IS NULL THEN NULL
              WHEN started > (on_day - interval '3 years')::date THEN 'new'
              WHEN started > (on_day - interval '10 years')::date THEN 'early'
              ELSE 'experienced' END
$$;

-- One group's participation figures: counts, hours (two decimals), the share of educators with any PD
-- (participants / educators, four decimals; null for no educators), mean hours per educator, completions and
-- credits per CEDS credit type.
CREATE FUNCTION participation_json(educators bigint, participants bigint, hours numeric, completions numeric,
                                   c_hours numeric, c_ceus numeric, c_quarter numeric, c_semester numeric)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'educators', educators, 'participants', participants,
    'participation_rate', CASE WHEN educators > 0 THEN round(participants::numeric / educators, 4) END,
    'hours', round(hours, 2),
    'mean_hours', CASE WHEN educators > 0 THEN round(hours / educators, 2) END,
    'completions', completions,
    'credits', jsonb_build_object('Hours', c_hours, 'CEUs', c_ceus, 'QuarterCredits', c_quarter,
                                  'SemesterCredits', c_semester))
$$;
