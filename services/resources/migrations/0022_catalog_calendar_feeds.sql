-- Calendar feeds (issue 20, calendars): one private feed URL per educator. Calendar programs cannot send a
-- bearer token, so the feed's address carries a secret; only its SHA-256 is kept (a copy of this table opens
-- no feed). Rotating replaces the hash, revoking deletes the row: the old address then answers 404.
CREATE TABLE catalog_calendar_feeds (
  district_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  rotated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (district_id, educator_id)
);

-- A feed is found by its secret alone (the request has no token, hence no district): the one index that does
-- not start with district_id. 256-bit secrets: a hash never repeats, the constraint only says so.
CREATE UNIQUE INDEX catalog_calendar_feeds_secret ON catalog_calendar_feeds (secret_hash);

-- The district's and a school's feeds read the district's sessions in time order from a window's start.
CREATE INDEX catalog_sessions_by_time ON catalog_sessions (district_id, ends_at, starts_at);

-- A time as iCalendar's UTC form (RFC 5545 3.3.5, form #2), to the second.
CREATE FUNCTION ical_utc(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"') $$;
