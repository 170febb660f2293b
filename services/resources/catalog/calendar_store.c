/* calendar_store.c - calendar feeds in PostgreSQL. */
#include "services/resources/catalog/calendar_store.h"

#include <stdio.h>
#include <string.h>

#include "common/record.h"

#define FEED_JSON                                                                                            \
	"json_build_object('educator_id', f.educator_id, 'created_at', rfc3339(f.created_at), 'rotated_at'," \
	" rfc3339(f.rotated_at))"

/* xmax = 0 on the row RETURNING sees: inserted, not updated (a rotation). */
static const struct hg_stmt put_stmt = {
	"catalog_calendar_feed_put",
	"INSERT INTO catalog_calendar_feeds AS f (district_id, educator_id, secret_hash) VALUES ($1, $2, $3)"
	" ON CONFLICT (district_id, educator_id) DO UPDATE SET secret_hash = excluded.secret_hash,"
	" rotated_at = clock_timestamp()"
	" RETURNING (" FEED_JSON "::jsonb || jsonb_build_object('created', f.xmax = 0))::text",
	3};

static const struct hg_stmt get_stmt = {
	"catalog_calendar_feed_get",
	"SELECT " FEED_JSON "::text FROM catalog_calendar_feeds f WHERE f.district_id = $1 AND f.educator_id = $2", 2};

static const struct hg_stmt revoke_stmt = {
	"catalog_calendar_feed_revoke",
	"DELETE FROM catalog_calendar_feeds f WHERE f.district_id = $1 AND f.educator_id = $2 RETURNING '{}'::text", 2};

static const struct hg_stmt holder_stmt = {
	"catalog_calendar_feed_holder",
	"SELECT json_build_object('district_id', f.district_id, 'educator_id', f.educator_id)::text"
	" FROM catalog_calendar_feeds f"
	" JOIN roster_educators e ON e.district_id = f.district_id AND e.educator_id = f.educator_id"
	" WHERE f.secret_hash = $1 AND e.status = 'active'"
	" AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM roster_educator_schools es WHERE es.district_id ="
	" f.district_id AND es.educator_id = f.educator_id AND es.school_id = $2::uuid))",
	2};

/* One event of session s of activity a (calendar.h says the shape); extra: more members. */
#define EVENT_JSON(extra, modified, sequence)                                                                  \
	"json_build_object('uid', s.id, 'start', ical_utc(s.starts_at), 'end', ical_utc(s.ends_at),"           \
	" 'created', ical_utc(s.created_at), 'modified', ical_utc(" modified "), 'sequence', " sequence ","    \
	" 'session_status', s.status, 'title', a.title, 'description', a.description, 'location', s.location," \
	" 'url', s.online_url" extra ")"

/* The window and the cap: sessions that ended less than $3 days ago, the first $4 by start. */
#define WINDOW " AND s.ends_at > now() - make_interval(days => $3::integer)"
#define ARRAY_OF(select) "SELECT coalesce(json_agg(x.ev ORDER BY x.st, x.id), '[]')::text FROM (" select ") x"

/*
 * An educator's sessions: for each session their latest registration (by arrival), whatever its status; the
 * sequence adds the versions of all of theirs for the session, so it still grows when they cancel and register
 * again (a new registration starts at version 1). And the meetings of their PLCs (coaching's read model), as
 * all-day events of the day held, from the same window.
 */
static const struct hg_stmt educator_stmt = {
	"catalog_calendar_educator",
	ARRAY_OF("(SELECT " EVENT_JSON(
		", 'registration', r.status, 'approval', r.approval", "greatest(s.updated_at, a.updated_at, r.updated)",
		"s.version + a.version + r.versions") " AS ev, s.starts_at AS st, s.id"
						      " FROM (SELECT DISTINCT ON (r.session_id) r.session_id, r.status, r.approval,"
						      "  sum(r.version) OVER (PARTITION BY r.session_id) AS versions,"
						      "  max(r.updated_at) OVER (PARTITION BY r.session_id) AS updated"
						      "  FROM catalog_registrations r WHERE r.district_id = $1 AND r.educator_id = $2"
						      "  ORDER BY r.session_id, r.seq DESC) r"
						      " JOIN catalog_sessions s ON s.id = r.session_id"
						      " JOIN catalog_activities a ON a.id = s.activity_id"
						      " WHERE s.district_id = $1" WINDOW
						      " ORDER BY s.starts_at, s.id LIMIT $4)"
						      " UNION ALL"
						      " (SELECT json_build_object('uid', m.meeting_id, 'kind', 'plc_meeting',"
						      "  'start_date', to_char(m.held_on, 'YYYYMMDD'), 'end_date', to_char(m.held_on + 1, 'YYYYMMDD'),"
						      "  'created', ical_utc(m.created_at), 'modified', ical_utc(greatest(m.updated_at, p.updated_at)),"
						      "  'sequence', m.version + p.version, 'title', p.name, 'minutes', m.minutes,"
						      "  'attended', $2::uuid = ANY (m.attendance)), m.held_on::timestamp AT TIME ZONE 'UTC', m.meeting_id"
						      " FROM calendar_plc_members pm"
						      " JOIN calendar_plcs p ON p.district_id = pm.district_id AND p.plc_id = pm.plc_id"
						      " JOIN calendar_plc_meetings m ON m.district_id = pm.district_id AND m.plc_id = pm.plc_id"
						      " WHERE pm.district_id = $1 AND pm.educator_id = $2"
						      " AND m.held_on > (now() AT TIME ZONE 'UTC')::date - $3::integer"
						      " ORDER BY m.held_on, m.meeting_id LIMIT $4)"
						      " ORDER BY st, id LIMIT $4"),
	4};

/* Published sessions: of activities published (or archived since: their sessions happened). */
#define OFFERED                                                                                                       \
	"SELECT " EVENT_JSON(                                                                                         \
		"", "greatest(s.updated_at, a.updated_at)",                                                           \
		"s.version + a.version") " AS ev, s.starts_at AS st, s.id"                                            \
					 " FROM catalog_sessions s JOIN catalog_activities a ON a.id = s.activity_id" \
					 " WHERE s.district_id = $1 AND a.status IN ('published', 'archived')" WINDOW

static const struct hg_stmt district_stmt = {
	"catalog_calendar_district",
	/* $2 (the holder) says nothing here: it is referenced so that the four statements take one layout */
	ARRAY_OF(OFFERED " AND $2::uuid IS NOT NULL ORDER BY s.starts_at, s.id LIMIT $4"), 4};

/* A school's: the published sessions its educators (roster read model) hold a live registration for, and the
 * cancelled sessions they were registered for (shown cancelled, not dropped). */
static const struct hg_stmt school_stmt = {
	"catalog_calendar_school",
	ARRAY_OF(OFFERED " AND EXISTS (SELECT 1 FROM catalog_registrations r JOIN roster_educator_schools es"
			 " ON es.district_id = r.district_id AND es.educator_id = r.educator_id"
			 " WHERE r.session_id = s.id AND es.school_id = $2::uuid"
			 " AND (r.status <> 'cancelled' OR s.status = 'cancelled'))"
			 " ORDER BY s.starts_at, s.id LIMIT $4"),
	4};

/* stmt's one JSON row into *out; the connection from the pool for just that. */
static enum hg_status one_row(struct hg_db_pool *pool, const struct hg_stmt *stmt, const char *const *params,
			      json_t **out)
{
	struct hg_db_conn *conn = NULL;
	enum hg_status st = hg_db_acquire(pool, &conn);
	*out = NULL;
	if (st == HG_OK)
		st = hg_tx_row(conn, stmt, params, out);
	hg_db_release(pool, conn);
	return st;
}

enum hg_status calendar_store_put(struct hg_db_pool *pool, const struct hg_principal *who, const char *hash,
				  json_t **feed)
{
	const char *params[] = {who->district_id, who->sub, hash};
	return one_row(pool, &put_stmt, params, feed);
}

enum hg_status calendar_store_get(struct hg_db_pool *pool, const struct hg_principal *who, json_t **feed)
{
	const char *params[] = {who->district_id, who->sub};
	return one_row(pool, &get_stmt, params, feed);
}

enum hg_status calendar_store_revoke(struct hg_db_pool *pool, const struct hg_principal *who)
{
	const char *params[] = {who->district_id, who->sub};
	json_t *row = NULL;
	enum hg_status st = one_row(pool, &revoke_stmt, params, &row);
	json_decref(row);
	return st;
}

enum hg_status calendar_store_holder(struct hg_db_pool *pool, const char *hash, const char *school,
				     struct calendar_holder *out)
{
	const char *params[] = {hash, school};
	json_t *row = NULL;
	enum hg_status st = one_row(pool, &holder_stmt, params, &row);
	const char *district = json_string_value(json_object_get(row, "district_id"));
	const char *educator = json_string_value(json_object_get(row, "educator_id"));
	if (st == HG_OK && (district == NULL || educator == NULL || strlen(district) > 36 || strlen(educator) > 36))
		st = HG_INTERNAL;
	if (st == HG_OK) {
		snprintf(out->district_id, sizeof(out->district_id), "%s", district);
		snprintf(out->educator_id, sizeof(out->educator_id), "%s", educator);
	}
	json_decref(row);
	return st;
}

enum hg_status calendar_store_events(struct hg_db_pool *pool, enum calendar_kind kind,
				     const struct calendar_holder *holder, const char *school, json_t **events)
{
	char days[16], limit[16];
	snprintf(days, sizeof(days), "%d", CALENDAR_WINDOW_DAYS);
	snprintf(limit, sizeof(limit), "%d", CALENDAR_MAX_EVENTS);
	const struct hg_stmt *stmt = kind == CALENDAR_EDUCATOR ? &educator_stmt
				     : kind == CALENDAR_SCHOOL ? &school_stmt
							       : &district_stmt;
	const char *second = kind == CALENDAR_EDUCATOR ? holder->educator_id
			     : kind == CALENDAR_SCHOOL ? school
						       : holder->educator_id;
	const char *params[] = {holder->district_id, second, days, limit};
	return one_row(pool, stmt, params, events);
}
