/* academic_session_store.c - academic sessions (terms, school years) in PostgreSQL: read by the CRUD kit. */
#include "services/roster/roster_store.h"

/* In import order; $5 the status filter (NULL: any). */
static const struct hg_stmt page_stmt = {
	"roster_session_list",
	"SELECT academic_session_json(s)::text, s.seq, s.id FROM academic_sessions s"
	" WHERE s.district_id = $1 AND s.seq >= coalesce($3::bigint, 0)"
	" AND (s.seq, s.id) > (coalesce($3::bigint, 0), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))"
	" AND ($5::text IS NULL OR s.status = $5) ORDER BY s.seq LIMIT $2",
	5};

const struct hg_entity academic_session_entity = {
	.name = "academic session",
	.page = &page_stmt,
};
