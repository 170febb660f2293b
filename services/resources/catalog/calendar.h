/* calendar.h - iCalendar (RFC 5545) feeds of the PD catalog and their private URLs' secrets (pure: no HTTP, no SQL).
 *
 * A feed is rendered from the events its store read (a JSON array, calendar_store.c): one VEVENT per session,
 * its UID the session's, its SEQUENCE a sum of versions that only grow, DTSTAMP and LAST-MODIFIED the latest
 * change of what it shows, times in UTC (the "Z" form), cancelled sessions (or an educator's cancelled
 * registration) as STATUS:CANCELLED. Lines end in CRLF and are folded at 75 octets, never inside a UTF-8
 * character; text values are escaped. docs/resources.md ("Calendar feeds") says why each choice.
 */
#ifndef CATALOG_CALENDAR_H
#define CATALOG_CALENDAR_H

#include <jansson.h>
#include <stddef.h>

/* A feed secret: 32 random bytes, base64url without padding. */
#define CALENDAR_SECRET_LEN 43
/* Its SHA-256 as lower-case hex: what the table keeps. */
#define CALENDAR_SECRET_HASH_LEN 64
/* At most this many events a feed (the nearest sessions first, from CALENDAR_WINDOW_DAYS ago). */
#define CALENDAR_MAX_EVENTS 1000
#define CALENDAR_WINDOW_DAYS 180
/* Description text at most this many bytes (an activity's description may hold 5000 characters). */
#define CALENDAR_DESCRIPTION_MAX 2000

/* Which feed: what its events mean (an educator's own registrations, or the sessions offered). */
enum calendar_kind {
	CALENDAR_EDUCATOR,
	CALENDAR_SCHOOL,
	CALENDAR_DISTRICT,
};

/* A new secret into out (CALENDAR_SECRET_LEN + 1 bytes). Returns 0 when the system has no randomness. */
int calendar_secret_new(char *out);
/* Is s shaped like a secret (CALENDAR_SECRET_LEN base64url characters)? Anything else is an unknown feed. */
int calendar_secret_shaped(const char *s);
/* SHA-256 of the secret as hex into hex (CALENDAR_SECRET_HASH_LEN + 1 bytes). Returns 0 on failure. */
int calendar_secret_hash(const char *secret, char *hex);

/* The STATUS of an event: from the session's status, and for an educator's feed their registration's status
 * and approval (NULL for the other feeds). */
const char *calendar_event_status(const char *session_status, const char *registration, const char *approval);

/*
 * TEXT escaping (RFC 5545 3.3.11) of s, new string: backslash, semicolon and comma escaped, a line break as
 * "\n", other control characters and bytes that are not UTF-8 dropped. At most max bytes of s are read, never
 * cutting a UTF-8 character.
 */
char *calendar_escape_text(const char *s, size_t max);

/*
 * The feed as text (new, caller frees): name (the calendar's name) and events, an array of objects
 * {"uid", "start", "end", "created", "modified" (UTC "YYYYMMDDTHHMMSSZ"), "sequence" (integer),
 * "session_status", "registration", "approval" (strings or null), "title", "description", "location",
 * "url" (strings or null)}, or a PLC meeting {"kind": "plc_meeting", "uid", "start_date", "end_date" (the day
 * held and the next, "YYYYMMDD"), "created", "modified", "sequence", "title" (the PLC's name), "minutes",
 * "attended" (boolean)}, an all-day event. Events missing a uid, their times or modified are left out.
 */
char *calendar_render(enum calendar_kind kind, const char *name, const json_t *events);

/* One unfolded content line (no CRLF), new string: lines of at most 75 octets each ending in CRLF, the
 * continuations starting with a space, never cutting a UTF-8 character. */
char *calendar_fold_line(const char *line);

#endif
