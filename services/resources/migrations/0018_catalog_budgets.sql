-- PD budgets (issue 20): a district's funding sources, the costs of its activities charged to them, and the
-- substitute releases of teachers whose sessions fall in school hours. Amounts are integer cents (bigint),
-- never floating point. A source keeps what has been charged to it (spent: actual costs; committed: planned
-- ones) on its own row, changed only under that row's lock together with the cost's insert, so two charges
-- against the last of an allocation are judged one after the other and cannot both pass.

CREATE TABLE catalog_funding_sources (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id            uuid NOT NULL,
  name                   text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  fiscal_year            integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  allocation_cents       bigint NOT NULL CHECK (allocation_cents BETWEEN 0 AND 100000000000000),
  -- NULL: no restriction; else the cost categories / activity types the source may pay for.
  allowed_categories     text[] CHECK (cardinality(allowed_categories) BETWEEN 1 AND 6),
  allowed_activity_types text[] CHECK (cardinality(allowed_activity_types) BETWEEN 1 AND 10),
  spent_cents            bigint NOT NULL DEFAULT 0,
  committed_cents        bigint NOT NULL DEFAULT 0,
  created_by             uuid NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  version                integer NOT NULL DEFAULT 1,
  UNIQUE (district_id, fiscal_year, name),
  UNIQUE (district_id, id)
);

CREATE INDEX catalog_funding_sources_page ON catalog_funding_sources (district_id, created_at, id);

CREATE TABLE catalog_costs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id       uuid NOT NULL,
  funding_source_id uuid NOT NULL,
  activity_id       uuid NOT NULL REFERENCES catalog_activities (id),
  session_id        uuid REFERENCES catalog_sessions (id),
  category          text NOT NULL CHECK (category IN ('facilitator_fees', 'substitute_coverage', 'materials',
                      'stipends', 'travel', 'platforms')),
  kind              text NOT NULL CHECK (kind IN ('planned', 'actual')),
  amount_cents      bigint NOT NULL CHECK (amount_cents BETWEEN 1 AND 10000000000),
  description       text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  -- A district admin's explicit override: the restrictions it set aside (reason codes) and why.
  overridden        text[] NOT NULL DEFAULT '{}',
  override_reason   text CHECK (char_length(override_reason) BETWEEN 1 AND 1000),
  release_id        uuid,
  created_by        uuid NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  version           integer NOT NULL DEFAULT 1,
  FOREIGN KEY (district_id, funding_source_id) REFERENCES catalog_funding_sources (district_id, id),
  CHECK (cardinality(overridden) = 0 OR override_reason IS NOT NULL)
);

CREATE INDEX catalog_costs_by_source ON catalog_costs (district_id, funding_source_id, created_at, id);
CREATE INDEX catalog_costs_by_activity ON catalog_costs (district_id, activity_id);

-- The district's substitute settings: the daily rate of a substitute and its school day (local time).
CREATE TABLE catalog_budget_settings (
  district_id      uuid PRIMARY KEY,
  daily_rate_cents bigint NOT NULL CHECK (daily_rate_cents BETWEEN 1 AND 10000000),
  school_day_start time NOT NULL,
  school_day_end   time NOT NULL,
  time_zone        text NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
  updated_by       uuid NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  version          integer NOT NULL DEFAULT 1,
  CHECK (school_day_end > school_day_start)
);

-- A teacher's release from class for a registration in school hours: one per registration, in half days
-- (each school day the session overlaps: up to half the school day a half day, more a full day).
CREATE TABLE catalog_releases (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_id      uuid NOT NULL,
  registration_id  uuid NOT NULL UNIQUE REFERENCES catalog_registrations (id),
  session_id       uuid NOT NULL REFERENCES catalog_sessions (id),
  activity_id      uuid NOT NULL REFERENCES catalog_activities (id),
  educator_id      uuid NOT NULL,
  school_id        uuid NOT NULL,
  first_date       date NOT NULL,
  last_date        date NOT NULL,
  days             jsonb NOT NULL, -- [{"date": "YYYY-MM-DD", "portion": "full"|"half"}]
  half_days        integer NOT NULL CHECK (half_days BETWEEN 1 AND 64),
  daily_rate_cents bigint NOT NULL,
  amount_cents     bigint NOT NULL,
  cost_id          uuid NOT NULL REFERENCES catalog_costs (id),
  created_by       uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (last_date >= first_date)
);

CREATE INDEX catalog_releases_by_school ON catalog_releases (district_id, school_id, first_date, id);
CREATE INDEX catalog_releases_by_date ON catalog_releases (district_id, first_date, id);

CREATE FUNCTION catalog_funding_source_json(f catalog_funding_sources) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', f.id, 'district_id', f.district_id, 'name', f.name, 'fiscal_year', f.fiscal_year,
    'allocation_cents', f.allocation_cents, 'allowed_categories', to_json(f.allowed_categories),
    'allowed_activity_types', to_json(f.allowed_activity_types), 'spent_cents', f.spent_cents,
    'committed_cents', f.committed_cents,
    'available_cents', f.allocation_cents - f.spent_cents - f.committed_cents,
    'created_by', f.created_by, 'created_at', rfc3339(f.created_at), 'updated_at', rfc3339(f.updated_at),
    'version', f.version)
$$;

CREATE FUNCTION catalog_cost_json(c catalog_costs) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'district_id', c.district_id, 'funding_source_id', c.funding_source_id,
    'activity_id', c.activity_id, 'session_id', c.session_id, 'category', c.category, 'kind', c.kind,
    'amount_cents', c.amount_cents, 'description', c.description, 'overridden', to_json(c.overridden),
    'override_reason', c.override_reason, 'release_id', c.release_id, 'created_by', c.created_by,
    'created_at', rfc3339(c.created_at), 'version', c.version)
$$;

CREATE FUNCTION catalog_budget_settings_json(s catalog_budget_settings) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'daily_rate_cents', s.daily_rate_cents, 'school_day_start', to_char(s.school_day_start, 'HH24:MI'),
    'school_day_end', to_char(s.school_day_end, 'HH24:MI'), 'time_zone', s.time_zone,
    'updated_by', s.updated_by, 'updated_at', rfc3339(s.updated_at), 'version', s.version)
$$;

CREATE FUNCTION catalog_release_json(r catalog_releases) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'district_id', r.district_id, 'registration_id', r.registration_id, 'session_id', r.session_id,
    'activity_id', r.activity_id, 'educator_id', r.educator_id, 'school_id', r.school_id,
    'first_date', r.first_date, 'last_date', r.last_date, 'days', r.days, 'half_days', r.half_days,
    'daily_rate_cents', r.daily_rate_cents, 'amount_cents', r.amount_cents, 'cost_id', r.cost_id,
    'created_by', r.created_by, 'created_at', rfc3339(r.created_at))
$$;
