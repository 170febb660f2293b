/* feeds.h - the state reporting feeds (pure: no SQL, no HTTP): the date range they cover, the CEDS column
 * names of the PD activities CSV, and the Ed-Fi DS 6.x professionalDevelopmentEvents and
 * professionalDevelopmentEventAttendances built from read-model rows (docs/analytics.md, "State feeds"). */
#ifndef ANALYTICS_FEEDS_H
#define ANALYTICS_FEEDS_H

#include <jansson.h>
#include <stddef.h>

/* The longest range one feed covers, in days (from and to both included): a year, leap day included. */
#define FEEDS_MAX_DAYS 366
/* Ed-Fi's limits: professionalDevelopmentTitle 1..60 characters, personId at most 32. */
#define FEEDS_EDFI_TITLE_MAX 60

/* A feed's days: from and to as given (both included) and the day after to (a half-open bound for SQL). */
struct feeds_range {
	char from[11];
	char to[11];
	char until[11];
};

/*
 * ?from=&to= (YYYY-MM-DD, years 2000-2100, to not before from, at most FEEDS_MAX_DAYS days) into out; 1 when
 * valid, else 0 with one {"field","reason"} per bad parameter appended to errs.
 */
int feeds_range_parse(const char *from, const char *to, struct feeds_range *out, json_t *errs);

/* The CSV's columns: CEDS v13 element names (docs/analytics.md says which are borrowed from another domain). */
#define FEEDS_CSV_COLUMNS 17
extern const char *const feeds_csv_header[FEEDS_CSV_COLUMNS];

/* Whole hours of a length in seconds: the nearest, a half hour up (5400 s -> 2, 5399 s -> 1, 1799 s -> 0). */
long feeds_total_hours(long long seconds);

/*
 * The Ed-Fi title of an activity (professionalDevelopmentTitle, part of the event's identity): its title when
 * it has at most 60 characters and no other activity of the district has the same title (shared = 0); else its
 * first 49 characters (whitespace at the end dropped) and " [" the first 8 hex digits of its id "]", 60 at most.
 * A new string.
 */
char *feeds_edfi_title(const char *title, const char *activity_id, int shared);

/* An Ed-Fi personId (at most 32 characters) of an educator id (a UUID): its 32 hex digits, lower case. */
void feeds_person_id(const char *uuid, char out[33]);

/*
 * The Ed-Fi document of a district's rows (borrowed): {"events": [[activity_id, title, shared, seconds,
 * sessions], ...], "attendances": [[day, educator_id, activity_id], ...]} as feeds_store_edfi reads them, with
 * descriptors under uri://<ns>/ and the events' namespace uri://<ns>/<district_id>. A new object
 * {"namespace", "professionalDevelopmentEvents": [...], "professionalDevelopmentEventAttendances": [...]}.
 */
json_t *feeds_edfi_doc(json_t *rows, const char *ns, const char *district_id);

#endif
