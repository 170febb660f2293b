-- Micro-credentials (issue 15), part 1: a district's competency framework and its micro-credential definitions.
-- A competency is described once and changed in place (its version counts the changes); a definition names the
-- competency it certifies, its criteria with a scoring rubric each, the evidence an educator must submit, the
-- credit an award carries, and the reviewers who score submissions.

CREATE TABLE credential_competencies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id uuid NOT NULL,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  grp         text CHECK (char_length(grp) BETWEEN 1 AND 100),
  -- optional alignment to a standard: {"framework", "code", "url"}
  alignment   jsonb CHECK (alignment IS NULL OR jsonb_typeof(alignment) = 'object'),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1
);

CREATE INDEX credential_competencies_page ON credential_competencies (district_id, created_at DESC, id DESC);

CREATE FUNCTION credential_competency_json(c credential_competencies) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'name', c.name, 'description', c.description, 'group', c.grp,
    'alignment', c.alignment, 'created_by', c.created_by, 'created_at', rfc3339(c.created_at),
    'updated_at', rfc3339(c.updated_at), 'version', c.version)
$$;

CREATE TABLE credential_definitions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id       uuid NOT NULL,
  competency_id     uuid NOT NULL REFERENCES credential_competencies (id),
  name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description       text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 5000),
  -- [{"name", "description", "levels": [descriptor, ...] lowest first, "passing_level"}]
  criteria          jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'array'
                      AND jsonb_array_length(criteria) BETWEEN 1 AND 10),
  evidence_required text[] NOT NULL CHECK (cardinality(evidence_required) BETWEEN 1 AND 4
                      AND evidence_required <@ ARRAY['link', 'reflection', 'coaching_observation', 'student_work']),
  credit_type       text NOT NULL CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits', 'SemesterCredits')),
  credits           numeric(7, 2) NOT NULL CHECK (credits >= 0 AND credits <= 1000),
  reviewer_ids      uuid[] NOT NULL CHECK (cardinality(reviewer_ids) BETWEEN 1 AND 20),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_by        uuid NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  version           integer NOT NULL DEFAULT 1
);

CREATE INDEX credential_definitions_page ON credential_definitions (district_id, created_at DESC, id DESC);
CREATE INDEX credential_definitions_competency ON credential_definitions (district_id, competency_id);

CREATE FUNCTION credential_definition_json(d credential_definitions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', d.id, 'district_id', d.district_id, 'competency_id', d.competency_id, 'name', d.name,
    'description', d.description, 'criteria', d.criteria, 'evidence_required', to_json(d.evidence_required),
    'credit_type', d.credit_type, 'credits', d.credits, 'reviewer_ids', to_json(d.reviewer_ids),
    'status', d.status, 'created_by', d.created_by, 'created_at', rfc3339(d.created_at),
    'updated_at', rfc3339(d.updated_at), 'version', d.version)
$$;
