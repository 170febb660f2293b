/* import_async.c - imports answered 202 and run in the background (Prefer: respond-async). */
#include "services/roster/import_async.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/record.h"
#include "common/xmalloc.h"
#include "services/roster/import_store.h"

#define PROGRESS_EVERY_MS 100

struct import_async {
	struct hg_principal who;
	struct import_job job;
	void *zip;
	size_t len;
	char id[37];
	char phase[16];
	int64_t last_us;
	void (*done)(void);
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int running, stopping;
	struct hg_db_pool *pool;
} bg = {.lock = PTHREAD_MUTEX_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static int stopping(void)
{
	pthread_mutex_lock(&bg.lock);
	int s = bg.stopping;
	pthread_mutex_unlock(&bg.lock);
	return s;
}

struct import_async *import_async_new(const struct hg_principal *who, const struct roster_settings *s, int dry_run,
				      const void *zip, size_t len, enum hg_status *st)
{
	struct import_async *a = xcalloc(1, sizeof(*a));
	a->who = *who;
	a->zip = xmalloc(len > 0 ? len : 1);
	memcpy(a->zip, zip, len);
	a->len = len;
	import_job_init(&a->job, &a->who, s, dry_run);
	*st = import_open(&a->job, a->zip, a->len);
	return a;
}

struct import_job *import_async_job(struct import_async *a) { return &a->job; }

void import_async_free(struct import_async *a)
{
	if (a == NULL)
		return;
	import_job_cleanup(&a->job);
	free(a->zip);
	free(a);
}

/* The job's progress hook: the row written at each new phase and at most every PROGRESS_EVERY_MS. */
static void progress(struct import_job *job, const char *phase)
{
	struct import_async *a = job->progress_arg;
	int64_t now = hg_clock_mono_us();
	if (strcmp(phase, a->phase) != 0 || now - a->last_us >= PROGRESS_EVERY_MS * 1000) {
		snprintf(a->phase, sizeof(a->phase), "%s", phase);
		a->last_us = now;
		if (import_store_progress(bg.pool, job, phase) != HG_OK)
			hg_log(HG_LOG_WARN, "roster import %s: could not record its progress", a->id);
	}
	if (stopping())
		job->stop = 1;
}

static json_t *error_of(struct import_async *a, enum hg_status st)
{
	const struct import_job *job = &a->job;
	char detail[600];
	if (job->stop)
		return json_pack("{s:s}", "detail", "the service stopped during the import; nothing was applied");
	if (st == HG_INVALID) {
		snprintf(detail, sizeof(detail), "the import has %zu problem%s; nothing was applied",
			 job->problems.total, job->problems.total == 1 ? "" : "s");
		return json_pack("{s:s, s:o, s:I}", "detail", detail, "problems", roster_problems_json(&job->problems),
				 "problem_count", (json_int_t)job->problems.total);
	}
	if (st == HG_PAYLOAD_TOO_LARGE)
		snprintf(detail, sizeof(detail), "%.500s; nothing was applied", job->detail);
	else
		snprintf(detail, sizeof(detail), "the import could not be applied (%s); nothing was applied",
			 hg_status_name(st));
	return json_pack("{s:s}", "detail", detail);
}

static void *run(void *arg)
{
	struct import_async *a = arg;
	struct hg_record_call call;
	hg_record_call_init(&call, &a->who);
	enum hg_status st = import_store_run(bg.pool, &call, &a->job);
	if (st == HG_OK) {
		/* Counts and timings only: never a value from the files. */
		hg_log_fields(HG_LOG_INFO,
			      json_pack("{s:O, s:I, s:I, s:I}", "counts", json_object_get(a->job.report, "counts"),
					"parse_ms", (json_int_t)(a->job.parse_us / 1000), "apply_ms",
					(json_int_t)(a->job.apply_us / 1000), "events_ms",
					(json_int_t)(a->job.events_us / 1000)),
			      "roster import %s (in the background)%s", a->id, a->job.dry_run ? " (dry run)" : "");
	} else {
		json_t *error = error_of(a, st);
		if (import_store_fail(bg.pool, &a->job, a->job.stop ? "interrupted" : "failed", error) != HG_OK)
			hg_log(HG_LOG_WARN, "roster import %s: could not record its failure", a->id);
		hg_log(HG_LOG_INFO, "roster import %s (in the background) %s: %s", a->id,
		       a->job.stop ? "interrupted" : "failed", hg_status_name(st));
		json_decref(error);
	}
	hg_record_call_cleanup(&call);
	void (*done)(void) = a->done;
	import_async_free(a);
	done();
	pthread_mutex_lock(&bg.lock);
	bg.running--;
	pthread_cond_broadcast(&bg.idle);
	pthread_mutex_unlock(&bg.lock);
	return NULL;
}

int import_async_launch(struct import_async *a, const char *id, void (*done)(void))
{
	pthread_t thread;
	pthread_attr_t attr;
	snprintf(a->id, sizeof(a->id), "%s", id);
	a->job.import_id = a->id;
	a->job.progress = progress;
	a->job.progress_arg = a;
	a->done = done;
	pthread_mutex_lock(&bg.lock);
	int ok = !bg.stopping && bg.pool != NULL;
	if (ok)
		bg.running++;
	pthread_mutex_unlock(&bg.lock);
	if (ok) {
		ok = pthread_attr_init(&attr) == 0;
		if (ok) {
			pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
			ok = pthread_create(&thread, &attr, run, a) == 0;
			pthread_attr_destroy(&attr);
		}
		if (!ok) {
			pthread_mutex_lock(&bg.lock);
			bg.running--;
			pthread_cond_broadcast(&bg.idle);
			pthread_mutex_unlock(&bg.lock);
		}
	}
	if (ok)
		return 0;
	json_t *error = json_pack("{s:s}", "detail", "the service could not start the import; nothing was applied");
	if (bg.pool != NULL)
		import_store_fail(bg.pool, &a->job, "interrupted", error);
	json_decref(error);
	import_async_free(a);
	return -1;
}

int import_async_start(struct hg_db_pool *pool, const void *settings)
{
	(void)settings;
	pthread_mutex_lock(&bg.lock);
	bg.pool = pool;
	bg.stopping = 0;
	pthread_mutex_unlock(&bg.lock);
	return 0;
}

void import_async_stop(void)
{
	pthread_mutex_lock(&bg.lock);
	bg.stopping = 1;
	while (bg.running > 0)
		pthread_cond_wait(&bg.idle, &bg.lock);
	pthread_mutex_unlock(&bg.lock);
}
