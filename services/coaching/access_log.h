/* access_log.h - who reads the access log of coaching content (pure). */
#ifndef COACHING_ACCESS_LOG_H
#define COACHING_ACCESS_LOG_H

#include "common/auth.h"
#include "common/reason.h"
#include "common/record.h"

/* ?teacher_id=, ?reader_id=, ?record_id= as given, then the teacher every line must be about: the caller unless
 * a district admin (a teacher reads the reads of their own records only). */
const struct hg_reason *access_log_list_args(const struct hg_principal *who, const char *const *values,
					     struct hg_record_call *call);

#endif
