-- Micro-credentials (issue 15), part 2: submissions. An educator submits evidence for a definition; a reviewer
-- the definition names (never the submitter) scores each criterion and awards it or returns it with feedback; a
-- returned submission is resubmitted (attempt + 1) or withdrawn. Every step is appended to history, so what was
-- submitted and said at each attempt stays.

CREATE TABLE credential_submissions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id   uuid NOT NULL,
  definition_id uuid NOT NULL REFERENCES credential_definitions (id),
  educator_id   uuid NOT NULL,
  status        text NOT NULL DEFAULT 'submitted'
                  CHECK (status IN ('submitted', 'returned', 'awarded', 'withdrawn')),
  attempt       integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 1000),
  -- [{"kind", "title", "url" | "text" | "reference_id"}]: the current attempt's
  evidence      jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'array' AND jsonb_array_length(evidence) BETWEEN 1 AND 20),
  -- the latest review: a level per criterion, the decision's feedback, who and when
  scores        jsonb CHECK (scores IS NULL OR jsonb_typeof(scores) = 'array'),
  feedback      text CHECK (char_length(feedback) <= 5000),
  reviewed_by   uuid,
  reviewed_at   timestamptz,
  -- every submission and review, oldest first
  history       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(history) = 'array'),
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  awarded_at    timestamptz,
  version       integer NOT NULL DEFAULT 1,
  CHECK ((status = 'awarded') = (awarded_at IS NOT NULL))
);

-- One live submission (submitted, returned or awarded) per educator and micro-credential: a second is a 409.
CREATE UNIQUE INDEX credential_submissions_live ON credential_submissions (district_id, definition_id, educator_id)
  WHERE status IN ('submitted', 'returned', 'awarded');
CREATE INDEX credential_submissions_page ON credential_submissions (district_id, created_at DESC, id DESC);
CREATE INDEX credential_submissions_by_educator ON credential_submissions (district_id, educator_id, created_at DESC);

CREATE FUNCTION credential_submission_json(s credential_submissions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'definition_id', s.definition_id, 'educator_id', s.educator_id,
    'status', s.status, 'attempt', s.attempt, 'evidence', s.evidence, 'scores', s.scores, 'feedback', s.feedback,
    'reviewed_by', s.reviewed_by, 'reviewed_at', rfc3339(s.reviewed_at), 'history', s.history,
    'created_at', rfc3339(s.created_at), 'updated_at', rfc3339(s.updated_at), 'awarded_at', rfc3339(s.awarded_at),
    'version', s.version)
$$;
