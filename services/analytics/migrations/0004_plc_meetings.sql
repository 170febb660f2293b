-- Analytics: PLC meetings (homegrown.coaching plc.meeting_held / plc.meeting_updated). A meeting linked to a
-- catalog activity counts as PD: each attendee gets its minutes as hours on the day it was held (issue 10).
-- One row per meeting with its attendance, replaced whole by a newer version (an update of the attendance
-- replaces it, a redelivered or stale event changes nothing); no agenda or notes ever reach it (the events
-- carry none).
CREATE TABLE plc_meetings (
  district_id uuid NOT NULL,
  meeting_id  uuid NOT NULL,
  plc_id      uuid NOT NULL,
  activity_id uuid,
  held_on     date NOT NULL,
  minutes     numeric(9, 2) NOT NULL CHECK (minutes > 0),
  attendance  uuid[] NOT NULL DEFAULT '{}',
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, meeting_id)
);
-- The meetings that count (linked to an activity), by day: what the hours of a period read.
CREATE INDEX plc_meetings_linked ON plc_meetings (district_id, held_on) WHERE activity_id IS NOT NULL;
CREATE INDEX plc_meetings_activity ON plc_meetings (district_id, activity_id) WHERE activity_id IS NOT NULL;

-- The PD hours of a district's educators in [from_day, to_day), one row per source: each session attended
-- that starts in it and is not cancelled (its length), approved outside learning that ended in it (its hours;
-- no activity), and each attendee of a PLC meeting held in it and linked to an activity (the meeting's
-- minutes / 60). Participation and the public report count hours through it (the equity audit's statement,
-- shaped for its benchmark, reads the same three sources itself). Plain SQL, so the planner inlines it into
-- the statement that calls it.
CREATE FUNCTION pd_hours(d uuid, from_day date, to_day date)
RETURNS TABLE (educator_id uuid, activity_id uuid, hours numeric)
LANGUAGE sql STABLE AS $$
  SELECT a.educator_id, s.activity_id, extract(epoch FROM s.ends_at - s.starts_at)::numeric / 3600
  FROM attendance a JOIN sessions s ON s.district_id = a.district_id AND s.session_id = a.session_id
  WHERE a.district_id = d AND s.status <> 'cancelled' AND s.starts_at >= from_day AND s.starts_at < to_day
  UNION ALL
  SELECT o.educator_id, NULL::uuid, o.hours FROM outside_credits o
  WHERE o.district_id = d AND o.end_date >= from_day AND o.end_date < to_day
  UNION ALL
  SELECT x.educator_id, m.activity_id, m.minutes / 60 FROM plc_meetings m
  CROSS JOIN LATERAL unnest(m.attendance) AS x(educator_id)
  WHERE m.district_id = d AND m.activity_id IS NOT NULL AND m.held_on >= from_day AND m.held_on < to_day
$$;
