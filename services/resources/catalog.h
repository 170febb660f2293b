/* catalog.h - PD catalog: checks and rules every catalog noun shares (pure; no HTTP, no SQL).
 *
 * The catalog's domain files (catalog_activity.c, catalog_session.c,
 * catalog_registration.c, catalog_attendance.c, catalog_credit.c,
 * catalog_transcript.c) validate request bodies into normalised JSON objects
 * for the store and decide the rules (state machines, seats, check-in window,
 * completion); catalog_*_store.c run the SQL and catalog_*_handlers.c speak
 * HTTP.
 */
#ifndef RESOURCES_CATALOG_H
#define RESOURCES_CATALOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"

#define CATALOG_PAGE_DEFAULT 20
#define CATALOG_PAGE_MAX 100

#define CATALOG_US_PER_S 1000000LL
#define CATALOG_US_PER_DAY (86400LL * CATALOG_US_PER_S)

/* Is who a district admin (the PD office)? */
int catalog_is_admin(const struct hg_principal *who);

/* Are two UUID strings the same id (case-insensitive)? */
int catalog_same_id(const char *a, const char *b);

/*
 * An RFC 3339 timestamp with an explicit offset ("2026-11-22T12:00:00Z",
 * "...T12:00:00.5+02:00"), years 2000-2100, into microseconds since the
 * epoch. Returns 0 when s is not one.
 */
int catalog_parse_time(const char *s, int64_t *us);

/* A calendar date "YYYY-MM-DD" (years 2000-2100) into days since the epoch. 0 when invalid. */
int catalog_parse_date(const char *s, int64_t *days);

/*
 * A number of at most two decimals in [0, max] (or (0, max] when positive).
 * Absent is fine unless required; null is fine when nullable. When present
 * and valid, out receives it as text with two decimals ("12.50") for the
 * store; otherwise out is "". Errors name field.
 */
int catalog_check_amount(json_t *obj, const char *field, int required, int nullable, int positive, double max,
			 json_t *errs, char *out, size_t outlen);

/* An integer in [min, max]; *out when valid. */
int catalog_check_int(json_t *obj, const char *field, int required, long min, long max, json_t *errs, long *out);

/* A date string (see catalog_parse_date); *days when valid. */
int catalog_check_date(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *days);

/* A timestamp string (see catalog_parse_time); *us when valid. */
int catalog_check_time(json_t *obj, const char *field, int required, json_t *errs, const char **out, int64_t *us);

/*
 * An array of at most max_items distinct UUIDs. *out is a new array of the
 * ids in lower case (NULL when absent or invalid).
 */
int catalog_check_uuid_array(json_t *obj, const char *field, size_t min_items, size_t max_items, json_t *errs,
			     json_t **out);

/* A UUID string, lower-cased into out (37 bytes). */
int catalog_check_uuid(json_t *obj, const char *field, int required, json_t *errs, char *out);

/* The ids of a JSON array of UUID strings as a PostgreSQL array literal "{a,b}"; caller frees. */
char *catalog_uuid_array_literal(json_t *ids);

/* A string with surrounding white space removed (new reference). */
json_t *catalog_trimmed(const char *s);

#endif
