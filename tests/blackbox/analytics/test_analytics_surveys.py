"""Survey figures (GET /v1/analytics/surveys, docs/analytics.md) from homegrown.surveys's events: response rates,
satisfaction, confidence change and needs by topic from each closed survey's final (already suppressed) results,
worked out by hand below; results written once; districts isolated; poison survey events to the dead-letter
topic; roles and bad parameters."""

from __future__ import annotations

import pytest

from analyticslib import SURVEYS_TOPIC, WAIT, District
from hgtest import Api, assert_json, assert_problem, poll

SURVEYS = "/v1/analytics/surveys"
PERIOD = "2026-Q1"
WITHHELD = {"count": None, "withheld": "fewer_than_minimum"}


def surveys(client: Api, period: str = PERIOD) -> dict:
    return assert_json(client.get(SURVEYS, params={"period": period}), 200)


def scale(count, favourable):
    return {"count": count, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "mean": 3.0,
            "percent_favourable": favourable}


def retro(count, change):
    return {"count": count, "before": {}, "now": {}, "mean_before": 2.0, "mean_now": 3.0, "percent_favourable": 50.0,
            "change": {"mean": change, "distribution": {}}}


@pytest.fixture(scope="module")
def world(analytics_service):
    """Closed in 2026-Q1 (final results as the surveys service sends them):

    survey  purpose             closed      invited  responded  questions (overall)                 topics
    N1      needs_assessment    2026-02-15  40       30         scale 30 at 60 % favourable,       math 3.0, reading 4.0
                                                                retrospective 30 changing +1.0
    N2      needs_assessment    2026-03-10  20       10         scale 10 at 80 %, scale 5 at 20 %,  math 4.5, science 2.0,
                                                                a withheld one                      reading withheld
    E       session_evaluation  2026-03-20  10       3          everything withheld (3 < 5)         -
    O       climate             2026-04-02  (outside the quarter)

    Totals: 3 surveys, 70 invited, 43 responded: 61.4 %. N1 75.0 %, satisfaction 60.0, change 1.00; N2 50.0 %,
    satisfaction (80 x 10 + 20 x 5) / 15 = 60.0, no change; E 30.0 %, respondents withheld, nothing else.
    Needs by topic (needs assessments, weighted by responded): math (3.0 x 30 + 4.5 x 10) / 40 = 3.375 -> 3.38
    (2 surveys), reading 4.0 (1: withheld in N2), science 2.0 (1). N1's results sent again with other figures: the
    first stay (a closed survey never changes).
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    n1 = d.survey("Needs 1", "needs_assessment")
    d.survey("Needs 1", "needs_assessment", sid=n1, status="open", audience_size=40, opened_at="2026-01-10T00:00:00Z")
    d.survey("Needs 1", "needs_assessment", sid=n1, status="closed", audience_size=40,
             opened_at="2026-01-10T00:00:00Z", closed_at="2026-02-15T12:00:00Z")
    d.survey("Draft title", "climate", sid=n1, version=1)  # stale: the title stays
    n2 = d.survey("Needs 2", "needs_assessment", status="closed", audience_size=20, closed_at="2026-03-10T12:00:00Z")
    e = d.survey("Workshop", "session_evaluation", mode="anonymous", status="closed", audience_size=10,
                 closed_at="2026-03-20T12:00:00Z")
    o = d.survey("Climate", "climate", status="closed", audience_size=50, closed_at="2026-04-02T12:00:00Z")
    d.survey("Never opened", "climate")
    first = d.results(n1, "2026-02-15T12:00:00Z", 40, 30, 30, {"q1": scale(30, 60.0), "q2": retro(30, 1.0)},
                      {"math": {"count": 30, "score": 3.0}, "reading": {"count": 30, "score": 4.0}})
    d.send(SURVEYS_TOPIC, first)
    d.results(n1, "2026-02-15T12:00:00Z", 40, 39, 39, {"q1": scale(39, 99.0)}, {"math": {"count": 39, "score": 1.0}})
    d.results(n2, "2026-03-10T12:00:00Z", 20, 10, 10, {"q1": scale(10, 80.0), "q2": scale(5, 20.0), "q3": WITHHELD},
              {"math": {"count": 10, "score": 4.5}, "science": {"count": 10, "score": 2.0}, "reading": WITHHELD})
    d.results(e, "2026-03-20T12:00:00Z", 10, 3, None, {"q1": WITHHELD}, {})
    d.results(o, "2026-04-02T12:00:00Z", 50, 50, 50, {"q1": scale(50, 10.0)}, {})
    admin = d.client("district_admin")
    last: dict = {}

    def ready() -> bool:
        nonlocal last
        last = surveys(admin)
        return last["surveys_closed"] == 3 and all(s["title"] is not None for s in last["surveys"])
    assert poll(ready, WAIT, interval=0.3), last
    assert poll(lambda: surveys(admin, "2026-04")["surveys_closed"] == 1, WAIT, interval=0.3)
    return d, {"N1": n1, "N2": n2, "E": e, "O": o}


def test_quarter(world):
    d, s = world
    r = surveys(d.client("district_admin"))
    assert r == {
        "period": {"from": "2026-01-01", "to": "2026-03-31"},
        "surveys_closed": 3, "invited": 70, "responded": 43, "response_rate": 61.4, "truncated": False,
        "surveys": [
            {"survey_id": s["E"], "title": "Workshop", "purpose": "session_evaluation", "mode": "anonymous",
             "closed_at": "2026-03-20T12:00:00.000000Z", "invited": 10, "responded": 3, "response_rate": 30.0,
             "respondents": None, "satisfaction": None, "confidence_change": None, "topics": {}},
            {"survey_id": s["N2"], "title": "Needs 2", "purpose": "needs_assessment", "mode": "confidential",
             "closed_at": "2026-03-10T12:00:00.000000Z", "invited": 20, "responded": 10, "response_rate": 50.0,
             "respondents": 10, "satisfaction": 60.0, "confidence_change": None,
             "topics": {"math": 4.5, "science": 2.0}},
            {"survey_id": s["N1"], "title": "Needs 1", "purpose": "needs_assessment", "mode": "confidential",
             "closed_at": "2026-02-15T12:00:00.000000Z", "invited": 40, "responded": 30, "response_rate": 75.0,
             "respondents": 30, "satisfaction": 60.0, "confidence_change": 1.0,
             "topics": {"math": 3.0, "reading": 4.0}},
        ],
        "needs_by_topic": [{"topic": "math", "score": 3.38, "surveys": 2},
                           {"topic": "reading", "score": 4.0, "surveys": 1},
                           {"topic": "science", "score": 2.0, "surveys": 1}],
    }


def test_other_periods_and_leaders(world):
    d, s = world
    r = surveys(d.client("school_leader"), "2026-04")  # survey results are the district's: leaders see them
    assert [x["survey_id"] for x in r["surveys"]] == [s["O"]] and r["response_rate"] == 100.0
    assert r["needs_by_topic"] == []
    r = surveys(d.client("district_admin"), "2025")
    assert (r["surveys_closed"], r["invited"], r["response_rate"], r["surveys"]) == (0, 0, None, [])


def test_districts_are_isolated(world, analytics):
    other = District(analytics)
    assert surveys(other.client("district_admin"))["surveys_closed"] == 0


def test_poison_survey_events(world, analytics, analytics_events):
    other = District(analytics)
    other.event(SURVEYS_TOPIC, "survey.exploded", other.id, {"id": other.id})
    bad = other.results(other.id, "2026-02-01T00:00:00Z", 5, 5, 5, {}, {})
    bad["id"] = bad["id"] + "-2"
    bad["data"]["respondents"] = "many"
    other.send(SURVEYS_TOPIC, bad)
    letters = analytics_events.collect(match=lambda e: e.value.get("districtid") == other.id,
                                       until=lambda found: len(found) >= 2, timeout=WAIT, settle=2.0)
    assert sorted(e.value["data"]["reason"] for e in letters) == [
        "data.respondents must be a count or null", "unknown event type survey.exploded on homegrown.surveys"]


def test_who_may_read(world, analytics):
    d, _ = world
    for role in ("teacher", "coach", "sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(SURVEYS, params={"period": PERIOD}), 403, "forbidden")
    assert_problem(analytics(None).get(SURVEYS, params={"period": PERIOD}), 401, "unauthorized")


@pytest.mark.parametrize("params", [{}, {"period": "2026-00"}])
def test_bad_parameters(world, params):
    d, _ = world
    p = assert_problem(d.client("district_admin").get(SURVEYS, params=params), 400, "bad-request")
    assert "period" in str(p), p
