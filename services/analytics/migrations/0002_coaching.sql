-- Analytics: the coaching read models (homegrown.coaching), applied by the same consumer as the roster's and
-- the catalog's events: cycles (a newer version only), feedback and time logs (facts, written once). No
-- coaching content ever reaches these tables (the events carry none).

-- Coaching cycles (cycle.started / cycle.state_changed / cycle.updated): who, the status, whether the goal was
-- met, when it started and closed.
CREATE TABLE coaching_cycles (
  district_id uuid NOT NULL,
  cycle_id    uuid NOT NULL,
  coach_id    uuid NOT NULL,
  teacher_id  uuid NOT NULL,
  status      text NOT NULL CHECK (status IN ('planning', 'observing', 'feedback', 'reflecting', 'completed',
                                              'cancelled')),
  goal_met    boolean,
  started_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, cycle_id)
);
CREATE INDEX coaching_cycles_teacher ON coaching_cycles (district_id, teacher_id);

-- Feedback given on an observation (feedback.given): how long after the observation, in minutes.
CREATE TABLE coaching_feedback (
  district_id               uuid NOT NULL,
  feedback_id               uuid NOT NULL,
  cycle_id                  uuid NOT NULL,
  coach_id                  uuid NOT NULL,
  teacher_id                uuid NOT NULL,
  minutes_since_observation numeric(12, 2) NOT NULL CHECK (minutes_since_observation >= 0),
  given_at                  timestamptz NOT NULL,
  PRIMARY KEY (district_id, feedback_id)
);

-- Coaching time logged (time.logged): minutes on a day, per coach and teacher.
CREATE TABLE coaching_time (
  district_id uuid NOT NULL,
  log_id      uuid NOT NULL,
  coach_id    uuid NOT NULL,
  teacher_id  uuid NOT NULL,
  minutes     numeric(9, 2) NOT NULL CHECK (minutes > 0),
  logged_on   date NOT NULL,
  PRIMARY KEY (district_id, log_id)
);
CREATE INDEX coaching_time_teacher ON coaching_time (district_id, teacher_id);
