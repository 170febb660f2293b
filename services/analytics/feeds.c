/* feeds.c - the state reporting feeds' pure parts: range, CEDS columns, Ed-Fi documents. */
#include "services/analytics/feeds.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/date.h"
#include "common/validate.h"
#include "common/xmalloc.h"

const char *const feeds_csv_header[FEEDS_CSV_COLUMNS] = {
	"Local Education Agency Identifier",
	"Staff Member Identifier",
	"Professional Development Activity Identifier",
	"Professional Development Activity Title",
	"Professional Development Activity Type",
	"Professional Development Activity Credit Type",
	"Professional Development Activity Credits",
	"Professional Development Session Identifier",
	"Professional Development Session Start Date",
	"Professional Development Session Start Time",
	"Professional Development Session End Date",
	"Professional Development Session End Time",
	"Professional Development Session Status",
	"Professional Development Delivery Method",
	"Professional Development Instructional Delivery Mode",
	"Attendance Event Duration Hours",
	"Staff Professional Development Activity Completion Date",
};

#define DATE_REASON "must be a date YYYY-MM-DD of the years 2000 to 2100"

int feeds_range_parse(const char *from, const char *to, struct feeds_range *out, json_t *errs)
{
	int64_t f = 0, t = 0;
	int ok_from = from != NULL && hg_api_date_parse(from, &f);
	int ok_to = to != NULL && hg_api_date_parse(to, &t);
	if (!ok_from)
		hg_err_add(errs, "from", DATE_REASON);
	if (!ok_to)
		hg_err_add(errs, "to", DATE_REASON);
	if (!ok_from || !ok_to)
		return 0;
	if (t < f) {
		hg_err_add(errs, "to", "must not be before from");
		return 0;
	}
	if (t - f + 1 > FEEDS_MAX_DAYS) {
		hg_err_add(errs, "to", "must be less than 366 days after from (a feed covers at most 366 days)");
		return 0;
	}
	hg_date_format(hg_date_utc((long long)f * 86400), out->from, sizeof(out->from));
	hg_date_format(hg_date_utc((long long)t * 86400), out->to, sizeof(out->to));
	hg_date_format(hg_date_utc((long long)(t + 1) * 86400), out->until, sizeof(out->until));
	return 1;
}

long feeds_total_hours(long long seconds)
{
	if (seconds <= 0)
		return 0;
	return (long)((seconds + 1800) / 3600);
}

/* Bytes of the first n characters (UTF-8 code points) of s. */
static size_t prefix_bytes(const char *s, size_t n)
{
	size_t i = 0, chars = 0;
	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == n)
				break;
			chars++;
		}
		i++;
	}
	return i;
}

char *feeds_edfi_title(const char *title, const char *activity_id, int shared)
{
	if (title[0] != '\0' && !shared && hg_utf8_len(title) <= FEEDS_EDFI_TITLE_MAX)
		return xstrdup(title);
	char id8[9];
	size_t k = 0;
	for (const char *p = activity_id; *p != '\0' && k < 8; p++)
		if (isxdigit((unsigned char)*p))
			id8[k++] = (char)tolower((unsigned char)*p);
	id8[k] = '\0';
	size_t n = prefix_bytes(title, FEEDS_EDFI_TITLE_MAX - 11); /* " [" + 8 + "]" */
	while (n > 0 && isspace((unsigned char)title[n - 1]))
		n--;
	if (n == 0)
		return xasprintf("Activity [%s]", id8);
	return xasprintf("%.*s [%s]", (int)n, title, id8);
}

void feeds_person_id(const char *uuid, char out[33])
{
	size_t k = 0;
	for (const char *p = uuid; *p != '\0' && k < 32; p++)
		if (*p != '-')
			out[k++] = (char)tolower((unsigned char)*p);
	out[k] = '\0';
}

json_t *feeds_edfi_doc(json_t *rows, const char *ns, const char *district_id)
{
	char *namespace_ = xasprintf("uri://%s/%s", ns, district_id);
	char *offered_by = xasprintf("uri://%s/ProfessionalDevelopmentOfferedByDescriptor#District", ns);
	char *in_attendance = xasprintf("uri://%s/AttendanceEventCategoryDescriptor#In Attendance", ns);
	char *source = xasprintf("uri://%s/SourceSystemDescriptor#District", ns);
	json_t *titles = json_object(); /* activity id -> its Ed-Fi title */
	json_t *events = json_array(), *attendances = json_array();
	size_t i;
	json_t *row;

	json_array_foreach(json_object_get(rows, "events"), i, row) {
		const char *id = json_string_value(json_array_get(row, 0));
		const char *title = json_string_value(json_array_get(row, 1));
		if (id == NULL || title == NULL)
			continue;
		char *t = feeds_edfi_title(title, id, json_is_true(json_array_get(row, 2)));
		long long seconds = json_integer_value(json_array_get(row, 3));
		json_int_t sessions = json_integer_value(json_array_get(row, 4));
		json_object_set_new(titles, id, json_string(t));
		json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:b, s:I}", "namespace", namespace_,
							"professionalDevelopmentTitle", t,
							"professionalDevelopmentOfferedByDescriptor", offered_by,
							"multipleSession", sessions > 1, "totalHours",
							(json_int_t)feeds_total_hours(seconds)));
		free(t);
	}
	json_array_foreach(json_object_get(rows, "attendances"), i, row) {
		const char *day = json_string_value(json_array_get(row, 0));
		const char *educator = json_string_value(json_array_get(row, 1));
		const char *title =
			json_string_value(json_object_get(titles, json_string_value(json_array_get(row, 2))));
		if (day == NULL || educator == NULL || title == NULL)
			continue; /* an attendance of an event not in the feed: never, the store reads both at once */
		char person[33];
		feeds_person_id(educator, person);
		json_array_append_new(attendances,
				      json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "attendanceDate", day,
						"attendanceEventCategoryDescriptor", in_attendance, "personReference",
						"personId", person, "sourceSystemDescriptor", source,
						"professionalDevelopmentEventReference", "namespace", namespace_,
						"professionalDevelopmentTitle", title));
	}
	json_t *doc = json_pack("{s:s, s:o, s:o}", "namespace", namespace_, "professionalDevelopmentEvents", events,
				"professionalDevelopmentEventAttendances", attendances);
	json_decref(titles);
	free(namespace_);
	free(offered_by);
	free(in_attendance);
	free(source);
	return doc;
}
