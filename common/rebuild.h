/* rebuild.h - a consuming service's read models built again from its topics and swapped in atomically.
 *
 * The read models are every table of the service's schema except its bookkeeping: the kit's own
 * (schema_migrations, outbox, idempotency_keys, identities) and any table whose comment starts with
 * "hg:not-rebuilt" (a service's own, e.g. analytics' rebuilds). processed_events is a read model here: it
 * says which events the tables hold. Nobody keeps a list: a migration's new table is rebuilt unless it says
 * otherwise.
 *
 * hg_rebuild_run: the service's migrations applied to a fresh shadow schema (<schema>_rebuild); every
 * partition of the topics replayed into it from the beginning to the high watermarks taken at the start
 * (common/consumer.h's replay: the same handler, dedupe and rejections as the live consumer); then one
 * transaction locks the live processed_events against the live consumer (ACCESS EXCLUSIVE: it waits for the
 * event in hand, and the next one waits for the swap; only the consumer uses that table), replays further until the
 * shadow holds every event the live consumer applied since the start, and moves each live read-model table to
 * <schema>_retired and the shadow's into <schema>. Readers see the old tables or the new ones, never a mix; the live
 * consumer goes on from where it was with the shadow's processed_events, so an event it had applied is in the new
 * tables and one the shadow applied beyond it is skipped (docs/analytics.md has the argument). The old tables are
 * dropped.
 */
#ifndef HG_REBUILD_H
#define HG_REBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "common/consumer.h"
#include "common/kafka.h"
#include "common/migrate.h"

struct hg_rebuild_spec {
	const char *dsn;
	const char *schema; /* the live schema, e.g. "analytics" */
	const struct hg_migration *migrations;
	size_t nmigrations;
	const struct hg_kafka_client *kafka;
	const char *const *topics; /* NULL-terminated */
	hg_event_fn fn;            /* the live consumer's handler */
	const char *dlq_topic;     /* rejections go to the shadow's outbox, which is never sent and is dropped */
	long catch_up_ms;          /* most time the live consumer waits, locked, for the shadow to catch up */
	long stall_ms;             /* most time with no event while the replay is short of its watermarks */
	/* Called about every 500 ms and at the end (may be NULL): events applied, events to apply (from the
	 * watermarks), the phase ("replaying", "swapping"). Nonzero asks the rebuild to stop. */
	int (*progress)(void *arg, int64_t applied, int64_t total, const char *phase);
	void *progress_arg;
};

/* The kit's bookkeeping tables (never rebuilt; NULL-terminated). */
extern const char *const hg_rebuild_kept_tables[];

/* Run one rebuild to its end. 0 when swapped; -1 with why in err (the live tables are then untouched). */
int hg_rebuild_run(const struct hg_rebuild_spec *spec, char *err, size_t errlen);

#endif
