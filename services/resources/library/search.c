/* search.c - the library listing's query: parameters, ordering and cursors. */
#include "services/resources/library/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "common/base64url.h"
#include "common/page.h"
#include "common/validate.h"
#include "common/xmalloc.h"

#define CURSOR_VERSION 2 /* 1 is common/cursor.c's format: never accepted here */
#define CURSOR_BYTES 31  /* version, order, tier, key (8), uuid (16), query hash (4) */
#define CURSOR_MAX_TEXT 64
#define CURSOR_MAX_KEY 100000000000000000LL /* microseconds: about 3000 years either side of 1970 */
#define CURSOR_MAX_DAYS 1000000LL

static const char *const types[] = {"lesson_plan", "video",  "rubric", "article", "template",
				    "oer",         "course", "other",  NULL};
static const char *const grade_bands[] = {"PK", "K-2", "3-5", "6-8", "9-12", "adult", NULL};

static const char *const known[] = {"q",      "type",           "subject", "grade_band", "topic", "license",
				    "facets", "review_overdue", "limit",   "cursor",     NULL};

static int in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static char *trim_dup(const char *s)
{
	const char *e = s + strlen(s);
	while (is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* A boolean parameter: "true" or "false". */
static int parse_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0)
		*out = 0;
	else
		return 0;
	return 1;
}

static int has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Is s well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != 0) {
		unsigned c = *p;
		int more;
		unsigned cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			more = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			more = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= more; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		p += more + 1;
	}
	return 1;
}

/* Text fit for a parameter value: UTF-8 without control characters. */
static int clean_text(const char *s) { return valid_utf8(s) && !has_control(s); }

/* A free-text label filter: 1..SEARCH_LABEL_MAX characters, no control characters. */
static const char *label(const char *key, const char *v, json_t *errs)
{
	size_t n = hg_utf8_len(v);
	if (n == 0 || n > SEARCH_LABEL_MAX || !clean_text(v)) {
		char reason[80];
		snprintf(reason, sizeof(reason), "must be 1 to %d characters", SEARCH_LABEL_MAX);
		hg_err_add(errs, key, reason);
		return NULL;
	}
	return v;
}

static const char *choice(const char *key, const char *v, const char *const *choices, json_t *errs)
{
	if (in_list(v, choices))
		return v;
	char reason[160] = "must be one of";
	size_t len = strlen(reason);
	for (const char *const *c = choices; *c != NULL && len < sizeof(reason); c++)
		len += (size_t)snprintf(reason + len, sizeof(reason) - len, "%s %s", c == choices ? "" : ",", *c);
	hg_err_add(errs, key, reason);
	return NULL;
}

static void parse_one(const char *key, const char *v, struct search_query *out, const char **cursor, json_t *errs)
{
	if (strcmp(key, "q") == 0) {
		char *q = trim_dup(v);
		/* At most SEARCH_Q_MAX characters in all (as the spec's maxLength counts), some besides white space. */
		if (hg_utf8_len(q) == 0 || hg_utf8_len(v) > SEARCH_Q_MAX || !clean_text(q)) {
			char reason[80];
			snprintf(reason, sizeof(reason), "must be 1 to %d characters", SEARCH_Q_MAX);
			hg_err_add(errs, key, reason);
			free(q);
			return;
		}
		free(out->q); /* a repeated q: the last one counts, as for every parameter */
		out->q = q;
	} else if (strcmp(key, "type") == 0) {
		out->type = choice(key, v, types, errs);
	} else if (strcmp(key, "grade_band") == 0) {
		out->grade_band = choice(key, v, grade_bands, errs);
	} else if (strcmp(key, "subject") == 0) {
		out->subject = label(key, v, errs);
	} else if (strcmp(key, "topic") == 0) {
		out->topic = label(key, v, errs);
	} else if (strcmp(key, "license") == 0) {
		out->license = label(key, v, errs);
	} else if (strcmp(key, "facets") == 0) {
		if (!parse_bool(v, &out->facets))
			hg_err_add(errs, key, "must be true or false");
	} else if (strcmp(key, "review_overdue") == 0) {
		if (!parse_bool(v, &out->review_overdue))
			hg_err_add(errs, key, "must be true or false");
	} else if (strcmp(key, "limit") == 0) {
		char *end = NULL;
		long l = strtol(v, &end, 10);
		if (end == v || *end != '\0' || l < 1 || l > HG_PAGE_MAX) {
			char reason[80];
			snprintf(reason, sizeof(reason), "must be an integer from 1 to %d", HG_PAGE_MAX);
			hg_err_add(errs, key, reason);
			return;
		}
		out->limit = l;
	} else if (strcmp(key, "cursor") == 0) {
		*cursor = v;
	}
}

enum hg_status search_query_parse(const char *const *keys, const char *const *values, size_t n,
				  struct search_query *out, json_t *errs)
{
	const char *cursor = NULL;
	size_t before = json_array_size(errs);

	memset(out, 0, sizeof(*out));
	out->review_overdue = -1;
	out->limit = HG_PAGE_DEFAULT;
	for (size_t i = 0; i < n; i++) {
		if (!in_list(keys[i], known)) {
			/* A name that is not text cannot be echoed in JSON. */
			hg_err_add(errs, valid_utf8(keys[i]) ? keys[i] : "(not UTF-8)", "is not a known parameter");
			continue;
		}
		parse_one(keys[i], values[i] != NULL ? values[i] : "", out, &cursor, errs);
	}
	if (cursor != NULL) {
		if (search_cursor_decode(cursor, &out->after) != HG_OK)
			hg_err_add(errs, "cursor", "is not one this API returned");
		else if (json_array_size(errs) == before && (out->after.order != search_query_order(out) ||
							     out->after.query_hash != search_query_hash(out)))
			hg_err_add(errs, "cursor", "belongs to another query");
		else
			out->has_cursor = 1;
	}
	return json_array_size(errs) > before ? HG_BAD_REQUEST : HG_OK;
}

void search_query_cleanup(struct search_query *q)
{
	free(q->q);
	q->q = NULL;
}

enum search_order search_query_order(const struct search_query *q)
{
	if (q->q != NULL)
		return SEARCH_RELEVANCE;
	return q->review_overdue == 1 ? SEARCH_DUE : SEARCH_NEWEST;
}

/* FNV-1a over each field, with a separator byte that cannot occur in text to keep fields apart. */
static uint32_t fnv(uint32_t h, const char *s)
{
	if (s == NULL) {
		h ^= 0xffu;
		return h * 16777619u;
	}
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	h ^= 0xfeu;
	return h * 16777619u;
}

uint32_t search_query_hash(const struct search_query *q)
{
	const char *overdue = q->review_overdue < 0 ? NULL : q->review_overdue ? "true" : "false";
	uint32_t h = 2166136261u;
	h = fnv(h, q->q);
	h = fnv(h, q->type);
	h = fnv(h, q->subject);
	h = fnv(h, q->grade_band);
	h = fnv(h, q->topic);
	h = fnv(h, q->license);
	return fnv(h, overdue);
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

char *search_cursor_encode(const struct search_cursor *c)
{
	unsigned char raw[CURSOR_BYTES];
	uuid_t u;

	raw[0] = CURSOR_VERSION;
	raw[1] = (unsigned char)c->order;
	raw[2] = (unsigned char)c->tier;
	put_be(raw + 3, (uint64_t)c->key, 8);
	if (uuid_parse(c->id, u) != 0)
		memset(u, 0, sizeof(u));
	memcpy(raw + 11, u, 16);
	put_be(raw + 27, c->query_hash, 4);
	return hg_b64url_encode(raw, sizeof(raw));
}

enum hg_status search_cursor_decode(const char *text, struct search_cursor *out)
{
	size_t len = strlen(text), n = 0;
	unsigned char *raw;
	enum hg_status st = HG_BAD_REQUEST;

	if (len == 0 || len > CURSOR_MAX_TEXT)
		return HG_BAD_REQUEST;
	raw = hg_b64url_decode(text, len, &n);
	if (raw == NULL)
		return HG_BAD_REQUEST;
	if (n != CURSOR_BYTES || raw[0] != CURSOR_VERSION || raw[1] < SEARCH_NEWEST || raw[1] > SEARCH_DUE)
		goto out;
	/* A relevance cursor names a tier; the other orders have none. */
	if (raw[1] == SEARCH_RELEVANCE ? (raw[2] < SEARCH_TIER_DESCRIPTION || raw[2] > SEARCH_TIER_TITLE) : raw[2] != 0)
		goto out;
	out->order = (enum search_order)raw[1];
	out->tier = raw[2];
	out->key = (int64_t)get_be(raw + 3, 8);
	/* Keys the database can turn back into a time or a date: a forged one is a bad cursor, not a 500. */
	if (out->key < -CURSOR_MAX_KEY || out->key > CURSOR_MAX_KEY ||
	    (out->order == SEARCH_DUE && (out->key < -CURSOR_MAX_DAYS || out->key > CURSOR_MAX_DAYS)))
		goto out;
	uuid_unparse_lower(raw + 11, out->id);
	out->query_hash = (uint32_t)get_be(raw + 27, 4);
	st = HG_OK;
out:
	free(raw);
	return st;
}
