/* route.c - the route matcher. */
#include "common/route.h"

#include <string.h>

#include "common/xmalloc.h"

static const char *const role_claims[HG_ROLE_COUNT] = {
#define HG_ROLE_CLAIM(name, claim) claim,
	HG_ROLE_MAP(HG_ROLE_CLAIM)
#undef HG_ROLE_CLAIM
};

unsigned hg_role_from_claim(const char *claim)
{
	for (unsigned i = 0; i < HG_ROLE_COUNT; i++)
		if (strcmp(role_claims[i], claim) == 0)
			return 1u << i;
	return 0;
}

const char *hg_role_claim(unsigned index) { return index < HG_ROLE_COUNT ? role_claims[index] : "?"; }

int hg_route_match_path(const char *pattern, const char *path, struct hg_path_params *params)
{
	const char *p = pattern;
	const char *s = path;
	if (params != NULL)
		params->count = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *seg_end = strchr(s, '/');
			size_t seg_len = seg_end ? (size_t)(seg_end - s) : strlen(s);
			if (close == NULL || seg_len == 0 || seg_len >= HG_MAX_PARAM_LEN)
				return 0;
			if (params != NULL) {
				if (params->count >= HG_MAX_PATH_PARAMS)
					return 0;
				params->names[params->count] = p + 1;
				params->name_lens[params->count] = (size_t)(close - p - 1);
				memcpy(params->values[params->count], s, seg_len);
				params->values[params->count][seg_len] = '\0';
				params->count++;
			}
			p = close + 1;
			s += seg_len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

/* The characters of a pattern outside its {parameters}: of two patterns that match a path, the one with more is
 * the more literal (/v1/surveys/needs over /v1/surveys/{id}), and the path is its resource alone. */
static size_t literal_len(const char *pattern)
{
	size_t n = 0;
	int inside = 0;
	for (const char *p = pattern; *p != '\0'; p++) {
		if (*p == '{')
			inside = 1;
		else if (*p == '}')
			inside = 0;
		else if (!inside)
			n++;
	}
	return n;
}

const struct hg_route *hg_route_find(const struct hg_route *routes, size_t n, const char *method, const char *path,
				     struct hg_path_params *params, int *path_known, char *allow, size_t allow_len)
{
	size_t best = 0;
	*path_known = 0;
	if (allow != NULL && allow_len > 0)
		allow[0] = '\0';
	/* A path a literal segment names belongs to that route's resource only: its methods are those of the most
	 * literal patterns that match it (PATCH /v1/surveys/needs is a 405, not an update of a survey "needs"). */
	for (size_t i = 0; i < n; i++)
		if (hg_route_match_path(routes[i].path, path, NULL) && literal_len(routes[i].path) > best)
			best = literal_len(routes[i].path);
	for (size_t i = 0; i < n; i++) {
		if (!hg_route_match_path(routes[i].path, path, NULL) || literal_len(routes[i].path) != best)
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			hg_route_match_path(routes[i].path, path, params);
			return &routes[i];
		}
		*path_known = 1;
		if (allow != NULL && allow_len > 0 && strstr(allow, routes[i].method) == NULL) {
			if (allow[0] != '\0')
				strncat(allow, ", ", allow_len - strlen(allow) - 1);
			strncat(allow, routes[i].method, allow_len - strlen(allow) - 1);
		}
	}
	return NULL;
}

const char *hg_path_param(const struct hg_path_params *params, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < params->count; i++)
		if (params->name_lens[i] == len && strncmp(params->names[i], name, len) == 0)
			return params->values[i];
	return NULL;
}

void hg_route_print(FILE *out, const struct hg_route *routes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s %s ", routes[i].method, routes[i].path);
		if (routes[i].roles == 0) {
			fputs("-\n", out);
			continue;
		}
		int first = 1;
		for (unsigned b = 0; b < HG_ROLE_COUNT; b++) {
			if (routes[i].roles & (1u << b)) {
				fprintf(out, "%s%s", first ? "" : ",", hg_role_claim(b));
				first = 0;
			}
		}
		fputc('\n', out);
	}
}

char *hg_route_log_path(const struct hg_route *routes, size_t n, const char *path)
{
	static const char param[] = "{secret}";
	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(routes[i].path, param);
		size_t prefix = at ? (size_t)(at - routes[i].path) : 0;
		if (at == NULL || strncmp(path, routes[i].path, prefix) != 0)
			continue;
		const char *rest = strchr(path + prefix, '/');
		return xasprintf("%.*s[secret]%s", (int)prefix, path, rest ? rest : "");
	}
	return NULL;
}
