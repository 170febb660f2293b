-- What recommendations read beyond bench/analytics_equity.sql (run it first), for bench/analytics_recommend.sh
-- (psql -v district=... -v noise=...): the 40 activities' topics and audiences, 40 more activities with 400
-- upcoming sessions (capacity 25) and 6,000 registrations (some sessions full), 2,000 library resources with
-- topics and 40,000 reviews, 20 closed needs assessments (half of them for 10 schools each) with 8 topics.
-- Both districts; bypasses the consumer (no events).
SET search_path TO analytics;
\set ON_ERROR_STOP on
-- :educators (psql -v educators=N; default 15000): the district bench/analytics_equity.sql seeded.
\if :{?educators}
\else
\set educators 15000
\endif

CREATE TEMP TABLE bench_districts (d uuid, n int);
INSERT INTO bench_districts VALUES (:'district', 0), (:'noise', 1);
CREATE TEMP TABLE bench_topics AS
SELECT * FROM unnest(ARRAY['classroom management', 'differentiation', 'assessment literacy', 'using student data',
                           'technology', 'professional learning communities', 'student engagement', 'literacy'])
     WITH ORDINALITY AS t(topic, k);

CREATE FUNCTION pg_temp.bid(n int, k int, i int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex(n), 8, '0') || '-000' || k || '-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid
$$;

DELETE FROM rec_activities WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM rec_sessions WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM rec_registrations WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM rec_resources WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM rec_reviews WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM rec_survey_audiences WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM survey_results WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM surveys WHERE district_id IN (SELECT d FROM bench_districts);
DELETE FROM sessions WHERE district_id IN (SELECT d FROM bench_districts) AND starts_at > now();
DELETE FROM activities WHERE district_id IN (SELECT d FROM bench_districts) AND title LIKE 'Upcoming %';

-- 40 more published activities (numbers 40-79), two topics each, an audience label for one in two
INSERT INTO activities (district_id, activity_id, title, type, credit_type, credits, delivery_method,
                        instructional_delivery_mode, status, version)
SELECT d, pg_temp.bid(n, 3, i), 'Upcoming ' || i, 'SeriesOfWorkshopsTraining', 'Hours', 6, 'Onsite', NULL,
       'published', 1
FROM bench_districts, generate_series(40, 79) AS i;
INSERT INTO rec_activities (district_id, activity_id, topics, target_audience, version)
SELECT d, pg_temp.bid(n, 3, i),
       ARRAY[(SELECT topic FROM bench_topics WHERE k = 1 + i % 8), (SELECT topic FROM bench_topics WHERE k = 1 + (i * 3) % 8)],
       CASE i % 4 WHEN 0 THEN ARRAY['new teachers'] WHEN 1 THEN ARRAY['teachers'] WHEN 2 THEN ARRAY['experienced']
                  ELSE '{}' END, 1
FROM bench_districts, generate_series(0, 79) AS i;

-- 400 upcoming sessions (numbers 1000-1399) of activities 40-79, from tomorrow, one every 11 hours
INSERT INTO sessions (district_id, session_id, activity_id, starts_at, ends_at, status, version)
SELECT d, pg_temp.bid(n, 4, 1000 + i), pg_temp.bid(n, 3, 40 + i % 40),
       date_trunc('hour', now()) + interval '1 day' + i * interval '11 hours',
       date_trunc('hour', now()) + interval '1 day 2 hours' + i * interval '11 hours', 'registering', 1
FROM bench_districts, generate_series(0, 399) AS i;
INSERT INTO rec_sessions (district_id, session_id, capacity, version)
SELECT d, pg_temp.bid(n, 4, 1000 + i), 25, 1 FROM bench_districts, generate_series(0, 399) AS i;

-- 6,000 registrations: 15 at each session, 25 (full) at one in ten; one in eight cancelled
INSERT INTO rec_registrations (district_id, registration_id, session_id, activity_id, educator_id, status, version)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 4, 1000 + s), pg_temp.bid(n, 3, 40 + s % 40),
       pg_temp.bid(n, 2, (s * 37 + j * 101) % :educators), CASE WHEN j % 8 = 7 AND s % 10 <> 0 THEN 'cancelled'
                                                             ELSE 'registered' END, 1
FROM bench_districts, generate_series(0, 399) AS s, generate_series(0, 24) AS j
WHERE j < 15 OR s % 10 = 0;

-- 2,000 library resources, one to three topics; 40,000 reviews by 20 reviewers each
INSERT INTO rec_resources (district_id, resource_id, title, type, topics, grade_bands, created_by, deleted, version)
SELECT d, pg_temp.bid(n, 5, i), 'Resource ' || i, 'article',
       ARRAY(SELECT topic FROM bench_topics WHERE k IN (1 + i % 8, 1 + (i / 8) % 8, 1 + (i / 64) % 8)),
       ARRAY['6-8'], pg_temp.bid(n, 2, (i * 17) % :educators), i % 50 = 49, 1
FROM bench_districts, generate_series(0, 1999) AS i;
INSERT INTO rec_reviews (district_id, review_id, resource_id, reviewer_id, rating, version)
SELECT d, gen_random_uuid(), pg_temp.bid(n, 5, i % 2000), pg_temp.bid(n, 2, (i * 7 + i / 2000) % :educators),
       1 + (i * 7) % 5, 1
FROM bench_districts, generate_series(0, 39999) AS i;

-- 20 closed needs assessments: even ones for the district, odd ones for 10 schools each; every topic scored
INSERT INTO surveys (district_id, survey_id, title, purpose, mode, status, audience_size, opened_at, closed_at,
                     version)
SELECT d, pg_temp.bid(n, 6, i), 'Needs ' || i, 'needs_assessment', 'confidential', 'closed', 500,
       timestamptz '2026-09-01 12:00Z', timestamptz '2026-10-01 12:00Z', 3
FROM bench_districts, generate_series(0, 19) AS i;
INSERT INTO survey_results (district_id, survey_id, closed_at, invited, responded, respondents, satisfaction,
                            confidence_change, topics)
SELECT d, pg_temp.bid(n, 6, i), timestamptz '2026-10-01 12:00Z', 500, 100 + i * 10, 100 + i * 10, NULL, NULL,
       (SELECT jsonb_object_agg(topic, round(1 + ((k * 7 + i * 3) % 40) / 10.0, 1)) FROM bench_topics)
FROM bench_districts, generate_series(0, 19) AS i;
INSERT INTO rec_survey_audiences (district_id, survey_id, school_ids, version)
SELECT d, pg_temp.bid(n, 6, i),
       CASE WHEN i % 2 = 0 THEN '{}'::uuid[]
            ELSE ARRAY(SELECT pg_temp.bid(n, 1, (i * 10 + j) % 150) FROM generate_series(0, 9) AS j) END, 3
FROM bench_districts, generate_series(0, 19) AS i;

VACUUM ANALYZE rec_activities, rec_sessions, rec_registrations, rec_resources, rec_reviews,
  rec_survey_audiences, sessions, activities, surveys, survey_results, educators;
SELECT 'seeded: ' || (SELECT count(*) FROM sessions WHERE district_id = :'district' AND starts_at > now())
       || ' upcoming sessions, ' || (SELECT count(*) FROM rec_registrations WHERE district_id = :'district')
       || ' registrations, ' || (SELECT count(*) FROM rec_resources WHERE district_id = :'district')
       || ' library resources, ' || (SELECT count(*) FROM rec_reviews WHERE district_id = :'district')
       || ' reviews';
