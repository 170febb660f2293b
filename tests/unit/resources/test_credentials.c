/* Unit tests: micro-credential validation (services/resources/credentials/competency.c, definition.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/base64url.h"

#include "common/roles.h"
#include "services/resources/credentials/competency.h"
#include "services/resources/credentials/credential.h"
#include "services/resources/credentials/definition.h"
#include "services/resources/credentials/signer.h"
#include "services/resources/credentials/submission.h"
#include "services/resources/reasons.h"
#include "tests/unit/support.h"

#define REVIEWER "0b7f3c52-8a8e-4f3e-9a55-1c2d3e4f5a6b"
#define COMPETENCY "1c2d3e4f-8a8e-4f3e-9a55-0b7f3c525a6b"
#define CRITERION \
	"{\"name\":\" Plans checks \",\"levels\":[\"Not yet\",\" Developing \",\"Proficient\"],\"passing_level\":2}"

static void test_competency_is_normalised(void **state)
{
	(void)state;
	json_t *body =
		parse_json("{\"name\":\"  Formative assessment \",\"alignment\":{\"framework\":\" LF \",\"code\":"
			   "\"DATA\"}}");
	json_t *errs = json_array();
	json_t *out = competency_validate_create(body, NULL, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "name")), "Formative assessment");
	assert_string_equal(json_string_value(json_object_get(out, "description")), "");
	assert_true(json_is_null(json_object_get(out, "group")));
	json_t *a = json_object_get(out, "alignment");
	assert_string_equal(json_string_value(json_object_get(a, "framework")), "LF");
	assert_null(json_object_get(a, "url"));
	json_decref(out);
	json_decref(errs);
	json_decref(body);
}

static void test_competency_names_every_bad_field(void **state)
{
	(void)state;
	json_t *body =
		parse_json("{\"name\":\" \",\"group\":\"\",\"alignment\":{\"code\":\"\",\"url\":\"ftp://x\",\"y\":1},"
			   "\"x\":true}");
	json_t *errs = json_array();
	assert_null(competency_validate_create(body, NULL, errs));
	const char *expected[] = {
		"x", "name", "group", "alignment.y", "alignment.framework", "alignment.code", "alignment.url"};
	assert_int_equal(json_array_size(errs), sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_true(names(errs, expected[i]));
	json_decref(errs);
	json_decref(body);
	/* A patch changes something; null clears. */
	body = parse_json("{}");
	errs = json_array();
	assert_null(competency_validate_patch(body, NULL, errs));
	assert_true(names(errs, ""));
	json_decref(errs);
	json_decref(body);
	body = parse_json("{\"group\":null}");
	errs = json_array();
	json_t *out = competency_validate_patch(body, NULL, errs);
	assert_non_null(out);
	assert_int_equal(json_object_size(out), 1);
	assert_true(json_is_null(json_object_get(out, "group")));
	json_decref(out);
	json_decref(errs);
	json_decref(body);
}

static void test_definition_is_normalised(void **state)
{
	(void)state;
	json_t *body = parse_json("{\"competency_id\":\"" COMPETENCY "\",\"name\":\"Checks\",\"description\":\"d\","
				  "\"criteria\":[" CRITERION "],\"evidence_required\":[\"link\"],\"credits\":1.5,"
				  "\"reviewer_ids\":[\"" REVIEWER "\"]}");
	json_t *errs = json_array();
	json_t *out = definition_validate_create(body, NULL, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "credit_type")), "Hours");
	assert_string_equal(json_string_value(json_object_get(out, "credits")), "1.50");
	json_t *c = json_array_get(json_object_get(out, "criteria"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Plans checks");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "levels"), 1)), "Developing");
	assert_int_equal(json_integer_value(json_object_get(c, "passing_level")), 2);
	assert_string_equal(json_string_value(json_object_get(c, "description")), "");
	json_decref(out);
	json_decref(errs);
	json_decref(body);
}

static void test_definition_names_every_bad_field(void **state)
{
	(void)state;
	json_t *body = parse_json("{\"competency_id\":\"x\",\"name\":\"\",\"criteria\":[" CRITERION ",{\"name\":\"n\","
				  "\"levels\":[\"a\",\"\",7],\"passing_level\":4},3],\"evidence_required\":[\"video\"],"
				  "\"credits\":-1,\"reviewer_ids\":[],\"status\":\"retired\"}");
	json_t *errs = json_array();
	assert_null(definition_validate_create(body, NULL, errs));
	const char *expected[] = {"status",
				  "competency_id",
				  "name",
				  "description",
				  "criteria[1].levels[1]",
				  "criteria[1].levels[2]",
				  "criteria[1].passing_level",
				  "criteria[2]",
				  "evidence_required",
				  "credits",
				  "reviewer_ids"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_true(names(errs, expected[i]));
	assert_int_equal(json_array_size(errs), sizeof(expected) / sizeof(expected[0]));
	json_decref(errs);
	json_decref(body);
	/* The passing level is one of the criterion's levels. */
	body = parse_json("{\"criteria\":[{\"name\":\"n\",\"levels\":[\"a\",\"b\"],\"passing_level\":3}]}");
	errs = json_array();
	assert_null(definition_validate_patch(body, NULL, errs));
	assert_true(names(errs, "criteria[0].passing_level"));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
	json_decref(body);
	/* A patch may retire, never move to another competency. */
	body = parse_json("{\"status\":\"retired\",\"competency_id\":\"" COMPETENCY "\"}");
	errs = json_array();
	assert_null(definition_validate_patch(body, NULL, errs));
	assert_true(names(errs, "competency_id"));
	assert_int_equal(json_array_size(errs), 1);
	json_decref(errs);
	json_decref(body);
}

/* Every pair of statuses: allowed, or refused naming the allowed moves. */
static void test_submission_state_machine(void **state)
{
	(void)state;
	const char *all[] = {"submitted", "returned", "awarded", "withdrawn"};
	const char *allowed[][2] = {{"submitted", "awarded"},
				    {"submitted", "returned"},
				    {"submitted", "withdrawn"},
				    {"returned", "submitted"},
				    {"returned", "withdrawn"}};
	for (size_t i = 0; i < 4; i++) {
		for (size_t j = 0; j < 4; j++) {
			int ok = 0;
			for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
				ok |= strcmp(allowed[k][0], all[i]) == 0 && strcmp(allowed[k][1], all[j]) == 0;
			const struct hg_reason *why = submission_move(all[i], all[j]);
			if (ok) {
				assert_null(why);
				continue;
			}
			assert_non_null(why);
			const char *expected = i == 0   ? "submission_move_from_submitted"
					       : i == 1 ? "submission_move_from_returned"
							: "submission_closed";
			assert_string_equal(why->code, expected);
		}
	}
}

static void test_submission_rules(void **state)
{
	(void)state;
	struct hg_principal submitter = {.sub = "11111111-1111-1111-1111-111111111111", .roles = HG_ROLE(TEACHER)};
	struct hg_principal reviewer = {.sub = REVIEWER, .roles = HG_ROLE(TEACHER)};
	struct hg_principal other = {.sub = "22222222-2222-2222-2222-222222222222", .roles = HG_ROLE(TEACHER)};
	json_t *st = parse_json("{\"status\":\"submitted\",\"educator_id\":\"11111111-1111-1111-1111-111111111111\","
				"\"reviewer_ids\":[\"" REVIEWER "\",\"11111111-1111-1111-1111-111111111111\"]}");
	json_t *award = parse_json("{\"status\":\"awarded\"}"), *withdraw = parse_json("{\"status\":\"withdrawn\"}");
	assert_null(submission_rule_review(&reviewer, st, award));
	/* Named as a reviewer, but the submitter: never their own. */
	assert_string_equal(submission_rule_review(&submitter, st, award)->code, "submission_reviewer_only");
	assert_string_equal(submission_rule_review(&other, st, award)->code, "submission_reviewer_only");
	assert_null(submission_rule_submitter(&submitter, st, withdraw));
	assert_string_equal(submission_rule_submitter(&reviewer, st, withdraw)->code, "submission_submitter_only");
	assert_null(submission_rule_read(&reviewer, NULL, st));
	assert_string_equal(submission_rule_read(&other, NULL, st)->code, "submission_read_forbidden");
	assert_string_equal(submission_review_event(st, award), "submission.awarded");
	json_decref(award);
	json_decref(withdraw);
	json_decref(st);
}

static void test_scores_and_evidence(void **state)
{
	(void)state;
	json_t *criteria = parse_json("[" CRITERION "," CRITERION "]");
	long bad;
	json_t *ok = parse_json("[2,3]"), *low = parse_json("[3,1]"), *high = parse_json("[4,1]"),
	       *few = parse_json("[2]");
	assert_null(submission_check_scores(ok, criteria, 1, &bad));
	assert_null(submission_check_scores(low, criteria, 0, &bad)); /* returned: below passing is fine */
	assert_string_equal(submission_check_scores(low, criteria, 1, &bad)->code, "score_below_passing");
	assert_int_equal(bad, 1);
	assert_string_equal(submission_check_scores(high, criteria, 0, &bad)->code, "scores_mismatch");
	assert_int_equal(bad, 0);
	assert_string_equal(submission_check_scores(few, criteria, 0, &bad)->code, "scores_mismatch");
	assert_int_equal(bad, -1);
	json_t *ev = parse_json("[{\"kind\":\"link\"},{\"kind\":\"reflection\"}]");
	json_t *need = parse_json("[\"reflection\"]"), *more = parse_json("[\"reflection\",\"student_work\"]");
	assert_true(submission_evidence_covers(ev, need));
	assert_false(submission_evidence_covers(ev, more));
	json_decref(ev);
	json_decref(need);
	json_decref(more);
	json_decref(ok);
	json_decref(low);
	json_decref(high);
	json_decref(few);
	json_decref(criteria);
}

static void test_submission_validation(void **state)
{
	(void)state;
	json_t *body =
		parse_json("{\"definition_id\":\"" COMPETENCY "\",\"evidence\":[{\"kind\":\"link\",\"url\":"
			   "\"https://x.org/a\"},{\"kind\":\"reflection\",\"text\":\"t\",\"url\":\"https://x.org\"},"
			   "{\"kind\":\"coaching_observation\"},{\"kind\":\"student_work\",\"url\":\"ftp://x\"},"
			   "{\"kind\":\"memo\"},7]}");
	json_t *errs = json_array();
	assert_null(submission_validate_create(body, NULL, errs));
	const char *expected[] = {"evidence[1].url", "evidence[2].reference_id", "evidence[3].url", "evidence[4].kind",
				  "evidence[5]"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_true(names(errs, expected[i]));
	assert_int_equal(json_array_size(errs), sizeof(expected) / sizeof(expected[0]));
	json_decref(errs);
	json_decref(body);
	body = parse_json("{\"decision\":\"return\",\"scores\":[1,7,2.0,\"3\"]}");
	errs = json_array();
	assert_null(submission_validate_review(body, NULL, errs));
	assert_true(names(errs, "feedback") && names(errs, "scores[1]") && names(errs, "scores[3]"));
	assert_int_equal(json_array_size(errs), 3);
	json_decref(errs);
	json_decref(body);
	body = parse_json("{\"decision\":\"award\",\"scores\":[3,4.0]}");
	errs = json_array();
	json_t *out = submission_validate_review(body, NULL, errs);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "awarded");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(out, "scores"), 1)), 4);
	assert_true(json_is_null(json_object_get(out, "feedback")));
	json_decref(out);
	json_decref(errs);
	json_decref(body);
}

/* The status list's bits: gzip, base64url, "u"; bit 0 is the first byte's highest. */
static void test_status_list_encoding(void **state)
{
	(void)state;
	json_t *revoked = parse_json("[0, 9, 131071, 131072]"); /* the last is the next list's */
	json_t *vc = credential_status_list("https://pd.example.org", COMPETENCY, 0, revoked, "Issuer",
					    "2026-12-02T10:00:00Z");
	assert_non_null(vc);
	json_t *subject = json_object_get(vc, "credentialSubject");
	const char *encoded = json_string_value(json_object_get(subject, "encodedList"));
	assert_int_equal(encoded[0], 'u');
	size_t gzlen = 0;
	unsigned char *gz = hg_b64url_decode(encoded + 1, strlen(encoded + 1), &gzlen);
	assert_non_null(gz);
	unsigned char *bits = calloc(1, CREDENTIAL_STATUS_LIST_BITS / 8 + 1);
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = bits;
	z.avail_out = CREDENTIAL_STATUS_LIST_BITS / 8 + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, CREDENTIAL_STATUS_LIST_BITS / 8);
	inflateEnd(&z);
	assert_int_equal(bits[0], 0x80);
	assert_int_equal(bits[1], 0x40);
	assert_int_equal(bits[CREDENTIAL_STATUS_LIST_BITS / 8 - 1], 0x01);
	size_t set = 0;
	for (size_t i = 0; i < CREDENTIAL_STATUS_LIST_BITS / 8; i++)
		set += (size_t)__builtin_popcount(bits[i]);
	assert_int_equal(set, 3);
	assert_string_equal(json_string_value(json_object_get(vc, "id")),
			    "https://pd.example.org/v1/credentials/status/" COMPETENCY "/0");
	free(bits);
	free(gz);
	json_decref(vc);
	json_decref(revoked);
}

static void test_credential_document(void **state)
{
	(void)state;
	json_t *award = parse_json(
		"{\"id\":\"" REVIEWER "\",\"district_id\":\"" COMPETENCY "\",\"status_index\":131073,\"awarded_at\":"
		"\"2026-12-02T10:00:00Z\",\"credit_type\":\"CEUs\",\"credits\":1.5,\"recipient\":{\"type\":\"emailAddress\","
		"\"hash\":\"sha256$ab\",\"salt\":\"s\"},\"achievement\":{\"definition\":{\"id\":\"" REVIEWER
		"\",\"name\":"
		"\"Checks\",\"description\":\"d\",\"criteria\":[{\"name\":\"Plans checks\",\"description\":\"\","
		"\"levels\":[\"Not yet\",\"Developing\",\"Proficient\"],\"passing_level\":2}]},\"competency\":{\"id\":\"" COMPETENCY
		"\",\"name\":\"FA\",\"description\":\"\",\"alignment\":null}}}");
	json_t *vc = credential_build(award, "https://x.org", "Issuer");
	json_t *subject = json_object_get(vc, "credentialSubject");
	json_t *status = json_object_get(vc, "credentialStatus");
	assert_string_equal(json_string_value(json_object_get(status, "statusListIndex")), "1");
	assert_string_equal(json_string_value(json_object_get(status, "statusListCredential")),
			    "https://x.org/v1/credentials/status/" COMPETENCY "/1");
	assert_null(json_object_get(subject, "creditsEarned"));
	json_t *ach = json_object_get(subject, "achievement");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ach, "criteria"), "narrative")),
			    "1. Plans checks: at least level 2 of 3 (Developing).");
	json_t *align = json_array_get(json_object_get(ach, "alignment"), 0);
	assert_string_equal(json_string_value(json_object_get(align, "targetUrl")),
			    "https://x.org/v1/credentials/competencies/" COMPETENCY);
	assert_null(json_object_get(align, "targetFramework"));
	json_t *id = json_array_get(json_object_get(subject, "identifier"), 0);
	assert_string_equal(json_string_value(json_object_get(id, "identityHash")), "sha256$ab");
	json_t *claims = credential_jwt_claims(vc, 1764669600);
	assert_int_equal(json_integer_value(json_object_get(claims, "nbf")), 1764669600);
	assert_null(json_object_get(claims, "sub"));
	/* Signed: three base64url parts, the header naming the kid. */
	char err[128];
	struct signer *s = signer_create(NULL, "k1", err, sizeof(err));
	assert_non_null(s);
	char *jwt = signer_sign_jwt(s, claims);
	assert_non_null(jwt);
	char *dot = strchr(jwt, '.');
	assert_non_null(dot);
	size_t hlen = 0;
	unsigned char *h = hg_b64url_decode(jwt, (size_t)(dot - jwt), &hlen);
	assert_string_equal((char *)h, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
	assert_int_equal(strlen(strrchr(jwt, '.') + 1), 86); /* 64 bytes of r and s */
	json_t *jwks = signer_jwks(s);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(jwks, "keys"), 0), "kid")),
			    "k1");
	assert_null(signer_create("/nonexistent/key.pem", "k1", err, sizeof(err)));
	free(h);
	free(jwt);
	json_decref(jwks);
	signer_destroy(s);
	json_decref(claims);
	json_decref(vc);
	json_decref(award);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_competency_is_normalised),
		cmocka_unit_test(test_competency_names_every_bad_field),
		cmocka_unit_test(test_definition_is_normalised),
		cmocka_unit_test(test_definition_names_every_bad_field),
		cmocka_unit_test(test_submission_state_machine),
		cmocka_unit_test(test_submission_rules),
		cmocka_unit_test(test_scores_and_evidence),
		cmocka_unit_test(test_submission_validation),
		cmocka_unit_test(test_status_list_encoding),
		cmocka_unit_test(test_credential_document),
	};
	return cmocka_run_group_tests_name("credentials", tests, NULL, NULL);
}
