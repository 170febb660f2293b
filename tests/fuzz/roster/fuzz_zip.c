/*
 * fuzz_zip - an uploaded import from its bytes to its report, without the database: the zip reader under
 * its limits (services/roster/archive.c, libzip), manifest.csv, then every declared file through the CSV
 * reader and the record rules, against an empty district (services/roster/import.c).
 * Properties: no memory error, leak or undefined behaviour; the archive is refused (with a problem, or as
 * too large with a detail) or its manifest declares a file to read; the parse ends in OK, a list of
 * problems, or too large; the report and the problems are JSON.
 */
#include "services/roster/import.h"
#include "tests/fuzz/fuzz.h"

static const struct roster_settings settings = {
	.max_zip_bytes = 1 << 20,
	.max_uncompressed_bytes = 1 << 20,
	.max_rows = 1000,
	.max_field_bytes = 1024,
	.max_problems = 20,
	.import_timeout_ms = 1000,
	.max_concurrent_imports = 1,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_principal who = {"8a1d4c52-2f0e-4b7a-9c3d-1e2f3a4b5c6d", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", 0};
	struct import_job job;
	enum hg_status st;
	json_t *j;

	import_job_init(&job, &who, &settings, 1);
	st = import_open(&job, data, size);
	FUZZ_CHECK(st == HG_OK || st == HG_INVALID || st == HG_PAYLOAD_TOO_LARGE);
	if (st == HG_INVALID)
		FUZZ_CHECK(job.problems.total > 0);
	if (st == HG_PAYLOAD_TOO_LARGE)
		FUZZ_CHECK(job.detail[0] != '\0');
	if (st == HG_OK) {
		int any = 0;
		for (int f = 0; f < OR_NFILES; f++)
			any |= job.manifest.modes[f] != OR_ABSENT;
		FUZZ_CHECK(any);
		st = job.parse(&job);
		FUZZ_CHECK(st == HG_OK || st == HG_INVALID || st == HG_PAYLOAD_TOO_LARGE);
		FUZZ_CHECK((st == HG_INVALID) == (job.problems.total > 0) || st == HG_PAYLOAD_TOO_LARGE);
		j = job.report_body(&job);
		FUZZ_CHECK(j != NULL);
		json_decref(j);
	}
	j = roster_problems_json(&job.problems);
	FUZZ_CHECK(j != NULL);
	json_decref(j);
	import_job_cleanup(&job);
	return 0;
}
