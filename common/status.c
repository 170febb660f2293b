/* status.c - lookups into the status table. */
#include "common/status.h"

struct status_row {
	const char *name;
	int http;
	const char *slug;
	const char *title;
};

static const struct status_row rows[HG_STATUS_COUNT] = {
#define HG_STATUS_ROW(name, http, slug, title) {#name, http, slug, title},
	HG_STATUS_MAP(HG_STATUS_ROW)
#undef HG_STATUS_ROW
};

static const struct status_row *row(enum hg_status st)
{
	if ((unsigned)st >= HG_STATUS_COUNT)
		return &rows[HG_INTERNAL];
	return &rows[st];
}

int hg_status_http(enum hg_status st) { return row(st)->http; }
const char *hg_status_slug(enum hg_status st) { return row(st)->slug; }
const char *hg_status_title(enum hg_status st) { return row(st)->title; }
const char *hg_status_name(enum hg_status st) { return row(st)->name; }
