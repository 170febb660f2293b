-- A district's coaching year for bench/coaching_year.sh (psql -v district=... -v noise=...): 200 coaches, 2,000
-- teachers on the roster, 2,000 active relationships (ten teachers a coach), 2,000 cycles across the states,
-- 10,000 observations on a district rubric (five per cycle, rated on three indicators), 8,000 feedback (on four
-- of each five observations) and 10,000 time logs over the last year; the same again in a second (noise)
-- district so every query must pick its district out. Replaces both districts' rows (but the rubric and its
-- version, which are append-only: kept when there); bypasses the API (no events).
SET search_path TO coaching;
\set ON_ERROR_STOP on

CREATE TEMP TABLE bench_districts (d uuid, n int);
INSERT INTO bench_districts VALUES (:'district', 0), (:'noise', 1);

DELETE FROM feedback WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM observations WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM time_logs WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM cycles WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM relationships WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM roster_educators WHERE district_id IN (SELECT d FROM bench_districts);

-- Educator ids: coach c (0-199) and teacher t (0-1999) of district n, as UUIDs a script can name again.
CREATE TEMP TABLE bench_ids AS
SELECT b.d, b.n, 'coach' AS kind, i,
       (lpad(to_hex(b.n), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid AS id
FROM bench_districts b, generate_series(0, 199) AS i
UNION ALL
SELECT b.d, b.n, 'teacher', i, (lpad(to_hex(b.n), 8, '0') || '-0001-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid
FROM bench_districts b, generate_series(0, 1999) AS i;

INSERT INTO roster_educators (district_id, educator_id, status, roles, started_teaching_on, given_name, family_name,
                              version)
SELECT d, id, 'active', ARRAY[kind], date '2010-08-15' + (i % 5000), 'Given' || i, 'Family' || i, 1 FROM bench_ids;

-- Teacher t is coached by coach t % 200; relationships started over the last year.
INSERT INTO relationships (district_id, coach_id, teacher_id, kind, starts_on, created_by, created_at)
SELECT t.d, c.id, t.id, (ARRAY['instructional_coaching', 'new_teacher_mentoring', 'peer_coaching'])[1 + t.i % 3],
       current_date - 365 + (t.i % 300), c.id, now() - interval '365 days' + (t.i % 300) * interval '1 day'
FROM bench_ids t JOIN bench_ids c ON c.d = t.d AND c.kind = 'coach' AND c.i = t.i % 200
WHERE t.kind = 'teacher';

-- One cycle per relationship, across the six states (completed ones met their goal or not).
INSERT INTO cycles (district_id, relationship_id, coach_id, teacher_id, focus, goal, action_steps, status, goal_met,
                    closed_at, created_by, created_at)
SELECT r.district_id, r.id, r.coach_id, r.teacher_id, 'Focus of the cycle',
       '{"description": "d", "measure": "m", "baseline": 40, "target": 75, "due_on": "2027-03-01"}',
       '[{"description": "step", "due_on": "2027-01-15", "status": "planned"}]', s.status,
       CASE WHEN s.status = 'completed' THEN (row_number() OVER ()) % 2 = 0 END,
       CASE WHEN s.status IN ('completed', 'cancelled') THEN now() END, r.coach_id,
       r.created_at + interval '1 day'
FROM relationships r
CROSS JOIN LATERAL (SELECT (ARRAY['planning', 'observing', 'feedback', 'reflecting', 'completed', 'cancelled'])
                           [1 + abs(hashtext(r.id::text)) % 6] AS status) AS s
WHERE r.district_id IN (SELECT d FROM bench_districts);

-- The district's rubric (version 1): one domain of three indicators rated 1-4.
INSERT INTO rubrics (id, district_id, name, domains, created_by, updated_by)
SELECT (lpad(to_hex(n), 8, '0') || '-0002-4000-8000-000000000001')::uuid, d, 'Instruction',
       jsonb_build_array(jsonb_build_object('name', 'Instruction', 'indicators',
         (SELECT jsonb_agg(jsonb_build_object('key', 'i' || k, 'name', 'Indicator ' || k, 'levels',
                   (SELECT jsonb_agg(jsonb_build_object('level', l, 'descriptor', 'Level ' || l))
                    FROM generate_series(1, 4) AS l)))
          FROM generate_series(1, 3) AS k))),
       d, d
FROM bench_districts
ON CONFLICT (id) DO NOTHING;

-- 10,000 observations (five per cycle) over the last year, each rated on the three indicators with notes.
INSERT INTO observations (district_id, cycle_id, relationship_id, coach_id, teacher_id, observed_at, rubric_id,
                          rubric_version, ratings, created_by)
SELECT c.district_id, c.id, c.relationship_id, c.coach_id, c.teacher_id,
       now() - (abs(hashtext(c.id::text || k)) % 365) * interval '1 day' - k * interval '1 hour',
       (lpad(to_hex(b.n), 8, '0') || '-0002-4000-8000-000000000001')::uuid, 1,
       (SELECT jsonb_agg(jsonb_build_object('indicator', 'i' || j, 'level', 1 + (k + j) % 4,
                                            'notes', 'Evidence seen for indicator ' || j))
        FROM generate_series(1, 3) AS j),
       c.coach_id
FROM cycles c JOIN bench_districts b ON b.d = c.district_id, generate_series(1, 5) AS k;

-- Feedback on four of each five observations, a day after each.
INSERT INTO feedback (district_id, observation_id, cycle_id, coach_id, teacher_id, strengths, next_steps,
                      minutes_since_observation, created_by, created_at)
SELECT o.district_id, o.id, o.cycle_id, o.coach_id, o.teacher_id, 'Strengths seen', 'Next steps agreed', 1440,
       o.coach_id, o.observed_at + interval '1 day'
FROM observations o
WHERE o.district_id IN (SELECT d FROM bench_districts) AND abs(hashtext(o.id::text)) % 5 <> 0;
UPDATE observations o SET feedback_count = 1
WHERE o.district_id IN (SELECT d FROM bench_districts)
  AND EXISTS (SELECT 1 FROM feedback f WHERE f.district_id = o.district_id AND f.observation_id = o.id);

-- 10,000 time logs (five per relationship) of the other activities.
INSERT INTO time_logs (district_id, relationship_id, coach_id, teacher_id, activity, minutes, logged_on, created_by)
SELECT r.district_id, r.id, r.coach_id, r.teacher_id,
       (ARRAY['planning', 'modelling', 'co_teaching', 'debrief', 'plc_support'])[k],
       15 + (k * 7) % 60, current_date - ((abs(hashtext(r.id::text || k)) % 365)), r.coach_id
FROM relationships r, generate_series(1, 5) AS k
WHERE r.district_id IN (SELECT d FROM bench_districts);

-- As autovacuum would leave the tables after a bulk load: statistics, and a visibility map, so that the
-- caseload's and the cycles' index-only scans (counts, last contact) read no heap pages.
VACUUM (ANALYZE) roster_educators, relationships, cycles, time_logs, observations, feedback;

SELECT 'seeded' AS done,
       (SELECT count(*) FROM relationships WHERE district_id = :'district') AS relationships,
       (SELECT count(*) FROM cycles WHERE district_id = :'district') AS cycles,
       (SELECT count(*) FROM observations WHERE district_id = :'district') AS observations,
       (SELECT count(*) FROM feedback WHERE district_id = :'district') AS feedback,
       (SELECT count(*) FROM time_logs WHERE district_id = :'district') AS time_logs;
