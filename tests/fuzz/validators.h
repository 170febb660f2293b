/*
 * The body validator harness shared by every service's fuzz_<service>_validate.c (header only): the service
 * passes its hg_validate_fn's to fuzz_validators. The first byte chooses the validator and the caller's
 * roles; the rest is the body, parsed as common/request.c parses it (a body that is not a JSON object is
 * refused before any validator runs).
 * Properties: no memory error or undefined behaviour; a validator answers an object or every problem
 * (never both, never neither); each problem names a field and a reason, as strings; the answer is JSON a
 * store can send to PostgreSQL.
 */
#ifndef HG_TESTS_FUZZ_VALIDATORS_H
#define HG_TESTS_FUZZ_VALIDATORS_H

#include <jansson.h>

#include "common/auth.h"
#include "common/roles.h"
#include "common/validate.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_NOW_US 1800000000000000LL /* 2027-01-15T08:00:00Z */

static inline int fuzz_validators(const uint8_t *data, size_t size, const hg_validate_fn *validators,
				  size_t nvalidators)
{
	struct hg_principal who = {"8a1d4c52-2f0e-4b7a-9c3d-1e2f3a4b5c6d", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", 0};
	struct hg_input in = {&who, FUZZ_NOW_US, hg_date_utc(FUZZ_NOW_US / 1000000)};
	json_t *body, *errs, *out, *e;
	size_t i;

	if (size == 0)
		return 0;
	who.roles = (data[0] & 0x80) ? HG_ROLE(DISTRICT_ADMIN) : HG_ROLE(TEACHER);
	body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	if (body == NULL || !json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	errs = json_array();
	out = validators[(data[0] & 0x7f) % nvalidators](body, &in, errs);
	FUZZ_CHECK((out == NULL) != (json_array_size(errs) == 0));
	json_array_foreach(errs, i, e) {
		FUZZ_CHECK(json_is_string(json_object_get(e, "field")));
		FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
	}
	if (out != NULL) {
		char *text = json_dumps(out, JSON_COMPACT);
		FUZZ_CHECK(json_is_object(out) && text != NULL);
		free(text);
	}
	json_decref(out);
	json_decref(errs);
	json_decref(body);
	return 0;
}

#endif
