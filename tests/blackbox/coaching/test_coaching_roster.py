"""The roster read model (educator events on homegrown.roster, common/roster_event.c) and the new teachers
without a mentor (GET /v1/coaching/unmatched-new-teachers, docs/coaching.md)."""

from __future__ import annotations

import uuid

import pytest

from coachlib import RELATIONSHIPS, UNMATCHED, WAIT, People, Roster, days_ago, today
from hgtest import assert_json, assert_problem, poll


@pytest.fixture
def people(coaching, district) -> People:
    return People(coaching, district)


def unmatched(admin) -> list[str]:
    return [t["educator_id"] for t in assert_json(admin.get(UNMATCHED, params={"limit": 100}), 200)["data"]]


def test_new_teachers_without_a_mentor(people, coaching_service):
    roster = Roster(people.district)
    admin = people.client("district_admin")
    a, b, c, d, e, f = (str(uuid.uuid4()) for _ in range(6))
    school = str(uuid.uuid4())
    roster.educator(a, started=days_ago(400), schools=[school])       # year 2: listed
    roster.educator(b, started=days_ago(5 * 366))                     # veteran
    roster.educator(c, started=days_ago(30), roles=["school_leader"])  # new, but not a teacher
    roster.educator(d, started=days_ago(10))                          # new; deactivated below
    roster.educator(e, started=None)                                  # start unknown
    roster.educator(f, started=days_ago(3 * 366 + 2))                 # started more than three years ago
    roster.educator(a, started=days_ago(1), district=str(uuid.uuid4()), version=9)  # another district's event
    assert poll(lambda: set(unmatched(admin)) == {a, d}, WAIT), unmatched(admin)
    assert unmatched(admin) == [d, a]  # latest start first
    listed = assert_json(admin.get(UNMATCHED), 200)["data"]
    assert listed[1] == {"educator_id": a, "given_name": "Ana", "family_name": f"N{a[:4]}", "school_ids": [school],
                         "started_teaching_on": days_ago(400)}

    roster.educator(d, started=days_ago(10), type_="educator.deactivated", status="inactive")
    roster.educator(a, started=days_ago(9000), version=1)  # stale: an older version changes nothing
    assert poll(lambda: unmatched(admin) == [a], WAIT), unmatched(admin)

    coach = people.client("coach")
    peer = assert_json(coach.post(RELATIONSHIPS, json={"teacher_id": a, "kind": "peer_coaching"}), 201)
    assert unmatched(admin) == [a]  # peer coaching is not mentoring
    mentor = assert_json(coach.post(RELATIONSHIPS, json={"teacher_id": a, "kind": "new_teacher_mentoring"}), 201)
    assert unmatched(admin) == []
    assert_json(coach.patch(f"{RELATIONSHIPS}/{mentor['id']}", json={"ends_on": today()}), 200)
    assert unmatched(admin) == [a]
    assert peer["status"] == "active"

    # paging
    more = [str(uuid.uuid4()) for _ in range(4)]
    for i, t in enumerate(more):
        roster.educator(t, started=days_ago(100 + i))
    assert poll(lambda: len(unmatched(admin)) == 5, WAIT)
    seen, cursor = [], None
    while True:
        page = assert_json(admin.get(UNMATCHED, params={"limit": 2, **({"cursor": cursor} if cursor else {})}), 200)
        seen += [t["educator_id"] for t in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == more + [a]

    for role in ("teacher", "coach", "school_leader", "sis_integration"):
        assert_problem(people.client(role).get(UNMATCHED), 403, "forbidden")


def test_inconsistent_roster_events_are_skipped(people, coaching_service):
    roster = Roster(people.district)
    admin = people.client("district_admin")
    bad = str(uuid.uuid4())
    # roles must be strings: rejected. (Messages that are not CloudEvents are tests/integration/test_consumer's:
    # the roster's own tests read every non-JSON message of the topic.)
    ev = roster.educator(bad, started=days_ago(20), roles=[3])
    good = str(uuid.uuid4())
    roster.educator(good, started=days_ago(20))
    assert poll(lambda: unmatched(admin) == [good], WAIT), unmatched(admin)
    assert ev["id"] in coaching_service.log_text()
