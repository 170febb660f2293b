/* schedule.h - the nightly sync of every district whose SIS connection has a schedule (a worker thread).
 *
 * Every HG_ROSTER_SCHEDULE_POLL_S the worker asks the store which connections are due: the local time of
 * the connection's time zone has passed its schedule time today, the connection was set before that moment
 * (a connection set in the afternoon first syncs the next night), no scheduled sync of the district started
 * since, and none runs. It runs those syncs one after the other (sync_run, trigger "schedule"). Several
 * replicas may run the worker: the one-running-sync-per-district index lets only one of them start a given
 * district's sync, and the next poll sees it has run. A sync that fails is not retried before the next night
 * (it can be run by hand: POST /v1/roster/syncs).
 */
#ifndef ROSTER_SCHEDULE_H
#define ROSTER_SCHEDULE_H

#include "common/db.h"

/* The service definition's worker: start (0, or -1: the thread could not start) and stop (waits for a running
 * sync to end: bounded by the SIS client's timeouts). */
int schedule_start(struct hg_db_pool *pool, const void *settings);
void schedule_stop(void);

#endif
