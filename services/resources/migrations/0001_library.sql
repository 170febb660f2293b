-- Library resources: the district's shared collection of teaching and
-- professional-learning materials. Soft-deleted rows keep deleted_at.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE TABLE library_resources (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  type        text NOT NULL CHECK (type IN ('lesson_plan', 'video', 'rubric', 'article', 'template',
                                            'oer', 'course', 'other')),
  url         text CHECK (char_length(url) <= 2048),
  subjects    text[] NOT NULL DEFAULT '{}' CHECK (cardinality(subjects) <= 20),
  grade_bands text[] NOT NULL DEFAULT '{}'
              CHECK (grade_bands <@ ARRAY['PK', 'K-2', '3-5', '6-8', '9-12', 'adult']),
  topics      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(topics) <= 20),
  license     text CHECK (char_length(license) <= 64),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted_at  timestamptz,
  version     integer NOT NULL DEFAULT 1
);

-- Keyset pagination within a district, newest first.
CREATE INDEX library_resources_page ON library_resources (district_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL;

-- The API representation, in one place for every statement that returns a resource.
CREATE FUNCTION library_resource_json(r library_resources) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'title', r.title, 'description', r.description,
    'type', r.type, 'url', r.url, 'subjects', to_json(r.subjects), 'grade_bands', to_json(r.grade_bands),
    'topics', to_json(r.topics), 'license', r.license, 'created_by', r.created_by,
    'created_at', rfc3339(r.created_at), 'updated_at', rfc3339(r.updated_at), 'version', r.version)
$$;
