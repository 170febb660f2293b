/* migrate.h - per-service schema migrations.
 *
 * A service owns one PostgreSQL schema. Its migrations are ordered SQL
 * scripts compiled into the binary; each is applied once, in its own
 * transaction, under an advisory lock (so replicas starting together do not
 * race), and recorded in <schema>.schema_migrations.
 */
#ifndef HG_MIGRATE_H
#define HG_MIGRATE_H

#include <stddef.h>

struct hg_migration {
	const char *version; /* e.g. "0001_library"; applied in array order */
	const char *sql;
};

/* The migrations every service gets first (the outbox). */
extern const struct hg_migration hg_common_migrations[];
extern const size_t hg_common_migrations_count;

/*
 * Apply what is missing of common then service migrations to schema. Returns
 * 0, or -1 after logging which migration failed and why.
 */
int hg_migrate(const char *dsn, const char *schema, const struct hg_migration *migrations, size_t n);

#endif
