"""Needs by topic across closed needs assessments (GET /v1/surveys/needs), with the results' suppression, on a
district whose right answers are worked out by hand:

    needs assessment (closed): school A 6, B 6, C 4 respondents
        literacy (scale): A 5, B 4, C 1        math (scale): A 2, B 2, C 5
        retro (retrospective, topic literacy): not a need: not counted
    a climate survey (closed) and a needs assessment still open, both answered "literacy 1": not counted

district:  literacy (30 + 24 + 4)/16 = 3.63, math (12 + 12 + 20)/16 = 2.75 -> literacy rank 1, math 2
school C:  4 < 5 -> every topic withheld (fewer_than_minimum)
school A/B: C withheld alone could be recovered (district minus A and B), so the first of A and B by id is
            withheld too (complementary); the other is shown: literacy 5 or 4, math 2.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from hgtest import Api, assert_json, assert_problem
from surveyslib import SURVEYS, District, Roster

NEEDS = f"{SURVEYS}/needs"
LABELS = ["none", "little", "some", "much", "most"]
QUESTIONS = [
    {"id": "literacy", "type": "scale", "prompt": "Literacy", "labels": LABELS, "topic": "literacy"},
    {"id": "math", "type": "scale", "prompt": "Math", "labels": LABELS, "topic": "math"},
    {"id": "retro", "type": "retrospective", "prompt": "Confidence", "labels": LABELS, "topic": "literacy"},
]
ANSWERS = {"A": (5, 2), "B": (4, 2), "C": (1, 5)}


@pytest.fixture(scope="module")
def district(surveys_service):
    d = District(lambda bearer: Api(surveys_service.url, bearer))
    roster = Roster(d.id)
    school = {k: str(uuid.uuid4()) for k in "ABC"}
    people = [(str(uuid.uuid4()), k) for k in "A" * 6 + "B" * 6 + "C" * 4]
    roster.send(*[roster.educator(e, [school[k]]) for e, k in people])
    roster.wait_applied(len(people))
    needs = d.open(purpose="needs_assessment", mode="anonymous", questions=QUESTIONS)
    climate = d.open(purpose="climate", questions=QUESTIONS[:1])
    still_open = d.open(purpose="needs_assessment", questions=QUESTIONS[:1])
    for e, k in people:
        lit, math = ANSWERS[k]
        body = {"answers": {"literacy": lit, "math": math, "retro": {"before": 1, "now": 1}}}
        assert_json(d.client(e).post(f"{SURVEYS}/{needs['id']}/responses", json=body), 201)
        for other in (climate, still_open):
            assert_json(d.client(e).post(f"{SURVEYS}/{other['id']}/responses",
                                         json={"answers": {"literacy": 1}}), 201)
    for s in (needs, climate):
        assert_json(d.patch(s["id"], {"status": "closed"}), 200)
    return d, school


def by_topic(doc: dict) -> dict:
    return {t["topic"]: t for t in doc["topics"]}


def test_district_needs_ranked(district):
    d, _ = district
    doc = assert_json(d.admin.get(NEEDS), 200)
    assert doc["school_id"] is None and doc["period"] is None and doc["min_cell"] == 5
    assert doc["topics"] == [
        {"topic": "literacy", "rank": 1, "mean_need": 3.63, "respondents": 16},
        {"topic": "math", "rank": 2, "mean_need": 2.75, "respondents": 16},
    ]


def test_school_needs_suppressed_like_results(district):
    d, school = district
    c = assert_json(d.admin.get(NEEDS, params={"school_id": school["C"]}), 200)
    assert c["school_id"] == school["C"]
    assert [(t["topic"], t["rank"], t["mean_need"], t["respondents"], t["withheld"]) for t in c["topics"]] == [
        ("literacy", None, None, None, "fewer_than_minimum"), ("math", None, None, None, "fewer_than_minimum")]
    first, second = sorted(["A", "B"], key=lambda k: school[k])
    hidden = by_topic(assert_json(d.admin.get(NEEDS, params={"school_id": school[first]}), 200))
    assert all(t["withheld"] == "complementary" and t["mean_need"] is None for t in hidden.values())
    shown = assert_json(d.admin.get(NEEDS, params={"school_id": school[second]}), 200)
    lit, math = ANSWERS[second]
    assert shown["topics"] == [
        {"topic": "literacy", "rank": 1, "mean_need": float(lit), "respondents": 6},
        {"topic": "math", "rank": 2, "mean_need": float(math), "respondents": 6},
    ]
    # a school with no answers has no needs to show
    assert assert_json(d.admin.get(NEEDS, params={"school_id": str(uuid.uuid4())}), 200)["topics"] == []


def test_period_filters_by_closing(district):
    d, _ = district
    now = datetime.now(timezone.utc)
    year = now.year
    school_year = f"{year}-{(year + 1) % 100:02d}" if now.month >= 7 else f"{year - 1}-{year % 100:02d}"
    for period in (str(year), school_year):
        doc = assert_json(d.admin.get(NEEDS, params={"period": period}), 200)
        assert doc["period"] == period and len(doc["topics"]) == 2, period
    for period in (str(year - 3), f"{year - 3}-{(year - 2) % 100:02d}"):
        assert assert_json(d.admin.get(NEEDS, params={"period": period}), 200)["topics"] == []
    for bad in ("20x6", "2026-28", "26", "2026-", "spring"):
        p = assert_problem(d.admin.get(NEEDS, params={"period": bad}), 400, "bad-request")
        assert "period" in str(p), bad
    assert_problem(d.admin.get(NEEDS, params={"school_id": "nope"}), 400, "bad-request")


def test_needs_roles_and_tenancy(district, surveys):
    d, school = district
    for role in ("teacher", "coach", "sis_integration"):
        assert_problem(d.client(None, role).get(NEEDS), 403, "forbidden")
    assert len(assert_json(d.client(None, "school_leader").get(NEEDS), 200)["topics"]) == 2
    other = District(surveys)
    assert assert_json(other.admin.get(NEEDS), 200)["topics"] == []
    assert assert_json(other.admin.get(NEEDS, params={"school_id": school["A"]}), 200)["topics"] == []
