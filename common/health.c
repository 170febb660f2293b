/* health.c - liveness, readiness and metrics endpoints. */
#include "common/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/consumer.h"
#include "common/db.h"
#include "common/metrics.h"
#include "common/relay.h"
#include "common/reply.h"
#include "common/xmalloc.h"

void hg_handle_healthz(struct hg_request *req)
{
	json_t *body = json_pack("{s:s}", "status", "ok");
	hg_reply_json(req, 200, body);
	json_decref(body);
}

void hg_handle_readyz(struct hg_request *req)
{
	const struct hg_probes *p = req->probes;
	enum hg_status db = hg_db_ping(p->pool);
	int kafka = hg_relay_broker_up(p->relay);
	long long backlog = (long long)p->relay->backlog;
	int64_t lag = p->consumer != NULL && p->ready_max_lag > 0 ? hg_consumer_lag(p->consumer, NULL, NULL) : 0;
	int ready =
		db == HG_OK && backlog <= p->ready_max_backlog && (p->ready_max_lag <= 0 || lag <= p->ready_max_lag);
	json_t *body = json_pack("{s:s, s:{s:s, s:s, s:I, s:I}}", "status", ready ? "ready" : "unavailable", "checks",
				 "database", db == HG_OK ? "ok" : "unreachable", "kafka", kafka ? "ok" : "unreachable",
				 "outbox_backlog", (json_int_t)backlog, "outbox_backlog_max",
				 (json_int_t)p->ready_max_backlog);
	if (p->consumer != NULL && p->ready_max_lag > 0) {
		json_t *checks = json_object_get(body, "checks");
		json_object_set_new(checks, "consumer_lag", json_integer(lag));
		json_object_set_new(checks, "consumer_lag_max", json_integer(p->ready_max_lag));
	}
	hg_reply_json(req, ready ? 200 : 503, body);
	json_decref(body);
}

/* One line of hg_consumer_lag per partition, appended to a string. */
static void lag_line(const char *topic, int partition, int64_t lag, void *arg)
{
	char **text = arg;
	char *with = xasprintf("%shg_consumer_lag{topic=\"%s\",partition=\"%d\"} %lld\n", *text, topic, partition,
			       (long long)lag);
	free(*text);
	*text = with;
}

void hg_handle_metrics(struct hg_request *req)
{
	const struct hg_probes *p = req->probes;
	char *http = hg_metrics_render();
	char *text = xasprintf("%s"
			       "# HELP hg_db_pool_in_use Database connections checked out.\n"
			       "# TYPE hg_db_pool_in_use gauge\nhg_db_pool_in_use %zu\n"
			       "# HELP hg_db_pool_size Database connections in the pool.\n"
			       "# TYPE hg_db_pool_size gauge\nhg_db_pool_size %zu\n"
			       "# HELP hg_kafka_up Whether the outbox relay last reached a Kafka broker.\n"
			       "# TYPE hg_kafka_up gauge\nhg_kafka_up %d\n"
			       "# HELP hg_outbox_backlog Events written but not yet published.\n"
			       "# TYPE hg_outbox_backlog gauge\nhg_outbox_backlog %lld\n"
			       "# HELP hg_outbox_published_total Events published to Kafka.\n"
			       "# TYPE hg_outbox_published_total counter\nhg_outbox_published_total %lld\n"
			       "# HELP hg_outbox_failed_total Event deliveries that failed and will be retried.\n"
			       "# TYPE hg_outbox_failed_total counter\nhg_outbox_failed_total %lld\n",
			       http, hg_db_in_use(p->pool), p->pool->size, hg_relay_broker_up(p->relay),
			       (long long)p->relay->backlog, (long long)p->relay->published_total,
			       (long long)p->relay->failed_total);
	if (p->consumer != NULL) {
		char *with = xasprintf("%s"
				       "# HELP hg_consumer_events_total Consumed events by outcome.\n"
				       "# TYPE hg_consumer_events_total counter\n"
				       "hg_consumer_events_total{outcome=\"applied\"} %lld\n"
				       "hg_consumer_events_total{outcome=\"duplicate\"} %lld\n"
				       "hg_consumer_events_total{outcome=\"rejected\"} %lld\n",
				       text, (long long)p->consumer->applied_total,
				       (long long)p->consumer->duplicate_total, (long long)p->consumer->rejected_total);
		free(text);
		text = with;
		with = xasprintf("%s# HELP hg_consumer_lag Events on a consumed partition not yet applied.\n"
				 "# TYPE hg_consumer_lag gauge\n",
				 text);
		free(text);
		text = with;
		hg_consumer_lag(p->consumer, lag_line, &text);
	}
	hg_reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8", text);
	free(text);
	free(http);
}
