"""Results of a closed survey, with small-cell and complementary suppression, on a district crafted so that the
right answers are worked out by hand below; then the tests try to recover a withheld cell by differencing.

The district (44 respondents; min_cell 5, min_text 10):

    school  A: 20 teachers, experienced           useful 5, confidence before 2 now 4
            B: 17 teachers, experienced;           useful 4, confidence before 3 now 4
               1 coach, experienced; 2 teachers, new
            C: 2 coaches, early; 2 school leaders, experienced   useful 1, confidence before 1 now 5

by=school:        A 20, B 20, C 4   -> C withheld (fewer than 5); one withheld cell is the total minus the
                                       others, so the next smallest (A, the first of the 20s) is withheld too
by=role:          teacher 39, coach 3, school_leader 2 -> two small cells, together 5: nothing more withheld
by=career_stage:  experienced 40, new 2, early 2 -> two small cells, together 4 < 5: experienced withheld too
overall:          useful: count 44, distribution {1: 4, 4: 20, 5: 20}, mean 184/44 = 4.18,
                  percent favourable 40/44 = 90.9
                  confidence: change (now - before) A +2, B +1, C +4 -> mean (40 + 20 + 16)/44 = 1.73,
                  distribution {+1: 20, +2: 20, +4: 4}; mean before (40 + 60 + 4)/44 = 2.36, now (80 + 80 + 20)/44 = 4.09
                  topic "assessment" (useful and confidence "now"): (184 + 180)/88 = 4.14
"""

from __future__ import annotations

import json
import uuid

import pytest

from hgtest import Api, assert_json, assert_problem
from surveyslib import SURVEYS, District, Roster

QUESTIONS = [
    {"id": "useful", "type": "scale", "prompt": "Useful", "labels": ["1", "2", "3", "4", "5"], "topic": "assessment"},
    {"id": "confidence", "type": "retrospective", "prompt": "Confidence", "labels": ["1", "2", "3", "4", "5"],
     "topic": "assessment"},
    {"id": "comment", "type": "text", "prompt": "Comment", "required": False},
]
EXPERIENCED, NEW, EARLY = "2000-08-20", "2025-08-20", "2019-08-20"
ANSWER_BY_SCHOOL = {"A": (5, 2, 4), "B": (4, 3, 4), "C": (1, 1, 5)}


@pytest.fixture(scope="module")
def district(surveys_service):
    d = District(lambda bearer: Api(surveys_service.url, bearer))
    roster = Roster(d.id)
    school = {k: str(uuid.uuid4()) for k in "ABC"}
    people = ([("A", "teacher", EXPERIENCED)] * 20 + [("B", "teacher", EXPERIENCED)] * 17
              + [("B", "coach", EXPERIENCED), ("B", "teacher", NEW), ("B", "teacher", NEW)]
              + [("C", "coach", EARLY)] * 2 + [("C", "school_leader", EXPERIENCED)] * 2)
    educators = [(str(uuid.uuid4()), *p) for p in people]
    roster.send(*[roster.educator(e, [school[s]], roles=(role,), started=started)
                  for e, s, role, started in educators])
    roster.wait_applied(len(educators))
    return d, school, educators


@pytest.fixture(scope="module")
def closed(district):
    d, school, educators = district
    s = d.open(mode="anonymous", questions=QUESTIONS)
    for i, (e, sch, role, _) in enumerate(educators):
        useful, before, now = ANSWER_BY_SCHOOL[sch]
        answers = {"useful": useful, "confidence": {"before": before, "now": now}, "comment": f"{sch}-{i}"}
        assert_json(d.client(e, role).post(f"{SURVEYS}/{s['id']}/responses", json={"answers": answers}), 201)
    # no live counts: results wait until the survey closes
    p = assert_problem(d.admin.get(f"{SURVEYS}/{s['id']}/results"), 409, "conflict")
    assert p["reason"] == "results_not_final"
    assert_json(d.patch(s["id"], {"status": "closed"}), 200)
    return d, school, s


def results(d: District, s: dict, by: str | None = None) -> dict:
    return assert_json(d.admin.get(f"{SURVEYS}/{s['id']}/results", params={"by": by} if by else {}), 200)


def groups_by_key(doc: dict) -> dict:
    return {g["key"]: g for g in doc["groups"]}


def test_overall_figures_worked_by_hand(closed):
    d, _, s = closed
    doc = results(d, s)
    assert doc["respondents"] == 44 and doc["groups"] == []
    assert doc["response_rate"] == {"invited": 44, "responded": 44, "rate": 100.0}
    useful = doc["overall"]["questions"]["useful"]
    assert useful["count"] == 44
    assert useful["distribution"] == {"1": 4, "2": 0, "3": 0, "4": 20, "5": 20}
    assert useful["mean"] == 4.18 and useful["percent_favourable"] == 90.9
    conf = doc["overall"]["questions"]["confidence"]
    assert conf["change"]["mean"] == 1.73
    assert conf["change"]["distribution"] == {"-4": 0, "-3": 0, "-2": 0, "-1": 0, "0": 0, "1": 20, "2": 20,
                                              "3": 0, "4": 4}
    assert conf["mean_before"] == 2.36 and conf["mean_now"] == 4.09
    assert doc["overall"]["topics"]["assessment"] == {"count": 44, "score": 4.14}
    # free text: 44 >= 10, every comment once, shuffled
    texts = doc["overall"]["questions"]["comment"]["texts"]
    assert sorted(texts) == sorted(f"{k}-{i}" for i, k in enumerate(["A"] * 20 + ["B"] * 20 + ["C"] * 4))


def test_a_cell_of_four_beside_cells_of_twenty(closed):
    d, school, s = closed
    doc = results(d, s, "school")
    g = groups_by_key(doc)
    a, b, c = g[school["A"]], g[school["B"]], g[school["C"]]
    assert c["respondents"] is None and c["withheld"] == "fewer_than_minimum"
    # one of the 20s is withheld with it (the first by key), the other shown
    first, second = sorted([a, b], key=lambda x: x["key"])
    assert first["respondents"] is None and first["withheld"] == "complementary"
    assert second["respondents"] == 20 and "withheld" not in second
    assert all(v["withheld"] == "group_withheld" for v in c["questions"].values())
    assert second["questions"]["useful"]["count"] == 20
    # texts only where the group meets the free-text minimum and is shown
    assert len(second["questions"]["comment"]["texts"]) == 20


def recovered(doc: dict, question: str) -> tuple[int, dict]:
    """What differencing gives: the overall cell minus every shown group's cell."""
    total = doc["overall"]["questions"][question]
    count = total["count"]
    dist = dict(total.get("distribution", {}))
    for g in doc["groups"]:
        cell = g["questions"][question]
        if cell.get("count") is None:
            continue
        count -= cell["count"]
        for k, v in cell.get("distribution", {}).items():
            dist[k] -= v
    return count, {k: v for k, v in dist.items() if v}


@pytest.mark.parametrize("by", ["school", "role", "career_stage"])
def test_differencing_never_recovers_a_withheld_cell(closed, by):
    d, _, s = closed
    doc = results(d, s, by)
    withheld = [g for g in doc["groups"] if g["respondents"] is None]
    assert len(withheld) >= 2, doc["groups"]
    for q in ("useful", "confidence"):
        count, dist = recovered(doc, q)
        # what is left over is at least two withheld groups together, never fewer than the minimum
        assert count >= 5
        assert count != 4 or by != "school"
        assert dist != {"1": 4}
    # the withheld groups' sizes cannot be told from the respondents either
    shown = sum(g["respondents"] for g in doc["groups"] if g["respondents"] is not None)
    assert doc["respondents"] - shown >= 5


def test_two_small_cells_in_one_row(closed):
    d, _, s = closed
    g = groups_by_key(results(d, s, "role"))
    assert g["coach"]["withheld"] == "fewer_than_minimum" and g["school_leader"]["withheld"] == "fewer_than_minimum"
    assert g["teacher"]["respondents"] == 39  # 3 + 2 = 5 together: nothing more to withhold
    g = groups_by_key(results(d, s, "career_stage"))
    assert g["new"]["withheld"] == "fewer_than_minimum" and g["early"]["withheld"] == "fewer_than_minimum"
    assert g["experienced"]["withheld"] == "complementary"  # 2 + 2 = 4 < 5 together


def test_a_small_overall_group(district):
    d, _, educators = district
    s = d.open(questions=QUESTIONS)
    for e, sch, role, _ in educators[:4]:
        useful, before, now = ANSWER_BY_SCHOOL[sch]
        assert_json(d.client(e, role).post(f"{SURVEYS}/{s['id']}/responses", json={
            "answers": {"useful": useful, "confidence": {"before": before, "now": now}}}), 201)
    assert_json(d.patch(s["id"], {"status": "closed"}), 200)
    for by in (None, "school"):
        doc = results(d, s, by)
        assert doc["respondents"] is None
        assert all(c["withheld"] == "fewer_than_minimum" for c in doc["overall"]["questions"].values())
        assert all(c["withheld"] == "fewer_than_minimum" for c in doc["overall"]["topics"].values())
        assert all(g["respondents"] is None for g in doc["groups"])


def test_who_may_read_results(closed):
    d, _, s = closed
    for role in ("teacher", "coach", "sis_integration"):
        assert_problem(d.client(None, role).get(f"{SURVEYS}/{s['id']}/results"), 403, "forbidden")
    assert_json(d.client(None, "school_leader").get(f"{SURVEYS}/{s['id']}/results"), 200)
    assert_problem(d.admin.get(f"{SURVEYS}/{s['id']}/results", params={"by": "shoe_size"}), 400, "bad-request")


def test_another_district_gets_404(closed, surveys):
    _, _, s = closed
    other = District(surveys)
    assert_problem(other.admin.get(f"{SURVEYS}/{s['id']}/results"), 404, "not-found")
    assert_problem(other.admin.get(f"{SURVEYS}/{s['id']}/results", params={"by": "school"}), 404, "not-found")


def test_closing_emits_the_final_results_once(closed, surveys_events):
    """Closing emits survey.closed (with the audience size) and then results.finalized: the same suppressed
    overall figures the API gives, without the free text (analytics reads aggregates only)."""
    d, _, s = closed
    events = surveys_events.collect(lambda e: e.key == d.id and e.subject == s["id"] and e.type in (
        "survey.closed", "results.finalized"), lambda evs: len(evs) >= 2, timeout=20, settle=1)
    assert [e.type for e in events] == ["survey.closed", "results.finalized"]
    assert events[0].value["data"]["audience_size"] == 44
    data = events[1].value["data"]
    api = results(d, s)
    assert data["survey_id"] == s["id"] and data["closed_at"] == events[0].value["data"]["closed_at"]
    assert data["respondents"] == 44 and data["min_cell"] == 5 and data["groups"] == []
    assert data["overall"]["questions"]["useful"] == api["overall"]["questions"]["useful"]
    assert data["overall"]["topics"] == api["overall"]["topics"]
    assert "texts" not in data["overall"]["questions"]["comment"]
    assert "A-0" not in json.dumps(data)
