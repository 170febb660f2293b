"""Coaching relationships (docs/coaching.md): starting, reading, changing and ending them; who may do which; the
one active relationship of a kind; tenant isolation on every route; one event per change."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from coachlib import RELATIONSHIPS, UNMATCHED, People, district_events, today
from hgtest import UUID_RE, assert_json, assert_problem, etag, new_district, token

SOME_ID = "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"


@pytest.fixture
def people(coaching, district) -> People:
    return People(coaching, district)


def start(client, teacher: str, kind: str = "instructional_coaching", **extra) -> dict:
    return assert_json(client.post(RELATIONSHIPS, json={"teacher_id": teacher, "kind": kind, **extra}), 201)


def ids(client, **params) -> list[str]:
    return [r["id"] for r in assert_json(client.get(RELATIONSHIPS, params={"limit": 100, **params}), 200)["data"]]


def test_start_defaults_and_who_reads(people):
    coach = people.client("coach", name="coach")
    r = coach.post(RELATIONSHIPS, json={"teacher_id": people.sub("teacher"), "kind": "new_teacher_mentoring"})
    rel = assert_json(r, 201)
    assert UUID_RE.match(rel["id"])
    assert r.headers["Location"] == f"{RELATIONSHIPS}/{rel['id']}"
    assert r.headers["ETag"] == etag(1)
    assert rel["coach_id"] == people.sub("coach") and rel["teacher_id"] == people.sub("teacher")
    assert rel["created_by"] == people.sub("coach") and rel["district_id"] == people.district
    assert (rel["kind"], rel["status"], rel["starts_on"], rel["ends_on"], rel["version"]) == (
        "new_teacher_mentoring", "active", today(), None, 1)
    item = f"{RELATIONSHIPS}/{rel['id']}"
    for reader in (coach, people.client("teacher", name="teacher"), people.client("school_leader"),
                   people.client("district_admin"), people.client("teacher", "coach", name="teacher")):
        assert assert_json(reader.get(item), 200) == rel
        assert ids(reader) == [rel["id"]]
    for stranger in (people.client("coach"), people.client("teacher"), people.client("coach", "teacher")):
        assert_problem(stranger.get(item), 404, "not-found")
        assert ids(stranger) == []
    for role in ("sis_integration", "state_reporter"):
        assert_problem(people.client(role).get(item), 403, "forbidden")


def test_validation_names_every_field_and_writes_nothing(people, coaching_events):
    coach = people.client("coach", name="coach")
    r = coach.post(RELATIONSHIPS, json={"teacher_id": "nope", "kind": "friendship", "starts_on": "2026-02-30",
                                        "coach_id": 7, "notes": "x"})
    fields = {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]}
    assert fields == {"teacher_id", "kind", "starts_on", "coach_id", "notes"}
    fields = {e["field"] for e in assert_problem(coach.post(RELATIONSHIPS, json={}), 422,
                                                 "validation-failed")["errors"]}
    assert fields == {"teacher_id", "kind"}
    r = coach.post(RELATIONSHIPS, json={"teacher_id": people.sub("coach"), "kind": "peer_coaching"})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["teacher_id"]
    assert_problem(coach.post(RELATIONSHIPS, json=[]), 422, "validation-failed")
    admin = people.client("district_admin")
    assert ids(admin) == []
    assert district_events(coaching_events, people.district, 1, settle=0) == []


def test_who_starts_a_relationship(people):
    coach = people.client("coach", name="coach")
    other = people.sub("other coach")
    r = coach.post(RELATIONSHIPS, json={"teacher_id": people.sub("t"), "kind": "peer_coaching", "coach_id": other})
    assert assert_problem(r, 403, "forbidden")["reason"] == "not_own_relationship"
    # a coach naming themself is the default made explicit
    rel = start(coach, people.sub("t"), coach_id=people.sub("coach").upper(), starts_on="2026-09-01")
    assert rel["coach_id"] == people.sub("coach") and rel["starts_on"] == "2026-09-01"
    admin = people.client("district_admin", name="admin")
    rel = start(admin, people.sub("t"), coach_id=other)
    assert rel["coach_id"] == other and rel["created_by"] == people.sub("admin")
    for role in ("teacher", "school_leader", "sis_integration", "state_reporter"):
        r = people.client(role).post(RELATIONSHIPS, json={"teacher_id": people.sub("t"), "kind": "peer_coaching"})
        assert_problem(r, 403, "forbidden")
    assert len(ids(admin)) == 2


def test_one_active_relationship_of_a_kind(people):
    coach = people.client("coach", name="coach")
    teacher = people.sub("teacher")
    first = start(coach, teacher, "peer_coaching")
    r = coach.post(RELATIONSHIPS, json={"teacher_id": teacher, "kind": "peer_coaching"})
    assert assert_problem(r, 409, "conflict")["reason"] == "relationship_exists"
    start(coach, teacher, "instructional_coaching")  # another kind is another relationship
    assert_json(coach.patch(f"{RELATIONSHIPS}/{first['id']}", json={"ends_on": today()}), 200)
    start(coach, teacher, "peer_coaching")  # ended: a new one may start

    other_teacher = str(uuid.uuid4())
    clients = [people.client("coach", name="coach") for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda c: c.post(RELATIONSHIPS, json={"teacher_id": other_teacher,
                                                                      "kind": "peer_coaching"}), clients))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7, [a.text for a in answers]
    assert len(ids(coach, teacher_id=other_teacher)) == 1


def test_change_and_end(people, coaching_events):
    coach = people.client("coach", name="coach")
    rel = start(coach, people.sub("teacher"), starts_on="2026-09-01")
    item = f"{RELATIONSHIPS}/{rel['id']}"

    changed = assert_json(coach.patch(item, json={"kind": "peer_coaching"}), 200)
    assert (changed["kind"], changed["version"]) == ("peer_coaching", 2)
    same = coach.patch(item, json={"kind": "peer_coaching"})
    assert assert_json(same, 200)["version"] == 2 and same.headers["ETag"] == etag(2)
    assert_problem(coach.patch(item, json={"kind": "x", "status": "ended"}), 422, "validation-failed")
    assert_problem(coach.patch(item, json={}), 422, "validation-failed")
    r = coach.patch(item, json={"ends_on": "2026-08-31"})
    problem = assert_problem(r, 422, "validation-failed")
    assert problem["reason"] == "relationship_ends_before_start"
    assert [e["field"] for e in problem["errors"]] == ["ends_on"]
    assert_problem(coach.patch(item, json={"ends_on": "2027-06-15"}, headers={"If-Match": etag(1)}), 412,
                   "precondition-failed")

    teacher = people.client("teacher", "coach", name="teacher")  # the teacher, whatever roles they hold
    assert assert_problem(teacher.patch(item, json={"ends_on": "2027-06-15"}), 403,
                          "forbidden")["reason"] == "not_own_relationship"
    assert assert_problem(people.client("school_leader", "coach").patch(item, json={"ends_on": "2027-06-15"}), 403,
                          "forbidden")["reason"] == "not_own_relationship"
    assert_problem(people.client("coach").patch(item, json={"ends_on": "2027-06-15"}), 404, "not-found")
    assert_problem(people.client("teacher").patch(item, json={"ends_on": "2027-06-15"}), 403, "forbidden")
    assert assert_json(coach.get(item), 200)["version"] == 2

    ended = assert_json(coach.patch(item, json={"ends_on": "2027-06-15"}, headers={"If-Match": etag(2)}), 200)
    assert (ended["status"], ended["ends_on"], ended["version"]) == ("ended", "2027-06-15", 3)
    again = people.client("district_admin").patch(item, json={"kind": "instructional_coaching"})
    assert assert_problem(again, 409, "conflict")["reason"] == "relationship_ended"
    assert ids(coach, status="ended") == [rel["id"]] and ids(coach, status="active") == []

    events = district_events(coaching_events, people.district, 3)
    assert [(e.type, e.subject, e.value["data"]["version"]) for e in events] == [
        ("relationship.started", rel["id"], 1), ("relationship.updated", rel["id"], 2),
        ("relationship.ended", rel["id"], 3)]
    assert all(e.key == people.district for e in events)


def test_lists_filter_and_page(people):
    admin = people.client("district_admin")
    coach_a = people.client("coach", name="a")
    coach_b = people.client("coach", name="b")
    teachers = [str(uuid.uuid4()) for _ in range(3)]
    made_a = [start(coach_a, t)["id"] for t in teachers]
    made_b = [start(coach_b, teachers[0])["id"]]
    assert ids(coach_a) == made_a[::-1] and ids(coach_b) == made_b
    assert ids(admin) == (made_a + made_b)[::-1]
    assert ids(admin, coach_id=people.sub("a")) == made_a[::-1]
    assert ids(admin, teacher_id=teachers[0]) == [made_b[0], made_a[0]]
    assert ids(coach_a, coach_id=people.sub("b")) == []  # filters never widen what a coach sees
    seen, cursor = [], None
    while True:
        page = assert_json(admin.get(RELATIONSHIPS, params={"limit": 3, **({"cursor": cursor} if cursor else {})}),
                           200)
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == (made_a + made_b)[::-1]
    for bad in ({"status": "over"}, {"coach_id": "x"}, {"teacher_id": "1"}, {"limit": 0}, {"cursor": "zz"}):
        assert_problem(admin.get(RELATIONSHIPS, params=bad), 400, "bad-request")


def test_another_district_sees_and_changes_nothing(people, coaching):
    coach = people.client("coach", name="coach")
    rel = start(coach, people.sub("teacher"))
    item = f"{RELATIONSHIPS}/{rel['id']}"
    other = People(coaching, new_district())
    for role in ("coach", "district_admin", "school_leader", "teacher"):
        # the same educator ids in another district's tokens
        c = other.make(token(other.district, people.sub("coach"), [role]))
        unknown = c.get(f"{RELATIONSHIPS}/{SOME_ID}")
        assert_problem(unknown, 404, "not-found")
        r = c.get(item)
        assert_problem(r, 404, "not-found")
        assert r.json()["detail"] == unknown.json()["detail"]
        assert ids(c) == [] and ids(c, coach_id=people.sub("coach")) == []
        if role in ("coach", "district_admin"):
            assert_problem(c.patch(item, json={"ends_on": "2030-01-01"}), 404, "not-found")
        if role == "district_admin":
            assert assert_json(c.get(UNMATCHED), 200)["data"] == []
    assert assert_json(coach.get(item), 200) == rel
    # the same pair in the other district is another relationship
    theirs = start(other.make(token(other.district, people.sub("coach"), ["coach"])),
                   people.sub("teacher"))
    assert theirs["id"] != rel["id"] and ids(coach) == [rel["id"]]
