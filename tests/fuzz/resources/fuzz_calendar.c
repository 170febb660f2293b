/*
 * fuzz_calendar - the iCalendar rendering of the calendar feeds (services/resources/catalog/calendar.c) on any
 * text a title, a description, a place or a link may hold (split at 0x1f).
 * Properties: the feed is lines of at most 75 octets, each ending in CRLF, with no other CR, LF or control
 * byte; a continuation starts with a space; valid UTF-8 in stays valid UTF-8 out (a fold never splits a
 * character); the one event is there; and escaping a text then reading it back gives the text without its
 * control characters (a line break kept); escaping anything yields UTF-8 without a control byte.
 */
#include <jansson.h>

#include "services/resources/catalog/calendar.h"
#include "tests/fuzz/fuzz.h"

/* Is s[0..n) valid UTF-8 (any well-formed sequence of 1-4 bytes; overlongs not looked at)? */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* The unfolded, unescaped value of text as escaped by calendar_escape_text. */
static char *unescape(const char *e)
{
	char *out = malloc(strlen(e) + 1), *o = out;
	if (out == NULL)
		abort();
	for (const char *p = e; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			*o++ = *p == 'n' ? '\n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char *field[4] = {"", "", "", ""};
	char *p = text;
	for (int i = 0; i < 4 && p != NULL; i++) {
		field[i] = p;
		p = strchr(p, 0x1f);
		if (p != NULL)
			*p++ = '\0';
	}
	json_t *events = json_array();
	json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "uid",
						"0b7c7a52-6f3e-4d7e-9a43-1a1d2c3b4a59", "start", "20270115T150000Z",
						"end", "20270115T163000Z", "modified", "20261202T080910Z", "created",
						"20261201T120000Z", "sequence", 1, "session_status", "registering",
						"registration", "registered", "title", field[0], "description",
						field[1], "location", field[2], "url", field[3]));
	if (json_array_size(events) == 1 && json_is_object(json_array_get(events, 0))) {
		char *ics = calendar_render(CALENDAR_EDUCATOR, field[0], events);
		size_t n = strlen(ics);
		FUZZ_CHECK(n >= 15 && strcmp(ics + n - 15, "END:VCALENDAR\r\n") == 0);
		const char *line = ics;
		while (*line) {
			const char *crlf = strstr(line, "\r\n");
			FUZZ_CHECK(crlf != NULL && crlf - line <= 75);
			for (const char *c = line; c < crlf; c++)
				FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7F);
			line = crlf + 2;
		}
		FUZZ_CHECK(strstr(ics, "\r\nBEGIN:VEVENT\r\n") != NULL);
		/* one event: no text, however folded, makes a line of its own (a continuation starts with a space) */
		FUZZ_CHECK(strstr(strstr(ics, "\r\nBEGIN:VEVENT\r\n") + 1, "\r\nBEGIN:VEVENT\r\n") == NULL);
		FUZZ_CHECK(strstr(strstr(ics, "\r\nEND:VEVENT\r\n") + 1, "\r\nEND:VEVENT\r\n") == NULL);
		if (utf8_valid(data, size))
			FUZZ_CHECK(utf8_valid((const unsigned char *)ics, n));
		free(ics);
	}
	json_decref(events); /* json_pack refuses text that is not UTF-8: then no event, nothing rendered */

	/* escaping: never a control byte and always UTF-8 out, whatever comes in; read back, valid text again */
	char *esc = calendar_escape_text(field[0], (size_t)-1);
	FUZZ_CHECK(utf8_valid((const unsigned char *)esc, strlen(esc)));
	for (const char *c = esc; *c; c++)
		FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7F);
	char *back = unescape(esc);
	char *want = malloc(strlen(field[0]) + 1), *w = want;
	if (want == NULL)
		abort();
	for (const char *c = field[0]; *c; c++)
		if ((unsigned char)*c >= 0x20 && *c != 0x7F)
			*w++ = *c;
		else if (*c == '\n')
			*w++ = '\n';
	*w = '\0';
	if (utf8_valid((const unsigned char *)field[0], strlen(field[0])))
		FUZZ_CHECK(strcmp(back, want) == 0);
	free(want);
	free(back);
	free(esc);
	free(text);
	return 0;
}
