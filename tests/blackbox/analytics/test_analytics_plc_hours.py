"""PLC meetings linked to a catalog activity count as PD hours (issue 10; docs/analytics.md "PLC meetings"): the
meetings are recorded and corrected through the real hg-coaching service, whose events analytics reads; each
attendee of a linked meeting gets its minutes as hours on the day it was held, in participation (overall, by
school), the equity audit and the public report, with figures worked out by hand below. A correction of the
attendance replaces it; a redelivered or stale meeting event changes nothing; unlinked meetings count nothing;
another district's meetings never show."""

from __future__ import annotations

import json

import pytest
from confluent_kafka import Producer

from analyticslib import COACHING_TOPIC, WAIT, District, participation
from hgtest import KAFKA_BROKERS, Api, EventReader, assert_json, etag, poll, token

PLCS = "/v1/plcs"
PERIOD = "2026-11"


class Plc:
    """One district's PLC, formed and met through hg-coaching by its facilitator."""

    def __init__(self, d: District, coaching_url: str, facilitator: str, members: list[str]) -> None:
        self.lead = Api(coaching_url, token(d.id, facilitator, ["teacher"]))
        body = {"name": "Grade 4 math", "scope": "school", "school_ids": [d.school_a],
                "members": [{"educator_id": facilitator, "role": "facilitator"},
                            *({"educator_id": m, "role": "member"} for m in members)]}
        last = None

        def form():
            nonlocal last
            last = self.lead.post(PLCS, json=body)
            return last.status_code == 201
        # the members reach hg-coaching's roster read model through homegrown.roster first
        assert poll(form, WAIT, interval=0.5), last.text
        self.id = last.json()["id"]

    def meet(self, held_on: str, minutes: int, attendance: list[str], activity: str | None) -> dict:
        """Records a meeting; a linked activity reaches hg-coaching's catalog read model through
        homegrown.resources, so a 422 plc_activity_unknown is tried again until it has."""
        body = {"held_on": held_on, "minutes": minutes, "attendance": attendance, "notes": "n",
                **({"activity_id": activity} if activity else {})}
        last = None

        def once():
            nonlocal last
            last = self.lead.post(f"{PLCS}/{self.id}/meetings", json=body)
            return last.status_code == 201
        assert poll(once, WAIT, interval=0.5), last.text
        return last.json()

    def correct(self, meeting: dict, **change) -> dict:
        r = self.lead.patch(f"{PLCS}/{self.id}/meetings/{meeting['id']}", json=change,
                            headers={"If-Match": etag(meeting["version"])})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def world(coaching_service, analytics_service):
    """District D, school A (city): lead, m1, m2, m3 (the PLC) and e5, all active teachers. Activity X (catalog).

    M1  10 Nov 2026, 60 min, lead + m1 + m2, linked to X             lead 1, m1 1, m2 1
    M2  17 Nov, 45 min, lead + m1, linked to X; corrected to lead + m3  lead 0.75, m3 0.75 (m1 nothing)
    M3  20 Nov, 90 min, everyone, not linked                            nothing
    M4  30 Oct, 30 min, lead, linked                                    October, not November
    M5  12 Nov, 120 min, m1 + m2, linked, then unlinked (activity null) nothing
    m2 also attends a catalog session of X on 5 Nov, 2 h.

    November 2026: lead 1.75, m1 1, m2 3, m3 0.75, e5 0 -> 6.5 h, 4 of 5 educators (0.8), mean 1.30.
    October 2026: lead 0.5 h, 1 of 5 (0.2), mean 0.10.
    m3 is in school Baker (no attributes) too: Baker's hours are m3's, 0.75 once M2 is corrected.
    District D2: one PLC (its facilitator f and member g), a linked meeting of 60 min on 10 Nov for both: 2 h.
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    d.school_a = d.school("Adams", locale="city", title_i=True, poverty="high")
    d.school_b = d.school("Baker")
    people = {n: d.educator(schools=[d.school_a], started="2015-08-01") for n in ("lead", "m1", "m2", "e5")}
    people["m3"] = d.educator(schools=[d.school_a, d.school_b], started="2015-08-01")
    x = d.activity("Fractions PLC", type_="P2P")
    s = d.session(x, "2026-11-05T15:00:00Z", "2026-11-05T17:00:00Z", status="completed")
    d.attended(s, x, people["m2"], "2026-11-05T15:00:00Z")
    plc = Plc(d, coaching_service.url, people["lead"], [people[n] for n in ("m1", "m2", "m3")])
    lead, m1, m2, m3 = (people[n] for n in ("lead", "m1", "m2", "m3"))
    meetings = {"M1": plc.meet("2026-11-10", 60, [lead, m1, m2], x),
                "M2": plc.meet("2026-11-17", 45, [lead, m1], x),
                "M3": plc.meet("2026-11-20", 90, [lead, m1, m2, m3], None),
                "M4": plc.meet("2026-10-30", 30, [lead], x),
                "M5": plc.meet("2026-11-12", 120, [m1, m2], x)}
    admin = d.client("district_admin")
    # before the corrections: lead 1.75, m1 1 + 0.75 + 2, m2 1 + 2 + 2 -> 10.5 h (the corrections must replace)
    assert poll(lambda: participation(admin, PERIOD)["overall"]["hours"] == 10.5, WAIT, interval=0.3), \
        participation(admin, PERIOD)
    assert participation(admin, PERIOD)["overall"]["participants"] == 3
    m2_v1 = meetings["M2"]
    meetings["M2"] = plc.correct(meetings["M2"], attendance=[lead, m3])
    meetings["M5"] = plc.correct(meetings["M5"], activity_id=None)

    d2 = District(lambda bearer: Api(analytics_service.url, bearer))
    d2.school_a = d2.school("Other", locale="city")
    f, g = d2.educator(schools=[d2.school_a]), d2.educator(schools=[d2.school_a])
    y = d2.activity("Their PLC", type_="P2P")
    Plc(d2, coaching_service.url, f, [g]).meet("2026-11-10", 60, [f, g], y)
    assert poll(lambda: participation(admin, PERIOD)["overall"]["participants"] == 4, WAIT, interval=0.3), \
        participation(admin, PERIOD)
    assert poll(lambda: participation(d2.client("district_admin"), PERIOD)["overall"]["hours"] == 2.0, WAIT,
                interval=0.3)
    return d, d2, people, plc, meetings, m2_v1


def test_participation_counts_linked_meetings(world):
    d, _, people, *_ = world
    admin = d.client("district_admin")
    r = participation(admin, PERIOD)
    assert r["overall"] == {"educators": 5, "participants": 4, "participation_rate": 0.8, "hours": 6.5,
                            "mean_hours": 1.3, "completions": 0,
                            "credits": {"Hours": 0, "CEUs": 0, "QuarterCredits": 0, "SemesterCredits": 0}}
    by_school = participation(admin, PERIOD, "school")["groups"]
    assert sorted((g["name"], g["educators"], g["participants"], g["hours"]) for g in by_school) == [
        ("Adams", 5, 4, 6.5), ("Baker", 1, 1, 0.75)]
    # by the activity: X's session (2 h) and its meetings (4.5 h) are P2P; all 5 educators are the denominator
    by_type = participation(admin, PERIOD, "activity_type")["groups"]
    assert [(g["key"], g["educators"], g["participants"], g["hours"]) for g in by_type] == [("P2P", 5, 4, 6.5)]
    october = participation(admin, "2026-10")["overall"]
    assert (october["participants"], october["hours"], october["mean_hours"]) == (1, 0.5, 0.1)


def test_equity_counts_linked_meetings(world):
    d, *_ = world
    admin = d.client("district_admin")
    r = assert_json(admin.get("/v1/analytics/equity", params={"period": PERIOD, "measure": "mean_hours"}), 200)
    assert r["overall"] == {"educators": 5, "participants": 4, "participation_rate": 0.8, "mean_hours": 1.3,
                            "coaching_reach": 0.0, "withheld": None}
    locale = r["dimensions"][0]
    assert locale["dimension"] == "locale"
    assert [(g["key"], g["educators"], g["participants"], g["participation_rate"], g["mean_hours"], g["value"])
            for g in locale["groups"]] == [("city", 5, 4, 0.8, 1.3, 1.3)]


def test_public_report_counts_linked_meetings(world):
    d, *_ = world
    r = assert_json(d.client("district_admin").get("/v1/reports/public/participation",
                                                   params={"period": PERIOD}), 200)
    assert (r["overall"]["participants"], r["overall"]["hours"], r["overall"]["mean_hours"]) == (4, 6.5, 1.3)


def test_impact_counts_the_activity_meetings(world):
    """X's meetings over all time: M1, M2 (corrected), M4 (October); M3 and M5 are not linked to it. Attendees
    lead, m1, m2 (M1), lead, m3 (M2), lead (M4): 4; hours 3 + 1.5 + 0.5 = 5. The session's figures apart."""
    d, _, people, plc, meetings, _ = world
    x = meetings["M1"]["activity_id"]
    r = assert_json(d.client("district_admin").get(f"/v1/analytics/activities/{x}/impact"), 200)
    assert {k: r[k] for k in ("sessions_held", "participants", "hours", "plc_meetings", "plc_participants",
                              "plc_hours")} == {"sessions_held": 1, "participants": 1, "hours": 2.0,
                                                "plc_meetings": 3, "plc_participants": 4, "plc_hours": 5.0}


def test_redelivered_and_stale_meeting_events_change_nothing(world):
    """M2's events as hg-coaching produced them, read back from homegrown.coaching: the corrected one again with
    its id (a duplicate, skipped), and the first version under a new id (stale: its attendance must not come
    back: m3, alone in Baker, would lose the 0.75 h). Then a new linked meeting of m3's (a marker, 0.5 h): once it
    shows, the two were applied before it (one partition, keyed by the district)."""
    d, _, people, plc, meetings, m2_v1 = world
    mine = EventReader(KAFKA_BROKERS, COACHING_TOPIC).collect(
        match=lambda e: e.value.get("subject") == meetings["M2"]["id"],
        until=lambda found: len(found) >= 2, timeout=30)
    by_type = {e.value["type"]: e.value for e in mine}
    assert set(by_type) == {"plc.meeting_held", "plc.meeting_updated"}, [e.value["type"] for e in mine]
    assert by_type["plc.meeting_held"]["data"]["attendance"] == m2_v1["attendance"]
    stale = {**by_type["plc.meeting_held"], "id": "replayed-" + by_type["plc.meeting_held"]["id"]}
    producer = Producer({"bootstrap.servers": KAFKA_BROKERS, "enable.idempotence": True})
    for ev in (by_type["plc.meeting_updated"], stale):
        producer.produce(COACHING_TOPIC, key=d.id.encode(), value=json.dumps(ev).encode())
    assert producer.flush(20) == 0
    # the marker: 30 more minutes for m3 on 24 Nov, through hg-coaching (after the two above on the partition)
    x = meetings["M1"]["activity_id"]
    plc.meet("2026-11-24", 30, [people["m3"]], x)
    admin = d.client("district_admin")
    assert poll(lambda: participation(admin, PERIOD)["overall"]["hours"] != 6.5, WAIT, interval=0.3)
    r = participation(admin, PERIOD)["overall"]
    assert (r["participants"], r["hours"]) == (4, 7.0), r
    baker = [g for g in participation(admin, PERIOD, "school")["groups"] if g["name"] == "Baker"]
    assert (baker[0]["participants"], baker[0]["hours"]) == (1, 1.25), baker


def test_other_district_sees_only_its_own(world):
    d, d2, *_ = world
    r = participation(d2.client("district_admin"), PERIOD)["overall"]
    assert (r["educators"], r["participants"], r["hours"]) == (2, 2, 2.0)
    # D's figures do not hold D2's meeting (6.5 h before the marker of the test above, 7.0 after)
    assert participation(d.client("district_admin"), PERIOD)["overall"]["hours"] in (6.5, 7.0)
