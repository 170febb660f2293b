/* calendar.c - iCalendar (RFC 5545) feeds and their secrets (pure). */
#include "services/resources/catalog/calendar.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64url.h"
#include "common/xmalloc.h"

/* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
#define FOLD_OCTETS 75

/* A growing text (aborts on out-of-memory, like every small allocation). */
struct text {
	char *p;
	size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		t->p = xrealloc(t->p, cap);
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void text_str(struct text *t, const char *s) { text_add(t, s, strlen(s)); }

static char *text_take(struct text *t)
{
	if (t->p == NULL)
		return xstrdup("");
	return t->p;
}

int calendar_secret_new(char *out)
{
	unsigned char raw[32];
	if (RAND_bytes(raw, (int)sizeof(raw)) != 1)
		return 0;
	char *enc = hg_b64url_encode(raw, sizeof(raw));
	int ok = enc != NULL && strlen(enc) == CALENDAR_SECRET_LEN;
	if (ok)
		memcpy(out, enc, CALENDAR_SECRET_LEN + 1);
	free(enc);
	return ok;
}

int calendar_secret_shaped(const char *s)
{
	if (s == NULL || strlen(s) != CALENDAR_SECRET_LEN)
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_'))
			return 0;
	return 1;
}

int calendar_secret_hash(const char *secret, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_Digest(secret, strlen(secret), md, &n, EVP_sha256(), NULL) != 1 || n * 2 != CALENDAR_SECRET_HASH_LEN)
		return 0;
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 1;
}

const char *calendar_event_status(const char *session_status, const char *registration, const char *approval)
{
	if (session_status != NULL && strcmp(session_status, "cancelled") == 0)
		return "CANCELLED";
	if (registration != NULL && strcmp(registration, "cancelled") == 0)
		return "CANCELLED";
	if ((registration != NULL && strcmp(registration, "waitlisted") == 0) ||
	    (approval != NULL && strcmp(approval, "pending") == 0))
		return "TENTATIVE";
	return "CONFIRMED";
}

/* Length of the well-formed UTF-8 character at s (n bytes left): 1-4, or 0 for a byte that starts none (a stray
 * continuation byte, a lead byte without its continuations). */
static size_t utf8_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 0;
	return k;
}

char *calendar_escape_text(const char *s, size_t max)
{
	struct text t = {0};
	size_t i = 0, n = s ? strlen(s) : 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = utf8_len(s + i, n - i);
		if (k == 0) { /* not UTF-8: dropped (a malformed sequence could hide a line break) */
			i++;
			continue;
		}
		if (i + k > max)
			break;
		if (c == '\\' || c == ';' || c == ',') {
			char esc[2] = {'\\', (char)c};
			text_add(&t, esc, 2);
		} else if (c == '\n') {
			text_add(&t, "\\n", 2);
		} else if (c < 0x20 || c == 0x7F) {
			/* CR (of a CRLF), tabs and other controls: TEXT may not hold them (3.3.11) */
		} else {
			text_add(&t, s + i, k);
		}
		i += k;
	}
	return text_take(&t);
}

char *calendar_fold_line(const char *line)
{
	struct text t = {0};
	size_t n = strlen(line), i = 0, room = FOLD_OCTETS;
	while (i < n) {
		size_t k = utf8_len(line + i, n - i);
		if (k == 0)
			k = 1; /* not UTF-8 (escaped text never is): a byte on its own */
		if (k > room) {
			text_add(&t, "\r\n ", 3); /* the continuation's space counts towards its 75 octets */
			room = FOLD_OCTETS - 1;
		}
		text_add(&t, line + i, k);
		room -= k;
		i += k;
	}
	text_add(&t, "\r\n", 2);
	return text_take(&t);
}

/* Append "NAME:value" folded; value is used as it is (escape TEXT first). */
static void prop(struct text *out, const char *name, const char *value)
{
	char *line = xasprintf("%s:%s", name, value);
	char *folded = calendar_fold_line(line);
	text_str(out, folded);
	free(folded);
	free(line);
}

/* Append a TEXT property, escaped; nothing when the value is absent or empty. */
static void prop_text(struct text *out, const char *name, const char *value, size_t max)
{
	if (value == NULL || *value == '\0')
		return;
	char *esc = calendar_escape_text(value, max);
	prop(out, name, esc);
	free(esc);
}

/* A URI value: controls and spaces dropped (a URI holds none), no TEXT escaping (3.3.13). */
static void prop_uri(struct text *out, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	struct text t = {0};
	for (const char *c = value; *c; c++)
		if ((unsigned char)*c > 0x20 && *c != 0x7F)
			text_add(&t, c, 1);
	if (t.len > 0)
		prop(out, name, t.p);
	free(t.p);
}

/* Is s a UTC date-time in the form this file writes ("YYYYMMDDTHHMMSSZ")? */
static int utc_shaped(const char *s)
{
	if (s == NULL || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return 0;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static const char *str(const json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* What the educator's registration is, said first in the description of their own feed's event. */
static const char *registration_note(const char *registration, const char *approval)
{
	if (registration == NULL)
		return NULL;
	if (strcmp(registration, "cancelled") == 0)
		return "Your registration is cancelled.";
	if (strcmp(registration, "waitlisted") == 0)
		return "You are on the waitlist.";
	if (approval != NULL && strcmp(approval, "pending") == 0)
		return "Your registration awaits your school leader's approval.";
	return "You are registered.";
}

/* Is s a date in the form this file writes ("YYYYMMDD")? */
static int date_shaped(const char *s)
{
	if (s == NULL || strlen(s) != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A PLC meeting: coaching records the day it was held, not a time, so an all-day event of that day (DTEND the
 * next day, 3.6.1), taking no time of the educator's day in free/busy. */
static void render_meeting(struct text *out, const json_t *e)
{
	const char *uid = str(e, "uid"), *day = str(e, "start_date"), *next = str(e, "end_date");
	const char *modified = str(e, "modified"), *created = str(e, "created");
	json_int_t minutes = json_integer_value(json_object_get(e, "minutes"));
	char num[32], *value;

	if (uid == NULL || strlen(uid) > 64 || !date_shaped(day) || !date_shaped(next) || !utc_shaped(modified))
		return;
	text_str(out, "BEGIN:VEVENT\r\n");
	value = xasprintf("%s@homegrown.plc", uid);
	prop(out, "UID", value);
	free(value);
	prop(out, "DTSTAMP", modified);
	if (utc_shaped(created))
		prop(out, "CREATED", created);
	prop(out, "LAST-MODIFIED", modified);
	snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(json_object_get(e, "sequence")));
	prop(out, "SEQUENCE", num);
	prop(out, "DTSTART;VALUE=DATE", day);
	prop(out, "DTEND;VALUE=DATE", next);
	value = xasprintf("PLC meeting: %s", str(e, "title") ? str(e, "title") : "");
	prop_text(out, "SUMMARY", value, 1000);
	free(value);
	value = xasprintf("A meeting of your PLC, %lld minutes. %s", (long long)minutes,
			  json_is_true(json_object_get(e, "attended")) ? "You attended."
								       : "You are not recorded as attending.");
	prop_text(out, "DESCRIPTION", value, CALENDAR_DESCRIPTION_MAX);
	free(value);
	prop(out, "STATUS", "CONFIRMED");
	prop(out, "TRANSP", "TRANSPARENT");
	text_str(out, "END:VEVENT\r\n");
}

static void render_event(struct text *out, enum calendar_kind kind, const json_t *e)
{
	const char *uid = str(e, "uid"), *start = str(e, "start"), *end = str(e, "end");
	const char *modified = str(e, "modified"), *created = str(e, "created");
	const char *registration = kind == CALENDAR_EDUCATOR ? str(e, "registration") : NULL;
	const char *approval = kind == CALENDAR_EDUCATOR ? str(e, "approval") : NULL;
	json_int_t sequence = json_integer_value(json_object_get(e, "sequence"));
	char num[32], *value;

	if (uid == NULL || strlen(uid) > 64 || !utc_shaped(start) || !utc_shaped(end) || !utc_shaped(modified))
		return;
	text_str(out, "BEGIN:VEVENT\r\n");
	value = xasprintf("%s@homegrown.catalog", uid);
	prop(out, "UID", value);
	free(value);
	/* No METHOD: a published feed's DTSTAMP is when the event's information was last revised (3.8.7.2). */
	prop(out, "DTSTAMP", modified);
	if (utc_shaped(created))
		prop(out, "CREATED", created);
	prop(out, "LAST-MODIFIED", modified);
	snprintf(num, sizeof(num), "%lld", (long long)(sequence > 0 ? sequence : 0));
	prop(out, "SEQUENCE", num);
	prop(out, "DTSTART", start);
	prop(out, "DTEND", end);
	prop_text(out, "SUMMARY", str(e, "title"), 1000);

	struct text desc = {0};
	const char *note = registration_note(registration, approval);
	if (note != NULL)
		text_str(&desc, note);
	const char *about = str(e, "description");
	if (about != NULL && *about != '\0') {
		if (desc.len > 0)
			text_str(&desc, "\n\n");
		text_str(&desc, about);
	}
	prop_text(out, "DESCRIPTION", desc.p, CALENDAR_DESCRIPTION_MAX);
	free(desc.p);
	prop_text(out, "LOCATION", str(e, "location"), 1000);
	prop_uri(out, "URL", str(e, "url"));
	prop(out, "STATUS", calendar_event_status(str(e, "session_status"), registration, approval));
	/* Sessions one is in block one's time; sessions on offer do not (5545 3.8.2.7). */
	prop(out, "TRANSP",
	     kind == CALENDAR_EDUCATOR && (registration == NULL || strcmp(registration, "registered") == 0)
		     ? "OPAQUE"
		     : "TRANSPARENT");
	text_str(out, "END:VEVENT\r\n");
}

char *calendar_render(enum calendar_kind kind, const char *name, const json_t *events)
{
	struct text out = {0};
	size_t before;

	text_str(&out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Homegrown//PD catalog calendar//EN\r\n"
		       "CALSCALE:GREGORIAN\r\n");
	prop_text(&out, "NAME", name, 200); /* RFC 7986 */
	prop_text(&out, "X-WR-CALNAME", name, 200);
	/* RFC 7986 and its older spelling: how often a subscriber should read the feed again. */
	text_str(&out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n");
	before = out.len;
	size_t i;
	const json_t *e;
	json_array_foreach(events, i, e) {
		const char *what = str(e, "kind");
		if (what != NULL && strcmp(what, "plc_meeting") == 0)
			render_meeting(&out, e);
		else
			render_event(&out, kind, e);
	}
	if (out.len == before)
		/* The grammar asks for at least one component (3.4): an empty feed carries the UTC zone, which every
		 * time of these feeds is in. */
		text_str(&out,
			 "BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
			 "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n");
	text_str(&out, "END:VCALENDAR\r\n");
	return text_take(&out);
}
