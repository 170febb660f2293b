/* log.c - one JSON line per event on stderr. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"

enum hg_log_level hg_log_min_level = HG_LOG_INFO;

static _Thread_local char request_id[80];

static const char *const level_names[] = {"debug", "info", "warn", "error"};

const char *hg_log_request_id(void) { return request_id; }

void hg_log_set_request_id(const char *id)
{
	if (id == NULL) {
		request_id[0] = '\0';
		return;
	}
	snprintf(request_id, sizeof(request_id), "%s", id);
}

int hg_log_level_parse(const char *s, enum hg_log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum hg_log_level)i;
			return 0;
		}
	}
	return -1;
}

void hg_log_write(enum hg_log_level level, const char *func, json_t *fields, const char *fmt, ...)
{
	char msg[2048];
	char ts[40];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hg_clock_rfc3339(hg_clock_now_us(), ts, sizeof(ts));

	json_t *line =
		json_pack("{s:s, s:s, s:s, s:s}", "ts", ts, "level", level_names[level], "func", func, "msg", msg);
	if (line == NULL) {
		json_decref(fields);
		return;
	}
	if (request_id[0] != '\0')
		json_object_set_new(line, "request_id", json_string(request_id));
	if (fields != NULL) {
		json_object_update(line, fields);
		json_decref(fields);
	}
	char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (text == NULL)
		return;
	/* One fprintf per line: stdio's lock keeps lines whole across threads. */
	fprintf(stderr, "%s\n", text);
	free(text);
}
