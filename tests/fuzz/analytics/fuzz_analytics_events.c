/*
 * fuzz_analytics_events - what hg-analytics reads from other services (services/analytics/projection.c,
 * recommend.c, period.c). The first byte chooses the topic (roster, resources, coaching, surveys, another) or the
 * period parser; the rest is a Kafka message (parsed as common/consumer.c does) or a ?period= value. Properties: no
 * memory error or undefined behaviour; an event is applied (a kind, the district first, every parameter within the
 * kind's count) or refused with a reason, never both; an applied one gives recommendations a kind with the district
 * first and every parameter it names set but the optional author, or nothing; a period is refused or a range whose
 * first day comes before the day after its last, all three in YYYY-MM-DD.
 */
#include <jansson.h>

#include "services/analytics/period.h"
#include "services/analytics/projection.h"
#include "services/analytics/recommend.h"
#include "tests/fuzz/fuzz.h"

static int is_day(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const topics[] = {"homegrown.roster", ANALYTICS_RESOURCES_TOPIC, ANALYTICS_COACHING_TOPIC,
					     ANALYTICS_SURVEYS_TOPIC, "homegrown.other"};
	if (size == 0)
		return 0;
	if (data[0] & 0x80) {
		char *text = fuzz_text(data + 1, size - 1);
		struct period p;
		if (period_parse(text, &p) == HG_OK) {
			FUZZ_CHECK(is_day(p.from) && is_day(p.to) && is_day(p.last));
			FUZZ_CHECK(strcmp(p.from, p.to) < 0 && strcmp(p.last, p.to) < 0 && strcmp(p.from, p.last) <= 0);
		}
		free(text);
		return 0;
	}
	json_t *event = json_loadb((const char *)data + 1, size - 1, 0, NULL);
	if (event == NULL || !json_is_object(event)) {
		json_decref(event);
		return 0;
	}
	struct projection p;
	char why[256];
	enum hg_status st = projection_read(topics[data[0] % 5], event, &p, why, sizeof(why));
	if (st == HG_OK) {
		FUZZ_CHECK(why[0] == '\0');
		FUZZ_CHECK(p.kind >= P_IGNORE && p.kind < P_KIND_COUNT);
		FUZZ_CHECK(strlen(p.district_id) == 36 && p.params[0] == p.district_id);
		FUZZ_CHECK(p.kind == P_IGNORE || (p.nparams >= 5 && p.nparams <= PROJECTION_MAX_PARAMS));
		for (size_t i = 0; i < p.nparams; i++)
			if (p.params[i] != NULL)
				FUZZ_CHECK(strlen(p.params[i]) < 1u << 20);
		struct rec_projection r;
		recommend_read(topics[data[0] % 5], event, p.district_id, &r);
		FUZZ_CHECK(r.kind >= REC_NONE && r.kind < REC_KIND_COUNT);
		if (r.kind == REC_NONE) {
			FUZZ_CHECK(r.nparams == 0 && r.owned[0] == NULL && r.owned[1] == NULL);
		} else {
			FUZZ_CHECK(r.params[0] == p.district_id && r.nparams >= 4 && r.nparams <= REC_MAX_PARAMS);
			for (size_t i = 0; i < r.nparams; i++)
				FUZZ_CHECK(r.params[i] != NULL || (r.kind == REC_RESOURCE && i == 6));
		}
		rec_projection_cleanup(&r);
	} else {
		FUZZ_CHECK(st == HG_INVALID && why[0] != '\0');
	}
	projection_cleanup(&p);
	json_decref(event);
	return 0;
}
