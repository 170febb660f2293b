"""School leaders read the transcripts of their schools' educators. Resources learns the school assignments
from the roster service's events: this test produces them to `homegrown.roster` (the contract: CloudEvents,
key = district id, `educator.upserted` / `educator.deactivated`) and waits until the transcript answers."""

from __future__ import annotations

import time
import uuid

import pytest

from catalog_support import District, Roster, ensure_roster_topic
from hgtest import EventReader, assert_json, assert_problem, new_user, poll

WAIT = 30  # seconds for an event to reach the read model


@pytest.fixture(scope="module")
def brokers(events: EventReader) -> str:
    """The test stack's Kafka, with homegrown.roster created (catalog_support.ensure_roster_topic)."""
    return ensure_roster_topic(events.brokers)


def can_read(client, educator: str) -> int:
    return client.get(f"/v1/transcripts/{educator}").status_code


def wait_status(client, educator: str, status: int) -> None:
    got = poll(lambda: can_read(client, educator) == status, WAIT, 0.25)
    assert got, f"transcript of {educator} did not answer {status} within {WAIT} s (last {can_read(client, educator)})"


def test_leader_reads_their_schools_educators(api, brokers):
    d = District(api)
    roster = d.roster = Roster(d.id, brokers)  # one version counter for the district's events
    school_a, school_b = str(uuid.uuid4()), str(uuid.uuid4())
    leader = d.client(None, "school_leader")
    teacher, elsewhere = d.on_roster(new_user(), new_user())
    a = d.activity(completion_rule={"kind": "at_least", "sessions": 1})
    d.mark(d.admin, d.session(a["id"])["id"], teacher)

    assert_problem(leader.get(f"/v1/transcripts/{teacher}"), 403, "forbidden")
    roster.upsert(leader.sub, [school_a])
    roster.upsert(teacher, [school_b, school_a])
    roster.upsert(elsewhere, [school_b])
    wait_status(leader, teacher, 200)
    body = d.transcript(leader, teacher)
    assert [e["activity_id"] for e in body["data"]] == [a["id"]]
    assert_problem(leader.get(f"/v1/transcripts/{elsewhere}"), 403, "forbidden")

    # the educator moves to school B only: the leader of A loses access; a stale event changes nothing
    roster.upsert(teacher, [school_b])
    wait_status(leader, teacher, 403)
    roster.upsert(teacher, [school_a], version=1)
    roster.upsert(elsewhere, [school_b, school_a])  # a later event, to know the stale one was consumed
    wait_status(leader, elsewhere, 200)
    assert can_read(leader, teacher) == 403

    # deactivated educators are nobody's: neither readable by leaders, nor leading
    roster.send(roster.event("educator.deactivated", elsewhere, [school_b, school_a], status="inactive"))
    wait_status(leader, elsewhere, 403)
    roster.upsert(elsewhere, [school_a])  # reactivated
    wait_status(leader, elsewhere, 200)
    roster.send(roster.event("educator.deactivated", leader.sub, [school_a], status="inactive"))
    wait_status(leader, elsewhere, 403)


def test_roster_events_never_cross_districts(api, brokers):
    a, b = District(api), District(api)
    school = str(uuid.uuid4())
    leader_sub, teacher = new_user(), new_user()
    # In district B the two share a school; in A nothing is known about them.
    roster_b = Roster(b.id, brokers)
    roster_b.upsert(leader_sub, [school])
    roster_b.upsert(teacher, [school])
    leader_b = b.client(leader_sub, "school_leader")
    wait_status(leader_b, teacher, 200)
    assert_problem(a.client(leader_sub, "school_leader").get(f"/v1/transcripts/{teacher}"), 403, "forbidden")
    # an event whose data names another district than its envelope is rejected, not applied to either
    roster_a = Roster(a.id, brokers)
    forged = roster_a.event("educator.upserted", leader_sub, [school], version=5)
    forged["data"]["district_id"] = b.id
    forged_teacher = roster_a.event("educator.upserted", teacher, [school], version=5)
    forged_teacher["data"]["district_id"] = b.id
    roster_a.send(forged, forged_teacher)
    marker, marker_leader = new_user(), new_user()
    roster_a.upsert(marker_leader, [school])
    roster_a.upsert(marker, [school])
    wait_status(a.client(marker_leader, "school_leader"), marker, 200)
    assert_problem(a.client(leader_sub, "school_leader").get(f"/v1/transcripts/{teacher}"), 403, "forbidden")


def test_bad_and_repeated_events_do_not_stop_the_stream(api, brokers):
    d = District(api)
    roster = Roster(d.id, brokers)
    school = str(uuid.uuid4())
    leader = d.client(None, "school_leader")
    teacher = new_user()
    first = roster.event("educator.upserted", leader.sub, [school])
    bad = roster.event("educator.upserted", teacher, ["not-a-uuid"])
    no_version = roster.event("educator.upserted", teacher, [school])
    del no_version["data"]["version"]
    other_type = roster.event("educator.merged", teacher, [school])
    roster.send(first, first, b"not json at all", bad, no_version, other_type)
    assert can_read(leader, teacher) == 403
    assigned = roster.upsert(teacher, [school])
    wait_status(leader, teacher, 200)
    # the same event again (a redelivery) cannot undo a later change
    moved = roster.upsert(teacher, [str(uuid.uuid4())])
    assert moved["data"]["version"] > assigned["data"]["version"]
    wait_status(leader, teacher, 403)
    roster.send(assigned)
    time.sleep(1.5)
    assert can_read(leader, teacher) == 403
    assert_json(leader.get(f"/v1/transcripts/{leader.sub}"), 200)  # their own, always
