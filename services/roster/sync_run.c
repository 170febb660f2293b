/* sync_run.c - one roster sync from the district's SIS, start to finish. */
#include "services/roster/sync_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/record.h"
#include "common/xmalloc.h"
#include "services/roster/import_store.h"
#include "services/roster/secret.h"
#include "services/roster/sis_client.h"
#include "services/roster/sis_store.h"
#include "services/roster/sync.h"
#include "services/roster/sync_store.h"

struct progress {
	long pages, records, applied, total; /* total: -1 while unknown */
	long totals[SYNC_NCOLLECTIONS];
};

static json_t *progress_json(const struct progress *p)
{
	json_t *o = json_pack("{s:I, s:I, s:I}", "pages_fetched", (json_int_t)p->pages, "records_fetched",
			      (json_int_t)p->records, "records_applied", (json_int_t)p->applied);
	json_object_set_new(o, "estimated_total", p->total >= 0 ? json_integer(p->total) : json_null());
	return o;
}

static void save_progress(struct hg_db_pool *pool, const char *district, const char *id, const char *phase,
			  const struct progress *p)
{
	json_t *o = progress_json(p);
	if (sync_store_progress(pool, district, id, phase, o) != HG_OK)
		hg_log(HG_LOG_WARN, "roster sync %s: could not record its progress", id);
	json_decref(o);
}

/* Fetch every page of collection c into data: HG_OK, or HG_UNAVAILABLE / HG_PAYLOAD_TOO_LARGE with detail. */
static enum hg_status fetch(struct hg_db_pool *pool, const char *district, const char *id, struct sis_client *cl,
			    const char *base, enum sync_collection c, const char *since,
			    const struct roster_settings *s, struct sync_data *data, struct progress *p, char *detail,
			    size_t len)
{
	long limit = s->sis_page_size, offset = 0, fetched = 0;
	long max_pages = s->max_rows / limit + 2;
	char *url = sync_page_url(base, c, limit, 0, since);
	enum hg_status st = HG_OK;

	for (long page_no = 0; url != NULL; page_no++) {
		struct sis_page page;
		size_t n = 0;
		if (page_no >= max_pages) {
			snprintf(detail, len, "%s: more than %ld pages", sync_collections[c].path, max_pages);
			st = HG_PAYLOAD_TOO_LARGE;
			break;
		}
		st = sis_client_get(cl, url, &page);
		if (st != HG_OK) {
			snprintf(detail, len, "%s: %.400s", sync_collections[c].path, cl->detail);
			break;
		}
		if (sync_add_page(data, c, page.body, &n, detail, len) != 0) {
			sis_page_cleanup(&page);
			st = HG_UNAVAILABLE;
			break;
		}
		fetched += (long)n;
		p->pages++;
		p->records += (long)n;
		if (page.total >= 0 && page_no == 0) {
			p->totals[c] = page.total;
			p->total = 0;
			for (int i = 0; i < SYNC_NCOLLECTIONS; i++)
				p->total += p->totals[i];
		}
		if (fetched > s->max_rows) {
			snprintf(detail, len, "%s: more than %ld records", sync_collections[c].path, s->max_rows);
			sis_page_cleanup(&page);
			st = HG_PAYLOAD_TOO_LARGE;
			break;
		}
		save_progress(pool, district, id, sync_collections[c].path, p);
		free(url);
		url = NULL;
		if (page.next != NULL) {
			if (!sync_same_origin(base, page.next)) {
				snprintf(detail, len, "%s: the provider's next link leaves its host",
					 sync_collections[c].path);
				sis_page_cleanup(&page);
				st = HG_UNAVAILABLE;
				break;
			}
			url = xstrdup(page.next);
		} else if ((long)n >= limit && (page.total < 0 || offset + (long)n < page.total)) {
			offset += (long)n;
			url = sync_page_url(base, c, limit, offset, since);
		}
		sis_page_cleanup(&page);
	}
	free(url);
	return st;
}

/* While the import's transaction applies the records: records_applied as it moves (at most every 250 ms). */
struct apply_watch {
	struct hg_db_pool *pool;
	const char *district, *id;
	struct progress *p;
	int64_t last_us;
};

static void watch_apply(struct import_job *job, const char *phase)
{
	struct apply_watch *w = job->progress_arg;
	int64_t now = hg_clock_mono_us();
	if (strcmp(phase, "applying") != 0 || now - w->last_us < 250000)
		return;
	w->last_us = now;
	w->p->applied = job->records_applied;
	save_progress(w->pool, w->district, w->id, "applying", w->p);
}

static long applied_of(const struct import_job *job)
{
	long n = 0;
	for (int e = 0; e < IMPORT_NENTITIES; e++)
		n += job->counts[e].created + job->counts[e].updated + job->counts[e].deactivated +
		     job->counts[e].unchanged;
	return n;
}

enum sync_refusal sync_run(struct hg_db_pool *pool, struct hg_record_call *finish, const struct roster_settings *s,
			   const char *trigger, int full)
{
	const struct hg_principal *who = finish->who;
	const char *district = who->district_id;
	unsigned char key[SECRET_KEY_BYTES];
	json_t *conn = NULL, *started = NULL, *timings = json_object(), *error = NULL, *progress = NULL;
	char *secret = NULL, since[64] = "", detail[512] = "";
	struct sis_client client;
	struct sync_data data;
	struct progress p = {0, 0, 0, -1, {0}};
	enum sync_refusal out = SYNC_ERROR;
	int client_ready = 0, succeeded = 0;
	char id[37] = "";
	const char *import_id = NULL;
	struct import_job job;
	struct hg_record_call call;

	/* A scheduled sync has no caller: its row names none, its import report the nil UUID. */
	struct hg_principal importer = *who;
	if (importer.sub[0] == '\0')
		snprintf(importer.sub, sizeof(importer.sub), "00000000-0000-0000-0000-000000000000");
	sync_data_init(&data);
	import_job_init(&job, &importer, s, 0);
	hg_record_call_init(&call, &importer);

	enum hg_status st = sis_store_credentials(pool, district, &conn);
	if (st != HG_OK) {
		out = st == HG_NOT_FOUND ? SYNC_NO_CONNECTION : SYNC_ERROR;
		goto out;
	}
	if (secret_key_parse(s->secret_key, key) != 0 ||
	    (secret = secret_open(key, district, json_string_value(json_object_get(conn, "client_secret")))) == NULL) {
		out = SYNC_NO_KEY;
		goto out;
	}
	int delta = !full && json_is_true(json_object_get(conn, "use_deltas"));
	if (delta && ((st = sync_store_last_success(pool, district, since, sizeof(since))) != HG_OK))
		goto out;
	delta = delta && since[0] != '\0';
	st = sync_store_start(pool, district, who->sub[0] != '\0' ? who->sub : NULL, trigger, delta ? "delta" : "full",
			      delta ? since : NULL, &started);
	if (st != HG_OK) {
		out = st == HG_CONFLICT ? SYNC_ALREADY_RUNNING : SYNC_ERROR;
		goto out;
	}
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(started, "id")));
	out = SYNC_RAN;

	const struct sis_client_options o = {
		.token_url = json_string_value(json_object_get(conn, "token_url")),
		.client_id = json_string_value(json_object_get(conn, "client_id")),
		.client_secret = secret,
		.scope = json_string_value(json_object_get(conn, "scope")),
		.ca_file = s->sis_ca_file,
		.timeout_ms = s->sis_timeout_ms,
		.retries = s->sis_retries,
		.max_retry_after_s = s->sis_max_retry_after_s,
		.max_bytes = (size_t)s->sis_max_page_bytes,
	};
	const char *base = json_string_value(json_object_get(conn, "base_url"));
	int64_t t0 = hg_clock_mono_us(), t_all = t0;
	if (sis_client_init(&client, &o) != 0) {
		snprintf(detail, sizeof(detail), "the HTTP client could not start");
		goto finish;
	}
	client_ready = 1;
	if (sis_client_token(&client) != HG_OK) {
		snprintf(detail, sizeof(detail), "%.500s", client.detail);
		goto finish;
	}
	json_object_set_new(timings, "token", json_integer((hg_clock_mono_us() - t0) / 1000));
	for (int c = 0; c < SYNC_NCOLLECTIONS; c++) {
		t0 = hg_clock_mono_us();
		st = fetch(pool, district, id, &client, base, (enum sync_collection)c, delta ? since : NULL, s, &data,
			   &p, detail, sizeof(detail));
		json_object_set_new(timings, sync_collections[c].path, json_integer((hg_clock_mono_us() - t0) / 1000));
		if (st != HG_OK)
			goto finish;
	}

	/* The CSV import's transaction, on the fetched records. */
	save_progress(pool, district, id, "applying", &p);
	sync_job_source(&job, &data, delta);
	struct apply_watch watch = {pool, district, id, &p, 0};
	job.progress = watch_apply;
	job.progress_arg = &watch;
	st = import_store_run(pool, &call, &job);
	json_object_set_new(timings, "parse", json_integer(job.parse_us / 1000));
	json_object_set_new(timings, "apply", json_integer(job.apply_us / 1000));
	json_object_set_new(timings, "events", json_integer(job.events_us / 1000));
	if (st == HG_OK) {
		succeeded = 1;
		p.applied = applied_of(&job);
		import_id = json_string_value(json_object_get(job.report, "id"));
	} else if (st == HG_INVALID) {
		snprintf(detail, sizeof(detail), "the provider's records have %zu problem%s; nothing was applied",
			 job.problems.total, job.problems.total == 1 ? "" : "s");
		error = json_pack("{s:s, s:o, s:I}", "detail", detail, "problems", roster_problems_json(&job.problems),
				  "problem_count", (json_int_t)job.problems.total);
	} else if (st == HG_PAYLOAD_TOO_LARGE) {
		snprintf(detail, sizeof(detail), "%.480s; nothing was applied", job.detail);
	} else {
		snprintf(detail, sizeof(detail), "the records could not be applied (%s); nothing was applied",
			 hg_status_name(st));
	}

finish:
	json_object_set_new(timings, "total", json_integer((hg_clock_mono_us() - t_all) / 1000));
	if (!succeeded && error == NULL)
		error = json_pack("{s:s}", "detail", detail[0] ? detail : "the sync failed");
	progress = progress_json(&p);
	{
		json_t *report = NULL;
		if (succeeded)
			report = json_pack("{s:O, s:O}", "counts", json_object_get(job.report, "counts"), "skipped",
					   json_object_get(job.report, "skipped"));
		st = sync_store_finish(pool, finish, id, succeeded, progress, timings, report, error, import_id);
		json_decref(report);
	}
	if (st != HG_OK)
		out = SYNC_ERROR;
	/* Counts and timings only: never a value from the provider, never the secret or the token. */
	hg_log_fields(HG_LOG_INFO,
		      json_pack("{s:O, s:O, s:I}", "progress", progress, "timings_ms", timings, "retried",
				(json_int_t)(client_ready ? client.retried : 0)),
		      "roster sync %s %s", id, succeeded ? "succeeded" : "failed");
out:
	if (client_ready)
		sis_client_cleanup(&client);
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	memset(key, 0, sizeof(key));
	hg_record_call_cleanup(&call);
	import_job_cleanup(&job);
	sync_data_cleanup(&data);
	json_decref(conn);
	json_decref(started);
	json_decref(timings);
	json_decref(error);
	json_decref(progress);
	return out;
}
