/* date.h - civil dates, RFC 3339 timestamps and "today" (pure; no I/O).
 *
 * One module for every date the API reads or writes: request bodies and
 * query parameters (dates and timestamps of the years HG_API_YEAR_MIN to
 * HG_API_YEAR_MAX), OneRoster's CSV dates, content-review due dates.
 * Every parser returns 1 when the text is valid and 0 otherwise.
 */
#ifndef HG_DATE_H
#define HG_DATE_H

#include <stddef.h>
#include <stdint.h>

/* The years an API date or timestamp may name (the year as written counts). */
#define HG_API_YEAR_MIN 2000
#define HG_API_YEAR_MAX 2100

#define HG_US_PER_S 1000000LL
#define HG_US_PER_DAY (86400LL * HG_US_PER_S)

/* A proleptic Gregorian calendar date. */
struct hg_date {
	int year, month, day;
};

/* An RFC 3339 timestamp as written: date, time, fraction and offset. */
struct hg_timestamp {
	struct hg_date date;
	int hour, minute, second; /* second may be 60 (a leap second) */
	int frac_digits;          /* digits after the decimal point (0: none) */
	int64_t frac_us;          /* the fraction in microseconds (digits beyond six are dropped) */
	int offset_min;           /* minutes east of UTC ("Z": 0) */
};

/* Days in month m (1-12) of year y. */
int hg_date_days_in_month(int y, int m);

/* "YYYY-MM-DD", a real calendar date of the years 1-9999, and nothing after it. */
int hg_date_parse(const char *s, struct hg_date *out);
/* Format as "YYYY-MM-DD" into buf (at least 11 bytes). */
void hg_date_format(struct hg_date d, char *buf, size_t len);
/* d plus years; 29 February becomes 28 February in a common year (as PostgreSQL's date + interval). */
struct hg_date hg_date_add_years(struct hg_date d, int years);
/* <0, 0, >0 as a is before, equal to or after b. */
int hg_date_cmp(struct hg_date a, struct hg_date b);
/* Days since 1970-01-01 (negative before it). */
int64_t hg_date_days(struct hg_date d);
/* The UTC date at Unix time now (seconds). */
struct hg_date hg_date_utc(long long now);
/* Today's date in UTC. */
struct hg_date hg_date_today(void);
/* Today in UTC as days since 1970-01-01. */
int64_t hg_date_today_days(void);

/*
 * An RFC 3339 date-time ("2026-11-22T12:00:00Z", "...T12:00:00.5+02:00"):
 * a real date (years 1-9999), seconds up to 60, any number of fraction
 * digits, and "Z" or a "+hh:mm"/"-hh:mm" offset, and nothing after it.
 */
int hg_timestamp_parse(const char *s, struct hg_timestamp *out);

/*
 * An API date "YYYY-MM-DD" of the years HG_API_YEAR_MIN to HG_API_YEAR_MAX
 * into days since the epoch.
 */
int hg_api_date_parse(const char *s, int64_t *days);

/*
 * An API timestamp: RFC 3339 with an explicit offset, seconds up to 59, at
 * most microseconds (what PostgreSQL keeps), the year as written between
 * HG_API_YEAR_MIN and HG_API_YEAR_MAX; into microseconds since the epoch.
 */
int hg_api_time_parse(const char *s, int64_t *us);

#endif
