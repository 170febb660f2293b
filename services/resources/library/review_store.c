/* review_store.c - reviews and content checks of library resources in PostgreSQL. */
#include "services/resources/library/review_store.h"

#include <stdio.h>

#include "services/resources/library/review.h"
#include "services/resources/reasons.h"

/* The live resource a list of reviews belongs to. */
static const struct hg_stmt resource_stmt = {
	"library_review_resource_live",
	"SELECT '{}' FROM library_resources WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL", 2};

/*
 * Adding a review or a content check locks the resource row first: reviews of one resource are counted one
 * after the other, each on the latest totals. A second review by the same educator fails on the unique key
 * (23505 → 409) and the whole transaction, aggregate included, rolls back.
 */
static const struct hg_stmt resource_lock_stmt = {
	"library_review_resource_lock",
	"SELECT json_build_object('review_due_on', review_due_on)::text FROM library_resources"
	" WHERE district_id = $1 AND id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE",
	2};

static const struct hg_stmt insert_stmt = {
	"library_review_insert",
	"INSERT INTO library_reviews (district_id, resource_id, reviewer_id, rating, comment)"
	" SELECT $1, $4, $2, (d->>'rating')::smallint, d->>'comment' FROM (SELECT $3::jsonb AS d) AS input"
	" RETURNING library_review_json(library_reviews)::text",
	4};

/* $3: the change of the sum of ratings; $4: reviews added (1 or 0). */
static const struct hg_stmt count_stmt = {"library_review_count",
					  "UPDATE library_resources SET rating_count = rating_count + $4::integer,"
					  " rating_sum = rating_sum + $3::integer WHERE district_id = $1 AND id = $2",
					  4};

static const struct hg_stmt get_stmt = {
	"library_review_get",
	"SELECT library_review_json(v)::text FROM library_reviews v"
	" JOIN library_resources r ON r.district_id = v.district_id AND r.id = v.resource_id"
	" WHERE v.district_id = $1 AND v.id = $2 AND v.resource_id = $3 AND r.deleted_at IS NULL",
	3};

static const struct hg_stmt page_stmt = {
	"library_review_page",
	"SELECT library_review_json(v)::text, (extract(epoch FROM v.created_at) * 1000000)::bigint, v.id"
	" FROM library_reviews v WHERE v.district_id = $1 AND v.resource_id = $5"
	" AND ($4::uuid IS NULL OR (v.created_at, v.id) <"
	" ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))"
	" ORDER BY v.created_at DESC, v.id DESC LIMIT $2",
	5};

/* Changing a review: the resource row first (the lock order of adding one), then the review. */
static const struct hg_stmt before_lock_stmt = {
	"library_review_lock_resource",
	"SELECT 1 FROM library_resources WHERE district_id = $1 AND deleted_at IS NULL"
	" AND id = (SELECT resource_id FROM library_reviews WHERE district_id = $1 AND id = $2) FOR NO KEY UPDATE",
	2};

static const struct hg_stmt lock_stmt = {
	"library_review_lock",
	"SELECT version, json_build_object('reviewer_id', reviewer_id, 'rating', rating)::text FROM library_reviews"
	" WHERE district_id = $1 AND id = $2 AND resource_id = $3 FOR UPDATE",
	3};

static const struct hg_stmt update_stmt = {
	"library_review_update",
	"UPDATE library_reviews SET"
	" rating = CASE WHEN d ? 'rating' THEN (d->>'rating')::smallint ELSE rating END,"
	" comment = CASE WHEN d ? 'comment' THEN d->>'comment' ELSE comment END,"
	" version = version + 1, updated_at = clock_timestamp()"
	" FROM (SELECT $3::jsonb AS d) AS input WHERE district_id = $1 AND id = $2"
	" RETURNING library_review_json(library_reviews)::text",
	3};

/* Count a review's rating (added: one more review) in its resource's aggregate. */
static enum hg_status count(struct hg_db_conn *conn, const struct hg_record_call *call, json_int_t delta, int added)
{
	char d[24];
	snprintf(d, sizeof(d), "%lld", (long long)delta);
	const char *params[4] = {call->who->district_id, call->args[0], d, added ? "1" : "0"};
	return hg_db_exec(conn, &count_stmt, params, NULL);
}

static enum hg_status after_create(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				   json_t *record)
{
	(void)state;
	return count(conn, call, json_integer_value(json_object_get(record, "rating")), 1);
}

static enum hg_status after_update(struct hg_db_conn *conn, const struct hg_record_call *call, json_t *state,
				   json_t *record)
{
	json_int_t delta = json_integer_value(json_object_get(record, "rating")) -
			   json_integer_value(json_object_get(state, "rating"));
	return delta != 0 ? count(conn, call, delta, 0) : HG_OK;
}

const struct hg_entity review_entity = {
	.name = "review",
	.parent_name = "resource",
	.insert = &insert_stmt,
	.get = &get_stmt,
	.page = &page_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.parent = &resource_stmt,
	.parent_lock = &resource_lock_stmt,
	.before_lock = &before_lock_stmt,
	.created = "review.created",
	.updated = "review.updated",
	.change_rule = review_rule_change,
	.conflict = RESOURCES_REFUSE(R_ALREADY_REVIEWED),
	.after_create = after_create,
	.after_update = after_update,
};

/* A content check: recorded with the date it replaces, and the resource's date moved, in one statement. */
static const struct hg_stmt check_insert_stmt = {
	"library_content_check_insert",
	"WITH ins AS (INSERT INTO library_content_checks (district_id, resource_id, checked_by, note,"
	" previous_review_due_on, review_due_on)"
	" SELECT $1, r.id, $2, d->>'note', r.review_due_on, (d->>'review_due_on')::date"
	" FROM library_resources r, (SELECT $3::jsonb AS d) AS input WHERE r.district_id = $1 AND r.id = $4"
	" RETURNING library_content_check_json(library_content_checks)::text AS j, resource_id, review_due_on,"
	" checked_at), moved AS (UPDATE library_resources r SET review_due_on = ins.review_due_on,"
	" content_checked_at = ins.checked_at FROM ins WHERE r.district_id = $1 AND r.id = ins.resource_id)"
	" SELECT j FROM ins",
	4};

const struct hg_entity content_check_entity = {
	.name = "content check",
	.parent_name = "resource",
	.insert = &check_insert_stmt,
	.parent_lock = &resource_lock_stmt,
	.created = "content.checked",
	.subject_parent = 1,
};
