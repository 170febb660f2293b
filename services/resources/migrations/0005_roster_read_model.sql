-- A read model of the roster service's educators, fed by its events on homegrown.roster
-- (educator.upserted / educator.deactivated): who is active and which schools they are assigned to.
-- Resources does not own school assignments; it only uses them to let a school leader read the
-- transcripts of their schools' educators. A row changes only for a newer version of the educator.
CREATE TABLE roster_educators (
  district_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'inactive')),
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (district_id, educator_id)
);

CREATE TABLE roster_educator_schools (
  district_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  school_id   uuid NOT NULL,
  PRIMARY KEY (district_id, educator_id, school_id),
  FOREIGN KEY (district_id, educator_id) REFERENCES roster_educators (district_id, educator_id)
);

CREATE INDEX roster_educator_schools_by_school ON roster_educator_schools (district_id, school_id);
