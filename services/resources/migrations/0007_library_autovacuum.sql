-- The relevance walks are index-only scans of the page index (migration 0006), which skip the heap only
-- for pages the visibility map marks all-visible, and the walks start at the newest resources: exactly
-- the pages written since the last VACUUM. PostgreSQL's defaults vacuum after 20 % of the table changed
-- (20,000 inserts in a library of 100,000). Measured with 5,000 new resources not yet vacuumed:
-- bench/library_search.sh's text queries fell from 2,010 to 1,280-1,330 requests/s (p99 24 -> 37-41 ms),
-- and with filters from 1,118 to 566-588 (p99 45-47 ms); a VACUUM restored 1,767 and 1,004. So this table
-- is vacuumed after 1 % of it (+ 1,000 rows) was inserted or 2 % (+ 500) updated or deleted. A vacuum of
-- a table that mostly grows reads only the pages changed since the last one.
ALTER TABLE library_resources SET (
  autovacuum_vacuum_insert_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 500,
  autovacuum_vacuum_scale_factor = 0.02
);
