"""Responding: every answer checked against its question (all problems in one 422, nothing stored), one response
per educator (a retry with its Idempotency-Key is replayed; a second response and 100 concurrent ones are 409),
the window and the status, the audience from the roster read model, questions frozen by the first answer,
confidential read-back, tenant isolation and one event per response."""

from __future__ import annotations

import threading
import uuid

import requests

from hgtest import assert_json, assert_problem, new_user, token
from surveyslib import ANSWERS, QUESTIONS, SURVEYS, District, Roster, hours_from_now, psql


def responses(survey_id: str) -> str:
    return f"{SURVEYS}/{survey_id}/responses"


def stored(survey_id: str) -> tuple[int, int, int]:
    """(participants, answer sets, the survey's response count) as the database holds them."""
    r = psql(f"SELECT (SELECT count(*) FROM participants WHERE survey_id = '{survey_id}'),"
             f" (SELECT count(*) FROM answer_sets WHERE survey_id = '{survey_id}'),"
             f" (SELECT responses FROM surveys WHERE id = '{survey_id}')")[0]
    return int(r[0]), int(r[1]), int(r[2])


def staff(d: District, n: int, schools: list[str] | None = None, **kw) -> list[str]:
    """n educators of the district in the roster read model (hg-surveys applied their events)."""
    roster = Roster(d.id)
    school = schools or [str(uuid.uuid4())]
    ids = [str(uuid.uuid4()) for _ in range(n)]
    roster.send(*[roster.educator(e, school, **kw) for e in ids])
    roster.wait_applied(n)
    return ids


def test_every_bad_answer_is_named_and_nothing_is_stored(surveys):
    d = District(surveys)
    [me] = staff(d, 1)
    s = d.open(mode="confidential")
    c = d.client(me, "teacher")
    bad = {"useful": 6, "confidence": {"before": 0, "now": 4}, "format": "carrier pigeon",
           "topics": ["a", "b", "c"], "recommend": "ten", "hours": 201, "comment": "x" * 51, "extra": 1}
    p = assert_problem(c.post(responses(s["id"]), json={"answers": bad}), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {
        "answers.useful", "answers.confidence", "answers.format", "answers.topics", "answers.recommend",
        "answers.hours", "answers.comment", "answers.extra"}, p
    p = assert_problem(c.post(responses(s["id"]), json={"answers": {}}), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"answers.useful", "answers.confidence", "answers.format",
                                                 "answers.recommend"}, p
    for body in ({}, {"answers": [1]}, {"answers": ANSWERS, "note": "x"}):
        assert_problem(c.post(responses(s["id"]), json=body), 422, "validation-failed")
    assert stored(s["id"]) == (0, 0, 0)
    assert assert_json(d.admin.get(f"{SURVEYS}/{s['id']}"), 200)["answered"] is False
    # the refused attempts did not use up the one response
    r = assert_json(c.post(responses(s["id"]), json={"answers": ANSWERS}), 201)
    assert r["answers"]["comment"] == "More practice time" and r["mode"] == "confidential"
    assert stored(s["id"]) == (1, 1, 1)


def test_one_response_each_and_read_back(surveys):
    d = District(surveys)
    [me] = staff(d, 1)
    s = d.open()
    c = d.client(me, "teacher")
    key = {"Idempotency-Key": "resp-1"}
    first = c.post(responses(s["id"]), json={"answers": ANSWERS}, headers=key)
    body = assert_json(first, 201)
    again = c.post(responses(s["id"]), json={"answers": ANSWERS}, headers=key)
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == body
    other = dict(ANSWERS, useful=1)
    p = assert_problem(c.post(responses(s["id"]), json={"answers": other}), 409, "conflict")
    assert p["reason"] == "already_responded"
    # the same answers without the key are a second response too
    assert assert_problem(c.post(responses(s["id"]), json={"answers": ANSWERS}), 409, "conflict")["reason"] == \
        "already_responded"
    assert stored(s["id"]) == (1, 1, 1)
    mine = assert_json(c.get(f"{responses(s['id'])}/mine"), 200)
    assert mine["answers"] == body["answers"] and mine["educator_id"] == me
    # someone who did not respond has nothing to read
    [other_teacher] = staff(d, 1)
    assert_problem(d.client(other_teacher, "teacher").get(f"{responses(s['id'])}/mine"), 404, "not-found")


def test_questions_freeze_at_the_first_answer(surveys):
    d = District(surveys)
    [me] = staff(d, 1)
    s = d.open()
    assert_json(d.patch(s["id"], {"questions": QUESTIONS[:6]}), 200)  # nothing answered yet
    assert_json(d.client(me, "teacher").post(responses(s["id"]), json={"answers": {k: v for k, v in ANSWERS.items() if k != "comment"}}),
                201)
    p = assert_problem(d.patch(s["id"], {"questions": QUESTIONS}), 409, "conflict")
    assert p["reason"] == "questions_frozen"
    got = assert_json(d.admin.get(f"{SURVEYS}/{s['id']}"), 200)
    assert got["answered"] is True and len(got["questions"]) == 6
    assert_json(d.patch(s["id"], {"title": "Still renameable"}), 200)


def test_status_and_window(surveys):
    d = District(surveys)
    admin_id = d.admin_id
    me, = staff(d, 1)
    Roster(d.id).send(Roster(d.id).educator(admin_id, [str(uuid.uuid4())], roles=("district_admin",)))
    Roster(d.id).wait_applied(2)
    c = d.client(me, "teacher")
    draft = d.create()
    assert_problem(c.post(responses(draft["id"]), json={"answers": ANSWERS}), 404, "not-found")
    p = assert_problem(d.admin.post(responses(draft["id"]), json={"answers": ANSWERS}), 409, "conflict")
    assert p["reason"] == "survey_not_open"
    later = d.open(opens_at=hours_from_now(2), closes_at=hours_from_now(4))
    p = assert_problem(c.post(responses(later["id"]), json={"answers": ANSWERS}), 409, "conflict")
    assert p["reason"] == "survey_window_not_started"
    ended = d.open()
    assert_json(d.patch(ended["id"], {"opens_at": hours_from_now(-4), "closes_at": hours_from_now(-1)}), 200)
    p = assert_problem(c.post(responses(ended["id"]), json={"answers": ANSWERS}), 409, "conflict")
    assert p["reason"] == "survey_window_ended"
    closed = d.open()
    assert_json(d.patch(closed["id"], {"status": "closed"}), 200)
    p = assert_problem(c.post(responses(closed["id"]), json={"answers": ANSWERS}), 409, "conflict")
    assert p["reason"] == "survey_not_open"
    # refusals come before the answers are looked at, and store nothing
    p = assert_problem(c.post(responses(closed["id"]), json={"answers": {}}), 409, "conflict")
    for sid in (draft["id"], later["id"], ended["id"], closed["id"]):
        assert stored(sid) == (0, 0, 0)


def test_audience_from_the_roster(surveys):
    d = District(surveys)
    school_a, school_b = str(uuid.uuid4()), str(uuid.uuid4())
    roster = Roster(d.id)
    new_a_teacher, old_a_teacher, new_b_teacher, new_a_coach, gone = (str(uuid.uuid4()) for _ in range(5))
    recent = "2025-08-20"
    roster.send(roster.educator(new_a_teacher, [school_a], started=recent),
                roster.educator(old_a_teacher, [school_a], started="2001-08-20"),
                roster.educator(new_b_teacher, [school_b], started=recent),
                roster.educator(new_a_coach, [school_a, school_b], roles=("coach",), started=recent),
                roster.educator(gone, [school_a], started=recent, status="inactive"))
    roster.wait_applied(5)
    s = d.open(audience={"schools": [school_a], "career_stages": ["new"]})
    assert s["audience_size"] == 2  # the new teacher and the new coach of school A (not the inactive one)
    assert_json(d.client(new_a_teacher, "teacher").post(responses(s["id"]), json={"answers": ANSWERS}), 201)
    assert_json(d.client(new_a_coach, "coach").post(responses(s["id"]), json={"answers": ANSWERS}), 201)
    for who in (old_a_teacher, new_b_teacher, gone, new_user()):
        p = assert_problem(d.client(who, "teacher").post(responses(s["id"]), json={"answers": ANSWERS}), 403,
                           "forbidden")
        assert p["reason"] == "not_in_audience"
    coaches = d.open(audience={"roles": ["coach"]})
    assert coaches["audience_size"] == 1
    assert_problem(d.client(new_a_teacher, "teacher").post(responses(coaches["id"]), json={"answers": ANSWERS}),
                   403, "forbidden")
    # the segment stored with the answers: the coach's school of the audience, their role and stage
    segs = sorted(tuple(r) for r in psql(f"SELECT school_id, role, career_stage FROM answer_sets"
                                         f" WHERE survey_id = '{s['id']}'"))
    assert segs == sorted([(school_a, "teacher", "new"), (school_a, "coach", "new")])


def test_machine_roles_may_not_respond(surveys):
    d = District(surveys)
    s = d.open()
    for role in ("sis_integration", "state_reporter"):
        assert_problem(d.client(None, role).post(responses(s["id"]), json={"answers": ANSWERS}), 403, "forbidden")
        assert_problem(d.client(None, role).get(f"{responses(s['id'])}/mine"), 403, "forbidden")


def test_anonymous_responses_cannot_be_read_back(surveys):
    d = District(surveys)
    me, other = staff(d, 2)
    s = d.open(mode="anonymous")
    r = assert_json(d.client(me, "teacher").post(responses(s["id"]), json={"answers": ANSWERS}), 201)
    assert r == {"survey_id": s["id"], "mode": "anonymous", "responded_on": r["responded_on"]}
    for who in (me, other):  # the same answer whether or not one responded
        p = assert_problem(d.client(who, "teacher").get(f"{responses(s['id'])}/mine"), 404, "not-found")
        assert p["reason"] == "response_anonymous"
    assert psql(f"SELECT answers IS NULL FROM participants WHERE survey_id = '{s['id']}'") == [["t"]]


def test_one_each_under_100_concurrent_submissions(surveys, surveys_service):
    d = District(surveys)
    [me] = staff(d, 1)
    s = d.open()
    bearer = token(d.id, me, ["teacher"])
    url = surveys_service.url + responses(s["id"])
    barrier = threading.Barrier(100)
    statuses: list[int] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        with requests.Session() as session:
            barrier.wait()
            r = session.post(url, json={"answers": dict(ANSWERS, recommend=i % 11)},
                             headers={"Authorization": f"Bearer {bearer}"}, timeout=60)
            with lock:
                statuses.append(r.status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * 99, sorted(set(statuses))
    assert stored(s["id"]) == (1, 1, 1)


def test_another_district_cannot_respond_or_read(surveys):
    a, b = District(surveys), District(surveys)
    [me] = staff(a, 1)
    s = a.open()
    [them] = staff(b, 1)
    for path in (responses(s["id"]), f"{SURVEYS}/{uuid.uuid4()}/responses"):
        assert_problem(b.client(them, "teacher").post(path, json={"answers": ANSWERS}), 404, "not-found")
    assert_problem(b.client(them, "teacher").get(f"{responses(s['id'])}/mine"), 404, "not-found")
    assert_problem(b.client(me, "teacher").post(responses(s["id"]), json={"answers": ANSWERS}), 404, "not-found")
    assert stored(s["id"]) == (0, 0, 0)
    assert_problem(a.client(me, "teacher").post(f"{SURVEYS}/not-a-uuid/responses", json={"answers": ANSWERS}),
                   404, "not-found")


def test_one_event_per_response(surveys, surveys_events):
    d = District(surveys)
    school = str(uuid.uuid4())
    ids = staff(d, 6, schools=[school])
    conf = d.open(mode="confidential")
    anon = d.open(mode="anonymous")
    assert_json(d.client(ids[0], "teacher").post(responses(conf["id"]), json={"answers": ANSWERS}), 201)
    assert_problem(d.client(ids[0], "teacher").post(responses(conf["id"]), json={"answers": ANSWERS}), 409,
                   "conflict")
    for e in ids:
        assert_json(d.client(e, "teacher").post(responses(anon["id"]), json={"answers": ANSWERS}), 201)
    events = surveys_events.collect(lambda e: e.key == d.id and e.type == "response.submitted",
                                    lambda evs: len(evs) >= 7, timeout=20, settle=1)
    assert len(events) == 7
    [c] = [e for e in events if e.subject == conf["id"]]
    assert c.value["data"]["educator_id"] == ids[0] and c.value["data"]["school_id"] == school
    anon_events = [e.value["data"] for e in events if e.subject == anon["id"]]
    assert len(anon_events) == 6
    for i, data in enumerate(anon_events):
        assert "educator_id" not in data and set(data) <= {"survey_id", "mode", "responded_on", "school_id"}
        assert not any(e in str(data) for e in ids)
        # the school only once its group meets the minimum (5)
        assert ("school_id" in data) == (i >= 4), (i, data)
