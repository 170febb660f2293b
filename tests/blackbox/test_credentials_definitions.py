"""Micro-credentials, part 1: the competency framework (aligned, grouped, versioned) and micro-credential
definitions (criteria with rubrics, evidence kinds, credit, reviewers on the roster): who writes and reads them,
every bad field named, events, other districts see nothing."""

from __future__ import annotations

import uuid

from catalog_support import District, of_district
from credentials_support import (COMPETENCIES, DEFINITIONS, competency, competency_body, criteria, definition,
                                 definition_body)
from hgtest import SPEC, assert_json, assert_problem


def test_competency_round_trip_and_versions(api):
    d = District(api)
    c = competency(d)
    assert (c["name"], c["group"], c["version"], c["created_by"]) == ("Formative assessment", "Instruction", 1,
                                                                       d.admin_id)
    assert c["alignment"] == {"framework": "Learning Forward Standards for Professional Learning", "code": "LF-DATA",
                              "url": "https://learningforward.org/standards/data/"}
    t = d.client(None, "teacher")
    r = t.get(f"{COMPETENCIES}/{c['id']}")
    assert assert_json(r, 200) == c and r.headers["ETag"] == '"1"'
    r = d.admin.patch(f"{COMPETENCIES}/{c['id']}", json={"name": "  Formative assessment cycles ", "alignment": None},
                      headers={"If-Match": '"1"'})
    changed = assert_json(r, 200)
    assert (changed["name"], changed["alignment"], changed["version"], r.headers["ETag"]) == (
        "Formative assessment cycles", None, 2, '"2"')
    assert_problem(d.admin.patch(f"{COMPETENCIES}/{c['id']}", json={"group": None}, headers={"If-Match": '"1"'}),
                   412, "precondition-failed")
    assert assert_json(t.get(f"{COMPETENCIES}/{c['id']}"), 200)["version"] == 2
    assert_problem(t.post(COMPETENCIES, json=competency_body()), 403, "forbidden")
    assert_problem(t.patch(f"{COMPETENCIES}/{c['id']}", json={"name": "x"}), 403, "forbidden")
    other = competency(d, group="Leadership", name="Leading PLCs")
    page = assert_json(t.get(COMPETENCIES, params={"group": "Leadership"}), 200)
    SPEC.check("resources.yaml", "CompetencyPage", page)
    assert [x["id"] for x in page["data"]] == [other["id"]]
    assert [x["id"] for x in assert_json(t.get(COMPETENCIES), 200)["data"]] == [other["id"], c["id"]]


def test_competency_validation_names_every_field(api):
    d = District(api)
    cases = [
        ({}, {"name"}),
        ({"name": "   ", "group": "", "extra": 1}, {"name", "group", "extra"}),
        ({"name": "x" * 201, "description": "d" * 5001}, {"name", "description"}),
        ({"name": "n", "alignment": {"framework": "LF"}}, {"alignment.code"}),
        ({"name": "n", "alignment": {"framework": "", "code": "c" * 65, "url": "ftp://x", "x": 1}},
         {"alignment.framework", "alignment.code", "alignment.url", "alignment.x"}),
        ({"name": "n", "alignment": "LF-DATA"}, {"alignment"}),
    ]
    for body, fields in cases:
        p = assert_problem(d.admin.post(COMPETENCIES, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p["errors"])
    c = competency(d)
    p = assert_problem(d.admin.patch(f"{COMPETENCIES}/{c['id']}", json={}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == [""]
    assert assert_json(d.admin.get(COMPETENCIES), 200)["data"] == [c]


def test_definition_round_trip(api):
    d = District(api)
    reviewer = d.teacher()
    c = competency(d)
    body = definition(d, [reviewer.sub], c["id"], credits=12.5, evidence_required=["link", "coaching_observation"])
    assert (body["competency_id"], body["status"], body["credits"], body["credit_type"], body["version"]) == (
        c["id"], "active", 12.5, "Hours", 1)
    assert body["criteria"] == criteria() and body["reviewer_ids"] == [reviewer.sub]
    assert body["evidence_required"] == ["link", "coaching_observation"]
    t = d.teacher()
    assert assert_json(t.get(f"{DEFINITIONS}/{body['id']}"), 200) == body
    retired = assert_json(d.admin.patch(f"{DEFINITIONS}/{body['id']}", json={"status": "retired", "credits": 10}), 200)
    assert (retired["status"], retired["credits"], retired["version"]) == ("retired", 10, 2)
    other = definition(d, [reviewer.sub])
    listed = assert_json(t.get(DEFINITIONS, params={"status": "active"}), 200)
    SPEC.check("resources.yaml", "MicrocredentialDefinitionPage", listed)
    assert [x["id"] for x in listed["data"]] == [other["id"]]
    assert [x["id"] for x in assert_json(t.get(DEFINITIONS, params={"competency_id": c["id"]}), 200)["data"]] == [
        body["id"]]
    assert [x["id"] for x in assert_json(t.get(DEFINITIONS, params={"reviewer_id": reviewer.sub}), 200)["data"]] == [
        other["id"], body["id"]]
    assert assert_json(t.get(DEFINITIONS, params={"reviewer_id": t.sub}), 200)["data"] == []
    assert_problem(t.post(DEFINITIONS, json=definition_body(c["id"], [reviewer.sub])), 403, "forbidden")


def test_definition_validation_names_every_field(api):
    d = District(api)
    reviewer = d.teacher()
    c = competency(d)
    good = definition_body(c["id"], [reviewer.sub])
    bad_criterion = {"name": "", "levels": ["only one"], "passing_level": 0, "x": 1}
    cases = [
        ({}, {"competency_id", "name", "description", "criteria", "evidence_required", "credits", "reviewer_ids"}),
        ({**good, "criteria": []}, {"criteria"}),
        ({**good, "criteria": criteria(11)}, {"criteria"}),
        ({**good, "criteria": [criteria(1)[0], bad_criterion]},
         {"criteria[1].name", "criteria[1].levels", "criteria[1].passing_level", "criteria[1].x"}),
        ({**good, "criteria": [{**criteria(1)[0], "passing_level": 5}]}, {"criteria[0].passing_level"}),
        ({**good, "criteria": [{**criteria(1)[0], "levels": ["a", " "]}]},
         {"criteria[0].levels[1]", "criteria[0].passing_level"}),
        ({**good, "evidence_required": []}, {"evidence_required"}),
        ({**good, "evidence_required": ["video"]}, {"evidence_required"}),
        ({**good, "credits": 1000.01, "credit_type": "Days"}, {"credits", "credit_type"}),
        ({**good, "reviewer_ids": []}, {"reviewer_ids"}),
        ({**good, "reviewer_ids": ["not-a-uuid"], "status": "retired"}, {"reviewer_ids", "status"}),
        ({**good, "competency_id": "c"}, {"competency_id"}),
    ]
    for body, fields in cases:
        p = assert_problem(d.admin.post(DEFINITIONS, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p["errors"])
    # What only the database knows: the competency is the district's, the reviewers are on its roster.
    p = assert_problem(d.admin.post(DEFINITIONS, json={**good, "competency_id": str(uuid.uuid4())}), 422,
                       "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("competency_unknown", ["competency_id"])
    stranger = str(uuid.uuid4())
    p = assert_problem(d.admin.post(DEFINITIONS, json={**good, "reviewer_ids": [reviewer.sub, stranger]}), 422,
                       "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("educator_not_on_roster", ["reviewer_ids[1]"])
    assert assert_json(d.admin.get(DEFINITIONS), 200)["data"] == []
    made = definition(d, [reviewer.sub], c["id"])
    p = assert_problem(d.admin.patch(f"{DEFINITIONS}/{made['id']}", json={"competency_id": c["id"]}), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["competency_id"]


def test_other_districts_see_nothing(api):
    d, e = District(api), District(api)
    reviewer = d.teacher()
    made = definition(d, [reviewer.sub])
    outsider = e.client(None, "teacher")
    assert_problem(outsider.get(f"{DEFINITIONS}/{made['id']}"), 404, "not-found")
    assert_problem(outsider.get(f"{COMPETENCIES}/{made['competency_id']}"), 404, "not-found")
    assert_problem(e.admin.patch(f"{DEFINITIONS}/{made['id']}", json={"status": "retired"}), 404, "not-found")
    assert assert_json(outsider.get(DEFINITIONS), 200)["data"] == []
    assert assert_json(outsider.get(COMPETENCIES), 200)["data"] == []
    # Another district's competency is no competency of this one.
    e.on_roster(reviewer.sub)
    p = assert_problem(e.admin.post(DEFINITIONS, json=definition_body(made["competency_id"], [reviewer.sub])), 422,
                       "validation-failed")
    assert p["reason"] == "competency_unknown"


def test_events(api, events):
    d = District(api)
    reviewer = d.teacher()
    c = competency(d)
    made = definition(d, [reviewer.sub], c["id"])
    assert_json(d.admin.patch(f"{DEFINITIONS}/{made['id']}", json={"status": "retired"}), 200)
    kinds = {"competency.created", "microcredential.defined", "microcredential.updated"}
    found = events.collect(match=lambda ev: ev.type in kinds and of_district(d.id)(ev),
                           until=lambda evs: len(evs) >= 3, timeout=30)
    assert sorted((ev.type, ev.value["subject"]) for ev in found) == sorted([
        ("competency.created", c["id"]), ("microcredential.defined", made["id"]),
        ("microcredential.updated", made["id"])])
    assert [ev.value["data"]["status"] for ev in found if ev.type == "microcredential.updated"] == ["retired"]
