-- The district's SIS connection: where and how a roster sync pulls OneRoster 1.2 REST (issue 17). One per
-- district. The OAuth client secret is stored only sealed (AES-256-GCM under HG_ROSTER_SECRET_KEY, the district
-- id as associated data: a sealed secret copied to another district's row does not open), never returned.
CREATE TABLE sis_connections (
  district_id       uuid PRIMARY KEY,
  base_url          text NOT NULL CHECK (char_length(base_url) BETWEEN 9 AND 2048),
  token_url         text NOT NULL CHECK (char_length(token_url) BETWEEN 9 AND 2048),
  client_id         text NOT NULL CHECK (char_length(client_id) BETWEEN 1 AND 256),
  client_secret     text NOT NULL CHECK (client_secret LIKE 'v1:%'), -- sealed: "v1:" base64(nonce, ciphertext, tag)
  scope             text CHECK (char_length(scope) <= 1024),
  schedule_time     text CHECK (schedule_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  time_zone         text CHECK (char_length(time_zone) <= 64),
  use_deltas        boolean NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_by        uuid NOT NULL,
  version           integer NOT NULL DEFAULT 1,
  CHECK ((schedule_time IS NULL) = (time_zone IS NULL))
);

-- What the API shows: never the secret, only that one is set.
CREATE FUNCTION sis_connection_json(c sis_connections) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'district_id', c.district_id, 'base_url', c.base_url, 'token_url', c.token_url, 'client_id', c.client_id,
    'client_secret_set', true, 'scope', c.scope,
    'schedule', CASE WHEN c.schedule_time IS NULL THEN NULL
                     ELSE json_build_object('time', c.schedule_time, 'time_zone', c.time_zone) END,
    'use_deltas', c.use_deltas, 'created_at', rfc3339(c.created_at), 'updated_at', rfc3339(c.updated_at),
    'updated_by', c.updated_by, 'version', c.version)
$$;
