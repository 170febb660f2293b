-- The resources catalog's registrations (registration.created, .promoted and .cancelled on homegrown.resources):
-- who holds a seat in which session, for a survey whose audience names a session (audience.session_id: its
-- registrants). Waitlisted and cancelled registrations are kept with their status, so a later event of the
-- same registration applies only when its version is newer (services/surveys/registrants_store.c).
CREATE TABLE session_registrations (
  district_id     uuid NOT NULL,
  registration_id uuid NOT NULL,
  session_id      uuid NOT NULL,
  educator_id     uuid NOT NULL,
  status          text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
  version         bigint NOT NULL,
  PRIMARY KEY (district_id, registration_id)
);

CREATE INDEX session_registrations_registered ON session_registrations (district_id, session_id, educator_id)
  WHERE status = 'registered';

-- Is an educator of the read model in a survey's audience ({} is every active educator of the district)? A
-- session_id narrows it to those registered (a seat, not the waitlist) for that session of the catalog.
CREATE OR REPLACE FUNCTION in_audience(e roster_educators, a jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT e.status = 'active'
     AND (NOT a ? 'schools' OR e.school_ids && ARRAY(SELECT jsonb_array_elements_text(a->'schools'))::uuid[])
     AND (NOT a ? 'roles' OR e.roles && ARRAY(SELECT jsonb_array_elements_text(a->'roles')))
     AND (NOT a ? 'career_stages'
          OR career_stage(e.started_teaching_on) = ANY (ARRAY(SELECT jsonb_array_elements_text(a->'career_stages'))))
     AND (NOT a ? 'session_id'
          OR EXISTS (SELECT 1 FROM session_registrations r
                     WHERE r.district_id = e.district_id AND r.session_id = (a->>'session_id')::uuid
                       AND r.educator_id = e.educator_id AND r.status = 'registered'))
$$;
