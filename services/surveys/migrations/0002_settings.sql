-- Per-district minimums of suppression (GET/PUT /v1/surveys/settings): a district without a row uses the
-- defaults (5 respondents a cell, 10 for free text); neither is ever below 3.
CREATE TABLE settings (
  district_id uuid PRIMARY KEY,
  min_cell    integer NOT NULL CHECK (min_cell BETWEEN 3 AND 1000),
  min_text    integer NOT NULL CHECK (min_text BETWEEN 3 AND 1000),
  updated_by  uuid NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  version     integer NOT NULL DEFAULT 1
);

-- The district's settings as the API shows them, the defaults when it has set none (version 0).
CREATE FUNCTION settings_json(district uuid) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object('district_id', district, 'min_cell', coalesce(s.min_cell, 5),
    'min_text', coalesce(s.min_text, 10), 'version', coalesce(s.version, 0), 'updated_at', rfc3339(s.updated_at))
  FROM (SELECT 1) AS one LEFT JOIN settings s ON s.district_id = district
$$;

CREATE FUNCTION min_cell(district uuid) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT min_cell FROM settings WHERE district_id = district), 5) $$;

CREATE FUNCTION min_text(district uuid) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT min_text FROM settings WHERE district_id = district), 10) $$;
