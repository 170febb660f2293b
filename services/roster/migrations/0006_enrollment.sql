-- US spelling in the API (issue 18 item 8): a school's enrolment is `enrollment` in the column, the API and the
-- events. PATCH still accepts `enrolment` as a deprecated alias until the next API version (school.c).
ALTER TABLE orgs RENAME COLUMN enrolment TO enrollment;

CREATE OR REPLACE FUNCTION school_json(o orgs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', o.id, 'district_id', o.district_id, 'sourced_id', o.sourced_id, 'name', o.name,
    'identifier', o.identifier, 'status', o.status, 'locale', o.locale, 'title_i', o.title_i,
    'poverty_level', o.poverty_level, 'enrollment', o.enrollment, 'updated_at', rfc3339(o.updated_at),
    'version', o.version)
$$;
