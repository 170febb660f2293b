-- Roles the district assigns in Homegrown (no OneRoster role maps to them): coach, mentor, pd_facilitator,
-- teacher_leader, and school_leader for one school. Set by PATCH /v1/roster/educators/{id} (district admins);
-- an import never touches them. The API's and the events' `roles` are the union of the roles derived from
-- OneRoster and the assigned ones; `assigned_roles` lists the assignments themselves.
ALTER TABLE educators ADD COLUMN assigned_roles jsonb NOT NULL DEFAULT '[]'
  CHECK (jsonb_typeof(assigned_roles) = 'array' AND jsonb_array_length(assigned_roles) <= 32);

CREATE FUNCTION educator_all_roles(e educators) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT r ORDER BY r), '{}') FROM (
    SELECT unnest(e.roles) AS r UNION SELECT a->>'role' FROM jsonb_array_elements(e.assigned_roles) a) x
$$;

-- The schools an educator leads by assignment (school_leader for a school).
CREATE FUNCTION educator_led_schools(e educators) RETURNS uuid[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg((a->>'school_id')::uuid), '{}') FROM jsonb_array_elements(e.assigned_roles) a
  WHERE a->>'role' = 'school_leader'
$$;

CREATE OR REPLACE FUNCTION educator_json(e educators) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', e.id, 'district_id', e.district_id, 'sourced_id', e.sourced_id, 'given_name', e.given_name,
    'family_name', e.family_name, 'email', e.email, 'username', e.username,
    'user_master_identifier', e.user_master_identifier, 'status', e.status,
    'roles', to_json(educator_all_roles(e)), 'assigned_roles', e.assigned_roles,
    'school_ids', to_json(e.school_ids),
    'started_teaching_on', to_char(e.started_teaching_on, 'YYYY-MM-DD'),
    'new_teacher', coalesce(e.started_teaching_on > ((now() AT TIME ZONE 'UTC')::date - interval '3 years')::date,
                            false),
    'updated_at', rfc3339(e.updated_at), 'version', e.version)
$$;
