/*
 * fuzz_oneroster - one OneRoster file (orgs, academicSessions, roles or users.csv) through the import's
 * record rules (services/roster/batch.c, oneroster.c) and the checks of references after the last file.
 * Byte 0 chooses the file and its mode (bulk or delta); the rest is the file.
 * Properties: no memory error, leak or undefined behaviour; every problem names the file it was read from
 * (or the manifest) and has a reason; the problems are JSON.
 */
#include "services/roster/batch.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum oneroster_mode modes[OR_NFILES] = {OR_ABSENT, OR_ABSENT, OR_ABSENT, OR_ABSENT};
	struct roster_problems problems;
	struct roster_keys keys;
	struct roster_batch batch;
	struct roster_batch_file bf;
	struct roster_csv csv;
	enum roster_csv_status st;
	json_t *list, *e;
	size_t i;

	if (size == 0)
		return 0;
	enum oneroster_file file = (enum oneroster_file)(data[0] % OR_NFILES);
	modes[file] = (data[0] & 0x80) ? OR_DELTA : OR_BULK;
	if (file == OR_USERS && modes[file] == OR_BULK)
		modes[OR_ROLES] = OR_BULK; /* as the manifest rules require */
	roster_problems_init(&problems, 20);
	roster_keys_init(&keys);
	roster_batch_init(&batch, modes, &keys, &problems);
	roster_batch_file_init(&bf, &batch, file);
	FUZZ_CHECK(roster_csv_init(&csv, 256, 200, roster_batch_record, &bf) == 0);
	st = roster_csv_feed(&csv, data + 1, size - 1);
	if (st == ROSTER_CSV_OK)
		st = roster_csv_finish(&csv);
	if (st != ROSTER_CSV_OK)
		batch.unreadable[file] = 1;
	roster_csv_cleanup(&csv);
	roster_batch_resolve(&batch);

	list = roster_problems_json(&problems);
	json_array_foreach(list, i, e) {
		const char *f = json_string_value(json_object_get(e, "file"));
		FUZZ_CHECK(json_is_string(json_object_get(e, "reason")));
		FUZZ_CHECK(f == NULL || strcmp(f, oneroster_files[file].name) == 0 || strcmp(f, "roles.csv") == 0);
	}
	json_decref(list);
	roster_batch_cleanup(&batch);
	roster_keys_cleanup(&keys);
	roster_problems_cleanup(&problems);
	return 0;
}
