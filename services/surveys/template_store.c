/* template_store.c - built-in templates in PostgreSQL (migrations/0003_templates.sql): read, and copied into a
 * new draft survey of the caller's district. Templates belong to no district; $1 (the caller's district) is
 * only the kit's layout for them. */
#include "services/surveys/surveys_store.h"

static const struct hg_stmt get_stmt = {
	"template_get", "SELECT template_json(t)::text FROM templates t WHERE $1::uuid IS NOT NULL AND t.id = $2", 2};

/* In the templates' order (position). */
static const struct hg_stmt page_stmt = {
	"template_page",
	"SELECT template_json(t)::text, t.position::bigint, t.id FROM templates t WHERE $1::uuid IS NOT NULL"
	" AND (t.position::bigint, t.id) > (coalesce($3::bigint, -1), coalesce($4::uuid,"
	" '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY t.position, t.id LIMIT $2",
	4};

/* The copy's parent: the template (404 "template not found" when there is none). */
static const struct hg_stmt parent_stmt = {
	"template_parent",
	"SELECT json_build_object('purpose', purpose)::text FROM templates WHERE $1::uuid IS NOT NULL AND id = $2", 2};

/* A draft survey with the template's purpose and questions; title, description and mode the body's or the
 * template's, audience and window the body's (default the whole district, no window). $4 the template. */
static const struct hg_stmt copy_stmt = {
	"template_copy",
	"INSERT INTO surveys (district_id, created_by, title, description, purpose, mode, audience, opens_at,"
	" closes_at, questions)"
	" SELECT $1, $2, coalesce(d->>'title', t.title), coalesce(d->>'description', t.description), t.purpose,"
	" coalesce(d->>'mode', t.mode), coalesce(d->'audience', '{}'), (d->>'opens_at')::timestamptz,"
	" (d->>'closes_at')::timestamptz, t.questions"
	" FROM templates t, (SELECT $3::jsonb AS d) AS input WHERE t.id = $4"
	" RETURNING survey_json(surveys)::text",
	4};

const struct hg_entity template_entity = {
	.name = "template",
	.get = &get_stmt,
	.page = &page_stmt,
};

const struct hg_entity template_copy_entity = {
	.name = "survey",
	.parent_name = "template",
	.insert = &copy_stmt,
	.parent_lock = &parent_stmt,
	.created = "survey.created",
};
