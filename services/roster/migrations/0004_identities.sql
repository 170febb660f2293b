-- What the district's sign-in may name an educator by (common/identity.h): users.csv's username and
-- userMasterIdentifier beside the email and sourcedId the table already holds; indexes for the lookup of a
-- token's identity claim (the roster's own, roster_identity_lookup), and the event data that carries them to
-- the other services' identities.
ALTER TABLE educators
  ADD COLUMN username text CHECK (char_length(username) <= 1024),
  ADD COLUMN user_master_identifier text CHECK (char_length(user_master_identifier) <= 1024);
CREATE INDEX educators_by_email ON educators (district_id, lower(email));
CREATE INDEX educators_by_username ON educators (district_id, username);
CREATE INDEX educators_by_user_master_identifier ON educators (district_id, user_master_identifier);

CREATE OR REPLACE FUNCTION educator_json(e educators) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', e.id, 'district_id', e.district_id, 'sourced_id', e.sourced_id, 'given_name', e.given_name,
    'family_name', e.family_name, 'email', e.email, 'username', e.username,
    'user_master_identifier', e.user_master_identifier, 'status', e.status, 'roles', to_json(e.roles),
    'school_ids', to_json(e.school_ids),
    'started_teaching_on', to_char(e.started_teaching_on, 'YYYY-MM-DD'),
    'new_teacher', coalesce(e.started_teaching_on > ((now() AT TIME ZONE 'UTC')::date - interval '3 years')::date,
                            false),
    'updated_at', rfc3339(e.updated_at), 'version', e.version)
$$;
