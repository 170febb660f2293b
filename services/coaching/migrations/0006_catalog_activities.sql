-- The catalog's activities as far as coaching needs them (a read model of homegrown.resources' activity.*
-- events): which ids are activities of which district, so a PLC meeting links only to one that exists.
CREATE TABLE catalog_activities (
  district_id uuid NOT NULL,
  activity_id uuid NOT NULL,
  status      text NOT NULL,
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (district_id, activity_id)
);
