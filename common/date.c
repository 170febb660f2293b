/* date.c - civil dates, RFC 3339 timestamps and "today". */
#include "common/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* n decimal digits at s into *v; 0 if any is not a digit. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

int hg_date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "YYYY-MM-DD" at the start of s (nothing about what follows). */
static int date_prefix(const char *s, struct hg_date *out)
{
	int y, m, d;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d))
		return 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > hg_date_days_in_month(y, m))
		return 0;
	*out = (struct hg_date){y, m, d};
	return 1;
}

int hg_date_parse(const char *s, struct hg_date *out)
{
	struct hg_date d;
	if (strnlen(s, 11) != 10 || !date_prefix(s, &d))
		return 0;
	*out = d;
	return 1;
}

void hg_date_format(struct hg_date d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d.year, d.month, d.day);
}

struct hg_date hg_date_add_years(struct hg_date d, int years)
{
	d.year += years;
	if (d.day > hg_date_days_in_month(d.year, d.month))
		d.day = hg_date_days_in_month(d.year, d.month);
	return d;
}

int hg_date_cmp(struct hg_date a, struct hg_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	return a.day < b.day ? -1 : a.day > b.day;
}

/* Howard Hinnant's days_from_civil. */
int64_t hg_date_days(struct hg_date d)
{
	int64_t y = d.year - (d.month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct hg_date hg_date_utc(long long now)
{
	struct tm tm;
	time_t t = (time_t)now;
	gmtime_r(&t, &tm);
	return (struct hg_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct hg_date hg_date_today(void) { return hg_date_utc((long long)time(NULL)); }

int64_t hg_date_today_days(void) { return hg_date_days(hg_date_today()); }

int hg_timestamp_parse(const char *s, struct hg_timestamp *out)
{
	struct hg_timestamp t;
	const char *p;

	memset(&t, 0, sizeof(t));
	if (strnlen(s, 20) < 20 || !date_prefix(s, &t.date) || s[10] != 'T' || !digits(s + 11, 2, &t.hour) ||
	    s[13] != ':' || !digits(s + 14, 2, &t.minute) || s[16] != ':' || !digits(s + 17, 2, &t.second))
		return 0;
	if (t.hour > 23 || t.minute > 59 || t.second > 60)
		return 0;
	p = s + 19;
	if (*p == '.') {
		int64_t scale = HG_US_PER_S;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (t.frac_digits < 6) {
				scale /= 10;
				t.frac_us += (*p - '0') * scale;
			}
			if (t.frac_digits < 1000)
				t.frac_digits++;
		}
		if (t.frac_digits == 0)
			return 0;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return 0;
		t.offset_min = (*p == '-' ? -1 : 1) * (oh * 60 + om);
		p += 6;
	} else {
		return 0;
	}
	if (*p != '\0')
		return 0;
	*out = t;
	return 1;
}

int hg_api_date_parse(const char *s, int64_t *days)
{
	struct hg_date d;
	if (!hg_date_parse(s, &d) || d.year < HG_API_YEAR_MIN || d.year > HG_API_YEAR_MAX)
		return 0;
	*days = hg_date_days(d);
	return 1;
}

int hg_api_time_parse(const char *s, int64_t *us)
{
	struct hg_timestamp t;
	if (!hg_timestamp_parse(s, &t) || t.second > 59 || t.frac_digits > 6 || t.date.year < HG_API_YEAR_MIN ||
	    t.date.year > HG_API_YEAR_MAX)
		return 0;
	/* An offset is required ("Z" or ±hh:mm): hg_timestamp_parse refuses a local time. */
	int64_t secs = hg_date_days(t.date) * 86400 + t.hour * 3600 + t.minute * 60 + t.second - t.offset_min * 60;
	*us = secs * HG_US_PER_S + t.frac_us;
	return 1;
}
