-- Analytics: the read models recommendations need beyond the others (docs/analytics.md "Recommendations"),
-- applied by the same consumer in the same transaction as the event's other effects
-- (services/analytics/recommend_store.c). Entities change only for a newer version; every table has
-- district_id and every index starts with it.

-- What an activity is about and for whom (activity.*): its topics and target audience labels, lower-cased.
CREATE TABLE rec_activities (
  district_id     uuid NOT NULL,
  activity_id     uuid NOT NULL,
  topics          text[] NOT NULL DEFAULT '{}',
  target_audience text[] NOT NULL DEFAULT '{}',
  version         bigint NOT NULL,
  PRIMARY KEY (district_id, activity_id)
);

-- A session's capacity (session.*); its seats taken are the registrations holding one, below.
CREATE TABLE rec_sessions (
  district_id uuid NOT NULL,
  session_id  uuid NOT NULL,
  capacity    integer NOT NULL CHECK (capacity >= 0),
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, session_id)
);

-- Registrations (registration.created/.promoted/.cancelled/.approved/.declined): the latest status of each.
CREATE TABLE rec_registrations (
  district_id     uuid NOT NULL,
  registration_id uuid NOT NULL,
  session_id      uuid NOT NULL,
  activity_id     uuid NOT NULL,
  educator_id     uuid NOT NULL,
  status          text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
  version         bigint NOT NULL,
  PRIMARY KEY (district_id, registration_id)
);
CREATE INDEX rec_registrations_session ON rec_registrations (district_id, session_id) WHERE status = 'registered';
CREATE INDEX rec_registrations_educator ON rec_registrations (district_id, educator_id);

-- Library resources (resource.created/.updated/.deleted): what recommendations show and match on, lower-cased
-- topics; a deleted one stays, marked, and is never recommended.
CREATE TABLE rec_resources (
  district_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  title       text NOT NULL,
  type        text NOT NULL,
  topics      text[] NOT NULL DEFAULT '{}',
  grade_bands text[] NOT NULL DEFAULT '{}',
  created_by  uuid,
  deleted     boolean NOT NULL DEFAULT false,
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, resource_id)
);

-- Library reviews (review.created/.updated): who rated what, the latest rating.
CREATE TABLE rec_reviews (
  district_id uuid NOT NULL,
  review_id   uuid NOT NULL,
  resource_id uuid NOT NULL,
  reviewer_id uuid NOT NULL,
  rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, review_id)
);
CREATE INDEX rec_reviews_resource ON rec_reviews (district_id, resource_id);
CREATE INDEX rec_reviews_reviewer ON rec_reviews (district_id, reviewer_id);

-- The schools a survey's audience names (survey.*; empty: the whole district), so that a needs assessment's
-- topics count for the schools it asked.
CREATE TABLE rec_survey_audiences (
  district_id uuid NOT NULL,
  survey_id   uuid NOT NULL,
  school_ids  uuid[] NOT NULL DEFAULT '{}',
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, survey_id)
);
