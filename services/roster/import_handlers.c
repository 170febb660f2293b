/* import_handlers.c - OneRoster imports over HTTP. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/idempotency.h"
#include "common/log.h"
#include "common/problem.h"
#include "common/reply.h"
#include "common/write.h"
#include "common/xmalloc.h"
#include "services/roster/import.h"
#include "services/roster/import_async.h"
#include "services/roster/import_store.h"
#include "services/roster/roster_handlers.h"
#include "services/roster/roster_settings.h"

/* Each import (or sync) holds its records in memory: bound how many run at once. */
static atomic_int running;

static const char *const booleans[] = {"true", "false", NULL};

int import_slot_or_reply(struct hg_request *req)
{
	const struct roster_settings *s = req->settings;
	if (atomic_fetch_add(&running, 1) < s->max_concurrent_imports)
		return 1;
	atomic_fetch_sub(&running, 1);
	hg_set_header(req, "Retry-After", "5");
	hg_reply_problem(req, HG_UNAVAILABLE, "%ld imports and syncs are running already; try again shortly",
			 s->max_concurrent_imports);
	return 0;
}

void import_slot_release(void) { atomic_fetch_sub(&running, 1); }

static void reply_problems(struct hg_request *req, const struct import_job *job)
{
	const struct roster_problems *p = &job->problems;
	char detail[512];
	if (p->total > p->n)
		snprintf(detail, sizeof(detail),
			 "the import has %zu problems (the first %zu are listed); nothing was applied", p->total, p->n);
	else
		snprintf(detail, sizeof(detail), "the import has %zu problem%s; nothing was applied", p->total,
			 p->total == 1 ? "" : "s");
	json_t *errors = roster_problems_json(p);
	const char *only =
		p->total == 1 ? json_string_value(json_object_get(json_array_get(errors, 0), "reason")) : NULL;
	if (only != NULL) {
		/* one problem (e.g. the body is not a zip archive): the detail says which */
		size_t used = strlen(detail);
		snprintf(detail + used, sizeof(detail) - used, ": %s", only);
	}
	json_t *doc = hg_problem_new(HG_INVALID, detail, req->u->url_path, req->request_id, errors);
	if (doc != NULL)
		json_object_set_new(doc, "problem_count", json_integer((json_int_t)p->total));
	hg_reply_problem_doc(req, doc);
	json_decref(doc);
}

/* 201 with the stored report and its Location (an hg_answer_fn; arg: the job). */
static void answer_import(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	const struct import_job *job = arg;
	int dry_run = job->dry_run;
	(void)call;
	const char *id = json_string_value(json_object_get(job->report, "id"));
	char *location = xasprintf("/v1/roster/imports/%s", id ? id : "");
	hg_set_header(req, "Location", location);
	free(location);
	hg_reply_json(req, 201, job->report);
	/* Counts and timings only: never a value from the files. */
	hg_log_fields(HG_LOG_INFO,
		      json_pack("{s:O, s:I, s:I, s:I}", "counts", json_object_get(job->report, "counts"), "parse_ms",
				(json_int_t)(job->parse_us / 1000), "apply_ms", (json_int_t)(job->apply_us / 1000),
				"events_ms", (json_int_t)(job->events_us / 1000)),
		      "roster import %s%s", id ? id : "", dry_run ? " (dry run)" : "");
}

/* Prefer (RFC 7240) names respond-async among its comma-separated preferences (any case, parameters ignored). */
static int prefers_async(const char *prefer)
{
	static const char token[] = "respond-async";
	for (const char *p = prefer; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		size_t n = strcspn(p, ",;= \t");
		if (n == sizeof(token) - 1 && strncasecmp(p, token, n) == 0)
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

/* 202 with the running import and its Location (an hg_answer_fn). */
static void answer_accepted(struct hg_request *req, const struct hg_record_call *call, const void *arg)
{
	(void)arg;
	char *location = xasprintf("/v1/roster/imports/%s", json_string_value(json_object_get(call->record, "id")));
	hg_set_header(req, "Location", location);
	hg_set_header(req, "Preference-Applied", "respond-async");
	free(location);
	hg_reply_json(req, 202, call->record);
}

/*
 * Prefer: respond-async. The zip and its manifest are checked now (413/415/422 as for a synchronous import);
 * then the running row is created (with an Idempotency-Key: claimed and the 202 stored in that transaction)
 * and the import runs in the background, holding the import slot until it ends.
 */
static void import_create_async(struct hg_request *req, int dry_run, const void *zip, size_t len)
{
	struct hg_record_call call;
	enum hg_status st;
	struct import_async *a = import_async_new(&req->who, req->settings, dry_run, zip, len, &st);
	struct import_job *job = import_async_job(a);
	int launched = 0;

	hg_record_call_init(&call, &req->who);
	if (st == HG_OK) {
		hg_write_begin(req, &call, answer_accepted, NULL);
		st = import_store_start(req->pool, &call, job);
	}
	switch (st) {
	case HG_OK: {
		char id[37];
		snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(call.record, "id")));
		hg_write_end(req, st, "import");
		launched = import_async_launch(a, id, import_slot_release) == 0;
		a = NULL; /* the launch owns it, launched or not */
		break;
	}
	case HG_INVALID:
		hg_reply_reset(req);
		reply_problems(req, job);
		break;
	case HG_PAYLOAD_TOO_LARGE:
		hg_reply_reset(req);
		hg_reply_problem(req, HG_PAYLOAD_TOO_LARGE, "%s", job->detail);
		break;
	case HG_CONFLICT:
		hg_reply_reset(req);
		hg_set_header(req, "Retry-After", "30");
		hg_reply_problem(req, HG_CONFLICT, "a background import of this district is running already");
		hg_idempotency_transient(req);
		break;
	default:
		hg_write_end(req, st, "import");
		break;
	}
	hg_record_call_cleanup(&call);
	import_async_free(a);
	if (!launched)
		import_slot_release();
}

void import_handle_create(struct hg_request *req)
{
	const struct roster_settings *s = req->settings;
	struct hg_record_call call;
	struct import_job job;
	const char *dry_run_text;
	const void *zip;
	size_t len;

	if (!hg_query_enum_or_reply(req, "dry_run", booleans, &dry_run_text))
		return;
	int dry_run = dry_run_text != NULL && strcmp(dry_run_text, "true") == 0;
	if (!hg_body_raw_or_reply(req, "application/zip", (size_t)s->max_zip_bytes, &zip, &len))
		return;
	if (!import_slot_or_reply(req))
		return;
	if (prefers_async(hg_header(req, "Prefer"))) {
		import_create_async(req, dry_run, zip, len);
		return;
	}
	import_job_init(&job, &req->who, s, dry_run);
	hg_record_call_init(&call, &req->who);
	enum hg_status st = import_open(&job, zip, len);
	if (st == HG_OK) {
		hg_write_begin(req, &call, answer_import, &job);
		st = import_store_run(req->pool, &call, &job);
	}
	switch (st) {
	case HG_INVALID:
		hg_reply_reset(req);
		reply_problems(req, &job);
		break;
	case HG_PAYLOAD_TOO_LARGE:
		hg_reply_reset(req);
		hg_reply_problem(req, HG_PAYLOAD_TOO_LARGE, "%s", job.detail);
		break;
	default:
		hg_write_end(req, st, "import");
		break;
	}
	hg_record_call_cleanup(&call);
	import_job_cleanup(&job);
	import_slot_release();
}

const struct hg_crud import_crud = {.entity = &import_entity};
