/* transcript.h - who may read a transcript, and its period (pure). */
#ifndef CATALOG_TRANSCRIPT_H
#define CATALOG_TRANSCRIPT_H

#include <jansson.h>
#include <stdint.h>

#include "common/auth.h"

enum catalog_transcript_access {
	CATALOG_TRANSCRIPT_ALLOWED,   /* the educator themself, or a district admin */
	CATALOG_TRANSCRIPT_IF_SCHOOL, /* a school leader: only when they share a school with the educator */
	CATALOG_TRANSCRIPT_DENIED,
};

/* Who may read the transcript of educator? */
enum catalog_transcript_access transcript_access(const struct hg_principal *who, const char *educator);

/*
 * The period of ?from=&to= (dates YYYY-MM-DD, both optional and inclusive;
 * from ≤ to). Absent bounds become 2000-01-01 / 2100-12-31. Returns 0 with
 * a static reason in *why for a bad value.
 */
int transcript_period(const char *from, const char *to, int64_t *from_days, int64_t *to_days, json_t *errs);

#endif
