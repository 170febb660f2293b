/*
 * fuzz_analytics_feeds - the state feeds' parsed input and texts (services/analytics/feeds.c, common/csv.c). The
 * first byte chooses: ?from=&to= (the rest split at the first '&'), an Ed-Fi title of an activity (the rest as its
 * title; bit 0x40: shared), or a CSV field. Properties: no memory error or undefined behaviour; an accepted range
 * has both days and the day after in YYYY-MM-DD, from <= to < until and at most FEEDS_MAX_DAYS days, a refused one
 * names a parameter; an Ed-Fi title of a UTF-8 title has 1 to 60 characters and is the title itself when that
 * fits and is not shared; a CSV field is quoted exactly when it must be, with every quote inside doubled, and
 * never starts with = + - @ unless it is a plain number.
 */
#include <jansson.h>

#include "common/csv.h"
#include "common/validate.h"
#include "services/analytics/feeds.h"
#include "tests/fuzz/fuzz.h"

static int is_day(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static void range(char *text)
{
	char *amp = strchr(text, '&');
	const char *to = NULL;
	if (amp != NULL) {
		*amp = '\0';
		to = amp + 1;
	}
	struct feeds_range r;
	json_t *errs = json_array();
	if (feeds_range_parse(text, to, &r, errs)) {
		FUZZ_CHECK(json_array_size(errs) == 0);
		FUZZ_CHECK(is_day(r.from) && is_day(r.to) && is_day(r.until));
		FUZZ_CHECK(strcmp(r.from, r.to) <= 0 && strcmp(r.to, r.until) < 0);
		FUZZ_CHECK(strcmp(r.from, text) == 0 && strcmp(r.to, to) == 0);
	} else {
		FUZZ_CHECK(json_array_size(errs) >= 1 && json_array_size(errs) <= 2);
	}
	json_decref(errs);
}

/* Valid UTF-8 (what a JSON string from an event is). */
static int utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != '\0') {
		int n = *p < 0x80             ? 0
			: (*p & 0xE0) == 0xC0 ? 1
			: (*p & 0xF0) == 0xE0 ? 2
			: (*p & 0xF8) == 0xF0 ? 3
					      : -1;
		if (n < 0)
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static void title(const char *text, int shared)
{
	if (!utf8(text))
		return;
	char *t = feeds_edfi_title(text, "0123abcd-0000-0000-0000-000000000000", shared);
	size_t n = hg_utf8_len(t);
	FUZZ_CHECK(n >= 1 && n <= FEEDS_EDFI_TITLE_MAX && utf8(t));
	if (!shared && text[0] != '\0' && hg_utf8_len(text) <= FEEDS_EDFI_TITLE_MAX)
		FUZZ_CHECK(strcmp(t, text) == 0);
	else
		FUZZ_CHECK(strstr(t, " [0123abcd]") != NULL);
	free(t);
}

static void field(const char *text)
{
	struct hg_csv b = {NULL, 0, 0};
	hg_csv_field(&b, text);
	const char *out = b.data != NULL ? b.data : "";
	int quoted = out[0] == '"';
	if (strpbrk(text, ",\"\r\n") != NULL)
		FUZZ_CHECK(quoted);
	if (quoted) {
		size_t len = strlen(out);
		FUZZ_CHECK(len >= 2 && out[len - 1] == '"');
		for (size_t i = 1; i + 1 < len; i++)
			if (out[i] == '"') {
				FUZZ_CHECK(out[i + 1] == '"' && i + 2 < len);
				i++;
			}
	} else {
		FUZZ_CHECK(strcmp(out, text) == 0);
		FUZZ_CHECK(strchr("=+-@\t\r", out[0]) == NULL || out[0] == '\0' || (out[1] >= '0' && out[1] <= '9') ||
			   (out[1] == '.'));
	}
	free(b.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	char *text = fuzz_text(data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		range(text);
		break;
	case 1:
		title(text, (data[0] & 0x40) != 0);
		break;
	default:
		field(text);
		break;
	}
	free(text);
	return 0;
}
