-- "My registrations" (GET /v1/catalog/registrations): an educator's registrations of every status, and those of
-- the educators of a school (roster_educator_schools_by_school, then this), without scanning the district's.
CREATE INDEX catalog_registrations_by_educator ON catalog_registrations (district_id, educator_id, session_id);
