/* rebuild.c - the read models rebuilt (common/rebuild.h) for a request, in the background, or for the
 * command line, to its end. */
#include "services/analytics/rebuild.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/kafka.h"
#include "common/log.h"
#include "common/rebuild.h"
#include "common/roster_event.h"
#include "common/xmalloc.h"
#include "services/analytics/analytics_store.h"
#include "services/analytics/projection.h"

#define CATCH_UP_MS 30000 /* most time the live consumer is held while the shadow catches up */
#define STALL_MS 60000    /* most time without an event while the replay is short of its watermarks */
#define NIL_UUID "00000000-0000-0000-0000-000000000000"

extern const struct hg_migration analytics_migrations[];
extern const size_t analytics_migrations_count;

/* The roster (schools, educators), the catalog (activities, sessions, attendance, completions, credit),
 * coaching (cycles, feedback, time) and surveys (surveys and their final results). */
const char *const analytics_topics[] = {HG_ROSTER_TOPIC, ANALYTICS_RESOURCES_TOPIC, ANALYTICS_COACHING_TOPIC,
					ANALYTICS_SURVEYS_TOPIC, NULL};

/* What this process knows for its rebuilds (set once at start-up, before any thread) and its running one. */
static struct {
	char *dsn;
	struct hg_kafka_client kafka;
	struct hg_db_pool *pool;
	pthread_mutex_t lock;
	pthread_t thread;
	int joinable, stopping;
} bg = {.lock = PTHREAD_MUTEX_INITIALIZER};

struct run {
	struct hg_db_pool *pool;
	char district_id[37];
	char id[37];
};

void analytics_rebuild_configure(const struct hg_config *cfg, const void *settings)
{
	(void)settings;
	struct hg_kafka_client k = hg_kafka_client_from_config(cfg);
	hg_kafka_client_copy(&bg.kafka, &k);
	bg.dsn = xstrdup(cfg->database_url);
}

int analytics_rebuild_start(struct hg_db_pool *pool, const void *settings)
{
	(void)settings;
	bg.pool = pool;
	return 0;
}

static int stopping(void)
{
	pthread_mutex_lock(&bg.lock);
	int s = bg.stopping;
	pthread_mutex_unlock(&bg.lock);
	return s;
}

/* The rebuild's progress into its row; a stopping service stops it. */
static int on_progress(void *arg, int64_t applied, int64_t total, const char *phase)
{
	struct run *r = arg;
	if (rebuild_store_progress(r->pool, r->district_id, r->id, applied, total, phase) != HG_OK)
		hg_log(HG_LOG_WARN, "rebuild %s: could not record its progress", r->id);
	return stopping();
}

/* One rebuild to its end, its row finished. 1 when rebuilt. */
static int run_rebuild(struct run *r)
{
	char err[1024];
	const struct hg_rebuild_spec spec = {
		.dsn = bg.dsn,
		.schema = "analytics",
		.migrations = analytics_migrations,
		.nmigrations = analytics_migrations_count,
		.kafka = &bg.kafka,
		.topics = analytics_topics,
		.fn = projection_store_apply,
		.dlq_topic = ANALYTICS_DLQ_TOPIC,
		.catch_up_ms = CATCH_UP_MS,
		.stall_ms = STALL_MS,
		.progress = on_progress,
		.progress_arg = r,
	};
	hg_log(HG_LOG_INFO, "rebuild %s: started", r->id);
	int ok = hg_rebuild_run(&spec, err, sizeof(err)) == 0;
	if (!ok && stopping())
		snprintf(err, sizeof(err), "stopped: the service shut down");
	if (rebuild_store_finish(r->pool, r->district_id, r->id, ok, err) != HG_OK)
		hg_log(HG_LOG_ERROR, "rebuild %s: could not record its end", r->id);
	hg_log(ok ? HG_LOG_INFO : HG_LOG_ERROR, "rebuild %s: %s%s", r->id,
	       ok ? "succeeded" : "failed: ", ok ? "" : err);
	return ok;
}

static void *run_main(void *arg)
{
	struct run *r = arg;
	run_rebuild(r);
	free(r);
	return NULL;
}

enum hg_status analytics_rebuild_launch(struct hg_db_pool *pool, const char *district_id, const char *requested_by,
					json_t **row)
{
	enum hg_status st;
	*row = NULL;
	pthread_mutex_lock(&bg.lock);
	if (bg.stopping || bg.dsn == NULL) {
		pthread_mutex_unlock(&bg.lock);
		return HG_UNAVAILABLE;
	}
	st = rebuild_store_start(pool, district_id, requested_by, row);
	if (st == HG_OK) {
		struct run *r = xcalloc(1, sizeof(*r));
		r->pool = pool;
		snprintf(r->district_id, sizeof(r->district_id), "%s", district_id);
		snprintf(r->id, sizeof(r->id), "%s", json_string_value(json_object_get(*row, "id")));
		if (bg.joinable) /* the previous one ended: its row is no longer running */
			pthread_join(bg.thread, NULL);
		bg.joinable = pthread_create(&bg.thread, NULL, run_main, r) == 0;
		if (!bg.joinable) {
			rebuild_store_finish(pool, r->district_id, r->id, 0, "could not start its thread");
			free(r);
			json_decref(*row);
			*row = NULL;
			st = HG_INTERNAL;
		}
	}
	pthread_mutex_unlock(&bg.lock);
	return st;
}

void analytics_rebuild_stop(void)
{
	pthread_mutex_lock(&bg.lock);
	bg.stopping = 1;
	int joinable = bg.joinable;
	bg.joinable = 0;
	pthread_mutex_unlock(&bg.lock);
	if (joinable)
		pthread_join(bg.thread, NULL);
}

int analytics_rebuild_command(const struct hg_config *cfg, const void *settings)
{
	struct hg_db_pool pool;
	struct run r;
	json_t *row = NULL;
	int rc = 1;

	(void)settings;
	if (bg.dsn == NULL)
		analytics_rebuild_configure(cfg, settings);
	memset(&r, 0, sizeof(r));
	hg_db_pool_init(&pool, cfg->database_url, "analytics", 2, cfg->db_pool_wait_ms, cfg->db_statement_timeout_ms);
	r.pool = &pool;
	snprintf(r.district_id, sizeof(r.district_id), NIL_UUID);
	enum hg_status st = rebuild_store_start(&pool, NIL_UUID, "command line", &row);
	if (st == HG_CONFLICT) {
		hg_log(HG_LOG_ERROR, "rebuild: another rebuild is running; not starting");
		rc = 3;
	} else if (st != HG_OK) {
		hg_log(HG_LOG_ERROR, "rebuild: cannot record its start (%s)", hg_status_name(st));
	} else {
		snprintf(r.id, sizeof(r.id), "%s", json_string_value(json_object_get(row, "id")));
		rc = run_rebuild(&r) ? 0 : 1;
	}
	json_decref(row);
	hg_db_pool_cleanup(&pool);
	return rc;
}
