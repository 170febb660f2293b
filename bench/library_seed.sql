-- Seed :rows library resources into district :'district' (created by :'author'), replacing what that
-- district had. Run by bench/library_search.sh through psql; the only statement that matters is the one
-- INSERT ... SELECT over generate_series. The vocabulary is a teacher-PD library's: topics recur in
-- titles, topic lists and descriptions with different frequencies, so some words match a few hundred
-- resources and others tens of thousands. setseed makes every run seed the same collection.
\set ON_ERROR_STOP on
SET search_path = resources;
SELECT setseed(0.4242);

CREATE FUNCTION pg_temp.pick(choices text[]) RETURNS text
LANGUAGE sql VOLATILE AS $$ SELECT choices[1 + floor(random() * array_length(choices, 1))::int] $$;

DELETE FROM library_reviews WHERE district_id = :'district';
DELETE FROM library_content_checks WHERE district_id = :'district';
DELETE FROM library_resources WHERE district_id = :'district';

CREATE TEMP TABLE vocab AS SELECT
  ARRAY['fractions', 'number sense', 'place value', 'algebraic thinking', 'geometry', 'measurement',
        'data analysis', 'ratios', 'phonics', 'phonemic awareness', 'fluency', 'vocabulary', 'comprehension',
        'writing workshop', 'argument writing', 'read-aloud', 'close reading', 'ecosystems', 'photosynthesis',
        'energy', 'forces and motion', 'weather', 'climate', 'cells', 'chemical reactions', 'civics',
        'geography', 'primary sources', 'map skills', 'classroom management', 'formative assessment',
        'differentiation', 'cooperative learning', 'questioning', 'feedback', 'growth mindset',
        'restorative practices', 'universal design', 'co-teaching', 'family engagement',
        'culturally responsive teaching', 'coding', 'robotics', 'digital citizenship', 'music theory',
        'visual arts', 'fitness', 'english learners'] AS topics,
  ARRAY['lesson plan', 'mini-lesson', 'unit', 'station rotation', 'video walkthrough', 'rubric', 'exit ticket',
        'anchor chart', 'lab', 'project', 'discussion protocol', 'toolkit', 'template', 'article', 'case study',
        'simulation', 'game', 'checklist', 'planning guide', 'coaching guide'] AS kinds,
  ARRAY['Hands-on', 'Introductory', 'Advanced', 'Differentiated', 'Collaborative', 'Inquiry-based', 'Visual',
        'Quick', 'Deep-dive', 'Practical', 'Playful', 'Structured', 'Open-ended', 'Real-world', 'Bilingual',
        'Outdoor', 'Digital', 'Low-prep', 'Standards-aligned', 'Teacher-tested'] AS adjectives,
  ARRAY['math', 'ela', 'science', 'social studies', 'art', 'music', 'physical education', 'world languages',
        'computer science', 'special education', 'sel', 'esl'] AS subjects,
  ARRAY['explain their reasoning', 'build fluency', 'compare strategies', 'ask better questions',
        'work in small groups', 'revise their drafts', 'collect and graph data', 'argue from evidence',
        'connect ideas across texts', 'model real situations', 'reflect on their learning',
        'practice new vocabulary'] AS aims,
  ARRAY['printable cards', 'a slide deck', 'sentence stems', 'a scoring guide', 'teacher notes',
        'student handouts', 'a short video', 'an answer key', 'extension tasks', 'a family letter'] AS materials,
  ARRAY['whole-class instruction', 'small groups', 'intervention blocks', 'co-taught classrooms',
        'remote learning', 'after-school programs', 'professional learning communities',
        'new teacher induction'] AS settings;

INSERT INTO library_resources (district_id, created_by, title, description, type, url, subjects, grade_bands,
                               topics, license, created_at, updated_at)
SELECT :'district', :'author', s.title, s.description, s.type, s.url, s.subjects, s.grade_bands, s.topics,
       s.license, s.created_at, s.created_at
FROM vocab v, generate_series(1, :rows) AS g(i),
LATERAL (
  SELECT
    pg_temp.pick(v.adjectives) || ' ' || t.main || ' ' || t.kind AS title,
    'A ' || t.kind || ' on ' || t.main || ' that helps students ' || pg_temp.pick(v.aims) || '. Includes '
      || pg_temp.pick(v.materials) || ' and ' || pg_temp.pick(v.materials) || '; works well in '
      || pg_temp.pick(v.settings) || ' and connects to ' || pg_temp.pick(v.topics) || '.' AS description,
    (ARRAY['lesson_plan', 'lesson_plan', 'video', 'rubric', 'article', 'template', 'oer', 'course',
           'other'])[1 + floor(random() * 9)::int] AS type,
    'https://library.example.org/r/' || g.i AS url,
    ARRAY(SELECT DISTINCT pg_temp.pick(v.subjects) FROM generate_series(1, 1 + g.i % 2)) AS subjects,
    ARRAY(SELECT DISTINCT b FROM unnest(ARRAY['PK', 'K-2', '3-5', '6-8', '9-12', 'adult']) AS b
          WHERE random() < 0.3 + 0 * g.i) AS grade_bands,
    ARRAY(SELECT DISTINCT x FROM (SELECT t.main AS x UNION ALL
          SELECT pg_temp.pick(v.topics) FROM generate_series(1, g.i % 3)) AS tt) AS topics,
    (ARRAY['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC0-1.0', NULL, NULL])[1 + floor(random() * 6)::int]
      AS license,
    -- Created over five years, in order, as a real library grows: rows sit on disk in the order they
    -- were written, so the newest-first walks read neighbouring rows (a random order would make every
    -- row its own page read, which no district's history looks like).
    now() - interval '5 years' + (g.i + random()) * (interval '5 years' / :rows) AS created_at
  FROM (SELECT pg_temp.pick(v.topics) AS main, pg_temp.pick(v.kinds) AS kind, g.i AS i) AS t
) AS s;

VACUUM ANALYZE library_resources;
SELECT count(*) AS seeded, count(*) FILTER (WHERE review_due_on <= current_date) AS overdue
FROM library_resources WHERE district_id = :'district';
