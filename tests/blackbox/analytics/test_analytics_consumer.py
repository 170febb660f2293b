"""The consumer of hg-analytics (common/consumer.c with a dead-letter topic): poison events go to
homegrown.analytics.dlq with the reason, once each, and the events after them are applied; consumer lag per
partition in /metrics; exactly once across a kill -9 in the middle of the stream."""

from __future__ import annotations

import json
import re
import time
import uuid

from analyticslib import RESOURCES_TOPIC, ROSTER_TOPIC, WAIT, District, participation, wait_for
from hgtest import Event, poll

PERIOD = "2026-Q1"


def dead_letters(events, district: str, want: int) -> list[Event]:
    return events.collect(match=lambda e: e.value.get("districtid") == district,
                          until=lambda found: len(found) >= want, timeout=WAIT, settle=2.0)


def test_poison_events_go_to_the_dead_letter_topic(analytics, analytics_service, analytics_events):
    d = District(analytics)
    teacher = d.educator(started="2020-01-01")
    activity = d.activity("Ok")
    good = d.session(activity, "2026-02-01T10:00:00Z", "2026-02-01T12:00:00Z")

    d.send(RESOURCES_TOPIC, {"districtid": d.id, "type": "activity.created", "note": "no id"})
    d.event(RESOURCES_TOPIC, "activity.exploded", activity, {"id": activity})
    d.event(RESOURCES_TOPIC, "activity.created", activity, {"id": activity, "title": "No credits", "type": "Other",
                                                            "credit_type": "Hours", "status": "draft",
                                                            "version": 1})
    d.session(activity, "2026-02-01T12:00:00Z", "2026-02-01T10:00:00Z")  # ends before it starts: a constraint
    d.school("Moon base", locale="moon")  # not a locale: a constraint
    d.event(ROSTER_TOPIC, "school.upserted", teacher, {"id": teacher, "status": "active", "version": 1})  # no name
    spec = d.event(RESOURCES_TOPIC, "attendance.recorded", good, {"session_id": good})
    other = str(uuid.uuid4())
    d.send(RESOURCES_TOPIC, {**spec, "id": "another-" + spec["id"], "specversion": "0.3"})
    d.send(RESOURCES_TOPIC, {**spec, "id": "elsewhere-" + spec["id"],
                             "data": {"session_id": good, "activity_id": activity, "educator_id": teacher,
                                      "recorded_at": "2026-02-01T10:00:00Z", "district_id": other}})
    # after all of them, a good event still applies
    d.attended(good, activity, teacher, "2026-02-01T10:00:00Z")
    wait_for(d.client("district_admin"), PERIOD, lambda r: r["overall"]["participants"] == 1)

    letters = dead_letters(analytics_events, d.id, 9)
    reasons = sorted(e.value["data"]["reason"] for e in letters)
    assert len(letters) == 9, reasons  # each once
    for e in letters:
        assert e.value["type"] == "event.rejected" and e.value["specversion"] == "1.0"
        assert e.value["data"]["topic"] in (RESOURCES_TOPIC, ROSTER_TOPIC)
        assert json.loads(e.value["data"]["message"])["districtid"] == d.id  # the message as it came
        assert e.value["data"]["truncated"] is False
    expected = [
        r"^not a CloudEvent \(no id\)$",
        r"^unknown event type activity\.exploded on homegrown\.resources$",
        r"^data\.credits must be a number",
        r"^HG_INVALID: .*sessions_check",
        r"^HG_INVALID: .*schools_locale_check",
        r"^data\.name must be a non-empty string$",
        r"^data\.activity_id must be a UUID$",
        r"^unknown CloudEvents specversion",
        r"^data\.district_id differs from the envelope's districtid$",
    ]
    for pattern in expected:
        assert any(re.search(pattern, r) for r in reasons), (pattern, reasons)
    invalid = next(e for e in letters if e.value["data"]["reason"].startswith("not a CloudEvent"))
    assert invalid.value["subject"].startswith("invalid:homegrown.resources:")

    metrics = analytics(None).get("/metrics").text
    assert re.search(r'^hg_consumer_lag\{topic="homegrown.resources",partition="0"\} \d+$', metrics, re.M), metrics
    assert re.search(r'^hg_consumer_lag\{topic="homegrown.roster",partition="0"\} \d+$', metrics, re.M), metrics
    rejected = int(re.search(r'^hg_consumer_events_total\{outcome="rejected"\} (\d+)$', metrics, re.M).group(1))
    assert rejected >= 9
    ready = analytics(None).get("/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["consumer_lag_max"] == 1000000
    assert 0 <= ready["checks"]["consumer_lag"] <= ready["checks"]["consumer_lag_max"]


def test_exactly_once_across_kill9(analytics, analytics_service):
    """Hundreds of educators and attendances, the service killed (SIGKILL) while it applies them and started
    again: every one counted once."""
    d = District(analytics)
    activity = d.activity("Bulk")
    session = d.session(activity, "2026-03-02T14:00:00Z", "2026-03-02T15:30:00Z")
    n = 300
    teachers = [d.educator(started="2019-09-01") for _ in range(n)]
    for t in teachers:
        d.attended(session, activity, t, "2026-03-02T14:00:00Z")
    time.sleep(0.3)
    analytics_service.kill9()
    for t in teachers[:50]:  # redelivered and sent again while it is down
        d.attended(session, activity, t, "2026-03-02T14:01:00Z")
    analytics_service.start()
    admin = d.client("district_admin")
    r = wait_for(admin, PERIOD, lambda r: r["overall"]["participants"] == n)
    assert r["overall"]["educators"] == n and r["overall"]["hours"] == 1.5 * n
    time.sleep(1.0)
    assert participation(admin, PERIOD)["overall"] == r["overall"]
    assert poll(lambda: analytics(None).get("/readyz").status_code == 200, WAIT)
