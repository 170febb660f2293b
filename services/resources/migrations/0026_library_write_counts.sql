-- What the library's facet counts are cached against (services/resources/library/facet_cache.c): a count of
-- the writes to each district's resources, kept by every change of library_resources in the transaction that
-- makes it. hg-resources keeps a query's facet counts with the district's count at the time it computed
-- them, and serves them again only while a later snapshot shows the same count: counts only grow, so an
-- equal count means no change to the district's resources has committed since, and the counts are exact.
--
-- The count is spread over 64 rows per district (the writing backend's pid modulo 64), so that concurrent
-- writers in one district rarely wait on one row lock until each other's commit; its value is their sum.
CREATE TABLE library_write_counts (
  district_id uuid NOT NULL,
  slot        smallint NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (district_id, slot)
);

-- SET search_path FROM CURRENT: the service's schema, also for a write made with another search_path (a seed
-- that names resources.library_resources).
CREATE FUNCTION library_count_writes() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO library_write_counts (district_id, slot, n)
  SELECT c.district_id, pg_backend_pid() % 64, count(*) FROM library_changed c GROUP BY c.district_id
  ON CONFLICT (district_id, slot) DO UPDATE SET n = library_write_counts.n + excluded.n;
  RETURN NULL;
END
$$;

-- One trigger per event: PostgreSQL allows a transition table on single-event triggers only.
CREATE TRIGGER library_count_inserts AFTER INSERT ON library_resources
  REFERENCING NEW TABLE AS library_changed FOR EACH STATEMENT EXECUTE FUNCTION library_count_writes();
CREATE TRIGGER library_count_updates AFTER UPDATE ON library_resources
  REFERENCING NEW TABLE AS library_changed FOR EACH STATEMENT EXECUTE FUNCTION library_count_writes();
CREATE TRIGGER library_count_deletes AFTER DELETE ON library_resources
  REFERENCING OLD TABLE AS library_changed FOR EACH STATEMENT EXECUTE FUNCTION library_count_writes();
