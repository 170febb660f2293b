"""Survey definitions: every question type round trips, every validation rule names its field (and writes
nothing), the status machine, what freezes, who sees drafts, tenant isolation and one event per change."""

from __future__ import annotations

import copy

import pytest

from hgtest import SPEC, assert_json, assert_problem, new_user, token
from surveyslib import ANSWERS, QUESTIONS, SURVEYS, District, hours_from_now  # noqa: F401


def fields_of(problem: dict) -> set[str]:
    return {e["field"] for e in problem.get("errors", [])}


def count_surveys(d: District) -> int:
    return len(assert_json(d.admin.get(SURVEYS, params={"limit": 100}), 200)["data"])


def test_round_trip_with_every_question_type(surveys):
    d = District(surveys)
    r = d.admin.post(SURVEYS, json={"title": "  Spring needs  ", "purpose": "needs_assessment", "mode": "anonymous",
                                    "audience": {"roles": ["teacher"], "career_stages": ["new"]},
                                    "opens_at": "2030-03-01T08:00:00+01:00", "closes_at": "2030-03-15T17:00:00Z",
                                    "questions": QUESTIONS})
    s = assert_json(r, 201)
    SPEC.check("surveys.yaml", "Survey", s)
    assert r.headers["Location"] == f"{SURVEYS}/{s['id']}"
    assert r.headers["ETag"] == '"1"'
    assert s["title"] == "Spring needs" and s["status"] == "draft" and s["mode"] == "anonymous"
    assert s["opens_at"] == "2030-03-01T07:00:00.000000Z"
    assert s["audience"] == {"roles": ["teacher"], "career_stages": ["new"]}
    assert s["answered"] is False and s["audience_size"] is None
    by_id = {q["id"]: q for q in s["questions"]}
    assert [q["id"] for q in s["questions"]] == [q["id"] for q in QUESTIONS]
    assert by_id["useful"]["required"] is True and by_id["topics"]["required"] is False
    assert by_id["useful"]["topic"] == "assessment" and by_id["format"]["topic"] is None
    assert by_id["topics"]["min_picks"] == 1 and by_id["topics"]["max_picks"] == 2
    assert by_id["comment"]["max_length"] == 50
    got = assert_json(d.admin.get(f"{SURVEYS}/{s['id']}"), 200)
    assert got == s


def test_defaults(surveys):
    d = District(surveys)
    s = assert_json(d.admin.post(SURVEYS, json={
        "title": "t", "purpose": "climate",
        "questions": [{"id": "m", "type": "multiple_choice", "prompt": "p", "options": ["x", "y", "z"]},
                      {"id": "t", "type": "text", "prompt": "p"}]}), 201)
    assert s["mode"] == "confidential" and s["audience"] == {} and s["opens_at"] is None
    assert s["questions"][0]["min_picks"] == 1 and s["questions"][0]["max_picks"] == 3
    assert s["questions"][1]["max_length"] == 1000


BAD_SURVEYS = [
    ({"purpose": "climate"}, {"title"}),
    ({"title": "t"}, {"purpose"}),
    ({"title": "", "purpose": "gossip", "mode": "secret", "colour": 1},
     {"title", "purpose", "mode", "colour"}),
    ({"title": "t", "purpose": "climate", "audience": {"schools": ["x"], "roles": ["janitor"], "age": 3}},
     {"audience.schools", "audience.roles", "audience.age"}),
    ({"title": "t", "purpose": "climate", "audience": []}, {"audience"}),
    ({"title": "t", "purpose": "climate", "opens_at": "tomorrow", "closes_at": "2030-01-01"},
     {"opens_at", "closes_at"}),
    ({"title": "t", "purpose": "climate", "questions": {}}, {"questions"}),
    ({"title": "t", "purpose": "climate", "questions": [{"id": "q", "type": "rating", "prompt": "p"}] * 101},
     {"questions"}),
]


@pytest.mark.parametrize("body,fields", BAD_SURVEYS)
def test_bad_survey_fields_are_named(surveys, body, fields):
    d = District(surveys)
    p = assert_problem(d.admin.post(SURVEYS, json=body), 422, "validation-failed")
    assert fields_of(p) == fields, p
    assert count_surveys(d) == 0


def q(**kw) -> dict:
    return {"id": "q", "type": "rating", "prompt": "p", **kw}


LABELS = ["1", "2", "3", "4", "5"]
BAD_QUESTIONS = [
    (q(id="Bad Id"), {"id"}),
    (q(id=""), {"id"}),
    (q(type="slider"), {"type"}),
    (q(prompt=""), {"prompt"}),
    (q(prompt="x" * 501), {"prompt"}),
    (q(required="yes"), {"required"}),
    (q(topic=""), {"topic"}),
    (q(colour="red"), {"colour"}),
    (q(type="scale"), {"labels"}),
    (q(type="scale", labels=LABELS[:4]), {"labels"}),
    (q(type="scale", labels=["a", "a", "b", "c", "d"]), {"labels"}),
    (q(type="retrospective", labels=LABELS + ["6"]), {"labels"}),
    (q(type="scale", labels=LABELS, options=["a", "b"]), {"options"}),
    (q(type="single_choice"), {"options"}),
    (q(type="single_choice", options=["only"]), {"options"}),
    (q(type="single_choice", options=["a", "b"], max_picks=1), {"max_picks"}),
    (q(type="multiple_choice", options=["a", "b"], min_picks=3), {"min_picks"}),
    (q(type="multiple_choice", options=["a", "b", "c"], min_picks=3, max_picks=2), {"max_picks"}),
    (q(type="multiple_choice", options=["a", "b"], max_picks=0), {"max_picks"}),
    (q(type="rating", min=1), {"min"}),
    (q(type="number"), {"min", "max"}),
    (q(type="number", min=5, max=1), {"max"}),
    (q(type="number", min="0", max=1e12), {"min", "max"}),
    (q(type="text", max_length=0), {"max_length"}),
    (q(type="text", max_length=5001), {"max_length"}),
    (q(type="text", labels=LABELS), {"labels"}),
    ("a question", {""}),
]


@pytest.mark.parametrize("question,fields", BAD_QUESTIONS)
def test_bad_question_fields_are_named(surveys, question, fields):
    d = District(surveys)
    body = {"title": "t", "purpose": "climate", "questions": [q(id="ok"), question]}
    p = assert_problem(d.admin.post(SURVEYS, json=body), 422, "validation-failed")
    want = {f"questions[1].{f}" if f else "questions[1]" for f in fields}
    assert fields_of(p) == want, p
    assert count_surveys(d) == 0


def test_every_problem_at_once_and_duplicate_ids(surveys):
    d = District(surveys)
    body = {"title": "", "purpose": "climate",
            "questions": [q(id="a"), q(id="a"), q(type="number", min=3), q(id="c", type="scale")]}
    p = assert_problem(d.admin.post(SURVEYS, json=body), 422, "validation-failed")
    assert fields_of(p) == {"title", "questions[1].id", "questions[2].max", "questions[3].labels"}, p


def test_status_machine(surveys, surveys_events):
    d = District(surveys)
    empty = d.create(questions=[])
    p = assert_problem(d.patch(empty["id"], {"status": "open"}), 409, "conflict")
    assert p["reason"] == "survey_no_questions"
    # the questions of the same change count
    opened = assert_json(d.patch(empty["id"], {"status": "open", "questions": [q()]}), 200)
    assert opened["status"] == "open" and opened["opened_at"] and opened["audience_size"] == 0
    assert assert_problem(d.patch(empty["id"], {"status": "draft"}), 409, "conflict")["reason"] == "survey_status_move"
    for change in ({"mode": "anonymous"}, {"audience": {"roles": ["coach"]}}, {"purpose": "climate"}):
        assert assert_problem(d.patch(empty["id"], change), 409, "conflict")["reason"] == "survey_fixed_after_open"
    # the title, the window and (nothing answered yet) the questions still change
    assert_json(d.patch(empty["id"], {"title": "Renamed", "closes_at": hours_from_now(48)}), 200)
    assert_json(d.patch(empty["id"], {"questions": [q(), q(id="q2")]}), 200)
    closed = assert_json(d.patch(empty["id"], {"status": "closed"}), 200)
    assert closed["status"] == "closed" and closed["closed_at"]
    for change in ({"status": "open"}, {"title": "again"}, {"status": "closed"}):
        assert assert_problem(d.patch(empty["id"], change), 409, "conflict")["reason"] == "survey_closed"
    draft = d.create()
    p = assert_problem(d.patch(draft["id"], {"status": "closed"}), 409, "conflict")
    assert p["reason"] == "survey_status_move"
    # unchanged status: answered as it is, no write
    same = assert_json(d.patch(draft["id"], {"status": "draft"}), 200)
    assert same["version"] == draft["version"]

    events = surveys_events.collect(lambda e: e.key == d.id, lambda evs: len(evs) >= 7, timeout=20, settle=1)
    types = [(e.subject, e.type) for e in events]
    # closing also emits the final results (results.finalized), in the same transaction
    assert types == [(empty["id"], "survey.created"), (empty["id"], "survey.opened"),
                     (empty["id"], "survey.updated"), (empty["id"], "survey.updated"),
                     (empty["id"], "survey.closed"), (empty["id"], "results.finalized"),
                     (draft["id"], "survey.created")], types
    assert events[1].value["data"]["audience_size"] == 0


def test_bad_patch_changes_nothing(surveys):
    d = District(surveys)
    s = d.create()
    p = assert_problem(d.patch(s["id"], {"questions": [q(type="scale")], "title": ""}), 422, "validation-failed")
    assert fields_of(p) == {"questions[0].labels", "title"}
    assert_problem(d.patch(s["id"], {}), 422, "validation-failed")
    assert assert_json(d.admin.get(f"{SURVEYS}/{s['id']}"), 200) == s
    # a window that ends before it starts: the database's check, still a 422
    assert_problem(d.patch(s["id"], {"opens_at": hours_from_now(10), "closes_at": hours_from_now(5)}), 422,
                   "validation-failed")
    assert assert_json(d.admin.get(f"{SURVEYS}/{s['id']}"), 200) == s


def test_if_match(surveys):
    d = District(surveys)
    s = d.create()
    r = d.admin.patch(f"{SURVEYS}/{s['id']}", json={"title": "x"}, headers={"If-Match": '"7"'})
    assert_problem(r, 412, "precondition-failed")
    r = d.admin.patch(f"{SURVEYS}/{s['id']}", json={"title": "x"}, headers={"If-Match": '"1"'})
    assert assert_json(r, 200)["version"] == 2


def test_drafts_are_for_admins(surveys):
    d = District(surveys)
    draft = d.create()
    opened = d.open()
    for role in ("teacher", "coach", "school_leader"):
        c = d.client(None, role)
        assert_problem(c.get(f"{SURVEYS}/{draft['id']}"), 404, "not-found")
        assert assert_json(c.get(f"{SURVEYS}/{opened['id']}"), 200)["id"] == opened["id"]
        assert [s["id"] for s in assert_json(c.get(SURVEYS), 200)["data"]] == [opened["id"]]
        assert assert_json(c.get(SURVEYS, params={"status": "draft"}), 200)["data"] == []
        assert_problem(c.post(SURVEYS, json={"title": "t", "purpose": "climate"}), 403, "forbidden")
        assert_problem(d.patch(opened["id"], {"title": "x"}, c), 403, "forbidden")
    listed = assert_json(d.admin.get(SURVEYS), 200)["data"]
    assert [s["id"] for s in listed] == [opened["id"], draft["id"]]
    assert [s["id"] for s in assert_json(d.admin.get(SURVEYS, params={"status": "draft"}), 200)["data"]] == \
        [draft["id"]]
    assert_problem(d.admin.get(SURVEYS, params={"status": "gone"}), 400, "bad-request")


def test_paging(surveys):
    d = District(surveys)
    ids = [d.create(title=f"s{i}")["id"] for i in range(7)]
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = assert_json(d.admin.get(SURVEYS, params=params), 200)
        seen += [s["id"] for s in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))


def test_another_district_sees_and_changes_nothing(surveys):
    a, b = District(surveys), District(surveys)
    s = a.open()
    draft = a.create()
    for sid in (s["id"], draft["id"]):
        pa = assert_problem(b.admin.get(f"{SURVEYS}/{sid}"), 404, "not-found")
        pu = assert_problem(b.admin.get(f"{SURVEYS}/00000000-0000-4000-8000-000000000000"), 404, "not-found")
        assert pa["detail"] == pu["detail"]
        assert_problem(b.patch(sid, {"title": "stolen"}), 404, "not-found")
        assert_problem(b.patch(sid, {"status": "closed"}), 404, "not-found")
    assert assert_json(b.admin.get(SURVEYS), 200)["data"] == []
    assert assert_json(b.client(None, "teacher").get(SURVEYS), 200)["data"] == []
    assert assert_json(a.admin.get(f"{SURVEYS}/{s['id']}"), 200)["title"] == s["title"]
