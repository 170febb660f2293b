-- PLC meetings in an educator's calendar feed (issue 20, calendars): a read model of the coaching service's
-- PLCs (name, members) and meetings (the day held, minutes, attendance), fed by its events on homegrown.coaching
-- (plc.created / plc.updated, plc.meeting_held / plc.meeting_updated). Coaching records a meeting after it
-- happened (held_on, a date not in the future): there is no scheduled time to follow. A row changes only for a
-- newer version (stale and replayed events change nothing).
CREATE TABLE calendar_plcs (
  district_id uuid NOT NULL,
  plc_id      uuid NOT NULL,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (district_id, plc_id)
);

CREATE TABLE calendar_plc_members (
  district_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  plc_id      uuid NOT NULL,
  PRIMARY KEY (district_id, educator_id, plc_id),
  FOREIGN KEY (district_id, plc_id) REFERENCES calendar_plcs (district_id, plc_id)
);

CREATE INDEX calendar_plc_members_by_plc ON calendar_plc_members (district_id, plc_id);

CREATE TABLE calendar_plc_meetings (
  district_id uuid NOT NULL,
  meeting_id  uuid NOT NULL,
  plc_id      uuid NOT NULL,
  held_on     date NOT NULL,
  minutes     integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
  attendance  uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(attendance) <= 100),
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (district_id, meeting_id)
);

CREATE INDEX calendar_plc_meetings_by_plc ON calendar_plc_meetings (district_id, plc_id, held_on);
