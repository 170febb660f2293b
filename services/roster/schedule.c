/* schedule.c - the nightly sync of every district whose SIS connection has a schedule (a worker thread). */
#include "services/roster/schedule.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/auth.h"
#include "common/log.h"
#include "services/roster/roster_settings.h"
#include "services/roster/sync_run.h"
#include "services/roster/sync_store.h"

#define MAX_DUE 100 /* districts started per poll; the next poll takes the rest */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int started, stopping;
	struct hg_db_pool *pool;
	const struct roster_settings *settings;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static int stopping(void)
{
	pthread_mutex_lock(&sched.lock);
	int s = sched.stopping;
	pthread_mutex_unlock(&sched.lock);
	return s;
}

static void run_due(void)
{
	json_t *due = NULL;
	if (sync_store_due(sched.pool, MAX_DUE, &due) != HG_OK) {
		hg_log(HG_LOG_WARN, "roster schedule: could not read which syncs are due");
		return;
	}
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d) {
		if (stopping())
			break;
		struct hg_principal who = {.roles = 0};
		snprintf(who.district_id, sizeof(who.district_id), "%s", json_string_value(d));
		struct hg_record_call call;
		hg_record_call_init(&call, &who);
		enum sync_refusal r = sync_run(sched.pool, &call, sched.settings, "schedule", 0);
		if (r != SYNC_RAN && r != SYNC_ALREADY_RUNNING)
			hg_log(HG_LOG_WARN, "roster schedule: the sync of district %s did not start (%d)",
			       who.district_id, (int)r);
		hg_record_call_cleanup(&call);
	}
	json_decref(due);
}

static void *loop(void *arg)
{
	(void)arg;
	for (;;) {
		run_due();
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += sched.settings->schedule_poll_s;
		pthread_mutex_lock(&sched.lock);
		while (!sched.stopping) {
			int rc = pthread_cond_timedwait(&sched.wake, &sched.lock, &until);
			if (rc == ETIMEDOUT)
				break;
		}
		int stop = sched.stopping;
		pthread_mutex_unlock(&sched.lock);
		if (stop)
			return NULL;
	}
}

int schedule_start(struct hg_db_pool *pool, const void *settings)
{
	sched.pool = pool;
	sched.settings = settings;
	sched.stopping = 0;
	if (sched.settings->schedule_poll_s == 0)
		return 0; /* schedules off in this process */
	if (pthread_create(&sched.thread, NULL, loop, NULL) != 0)
		return -1;
	sched.started = 1;
	return 0;
}

void schedule_stop(void)
{
	if (!sched.started)
		return;
	pthread_mutex_lock(&sched.lock);
	sched.stopping = 1;
	pthread_cond_signal(&sched.wake);
	pthread_mutex_unlock(&sched.lock);
	pthread_join(sched.thread, NULL);
	sched.started = 0;
}
