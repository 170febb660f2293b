-- Micro-credentials (issue 15), part 3: the award. An awarded submission becomes one credential (an Open Badges
-- 3.0 AchievementCredential, signed as a VC-JWT when read): what it certified is copied at the award (the
-- definition's name, description and criteria, the competency and its alignment at that version), so later edits
-- change no issued credential. Each credential holds one bit of its district's revocation status list
-- (Bitstring Status List, 131,072 bits a list); revoking sets it. The award's credit counts on the educator's
-- transcript until it is revoked.

ALTER TABLE credential_submissions
  ADD COLUMN recipient jsonb CHECK (recipient IS NULL OR jsonb_typeof(recipient) = 'object');

-- The next status list index of each district, taken under the row's lock by each award.
CREATE TABLE credential_status_counters (
  district_id uuid PRIMARY KEY,
  next_index  bigint NOT NULL DEFAULT 0 CHECK (next_index >= 0)
);

CREATE TABLE credential_awards (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id       uuid NOT NULL,
  submission_id     uuid NOT NULL UNIQUE REFERENCES credential_submissions (id),
  definition_id     uuid NOT NULL REFERENCES credential_definitions (id),
  educator_id       uuid NOT NULL,
  -- {"definition": {id, name, description, criteria}, "competency": {id, name, description, alignment, version},
  --  "scores"}: what was certified, as it was
  achievement       jsonb NOT NULL,
  -- {"type": "emailAddress" | "identifier", "hash": "sha256$...", "salt"} or {"did"}
  recipient         jsonb NOT NULL,
  credit_type       text NOT NULL CHECK (credit_type IN ('Hours', 'CEUs', 'QuarterCredits', 'SemesterCredits')),
  credits           numeric(7, 2) NOT NULL CHECK (credits >= 0 AND credits <= 1000),
  status_index      bigint NOT NULL CHECK (status_index >= 0),
  awarded_at        timestamptz NOT NULL,
  revoked_at        timestamptz,
  revoked_by        uuid,
  revocation_reason text CHECK (char_length(revocation_reason) BETWEEN 1 AND 1000),
  UNIQUE (district_id, status_index),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX credential_awards_by_educator ON credential_awards (district_id, educator_id, awarded_at DESC);
-- The revoked bits of one status list.
CREATE INDEX credential_awards_revoked ON credential_awards (district_id, status_index) WHERE revoked_at IS NOT NULL;

CREATE FUNCTION credential_award_json(a credential_awards) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'district_id', a.district_id, 'submission_id', a.submission_id, 'definition_id', a.definition_id,
    'educator_id', a.educator_id, 'achievement', a.achievement, 'recipient', a.recipient,
    'credit_type', a.credit_type, 'credits', a.credits, 'status_index', a.status_index,
    'awarded_at', rfc3339(a.awarded_at), 'awarded_epoch', floor(extract(epoch FROM a.awarded_at))::bigint,
    'revoked_at', rfc3339(a.revoked_at), 'revoked_by', a.revoked_by, 'revocation_reason', a.revocation_reason)
$$;

CREATE OR REPLACE FUNCTION credential_submission_json(s credential_submissions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'district_id', s.district_id, 'definition_id', s.definition_id, 'educator_id', s.educator_id,
    'status', s.status, 'attempt', s.attempt, 'evidence', s.evidence, 'recipient', s.recipient, 'scores', s.scores,
    'feedback', s.feedback, 'reviewed_by', s.reviewed_by, 'reviewed_at', rfc3339(s.reviewed_at),
    'history', s.history, 'created_at', rfc3339(s.created_at), 'updated_at', rfc3339(s.updated_at),
    'awarded_at', rfc3339(s.awarded_at),
    'credential_id', (SELECT a.id FROM credential_awards a WHERE a.submission_id = s.id), 'version', s.version)
$$;
