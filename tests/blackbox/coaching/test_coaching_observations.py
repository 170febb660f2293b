"""Rubrics, observations, feedback, reflections and the access log (docs/coaching.md): rubric versioning (a change
is a new version, old versions never change, in the database too); every validation rule; confidentiality as a
table (role x content endpoint x status); every content read logged, the log append-only; tenant isolation; one
event per change and no content in events or in the service's log."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from coachlib import RELATIONSHIPS, People, district_events
from hgtest import LOG_DIR, PG_URL, assert_json, assert_problem, new_district, token

RUBRICS = "/v1/coaching/rubrics"
CYCLES = "/v1/coaching/cycles"
OBSERVATIONS = "/v1/coaching/observations"
FEEDBACK = "/v1/coaching/feedback"
ACCESS_LOG = "/v1/coaching/access-log"
NOTES = "Mr Okafor's warm-up ran eleven minutes over"  # content: never outside the parties' reads
STRENGTHS = "Okafor circulates and checks every table"
REFLECTION = "Okafor will time the warm-up next week"


def rubric_body(**kw) -> dict:
    return {"name": "Instruction", "domains": [
        {"name": "Environment", "indicators": [
            {"key": "env.routines", "name": "Routines", "levels": [
                {"level": 1, "descriptor": "Beginning"}, {"level": 2, "descriptor": "Developing"},
                {"level": 3, "descriptor": "Proficient"}]}]},
        {"name": "Instruction", "indicators": [
            {"key": "ins.questions", "name": "Questioning", "levels": [
                {"level": 1, "descriptor": "Closed questions"}, {"level": 4, "descriptor": "Open questions"}]}]}],
            **kw}


def now_minus(minutes: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def sql(statement: str) -> subprocess.CompletedProcess:
    return subprocess.run(["psql", PG_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=statement,
                          capture_output=True, text=True, timeout=30)


class Setup:
    """A district's admin and rubric, a coach, a teacher, their relationship and a cycle."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.admin = people.client("district_admin", name="admin")
        self.coach = people.client("coach", name="coach")
        self.teacher = people.client("teacher", name="teacher")
        self.rubric = assert_json(self.admin.post(RUBRICS, json=rubric_body()), 201)
        rel = assert_json(self.coach.post(RELATIONSHIPS, json={"teacher_id": people.sub("teacher"),
                                                               "kind": "instructional_coaching"}), 201)
        self.cycle = assert_json(self.coach.post(CYCLES, json={
            "relationship_id": rel["id"], "focus": "f", "goal": {
                "description": "d", "measure": "m", "baseline": 1, "target": 2, "due_on": "2027-03-01"}}), 201)

    def observation_body(self, **kw) -> dict:
        return {"observed_at": now_minus(90), "rubric_id": self.rubric["id"], "rubric_version": 1,
                "ratings": [{"indicator": "env.routines", "level": 2, "notes": NOTES},
                            {"indicator": "ins.questions", "level": 4}],
                "evidence": [{"url": "https://video.example/v/1",
                              "comments": [{"at_seconds": 95, "text": NOTES}]}], **kw}

    def observe(self, **kw) -> dict:
        return assert_json(self.coach.post(f"{CYCLES}/{self.cycle['id']}/observations",
                                           json=self.observation_body(**kw)), 201)

    def feedback(self, observation: dict) -> dict:
        return assert_json(self.coach.post(f"{OBSERVATIONS}/{observation['id']}/feedback", json={
            "strengths": STRENGTHS, "next_steps": NOTES}), 201)


@pytest.fixture
def setup(coaching, district) -> Setup:
    return Setup(People(coaching, district))


def test_rubric_versions_never_change(setup):
    admin, rubric = setup.admin, setup.rubric
    item = f"{RUBRICS}/{rubric['id']}"
    assert (rubric["version"], rubric["name"]) == (1, "Instruction")
    obs = setup.observe()
    assert (obs["rubric_id"], obs["rubric_version"]) == (rubric["id"], 1)
    changed = rubric_body(name="Instruction 2027")
    changed["domains"][0]["indicators"][0]["levels"][0]["descriptor"] = "Not yet"
    v2 = assert_json(admin.patch(item, json=changed), 200)
    assert (v2["version"], v2["name"]) == (2, "Instruction 2027")
    same = assert_json(admin.patch(item, json={"name": "Instruction 2027"}), 200)
    assert same["version"] == 2  # the same content is no new version
    v1 = assert_json(setup.teacher.get(f"{item}/versions/1"), 200)
    assert v1["domains"] == rubric["domains"] and v1["name"] == "Instruction"
    assert assert_json(setup.coach.get(f"{item}/versions/2"), 200)["domains"] == v2["domains"]
    assert assert_json(setup.coach.get(item), 200) == v2
    for bad in ("3", "0", "x", "01", "99999999999"):
        assert_problem(setup.coach.get(f"{item}/versions/{bad}"), 404, "not-found")
    # the database refuses to change or remove a version, whoever asks
    for statement in ("UPDATE coaching.rubric_versions SET name = 'x'",
                      "DELETE FROM coaching.rubric_versions", "TRUNCATE coaching.rubric_versions CASCADE"):
        p = sql(statement)
        assert p.returncode != 0 and "append-only" in p.stderr, statement
    assert assert_json(setup.coach.get(f"{item}/versions/1"), 200) == v1
    # an observation on version 1 still reads version 1; a new one may use version 2
    assert assert_json(setup.coach.get(f"{OBSERVATIONS}/{obs['id']}"), 200)["rubric_version"] == 1
    assert setup.observe(rubric_version=2)["rubric_version"] == 2
    listed = assert_json(setup.teacher.get(RUBRICS), 200)["data"]
    assert [r["id"] for r in listed] == [rubric["id"]]
    assert_problem(setup.coach.post(RUBRICS, json=rubric_body()), 403, "forbidden")
    assert_problem(setup.coach.patch(item, json={"name": "x"}), 403, "forbidden")


def test_rubric_validation_names_every_field(setup):
    admin = setup.admin
    r = admin.post(RUBRICS, json={"name": " ", "domains": [
        {"name": "D", "indicators": [
            {"key": "A b", "name": "I", "levels": [{"level": 1, "descriptor": "x"}]},
            {"key": "k", "name": "", "levels": [{"level": 1, "descriptor": "x"}, {"level": 1, "descriptor": ""},
                                                 {"level": 11, "descriptor": "y", "extra": 1}]},
            {"key": "k", "name": "J", "levels": [{"level": 1, "descriptor": "a"}, {"level": 2, "descriptor": "b"}]},
        ]}, {"indicators": []}], "color": "red"})
    fields = {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]}
    assert fields == {"name", "color", "domains[0].indicators[0].key", "domains[0].indicators[0].levels",
                      "domains[0].indicators[1].name", "domains[0].indicators[1].levels[1].level",
                      "domains[0].indicators[1].levels[1].descriptor", "domains[0].indicators[1].levels[2].level",
                      "domains[0].indicators[1].levels[2].extra", "domains[0].indicators[2].key",
                      "domains[1].name", "domains[1].indicators"}
    assert_problem(admin.post(RUBRICS, json={"name": "x", "domains": []}), 422, "validation-failed")
    many = [{"name": f"D{i}", "indicators": [
        {"key": f"k{i}-{j}", "name": "I", "levels": [{"level": 1, "descriptor": "a"}, {"level": 2, "descriptor": "b"}]}
        for j in range(11)]} for i in range(10)]
    r = admin.post(RUBRICS, json={"name": "x", "domains": many})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["domains"]
    assert_problem(admin.patch(f"{RUBRICS}/{setup.rubric['id']}", json={}), 422, "validation-failed")
    assert [x["id"] for x in assert_json(admin.get(RUBRICS), 200)["data"]] == [setup.rubric["id"]]


def test_observation_validation_names_every_field(setup):
    path = f"{CYCLES}/{setup.cycle['id']}/observations"
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = setup.coach.post(path, json={"observed_at": future, "rubric_id": "x", "rubric_version": 0,
                                     "ratings": [{"indicator": "", "level": 11, "notes": "", "x": 1}, 3],
                                     "evidence": [{"url": "ftp://x", "comments": [{"at_seconds": -1, "text": ""}]}],
                                     "mood": "good"})
    fields = {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]}
    assert fields == {"observed_at", "rubric_id", "rubric_version", "ratings[0].indicator", "ratings[0].level",
                      "ratings[0].notes", "ratings[0].x", "ratings[1]", "evidence[0].url",
                      "evidence[0].comments[0].at_seconds", "evidence[0].comments[0].text", "mood"}
    assert [e["field"] for e in assert_problem(setup.coach.post(path, json={}), 422,
                                               "validation-failed")["errors"]] == [
        "observed_at", "rubric_id", "rubric_version", "ratings"]
    r = setup.coach.post(path, json=setup.observation_body(ratings=[{"indicator": "nope", "level": 1}]))
    p = assert_problem(r, 422, "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("indicator_unknown", ["ratings[0].indicator"])
    r = setup.coach.post(path, json=setup.observation_body(ratings=[{"indicator": "ins.questions", "level": 2}]))
    p = assert_problem(r, 422, "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("level_unknown", ["ratings[0].level"])
    twice = [{"indicator": "ins.questions", "level": 1}, {"indicator": "ins.questions", "level": 4}]
    p = assert_problem(setup.coach.post(path, json=setup.observation_body(ratings=twice)), 422, "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("indicator_twice", ["ratings[1].indicator"])
    p = assert_problem(setup.coach.post(path, json=setup.observation_body(rubric_version=2)), 422,
                       "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("rubric_version_unknown", ["rubric_version"])
    other = assert_json(setup.people.client("district_admin").post(RUBRICS, json=rubric_body()), 201)
    assert assert_problem(setup.coach.post(path, json=setup.observation_body(
        rubric_id=new_district())), 422, "validation-failed")["reason"] == "rubric_version_unknown"
    assert setup.observe(rubric_id=other["id"])["rubric_id"] == other["id"]
    obs = setup.observe()
    fb = f"{OBSERVATIONS}/{obs['id']}/feedback"
    r = setup.coach.post(fb, json={"strengths": "", "next_steps": "x" * 4001, "tone": 1})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "strengths", "next_steps", "tone"}
    f = setup.feedback(obs)
    r = setup.teacher.post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": " "})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["text"]
    # nothing of the refused writes was kept
    listed = assert_json(setup.coach.get(path), 200)["data"]
    assert len(listed) == 2 and all(len(o["feedback"]) == (1 if o["id"] == obs["id"] else 0) for o in listed)


def test_feedback_minutes_and_reflection(setup, coaching_events):
    obs = setup.observe(observed_at=now_minus(90))
    f = setup.feedback(obs)
    assert 89 <= f["minutes_since_observation"] <= 91
    assert (f["strengths"], f["next_steps"], f["reflection"]) == (STRENGTHS, NOTES, None)
    r = assert_json(setup.teacher.post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": REFLECTION}), 201)
    assert (r["feedback_id"], r["text"], r["teacher_id"]) == (f["id"], REFLECTION, setup.people.sub("teacher"))
    again = setup.teacher.post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": "again"})
    assert assert_problem(again, 409, "conflict")["reason"] == "reflection_exists"
    read = assert_json(setup.teacher.get(f"{FEEDBACK}/{f['id']}"), 200)
    assert read["reflection"]["text"] == REFLECTION
    seen = assert_json(setup.coach.get(f"{OBSERVATIONS}/{obs['id']}"), 200)
    assert seen["ratings"][0]["notes"] == NOTES and seen["evidence"][0]["comments"] == [
        {"at_seconds": 95, "text": NOTES}]
    assert [x["id"] for x in seen["feedback"]] == [f["id"]] and seen["feedback"][0]["reflection"]["text"] == REFLECTION
    # who writes what
    r = setup.teacher.post(f"{OBSERVATIONS}/{obs['id']}/feedback", json={"strengths": "s", "next_steps": "n"})
    assert r.status_code == 403  # the route is the coach's
    teacher_coach = setup.people.client("teacher", "coach", name="teacher")
    r = teacher_coach.post(f"{OBSERVATIONS}/{obs['id']}/feedback", json={"strengths": "s", "next_steps": "n"})
    assert assert_problem(r, 403, "forbidden")["reason"] == "observation_coach_only"
    r = teacher_coach.post(f"{CYCLES}/{setup.cycle['id']}/observations", json=setup.observation_body())
    assert assert_problem(r, 403, "forbidden")["reason"] == "observation_coach_only"
    coach_teacher = setup.people.client("coach", "teacher", name="coach")
    r = coach_teacher.post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": "t"})
    assert assert_problem(r, 403, "forbidden")["reason"] == "reflection_teacher_only"
    for stranger in (setup.people.client("coach"), setup.people.client("coach", "district_admin")):
        assert_problem(stranger.post(f"{OBSERVATIONS}/{obs['id']}/feedback",
                                     json={"strengths": "s", "next_steps": "n"}), 404, "not-found")
        assert_problem(stranger.post(f"{CYCLES}/{setup.cycle['id']}/observations",
                                     json=setup.observation_body()), 404, "not-found")
    assert_problem(setup.people.client("teacher").post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": "t"}),
                   404, "not-found")
    # at most 20 feedback per observation
    for _ in range(19):
        setup.feedback(obs)
    r = setup.coach.post(f"{OBSERVATIONS}/{obs['id']}/feedback", json={"strengths": "s", "next_steps": "n"})
    assert assert_problem(r, 409, "conflict")["reason"] == "feedback_limit"
    # a closed cycle takes no new observation
    assert_json(setup.coach.patch(f"{CYCLES}/{setup.cycle['id']}", json={"status": "cancelled"}), 200)
    r = setup.coach.post(f"{CYCLES}/{setup.cycle['id']}/observations", json=setup.observation_body())
    assert assert_problem(r, 409, "conflict")["reason"] == "cycle_closed"

    # one event per change, none with content
    district = setup.people.district
    events = district_events(coaching_events, district, 26)
    mine = [e for e in events if e.type in ("observation.recorded", "feedback.given", "reflection.recorded")]
    assert [e.type for e in mine] == ["observation.recorded", "feedback.given", "reflection.recorded"] + [
        "feedback.given"] * 19
    o_ev, f_ev, r_ev = mine[:3]
    assert o_ev.subject == obs["id"] and o_ev.value["data"]["rating_count"] == 2
    assert o_ev.value["data"]["evidence_count"] == 1 and o_ev.value["data"]["rubric_version"] == 1
    assert f_ev.subject == f["id"] and f_ev.value["data"]["minutes_since_observation"] == f["minutes_since_observation"]
    assert r_ev.value["data"]["feedback_id"] == f["id"]
    text = str([e.value for e in events])
    assert "Okafor" not in text
    for content in ("ratings", "evidence", "strengths", "next_steps", "text", "feedback", "reflection"):
        assert not any(content in e.value["data"] for e in mine), content
    log = (LOG_DIR / "hg-coaching.log").read_text(errors="replace")
    assert "Okafor" not in log


# role -> expected status of each content read (the coach and the teacher of the cycle read; everyone else, a
# school leader and a district admin included, gets the 404 of an unknown id)
READERS = [
    ("coach", ("coach",), 200),
    ("teacher", ("teacher",), 200),
    ("teacher", ("teacher", "school_leader"), 200),
    (None, ("school_leader",), 404),
    (None, ("district_admin",), 404),
    (None, ("district_admin", "coach"), 404),
    (None, ("coach",), 404),
    (None, ("teacher",), 404),
    (None, ("state_reporter",), 403),
]
ENDPOINTS = ("observation", "observations of the cycle", "feedback")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("name,roles,status", READERS)
def test_content_readers(setup, endpoint, name, roles, status):
    obs = setup.observe()
    f = setup.feedback(obs)
    path = {"observation": f"{OBSERVATIONS}/{obs['id']}",
            "observations of the cycle": f"{CYCLES}/{setup.cycle['id']}/observations",
            "feedback": f"{FEEDBACK}/{f['id']}"}[endpoint]
    client = setup.people.client(*roles, name=name)
    r = client.get(path)
    assert r.status_code == status, (endpoint, roles, r.text)
    if status == 200:
        assert NOTES in r.text
    else:
        assert NOTES not in r.text and "Okafor" not in r.text


def test_access_log(setup, coaching):
    people = setup.people
    obs = setup.observe()
    f = setup.feedback(obs)
    assert assert_json(setup.teacher.get(ACCESS_LOG), 200)["data"] == []  # writing is no read
    assert_json(setup.coach.get(f"{OBSERVATIONS}/{obs['id']}"), 200)
    assert_json(setup.teacher.get(f"{FEEDBACK}/{f['id']}"), 200)
    assert len(assert_json(setup.coach.get(f"{CYCLES}/{setup.cycle['id']}/observations",
                                           params={"limit": 1}), 200)["data"]) == 1
    for who in (people.client("school_leader"), people.client("district_admin")):  # refused reads: no line
        assert_problem(who.get(f"{OBSERVATIONS}/{obs['id']}"), 404, "not-found")
    lines = assert_json(setup.teacher.get(ACCESS_LOG), 200)["data"]
    coach, teacher = people.sub("coach"), people.sub("teacher")
    assert [(x["reader_id"], x["record_kind"], x["record_id"]) for x in lines] == [
        (coach, "observation", obs["id"]), (teacher, "feedback", f["id"]), (coach, "observation", obs["id"])]
    assert all(x["teacher_id"] == teacher and x["coach_id"] == coach and x["cycle_id"] == setup.cycle["id"]
               for x in lines)
    assert NOTES not in str(lines)
    assert assert_json(setup.admin.get(ACCESS_LOG), 200)["data"] == lines
    assert assert_json(setup.admin.get(ACCESS_LOG, params={"reader_id": teacher}), 200)["data"] == [lines[1]]
    assert assert_json(setup.admin.get(ACCESS_LOG, params={"record_id": f["id"]}), 200)["data"] == [lines[1]]
    page = assert_json(setup.admin.get(ACCESS_LOG, params={"limit": 2}), 200)
    rest = assert_json(setup.admin.get(ACCESS_LOG, params={"limit": 2, "cursor": page["next_cursor"]}), 200)
    assert page["data"] + rest["data"] == lines
    # a teacher reads the lines of their own records only, even when filtering for another's
    assert assert_json(people.client("teacher").get(ACCESS_LOG), 200)["data"] == []
    assert assert_json(people.client("teacher").get(ACCESS_LOG, params={"teacher_id": teacher}), 200)["data"] == []
    assert_problem(setup.coach.get(ACCESS_LOG), 403, "forbidden")
    assert_problem(people.client("school_leader").get(ACCESS_LOG), 403, "forbidden")
    assert_problem(setup.admin.get(ACCESS_LOG, params={"teacher_id": "x"}), 400, "bad-request")
    # append-only in the database too
    for statement in ("UPDATE coaching.access_log SET reader_id = teacher_id",
                      "DELETE FROM coaching.access_log", "TRUNCATE coaching.access_log"):
        p = sql(statement)
        assert p.returncode != 0 and "append-only" in p.stderr, statement
    assert assert_json(setup.admin.get(ACCESS_LOG), 200)["data"] == lines


def test_another_district_sees_nothing(setup, coaching):
    obs = setup.observe()
    f = setup.feedback(obs)
    other = new_district()
    people = setup.people
    for name, roles in (("coach", ["coach"]), ("teacher", ["teacher"]), ("admin", ["district_admin"])):
        client = coaching(token(other, people.sub(name), roles))
        for path in (f"{OBSERVATIONS}/{obs['id']}", f"{CYCLES}/{setup.cycle['id']}/observations",
                     f"{FEEDBACK}/{f['id']}", f"{RUBRICS}/{setup.rubric['id']}",
                     f"{RUBRICS}/{setup.rubric['id']}/versions/1"):
            assert_problem(client.get(path), 404, "not-found")
        assert assert_json(client.get(RUBRICS), 200)["data"] == []
        if "coach" in roles:
            assert_problem(client.post(f"{CYCLES}/{setup.cycle['id']}/observations",
                                       json=setup.observation_body()), 404, "not-found")
            assert_problem(client.post(f"{OBSERVATIONS}/{obs['id']}/feedback",
                                       json={"strengths": "s", "next_steps": "n"}), 404, "not-found")
        if "teacher" in roles:
            assert_problem(client.post(f"{FEEDBACK}/{f['id']}/reflection", json={"text": "t"}), 404, "not-found")
            assert assert_json(client.get(ACCESS_LOG), 200)["data"] == []
        if "district_admin" in roles:
            assert_problem(client.patch(f"{RUBRICS}/{setup.rubric['id']}", json={"name": "x"}), 404, "not-found")
            assert assert_json(client.get(ACCESS_LOG), 200)["data"] == []


def test_observations_and_feedback_are_contact_and_counts(setup):
    """The caseload's last contact counts observations (their UTC date) and feedback (the day it was given), not
    only time logs; leaders and admins see a cycle's observation and feedback counts, never the content."""
    caseload, summary = "/v1/coaching/caseload", "/v1/coaching/caseload-summary"
    cycle = f"{CYCLES}/{setup.cycle['id']}"
    leader, teacher = setup.people.client("school_leader"), setup.teacher

    def contact(reader=setup.coach):
        row = assert_json(reader.get(caseload, params={"coach_id": setup.people.sub("coach")}), 200)["data"]
        coach = assert_json(reader.get(summary, params={"coach_id": setup.people.sub("coach")}), 200)["data"]
        assert len(row) == 1 and len(coach) == 1
        return row[0]["last_contact_on"], coach[0]["last_contact_on"]

    def counts(reader):
        c = assert_json(reader.get(cycle), 200)
        return c["observation_count"], c["feedback_count"]

    assert contact() == (None, None)
    assert counts(leader) == (0, 0) and setup.cycle["observation_count"] == 0
    three_days = datetime.now(timezone.utc) - timedelta(days=3)
    obs = setup.observe(observed_at=three_days.strftime("%Y-%m-%dT%H:%M:%SZ"))
    setup.observe(observed_at=(three_days - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert contact() == (three_days.date().isoformat(),) * 2
    for reader in (leader, setup.admin, teacher, setup.coach):
        assert counts(reader) == (2, 0)
    setup.feedback(obs)
    setup.feedback(obs)
    today = datetime.now(timezone.utc).date().isoformat()
    assert contact() == (today, today) and contact(leader) == (today, today)
    for reader in (leader, setup.admin, teacher):
        assert counts(reader) == (2, 2)
    # leaders and admins see the figures, never the content; the list shows the same figures
    seen = assert_json(leader.get(cycle), 200)
    assert not {"focus", "goal", "action_steps"} & seen.keys()
    listed = assert_json(setup.admin.get(CYCLES, params={"relationship_id": setup.cycle["relationship_id"]}),
                         200)["data"]
    assert [(x["id"], x["observation_count"], x["feedback_count"]) for x in listed] == [(setup.cycle["id"], 2, 2)]
    # another district's cycles and caseloads show none of it
    other = setup.people.make(token(new_district(), setup.people.sub("coach"), ["coach"]))
    assert assert_json(other.get(caseload), 200)["data"] == []
    assert_problem(other.get(cycle), 404, "not-found")
