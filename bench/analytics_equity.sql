-- A district's year of professional learning for bench/analytics_equity.sh (psql -v district=... -v noise=...):
-- 150 schools (every locale, poverty level and Title I status), 15,000 active educators (a school each, one in
-- ten in two; career starts over 30 years, one in fifty unknown), 40 activities with 800 sessions in the
-- 2025-26 school year, 60,000 attendances, 3,000 completions, 1,500 approved outside hours, 3,000 coaching cycles
-- and 6,000 time logs; a second (noise) district of the same size, so every query must pick its district out.
-- Replaces both districts' rows of the read models; bypasses the consumer (no events).
SET search_path TO analytics;
\set ON_ERROR_STOP on
-- :educators (psql -v educators=N; default 15000) scales every count below with it (BENCH_SMOKE=1 seeds 500).
\if :{?educators}
\else
\set educators 15000
\endif

CREATE TEMP TABLE bench_districts (d uuid, n int);
INSERT INTO bench_districts VALUES (:'district', 0), (:'noise', 1);

DELETE FROM coaching_time WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM coaching_cycles WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM outside_credits WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM completions WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM attendance WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM sessions WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM activities WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM educators WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM schools WHERE district_id IN (SELECT d FROM bench_districts);

-- ids a script can name again: kind k (1 school, 2 educator, 3 activity, 4 session) number i of district n
CREATE FUNCTION pg_temp.bid(n int, k int, i int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex(n), 8, '0') || '-000' || k || '-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid
$$;

INSERT INTO schools (district_id, school_id, name, status, locale, title_i, poverty_level, version)
SELECT d, pg_temp.bid(n, 1, i), 'School ' || i, 'active', (ARRAY['city', 'suburb', 'town', 'rural'])[1 + i % 4],
       i % 3 = 0, (ARRAY['low', 'mid-low', 'mid-high', 'high'])[1 + (i / 4) % 4], 1
FROM bench_districts, generate_series(0, 149) AS i;

INSERT INTO educators (district_id, educator_id, status, roles, school_ids, started_teaching_on, version)
SELECT d, pg_temp.bid(n, 2, i), 'active', CASE WHEN i % 100 = 0 THEN ARRAY['teacher', 'school_leader']
                                                ELSE ARRAY['teacher'] END,
       CASE WHEN i % 10 = 0 THEN ARRAY[pg_temp.bid(n, 1, i % 150), pg_temp.bid(n, 1, (i + 7) % 150)]
            ELSE ARRAY[pg_temp.bid(n, 1, i % 150)] END,
       CASE WHEN i % 50 = 0 THEN NULL ELSE date '1996-08-15' + (i * 7) % 10950 END, 1
FROM bench_districts, generate_series(0, :educators - 1) AS i;

INSERT INTO activities (district_id, activity_id, title, type, credit_type, credits, delivery_method,
                        instructional_delivery_mode, status, version)
SELECT d, pg_temp.bid(n, 3, i), 'Activity ' || i, 'OneTimeWorkshopTraining', 'Hours', 3, 'Onsite', NULL,
       'published', 1
FROM bench_districts, generate_series(0, 39) AS i;

-- 800 sessions from 2025-08-01 on, one every 9 hours, 2 h each; one in forty cancelled
INSERT INTO sessions (district_id, session_id, activity_id, starts_at, ends_at, status, version)
SELECT d, pg_temp.bid(n, 4, i), pg_temp.bid(n, 3, i % 40), timestamptz '2025-08-01 15:00Z' + i * interval '9 hours',
       timestamptz '2025-08-01 17:00Z' + i * interval '9 hours', CASE WHEN i % 40 = 39 THEN 'cancelled'
                                                                   ELSE 'completed' END, 1
FROM bench_districts, generate_series(0, 799) AS i;

-- 60,000 attendances: educator (i * 13) % :educators at session i % 800 (distinct pairs)
INSERT INTO attendance (district_id, session_id, activity_id, educator_id, recorded_at)
SELECT d, pg_temp.bid(n, 4, i % 800), pg_temp.bid(n, 3, (i % 800) % 40), pg_temp.bid(n, 2, (i * 13) % :educators),
       timestamptz '2025-08-01 15:00Z' + (i % 800) * interval '9 hours'
FROM bench_districts, generate_series(0, 4 * :educators - 1) AS i
ON CONFLICT DO NOTHING;

INSERT INTO completions (district_id, completion_id, activity_id, educator_id, credit_type, credits, completed_at)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 3, i % 40), pg_temp.bid(n, 2, (i * 5) % :educators), 'Hours', 3,
       timestamptz '2025-09-01 12:00Z' + i * interval '2 hours'
FROM bench_districts, generate_series(0, :educators / 5 - 1) AS i;

INSERT INTO outside_credits (district_id, request_id, educator_id, hours, end_date)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 2, (i * 11) % :educators), 6, date '2025-08-10' + i % 300
FROM bench_districts, generate_series(0, :educators / 10 - 1) AS i;

INSERT INTO coaching_cycles (district_id, cycle_id, coach_id, teacher_id, status, goal_met, started_at, closed_at,
                             version)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 2, i % 200), pg_temp.bid(n, 2, (i * 3) % :educators),
       CASE WHEN i % 3 = 0 THEN 'completed' ELSE 'observing' END, CASE WHEN i % 3 = 0 THEN i % 2 = 0 END,
       timestamptz '2025-08-15 09:00Z' + (i % 250) * interval '1 day',
       CASE WHEN i % 3 = 0 THEN timestamptz '2025-10-15 09:00Z' + (i % 200) * interval '1 day' END, 1
FROM bench_districts, generate_series(0, :educators / 5 - 1) AS i;

INSERT INTO coaching_time (district_id, log_id, coach_id, teacher_id, minutes, logged_on)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 2, i % 200), pg_temp.bid(n, 2, (i * 7) % :educators), 30 + i % 60,
       date '2025-08-20' + i % 300
FROM bench_districts, generate_series(0, 2 * :educators / 5 - 1) AS i;

ANALYZE;
SELECT 'seeded: ' || (SELECT count(*) FROM educators WHERE district_id = :'district') || ' educators, '
       || (SELECT count(*) FROM attendance WHERE district_id = :'district') || ' attendances';
