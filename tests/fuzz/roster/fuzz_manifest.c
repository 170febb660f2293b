/*
 * fuzz_manifest - manifest.csv (services/roster/manifest.c through the CSV reader), read as the import
 * reads it: the file's CSV problems and the manifest's own rules together.
 * Properties: no memory error, leak or undefined behaviour; a manifest with no problem had the header
 * propertyName,value, both versions, and declares at least one file the service reads, with a line for
 * each; bulk users.csv comes with roles.csv; the problems are JSON with a reason each.
 */
#include "services/roster/manifest.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster_problems problems;
	struct roster_manifest m;
	struct roster_csv csv;
	enum roster_csv_status st;
	json_t *list, *e;
	size_t i;

	roster_problems_init(&problems, 50);
	roster_manifest_init(&m, &problems);
	FUZZ_CHECK(roster_csv_init(&csv, 1024, 100, roster_manifest_record, &m) == 0);
	st = roster_csv_feed(&csv, data, size);
	if (st == ROSTER_CSV_OK)
		st = roster_csv_finish(&csv);
	if (st != ROSTER_CSV_OK && st != ROSTER_CSV_STOPPED)
		roster_problems_add(&problems, ROSTER_MANIFEST, csv.error_line, NULL, "%s", roster_csv_reason(st));
	roster_csv_cleanup(&csv);
	roster_manifest_finish(&m);

	if (problems.total == 0) {
		int any = 0;
		FUZZ_CHECK(m.header_ok && m.manifest_version_line > 0 && m.oneroster_version_line > 0);
		for (int f = 0; f < OR_NFILES; f++) {
			any |= m.modes[f] != OR_ABSENT;
			FUZZ_CHECK(m.modes[f] == OR_ABSENT || m.lines[f] > 0);
		}
		FUZZ_CHECK(any);
		FUZZ_CHECK(!(m.modes[OR_USERS] == OR_BULK && m.modes[OR_ROLES] == OR_ABSENT));
	}
	list = roster_problems_json(&problems);
	FUZZ_CHECK(json_array_size(list) == (problems.total < 50 ? problems.total : 50));
	json_array_foreach(list, i, e) {
		FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
	}
	json_decref(list);
	roster_manifest_cleanup(&m);
	roster_problems_cleanup(&problems);
	return 0;
}
