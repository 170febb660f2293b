/* reason.h - why a rule refused: a stable machine-readable code, its status and its detail.
 *
 * Domain rules are pure functions that return NULL (allowed) or a reason.
 * Each service defines its reasons once, as an X-macro table:
 *
 *     #define CATALOG_REASONS(X) \
 *             X(R_ARCHIVED, "activity_archived", HG_CONFLICT, "an archived activity cannot be changed")
 *     HG_REASON_TABLE(catalog, CATALOG_REASONS)   (in a header: the enum and the array's declaration)
 *     HG_REASON_DEFINE(catalog, CATALOG_REASONS)  (in one .c file: the array)
 *
 * and a rule returns HG_REASON(catalog, R_ARCHIVED). The reply (hg_reply_refusal) is a problem+json of the
 * reason's status whose `reason` member is the code and whose detail is the sentence.
 */
#ifndef HG_REASON_H
#define HG_REASON_H

#include "common/status.h"

struct hg_reason {
	const char *code;      /* stable, snake_case: the problem's "reason" member */
	enum hg_status status; /* HG_CONFLICT, HG_FORBIDDEN, HG_INVALID, HG_NOT_FOUND, ... */
	const char *detail;    /* the problem's detail: short, factual, lower case */
};

/* macros that declare tables */
/* clang-format off */
#define HG_REASON_ENUM_(name, code, status, detail) name,
#define HG_REASON_ROW_(name, code, status, detail) [name] = {code, status, detail},

/* The enum <prefix>_reason of the table's names and the declaration of <prefix>_reasons[]. */
#define HG_REASON_TABLE(prefix, MAP)                                  \
	enum prefix##_reason { MAP(HG_REASON_ENUM_) prefix##_REASON_COUNT }; \
	extern const struct hg_reason prefix##_reasons[prefix##_REASON_COUNT]

/* The definition of <prefix>_reasons[] (one .c file per service). */
#define HG_REASON_DEFINE(prefix, MAP) const struct hg_reason prefix##_reasons[prefix##_REASON_COUNT] = {MAP(HG_REASON_ROW_)}
/* clang-format on */

/* A pointer to one reason of a service's table. */
#define HG_REASON(prefix, name) (&prefix##_reasons[name])

/* Not a refusal: the change would change nothing; the caller answers the row as it is (no write, no event). */
extern const struct hg_reason hg_reason_unchanged;

#endif
