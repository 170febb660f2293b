"""The district's minimums of suppression (GET/PUT /v1/surveys/settings), results that use them, and the results
as CSV (suppressed cells marked, never a 0; text cells safe from spreadsheet formulas).

The district (10 respondents of one confidential survey):

    school A: 6 teachers   useful 5      school B: 4 teachers   useful 3

with the defaults (min_cell 5): B (4) is withheld, and A with it (one withheld cell is the total minus the
other); overall useful: count 10, mean (30 + 12)/10 = 4.2. With min_cell 3: both shown, B's mean 3. Free text:
10 comments meet the default min_text 10 overall; none of a school (6, 4) does; with min_text 4 both do.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from hgtest import Api, assert_json, assert_problem
from surveyslib import SURVEYS, District, Roster

SETTINGS = f"{SURVEYS}/settings"
QUESTIONS = [
    {"id": "useful", "type": "scale", "prompt": "Useful", "labels": ["1", "2", "3", "4", "5"], "topic": "assessment"},
    {"id": "comment", "type": "text", "prompt": "Comment", "required": False},
]
# What spreadsheets would read as formulas, and what CSV must quote.
HOSTILE = ['=HYPERLINK("http://x.example","click")', "+1+2", "-2+3", "@SUM(A1)", "=1+1", "a, b", 'say "hi"',
           "-0.5", "plain", "@cmd"]


def fields_of(problem: dict) -> set[str]:
    return {e["field"] for e in problem["errors"]}


def test_settings_defaults_validation_and_events(surveys, surveys_events):
    d = District(surveys)
    got = assert_json(d.admin.get(SETTINGS), 200)
    assert got == {"district_id": d.id, "min_cell": 5, "min_text": 10, "version": 0, "updated_at": None}
    # never below 3, both required, nothing else: one 422 naming every bad field, nothing written
    for body, bad in (({"min_cell": 2, "min_text": 1}, {"min_cell", "min_text"}),
                      ({"min_cell": 5}, {"min_text"}),
                      ({"min_cell": "5", "min_text": 10.5}, {"min_cell", "min_text"}),
                      ({"min_cell": 5, "min_text": 10, "max_cell": 9}, {"max_cell"}),
                      ({"min_cell": 1001, "min_text": 3}, {"min_cell"})):
        assert fields_of(assert_problem(d.admin.put(SETTINGS, json=body), 422, "validation-failed")) == bad, body
    assert assert_json(d.admin.get(SETTINGS), 200)["version"] == 0
    put = assert_json(d.admin.put(SETTINGS, json={"min_cell": 3, "min_text": 4}), 200)
    assert (put["min_cell"], put["min_text"], put["version"]) == (3, 4, 1) and put["updated_at"]
    # the same values again change nothing (no version, no event)
    assert assert_json(d.admin.put(SETTINGS, json={"min_cell": 3, "min_text": 4}), 200)["version"] == 1
    assert_json(d.admin.put(SETTINGS, json={"min_cell": 3, "min_text": 12}), 200)
    got = assert_json(d.admin.get(SETTINGS), 200)
    assert (got["min_cell"], got["min_text"], got["version"]) == (3, 12, 2)
    # admins only; another district keeps its own (the defaults)
    for role in ("teacher", "coach", "school_leader", "sis_integration"):
        assert_problem(d.client(None, role).get(SETTINGS), 403, "forbidden")
        assert_problem(d.client(None, role).put(SETTINGS, json={"min_cell": 9, "min_text": 9}), 403, "forbidden")
    other = District(surveys)
    assert assert_json(other.admin.get(SETTINGS), 200)["min_cell"] == 5
    events = surveys_events.collect(lambda e: e.key == d.id, lambda evs: len(evs) >= 2, timeout=20, settle=1)
    assert [(e.type, e.subject) for e in events] == [("settings.updated", d.id)] * 2
    assert [e.value["data"]["min_text"] for e in events] == [4, 12]


@pytest.fixture(scope="module")
def closed(surveys_service):
    d = District(lambda bearer: Api(surveys_service.url, bearer))
    roster = Roster(d.id)
    school = {k: str(uuid.uuid4()) for k in "AB"}
    people = [(str(uuid.uuid4()), k) for k in "AAAAAABBBB"]
    roster.send(*[roster.educator(e, [school[k]]) for e, k in people])
    roster.wait_applied(len(people))
    s = d.open(questions=QUESTIONS)
    for i, (e, k) in enumerate(people):
        answers = {"useful": 5 if k == "A" else 3, "comment": HOSTILE[i]}
        assert_json(d.client(e).post(f"{SURVEYS}/{s['id']}/responses", json={"answers": answers}), 201)
    assert_json(d.patch(s["id"], {"status": "closed"}), 200)
    return d, school, s


def csv_rows(resp) -> list[dict]:
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["Content-Type"].startswith("text/csv")
    text = resp.content.decode()
    assert text.startswith("scope,group,row,item,metric,category,value,withheld\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_results_use_the_district_minimums(closed):
    d, school, s = closed
    url = f"{SURVEYS}/{s['id']}/results"
    doc = assert_json(d.admin.get(url, params={"by": "school"}), 200)
    assert (doc["min_cell"], doc["min_text"]) == (5, 10)
    g = {x["key"]: x for x in doc["groups"]}
    assert g[school["B"]]["withheld"] == "fewer_than_minimum"
    assert g[school["A"]]["withheld"] == "complementary"
    assert doc["overall"]["questions"]["useful"]["mean"] == 4.2
    assert len(doc["overall"]["questions"]["comment"]["texts"]) == 10
    assert_json(d.admin.put(SETTINGS, json={"min_cell": 3, "min_text": 4}), 200)
    try:
        doc = assert_json(d.admin.get(url, params={"by": "school"}), 200)
        assert (doc["min_cell"], doc["min_text"]) == (3, 4)
        g = {x["key"]: x for x in doc["groups"]}
        assert g[school["A"]]["respondents"] == 6 and g[school["B"]]["respondents"] == 4
        assert g[school["B"]]["questions"]["useful"]["mean"] == 3.0
        assert sorted(g[school["B"]]["questions"]["comment"]["texts"]) == sorted(HOSTILE[6:])
    finally:
        assert_json(d.admin.put(SETTINGS, json={"min_cell": 5, "min_text": 10}), 200)


def test_results_csv_marks_withheld_cells_and_escapes_formulas(closed):
    d, school, s = closed
    rows = csv_rows(d.admin.get(f"{SURVEYS}/{s['id']}/results.csv", params={"by": "school"}))
    def find(**kv):
        return [r for r in rows if all(r[k] == v for k, v in kv.items())]
    assert find(scope="overall", row="respondents", metric="count") == [
        {"scope": "overall", "group": "", "row": "respondents", "item": "", "metric": "count", "category": "",
         "value": "10", "withheld": ""}]
    assert find(scope="overall", row="response_rate", metric="rate")[0]["value"] == "100"
    assert find(scope="overall", row="question", item="useful", metric="mean")[0]["value"] == "4.2"
    dist = {r["category"]: r["value"] for r in find(scope="overall", item="useful", metric="distribution")}
    assert dist == {"1": "0", "2": "0", "3": "4", "4": "0", "5": "6"}
    assert find(scope="overall", row="topic", item="assessment", metric="score")[0]["value"] == "4.2"
    # the withheld groups: one line each, an empty value and the reason, never a 0
    b = find(scope="group", group=school["B"])
    a = find(scope="group", group=school["A"])
    assert {r["withheld"] for r in b} == {"fewer_than_minimum", "group_withheld"}
    assert {r["withheld"] for r in a} == {"complementary", "group_withheld"}
    assert all(r["value"] == "" for r in a + b)
    assert all(r["withheld"] == "" or r["value"] == "" for r in rows)
    # free text: every comment, and none a spreadsheet would run as a formula
    texts = [r["value"] for r in find(scope="overall", item="comment", metric="text")]
    assert len(texts) == 10
    escaped = {t[1:] if t.startswith("'") else t for t in texts}
    assert escaped == set(HOSTILE)
    for r in rows:
        for v in r.values():
            assert not v or v[0] not in "=+-@\t\r" or v.lstrip("-+").replace(".", "", 1).isdigit(), (v, r)
    assert "'=HYPERLINK(\"http://x.example\",\"click\")" in texts and "-0.5" in texts and "'-2+3" in texts


def test_results_csv_roles_state_and_tenancy(closed, surveys):
    d, _, s = closed
    url = f"{SURVEYS}/{s['id']}/results.csv"
    assert_problem(d.client(None, "teacher").get(url), 403, "forbidden")
    csv_rows(d.client(None, "school_leader").get(url))
    assert_problem(d.admin.get(url, params={"by": "shoe_size"}), 400, "bad-request")
    other = District(surveys)
    assert_problem(other.admin.get(url), 404, "not-found")
    assert_problem(other.admin.get(f"{SURVEYS}/not-a-uuid/results.csv"), 404, "not-found")
    # an open survey has no results, as JSON or CSV
    opened = d.open(questions=QUESTIONS)
    assert assert_problem(d.admin.get(f"{SURVEYS}/{opened['id']}/results.csv"), 409, "conflict")["reason"] == \
        "results_not_final"
