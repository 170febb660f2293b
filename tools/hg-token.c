/* hg-token - sign a development JWT for the local stack.
 *
 *   hg-token --secret-file .run/jwt-secret --district UUID --sub UUID --roles a,b [--ttl 3600]
 *            [--issuer homegrown-dev] [--audience homegrown]
 *
 * Prints only the token, so `TOKEN=$(make -s token ...)` works. HS256 only:
 * production tokens come from the district's identity provider (RS256).
 */
#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/auth.h"
#include "common/roles.h"
#include "common/validate.h"

static int usage(void)
{
	fputs("usage: hg-token (--secret-file FILE | HG_JWT_SECRET=...) --district UUID --sub UUID --roles r1,r2\n"
	      "                [--ttl SECONDS] [--issuer ISS] [--audience AUD]\n",
	      stderr);
	return 2;
}

static char *read_secret(const char *path)
{
	static char buf[1024];
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	const char *secret = getenv("HG_JWT_SECRET"), *district = NULL, *sub = NULL, *roles = "";
	const char *issuer = "homegrown-dev", *audience = "homegrown";
	long ttl = 3600;
	int rc = 1;
	jwt_t *jwt = NULL;
	char *token = NULL, *roles_json = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--secret-file") == 0)
			secret = read_secret(argv[i + 1]);
		else if (strcmp(argv[i], "--district") == 0)
			district = argv[i + 1];
		else if (strcmp(argv[i], "--sub") == 0)
			sub = argv[i + 1];
		else if (strcmp(argv[i], "--roles") == 0)
			roles = argv[i + 1];
		else if (strcmp(argv[i], "--ttl") == 0)
			ttl = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--issuer") == 0)
			issuer = argv[i + 1];
		else if (strcmp(argv[i], "--audience") == 0)
			audience = argv[i + 1];
		else
			return usage();
	}
	if (argc % 2 == 0 || secret == NULL || district == NULL || sub == NULL || ttl <= 0) {
		if (secret == NULL)
			fputs("hg-token: no secret (is the local stack up? `make up` creates .run/jwt-secret)\n",
			      stderr);
		return usage();
	}
	if (!hg_is_uuid(district) || !hg_is_uuid(sub)) {
		fputs("hg-token: --district and --sub must be UUIDs\n", stderr);
		return 2;
	}

	json_t *list = json_array();
	char *copy = strdup(roles);
	for (char *save = NULL, *r = strtok_r(copy, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save)) {
		if (hg_role_from_claim(r) == 0)
			fprintf(stderr, "hg-token: warning: unknown role \"%s\"\n", r);
		json_array_append_new(list, json_string(r));
	}
	free(copy);
	json_t *grants = json_pack("{s:o}", "roles", list);
	roles_json = json_dumps(grants, JSON_COMPACT);
	json_decref(grants);

	time_t now = time(NULL);
	if (jwt_new(&jwt) != 0 || jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant(jwt, "district_id", district) != 0 || jwt_add_grant(jwt, "iss", issuer) != 0 ||
	    jwt_add_grant(jwt, "aud", audience) != 0 || jwt_add_grant_int(jwt, "iat", now) != 0 ||
	    jwt_add_grant_int(jwt, "exp", now + ttl) != 0 || jwt_add_grants_json(jwt, roles_json) != 0 ||
	    jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)secret, (int)strlen(secret)) != 0) {
		fputs("hg-token: cannot build the token\n", stderr);
		goto out;
	}
	token = jwt_encode_str(jwt);
	if (token == NULL)
		goto out;
	printf("%s\n", token);
	rc = 0;
out:
	free(token);
	free(roles_json);
	jwt_free(jwt);
	return rc;
}
