/* log.h - structured logs: one JSON object per line on stderr.
 *
 * Every line carries the time, level, function and (inside a request) the
 * request id. Never log a secret, a token, a password or survey answers.
 */
#ifndef HG_LOG_H
#define HG_LOG_H

#include <jansson.h>

enum hg_log_level { HG_LOG_DEBUG, HG_LOG_INFO, HG_LOG_WARN, HG_LOG_ERROR };

extern enum hg_log_level hg_log_min_level;

/* The request id of the request this thread is serving, or "" outside one. */
const char *hg_log_request_id(void);
/* Set (or with NULL clear) this thread's request id; the string is copied. */
void hg_log_set_request_id(const char *id);
/* Parse "debug"/"info"/"warn"/"error"; returns 0 on success. */
int hg_log_level_parse(const char *s, enum hg_log_level *out);

void hg_log_write(enum hg_log_level level, const char *func, json_t *fields, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Log a message; the level is checked before anything is formatted. */
#define hg_log(level, ...)                                                  \
	do {                                                                \
		if ((level) >= hg_log_min_level)                            \
			hg_log_write((level), __func__, NULL, __VA_ARGS__); \
	} while (0)

/* Log a message with extra fields; fields (a JSON object) is stolen. */
#define hg_log_fields(level, fields, ...)                                        \
	do {                                                                     \
		json_t *hg_log_f_ = (fields);                                    \
		if ((level) >= hg_log_min_level)                                 \
			hg_log_write((level), __func__, hg_log_f_, __VA_ARGS__); \
		else                                                             \
			json_decref(hg_log_f_);                                  \
	} while (0)

#endif
