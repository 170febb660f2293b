/* request.c - the parsers of a request's input. */
#include "common/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "common/reply.h"
#include "common/roles.h"
#include "common/validate.h"

const char *hg_header(const struct hg_request *req, const char *name)
{
	return u_map_get_case(req->u->map_header, name);
}

const char *hg_query(const struct hg_request *req, const char *name) { return u_map_get(req->u->map_url, name); }

const char *hg_param(const struct hg_request *req, const char *name)
{
	const char *v = hg_path_param(&req->params, name);
	return v != NULL ? v : "";
}

int hg_has_role(const struct hg_request *req, unsigned roles) { return (req->who.roles & roles) != 0; }

/* Is the Content-Type (parameters ignored) one of the n types? */
static int media_type_in(const char *ct, const char *const *types, size_t n)
{
	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t len = strcspn(ct, ";");
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < n; i++)
		if (len == strlen(types[i]) && strncasecmp(ct, types[i], len) == 0)
			return 1;
	return 0;
}

/* 413 when the body is over max. ulfius truncates (does not refuse) a body over its limit (the largest
 * any route reads, plus one): a body that reached max + 1 was too long whatever its length says. */
static int size_or_reply(struct hg_request *req, size_t max)
{
	const char *cl = hg_header(req, "Content-Length");
	if ((cl != NULL && strtoull(cl, NULL, 10) > max) || req->u->binary_body_length > max) {
		hg_reply_problem(req, HG_PAYLOAD_TOO_LARGE, "request body is larger than %zu bytes", max);
		return 0;
	}
	return 1;
}

json_t *hg_body_object_or_reply(struct hg_request *req)
{
	static const char *const json_types[] = {"application/json", "application/merge-patch+json"};
	json_error_t jerr;
	json_t *body;

	if (!size_or_reply(req, req->max_body))
		return NULL;
	if (!media_type_in(hg_header(req, "Content-Type"), json_types, 2)) {
		hg_reply_problem(req, HG_UNSUPPORTED_MEDIA_TYPE,
				 "Content-Type must be application/json or application/merge-patch+json");
		return NULL;
	}
	if (req->u->binary_body_length == 0) {
		hg_reply_problem_field(req, HG_MALFORMED_JSON, "", "request body is empty");
		return NULL;
	}
	body = json_loadb(req->u->binary_body, req->u->binary_body_length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (body == NULL) {
		hg_reply_problem_field(req, HG_MALFORMED_JSON, "",
				       "invalid JSON at line %d, column %d (position %d): %s", jerr.line, jerr.column,
				       jerr.position, jerr.text);
		return NULL;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		hg_reply_invalid(req, json_pack("[{s:s, s:s}]", "field", "", "reason", "body must be a JSON object"));
		return NULL;
	}
	return body;
}

int hg_body_optional_or_reply(struct hg_request *req, json_t **body)
{
	*body = NULL;
	if (req->u->binary_body_length == 0 && hg_header(req, "Content-Type") == NULL)
		return 1;
	*body = hg_body_object_or_reply(req);
	return *body != NULL;
}

int hg_body_raw_or_reply(struct hg_request *req, const char *media_type, size_t max, const void **data, size_t *len)
{
	if (max > req->max_upload)
		max = req->max_upload;
	if (!size_or_reply(req, max))
		return 0;
	if (!media_type_in(hg_header(req, "Content-Type"), &media_type, 1)) {
		hg_reply_problem(req, HG_UNSUPPORTED_MEDIA_TYPE, "Content-Type must be %s", media_type);
		return 0;
	}
	if (req->u->binary_body_length == 0) {
		hg_reply_problem_field(req, HG_BAD_REQUEST, "", "request body is empty");
		return 0;
	}
	*data = req->u->binary_body;
	*len = req->u->binary_body_length;
	return 1;
}

void hg_input_of(const struct hg_request *req, struct hg_input *in)
{
	in->who = &req->who;
	in->now_us = hg_clock_now_us();
	in->today = hg_date_utc((long long)(in->now_us / HG_US_PER_S));
}

json_t *hg_validated_or_reply(struct hg_request *req, hg_validate_fn validate, int optional)
{
	json_t *body = NULL, *out = NULL;
	json_t *errs = json_array();
	struct hg_input in;

	if (optional ? !hg_body_optional_or_reply(req, &body) : (body = hg_body_object_or_reply(req)) == NULL)
		goto out;
	if (body == NULL)
		body = json_object();
	hg_input_of(req, &in);
	out = validate(body, &in, errs);
	if (out == NULL) {
		hg_reply_invalid(req, errs);
		errs = NULL;
	}
out:
	json_decref(errs);
	json_decref(body);
	return out;
}

/* ?limit= within [1, max] (def when absent); else its error in errs. */
static int limit_check(struct hg_request *req, long def, long max, long *out, json_t *errs)
{
	const char *s = hg_query(req, "limit");
	char *end = NULL;
	char reason[96];
	long v;
	if (s == NULL) {
		*out = def;
		return 1;
	}
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 1 || v > max) {
		snprintf(reason, sizeof(reason), "must be an integer from 1 to %ld", max);
		hg_err_add(errs, "limit", reason);
		*out = def;
		return 0;
	}
	*out = v;
	return 1;
}

/* 1 when errs is empty; else reply 400 naming each bad parameter (errs stolen either way). */
static int good_or_reply(struct hg_request *req, json_t *errs)
{
	if (json_array_size(errs) == 0) {
		json_decref(errs);
		return 1;
	}
	hg_reply_bad_params(req, errs);
	return 0;
}

int hg_limit_or_reply(struct hg_request *req, long def, long max, long *out)
{
	json_t *errs = json_array();
	limit_check(req, def, max, out, errs);
	return good_or_reply(req, errs);
}

int hg_page_check(struct hg_request *req, struct hg_page *page, json_t *errs)
{
	const char *cursor = hg_query(req, "cursor");
	long limit;
	int ok = limit_check(req, HG_PAGE_DEFAULT, HG_PAGE_MAX, &limit, errs);
	hg_page_init(page, limit);
	if (cursor != NULL) {
		if (hg_cursor_decode(cursor, &page->after) != HG_OK) {
			hg_err_add(errs, "cursor", "is not one this API returned");
			return 0;
		}
		page->has_after = 1;
	}
	return ok;
}

int hg_page_or_reply(struct hg_request *req, struct hg_page *page)
{
	json_t *errs = json_array();
	hg_page_check(req, page, errs);
	return good_or_reply(req, errs);
}

void hg_if_match(const struct hg_request *req, struct hg_precondition *out)
{
	hg_precondition_parse(hg_header(req, "If-Match"), out);
}

int hg_uuid_param_or_reply(struct hg_request *req, const char *name, const char *what, char *id)
{
	const char *v = hg_param(req, name);
	if (!hg_is_uuid(v)) {
		hg_reply_status(req, HG_NOT_FOUND, what);
		return 0;
	}
	hg_uuid_lower(v, id);
	return 1;
}

int hg_query_enum_check(struct hg_request *req, const char *name, const char *const *choices, json_t *errs,
			const char **out)
{
	const char *v = hg_query(req, name);
	char allowed[256] = "must be ";
	*out = NULL;
	if (v == NULL)
		return 1;
	for (const char *const *c = choices; *c != NULL; c++) {
		if (strcmp(*c, v) == 0) {
			*out = *c;
			return 1;
		}
	}
	/* "a", "a or b", "a, b or c" */
	for (const char *const *c = choices; *c != NULL; c++) {
		const char *sep = c == choices ? "" : c[1] == NULL ? " or " : ", ";
		size_t used = strlen(allowed);
		snprintf(allowed + used, sizeof(allowed) - used, "%s%s", sep, *c);
	}
	hg_err_add(errs, name, allowed);
	return 0;
}

int hg_query_enum_or_reply(struct hg_request *req, const char *name, const char *const *choices, const char **out)
{
	json_t *errs = json_array();
	hg_query_enum_check(req, name, choices, errs, out);
	return good_or_reply(req, errs);
}

int hg_query_uuid_check(struct hg_request *req, const char *name, json_t *errs, const char **out)
{
	*out = hg_query(req, name);
	if (*out != NULL && !hg_is_uuid(*out)) {
		hg_err_add(errs, name, "must be a UUID");
		*out = NULL;
		return 0;
	}
	return 1;
}

int hg_query_uuid_or_reply(struct hg_request *req, const char *name, const char **out)
{
	json_t *errs = json_array();
	hg_query_uuid_check(req, name, errs, out);
	return good_or_reply(req, errs);
}
