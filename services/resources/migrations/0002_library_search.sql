-- Library search, reviews and content currency.
--
-- Search: weighted tsvectors kept by PostgreSQL itself (stored generated columns): the title weighs A,
-- the topics B, the description C. `search` holds all three; `search_title` (A) and `search_head` (A and B)
-- tell which fields a query matches, which is the relevance order: a match in the title ranks above one
-- that needs the topics, which ranks above one that needs the description. Each has a GIN index, and each
-- relevance tier is read newest first, so the planner can walk the newest-first index and stop after a
-- page instead of scoring every match (see docs/resources.md, "Search").

-- Immutable wrappers: array_to_string is only STABLE in general, but for text[] it depends on nothing
-- but its input, which is what a generated column needs.
CREATE FUNCTION library_search_title(title text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
$$;

CREATE FUNCTION library_search_head(title text, topics text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
      || setweight(to_tsvector('english'::regconfig, array_to_string(topics, ' ')), 'B')
$$;

CREATE FUNCTION library_search_document(title text, topics text[], description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
      || setweight(to_tsvector('english'::regconfig, array_to_string(topics, ' ')), 'B')
      || setweight(to_tsvector('english'::regconfig, description), 'C')
$$;

ALTER TABLE library_resources
  ADD COLUMN search tsvector NOT NULL
      GENERATED ALWAYS AS (library_search_document(title, topics, description)) STORED,
  ADD COLUMN search_title tsvector NOT NULL GENERATED ALWAYS AS (library_search_title(title)) STORED,
  ADD COLUMN search_head tsvector NOT NULL GENERATED ALWAYS AS (library_search_head(title, topics)) STORED,
  -- Rating aggregate, changed only in the transaction that writes a review, under the row's lock.
  ADD COLUMN rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  ADD COLUMN rating_sum integer NOT NULL DEFAULT 0,
  ADD COLUMN review_due_on date,
  ADD COLUMN content_checked_at timestamptz,
  ADD CONSTRAINT library_resources_rating_sum CHECK (rating_sum BETWEEN rating_count AND 5 * rating_count),
  -- The key reviews and content checks reference, so that they stay in the resource's district.
  ADD CONSTRAINT library_resources_district_id UNIQUE (district_id, id);

-- Content currency: due three years after publication (created_at, as a UTC date) unless set.
UPDATE library_resources SET review_due_on = ((created_at AT TIME ZONE 'UTC') + interval '3 years')::date;
ALTER TABLE library_resources ALTER COLUMN review_due_on SET NOT NULL;

CREATE FUNCTION library_default_review_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.review_due_on IS NULL THEN
    NEW.review_due_on := ((NEW.created_at AT TIME ZONE 'UTC') + interval '3 years')::date;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER library_resources_review_due BEFORE INSERT ON library_resources
  FOR EACH ROW EXECUTE FUNCTION library_default_review_due();

CREATE INDEX library_resources_search ON library_resources USING gin (search) WHERE deleted_at IS NULL;
CREATE INDEX library_resources_search_title ON library_resources USING gin (search_title)
  WHERE deleted_at IS NULL;
CREATE INDEX library_resources_search_head ON library_resources USING gin (search_head)
  WHERE deleted_at IS NULL;
CREATE INDEX library_resources_tags ON library_resources USING gin (subjects, topics, grade_bands)
  WHERE deleted_at IS NULL;
-- The overdue listing, most overdue first.
CREATE INDEX library_resources_due ON library_resources (district_id, review_due_on, id)
  WHERE deleted_at IS NULL;

-- One review per educator per resource: the unique key answers a second one with 409.
CREATE TABLE library_reviews (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  reviewer_id uuid NOT NULL,
  rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     text CHECK (char_length(comment) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1,
  CONSTRAINT library_reviews_one_per_reviewer UNIQUE (district_id, resource_id, reviewer_id),
  FOREIGN KEY (district_id, resource_id) REFERENCES library_resources (district_id, id)
);

CREATE INDEX library_reviews_page ON library_reviews (district_id, resource_id, created_at DESC, id DESC);

-- Each content check, kept as history: who, when, and how it moved the due date.
CREATE TABLE library_content_checks (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id            uuid NOT NULL,
  resource_id            uuid NOT NULL,
  checked_by             uuid NOT NULL,
  note                   text CHECK (char_length(note) <= 2000),
  checked_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  previous_review_due_on date NOT NULL,
  review_due_on          date NOT NULL,
  FOREIGN KEY (district_id, resource_id) REFERENCES library_resources (district_id, id)
);

CREATE INDEX library_content_checks_resource ON library_content_checks (district_id, resource_id, checked_at);

-- The API representation gains the rating and the content-currency fields.
CREATE OR REPLACE FUNCTION library_resource_json(r library_resources) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'title', r.title, 'description', r.description,
    'type', r.type, 'url', r.url, 'subjects', to_json(r.subjects), 'grade_bands', to_json(r.grade_bands),
    'topics', to_json(r.topics), 'license', r.license, 'created_by', r.created_by,
    'created_at', rfc3339(r.created_at), 'updated_at', rfc3339(r.updated_at), 'version', r.version,
    'rating_average', CASE WHEN r.rating_count > 0 THEN round(r.rating_sum::numeric / r.rating_count, 2) END,
    'rating_count', r.rating_count,
    'review_due_on', to_char(r.review_due_on, 'YYYY-MM-DD'),
    'content_checked_at', rfc3339(r.content_checked_at))
$$;

CREATE FUNCTION library_review_json(v library_reviews) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', v.id, 'district_id', v.district_id, 'resource_id', v.resource_id, 'reviewer_id', v.reviewer_id,
    'rating', v.rating, 'comment', v.comment, 'created_at', rfc3339(v.created_at),
    'updated_at', rfc3339(v.updated_at), 'version', v.version)
$$;

CREATE FUNCTION library_content_check_json(c library_content_checks) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'resource_id', c.resource_id, 'checked_by', c.checked_by,
    'note', c.note, 'checked_at', rfc3339(c.checked_at),
    'previous_review_due_on', to_char(c.previous_review_due_on, 'YYYY-MM-DD'),
    'review_due_on', to_char(c.review_due_on, 'YYYY-MM-DD'))
$$;
