"""An educator's recommendations (GET /v1/analytics/recommendations/{educator_id}, docs/analytics.md
"Recommendations"): open offerings and library items ranked by fit, each with its reasons; one score recomputed
by hand from the documented weights and the seeded facts; completed, registered, full and past offerings and
reviewed, own and deleted library items never appear; roles, school leaders and other districts.

The worked district's facts are the events hg-roster, hg-resources and hg-surveys write (docs/resources.md,
docs/surveys.md), produced as those services would, like the other analytics tests; the last test seeds through
hg-resources itself (its catalog and library API) so that the events it really writes are the ones read."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from analyticslib import RESOURCES_TOPIC, SURVEYS_TOPIC, WAIT, District, _now
from catalog_support import District as CatalogDistrict
from catalog_support import now
from hgtest import Api, assert_json, assert_problem, poll, token

# The defaults of HG_ANALYTICS_REC_WEIGHT_* (docs/analytics.md).
WEIGHTS = {"school_need": 40, "role": 15, "career_stage": 20, "peer_rating": 10}


def path(educator: str) -> str:
    return f"/v1/analytics/recommendations/{educator}"


def years_ago(n: int) -> str:
    return (date.today() - timedelta(days=365 * n + 10)).isoformat()


def future(days: int, hours: int = 0) -> str:
    t = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days, hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Seeder:
    """The events of recommendations' facts beyond analyticslib's: topics and audiences of activities, seats,
    registrations, library resources and reviews, a survey's audience schools."""

    def __init__(self, d: District) -> None:
        self.d = d

    def activity(self, title: str, topics: list[str], audience: list[str]) -> str:
        aid = str(uuid.uuid4())
        self.d.event(RESOURCES_TOPIC, "activity.published", aid,
                     {"id": aid, "title": title, "description": "", "objectives": [], "topics": topics,
                      "type": "SeriesOfWorkshopsTraining", "credit_type": "Hours", "credits": 6, "level": None,
                      "audience_type": "Group", "target_audience": audience, "delivery_method": "Onsite",
                      "instructional_delivery_mode": None, "funding_source": None, "cost": None,
                      "status": "published", "completion_rule": {"kind": "all_sessions"},
                      "created_by": str(uuid.uuid4()), "created_at": _now(), "updated_at": _now(),
                      "published_at": _now(), "archived_at": None, "version": 2})
        return aid

    def session(self, activity: str, starts_at: str, capacity: int = 30) -> str:
        sid = str(uuid.uuid4())
        ends = (datetime.strptime(starts_at, "%Y-%m-%dT%H:%M:%SZ") + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.d.event(RESOURCES_TOPIC, "session.scheduled", sid,
                     {"id": sid, "activity_id": activity, "starts_at": starts_at, "ends_at": ends,
                      "location": "Room 1", "online_url": None, "capacity": capacity, "facilitators": [],
                      "status": "registering", "registered_count": 0, "waitlisted_count": 0,
                      "seats_available": capacity, "check_in_code": None, "created_by": str(uuid.uuid4()),
                      "created_at": _now(), "updated_at": _now(), "version": 1})
        return sid

    def registration(self, session: str, activity: str, educator: str, status: str = "registered",
                     version: int = 1, rid: str | None = None) -> str:
        rid = rid or str(uuid.uuid4())
        type_ = {"registered": "registration.created", "waitlisted": "registration.created",
                 "cancelled": "registration.cancelled"}[status]
        self.d.event(RESOURCES_TOPIC, type_, rid,
                     {"id": rid, "session_id": session, "activity_id": activity, "educator_id": educator,
                      "status": status, "waitlist_position": 1 if status == "waitlisted" else None, "arrival": 1,
                      "registered_by": educator, "created_at": _now(), "updated_at": _now(), "promoted_at": None,
                      "cancelled_at": _now() if status == "cancelled" else None, "approval": None,
                      "version": version})
        return rid

    def resource(self, title: str, topics: list[str], *, created_by: str | None = None,
                 deleted: bool = False) -> str:
        rid = str(uuid.uuid4())
        data = {"id": rid, "title": title, "description": "", "type": "article", "url": None, "subjects": [],
                "grade_bands": ["6-8"], "topics": topics, "license": None,
                "created_by": created_by or str(uuid.uuid4()), "created_at": _now(), "updated_at": _now(),
                "version": 1}
        self.d.event(RESOURCES_TOPIC, "resource.created", rid, data)
        if deleted:
            self.d.event(RESOURCES_TOPIC, "resource.deleted", rid, {**data, "deleted_at": _now()})
        return rid

    def review(self, resource: str, reviewer: str, rating: int) -> str:
        vid = str(uuid.uuid4())
        self.d.event(RESOURCES_TOPIC, "review.created", vid,
                     {"id": vid, "resource_id": resource, "reviewer_id": reviewer, "rating": rating,
                      "comment": None, "created_at": _now(), "updated_at": _now(), "version": 1})
        return vid

    def needs(self, schools: list[str], responded: int, topics: dict[str, float], purpose="needs_assessment"):
        """A closed survey whose audience names schools (none: the district) and its final topic scores."""
        sid = str(uuid.uuid4())
        closed = "2026-10-01T12:00:00Z"
        self.d.event(SURVEYS_TOPIC, "survey.closed", sid,
                     {"id": sid, "title": "Needs", "description": None, "purpose": purpose, "mode": "confidential",
                      "audience": {"schools": schools} if schools else {}, "opens_at": None, "closes_at": None,
                      "status": "closed", "questions": [], "audience_size": responded, "answered": True,
                      "created_by": str(uuid.uuid4()), "created_at": _now(), "updated_at": _now(),
                      "opened_at": "2026-09-01T12:00:00Z", "closed_at": closed, "version": 3})
        self.d.results(sid, closed, responded, responded, responded, {},
                       {k: {"count": responded, "score": v} for k, v in topics.items()})
        return sid


@pytest.fixture(scope="module")
def world(analytics_service):
    """District D, schools A and B; T: a teacher of A in their second year (career stage `new`).

    Needs (closed needs assessments): N1 the district, 10 responded: classroom management 4.0, assessment 2.0;
    N2 school A, 30 responded: classroom management 3.0; N3 school B only: technology 5.0 (not T's school); a
    climate survey's topics (not needs). For T: classroom management (4.0 x 10 + 3.0 x 30) / 40 = 3.25,
    assessment 2.00.

    X1 "Classroom routines" (classroom management; for new teachers), a session in 10 days with 30 seats, one
    registration of someone else cancelled: 40 x 3.25 / 5 = 26 + career_stage 20 = 46.
    X2 "Assessment basics" (assessment; for teachers): 40 x 2.00 / 5 = 16 + role 15 = 31.
    R1 "Exit tickets" (assessment): need 16; rated 5 and 4 by P1 and P2 (teachers of school A, T's colleagues)
    and 1 by P3 (a teacher of school B only: not a colleague): mean 4.50, 10 x (4.50 - 3) / 2 = 7.5; 23.5.
    Never: X3 (full: capacity 2, two registered and one waitlisted), X4 (T completed it), X5 (its only session
    is past), X6 (T holds a registration), X7 (technology: a need of school B only, so score 0), R2 (T reviewed
    it), R3 (deleted), R4 (T wrote it), R5 (rated 2 by P1: score -5).
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    s = Seeder(d)
    a, b = d.school("A"), d.school("B")
    t = d.educator(schools=[a], started=years_ago(1))
    p1 = d.educator(schools=[a], started=years_ago(2))
    p2 = d.educator(schools=[a, b], started=years_ago(15))
    p3 = d.educator(schools=[b], started=years_ago(1))
    leader_a = d.educator(schools=[a], roles=["school_leader"], started=years_ago(12))
    leader_b = d.educator(schools=[b], roles=["school_leader"], started=years_ago(12))
    other_teacher = d.educator(schools=[a], started=years_ago(5))

    # What must never appear, first on each topic (one partition per district: the positives after them mean
    # the negatives were applied when the positives show).
    s.needs([b], 10, {"Technology": 5.0})
    s.needs([], 20, {"Classroom management": 1.0}, purpose="climate")
    x3 = s.activity("Full workshop", ["classroom management"], ["new teachers"])
    s3 = s.session(x3, future(12), capacity=2)
    for who, status in ((p1, "registered"), (p2, "registered"), (p3, "waitlisted")):
        s.registration(s3, x3, who, status)
    x4 = s.activity("Completed already", ["classroom management"], [])
    s.session(x4, future(11))
    d.completed(x4, t, "Hours", 6, "2026-09-10T12:00:00Z")
    x5 = s.activity("In the past", ["classroom management"], [])
    s.session(x5, "2026-01-10T15:00:00Z")
    x6 = s.activity("Registered already", ["classroom management"], [])
    s6 = s.session(x6, future(13))
    s.registration(s6, x6, t, "waitlisted")
    x7 = s.activity("Tech tools", ["technology"], [])
    s.session(x7, future(14))
    r2 = s.resource("Seating charts", ["classroom management"])
    s.review(r2, t, 5)
    r3 = s.resource("Old article", ["classroom management"], deleted=True)
    r4 = s.resource("My own notes", ["classroom management"], created_by=t)
    r5 = s.resource("Unloved", [])
    s.review(r5, p1, 2)

    # What appears.
    s.needs([], 10, {"Classroom management": 4.0, "Assessment": 2.0})
    s.needs([a], 30, {"classroom management": 3.0})
    x1 = s.activity("Classroom routines", ["Classroom Management"], ["New teachers"])
    s1 = s.session(x1, future(10))
    r = s.registration(s1, x1, other_teacher)
    s.registration(s1, x1, other_teacher, "cancelled", version=2, rid=r)
    x2 = s.activity("Assessment basics", ["assessment"], ["teachers"])
    s.session(x2, future(20))
    s.session(x2, future(15))
    r1 = s.resource("Exit tickets", ["Assessment"])
    for who, rating in ((p1, 5), (p2, 4), (p3, 1)):
        s.review(r1, who, rating)

    admin = d.client("district_admin")
    last: dict = {}

    def ready() -> bool:
        nonlocal last
        resp = admin.get(path(t))
        if resp.status_code != 200:
            return False
        last = resp.json()
        return [(i["id"], i["score"]) for i in last["items"]] == [(x1, 46), (x2, 31), (r1, 23.5)]
    assert poll(ready, WAIT, interval=0.3), last
    return {"d": d, "t": t, "x1": x1, "x2": x2, "r1": r1, "s1": s1, "never": [x3, x4, x5, x6, x7, r2, r3, r4, r5],
            "leader_a": leader_a, "leader_b": leader_b, "other_teacher": other_teacher}


def exact(resp) -> dict:
    """The answer with its numbers as decimals, as written."""
    assert resp.status_code == 200, resp.text
    return json.loads(resp.text, parse_float=Decimal)


def test_one_score_recomputed_by_hand(world):
    """X1's score from the documented rule: school_need = weight x need / 5, need the responded-weighted mean of
    the topic's scores in the needs assessments that reached T's school; career_stage = its weight."""
    d, t, x1 = world["d"], world["t"], world["x1"]
    doc = exact(d.client("teacher", sub=t).get(path(t)))
    item = next(i for i in doc["items"] if i["id"] == x1)
    need = (Decimal("4.0") * 10 + Decimal("3.0") * 30) / 40  # N1 and N2; N3 asked school B only
    assert need == Decimal("3.25")
    need_part = Decimal(WEIGHTS["school_need"]) * need / 5
    stage_part = Decimal(WEIGHTS["career_stage"])
    assert item["reasons"] == [
        {"factor": "school_need", "weight": 40, "value": need, "contribution": need_part,
         "detail": "classroom management"},
        {"factor": "career_stage", "weight": 20, "value": 1, "contribution": stage_part, "detail": "new teachers"},
    ]
    assert item["score"] == need_part + stage_part == Decimal("46")
    assert item["score"] == sum(r["contribution"] for r in item["reasons"])
    assert item["kind"] == "activity" and item["title"] == "Classroom routines"
    assert item["next_session"]["session_id"] == world["s1"] and item["next_session"]["seats_left"] == 30


def test_every_item_and_its_reasons(world):
    d, t = world["d"], world["t"]
    doc = exact(d.client("district_admin").get(path(t)))
    assert doc["educator_id"] == t and doc["career_stage"] == "new" and doc["weights"] == WEIGHTS
    assert doc["limit"] == 10
    by_id = {i["id"]: i for i in doc["items"]}
    assert [i["id"] for i in doc["items"]] == [world["x1"], world["x2"], world["r1"]]
    x2 = by_id[world["x2"]]
    assert [(r["factor"], r["value"], r["contribution"], r["detail"]) for r in x2["reasons"]] == [
        ("school_need", Decimal("2.00"), Decimal("16"), "assessment"), ("role", 1, 15, "teachers")]
    assert x2["next_session"]["starts_at"] < future(16)  # the first of its two sessions
    r1 = by_id[world["r1"]]
    assert r1["kind"] == "resource" and r1["next_session"] is None
    assert [(r["factor"], r["value"], r["contribution"], r["detail"]) for r in r1["reasons"]] == [
        ("school_need", Decimal("2.00"), Decimal("16"), "assessment"),
        ("peer_rating", Decimal("4.50"), Decimal("7.5"), "2 ratings by colleagues")]
    for item in doc["items"]:
        assert item["score"] == sum(r["contribution"] for r in item["reasons"])


def test_never_recommended(world):
    """Completed, registered, full and past offerings; reviewed, own, deleted and badly rated library items."""
    d, t = world["d"], world["t"]
    ids = {i["id"] for i in assert_json(d.client("district_admin").get(path(t), params={"limit": 50}), 200)["items"]}
    assert ids.isdisjoint(world["never"])


def test_reproducible_and_limited(world):
    d, t = world["d"], world["t"]
    c = d.client("district_admin")
    first = c.get(path(t)).text
    assert all(c.get(path(t)).text == first for _ in range(3))
    one = assert_json(c.get(path(t), params={"limit": 1}), 200)
    assert [i["id"] for i in one["items"]] == [world["x1"]] and one["limit"] == 1
    for bad in ("0", "51", "x"):
        body = assert_problem(c.get(path(t), params={"limit": bad}), 400, "bad-request")
        assert [e["field"] for e in body["errors"]] == ["limit"]


def test_who_may_read(world, analytics):
    d, t = world["d"], world["t"]
    assert assert_json(d.client("teacher", sub=t).get(path(t)), 200)["educator_id"] == t
    assert assert_json(d.client("school_leader", sub=world["leader_a"]).get(path(t)), 200)["educator_id"] == t
    # a colleague, a leader of another school: as unknown
    assert_problem(d.client("teacher", sub=world["other_teacher"]).get(path(t)), 404, "not-found")
    assert_problem(d.client("school_leader", sub=world["leader_b"]).get(path(t)), 404, "not-found")
    for role in ("sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(path(t)), 403, "forbidden")
    assert_problem(analytics(None).get(path(t)), 401, "unauthorized")


def test_unknown_and_other_districts_are_404(world, analytics):
    d, t = world["d"], world["t"]
    admin = d.client("district_admin")
    assert_problem(admin.get(path(str(uuid.uuid4()))), 404, "not-found")
    assert_problem(admin.get(path("not-a-uuid")), 404, "not-found")
    assert_problem(District(analytics).client("district_admin").get(path(t)), 404, "not-found")
    assert_problem(District(analytics).client("teacher", sub=t).get(path(t)), 404, "not-found")


def test_through_the_catalog_and_the_library(analytics_service, resources_service):
    """Seeded through hg-resources: a full session's offering is not recommended until its one registration is
    cancelled; a colleague's 5 on a library item counts, the educator's own item and the one they reviewed never
    appear. T, C1, C2: teachers of school S (the roster's events, as the catalog tests put them on it)."""
    d = CatalogDistrict(lambda bearer: Api(resources_service.url, bearer))
    school = str(uuid.uuid4())
    t, c1, c2 = d.client(), d.client(), d.client()
    d.on_roster(t.sub, c1.sub, c2.sub, schools=[school])
    full = d.activity(title="Small-group reading", target_audience=["teachers"])
    seat = d.session(full["id"], start=now() + timedelta(days=5), capacity=1)
    roomy = d.activity(title="Writing conferences", target_audience=["Teachers"])
    d.session(roomy["id"], start=now() + timedelta(days=6), capacity=5)
    registration = d.register(c1, seat["id"])
    library = "/v1/library/resources"
    rated = assert_json(c1.post(library, json={"title": "Conferring notes", "type": "template"}), 201)
    assert_json(c2.post(f"{library}/{rated['id']}/reviews", json={"rating": 5}), 201)
    own = assert_json(t.post(library, json={"title": "My checklist", "type": "template"}), 201)
    seen = assert_json(c2.post(library, json={"title": "Seen already", "type": "article"}), 201)
    assert_json(t.post(f"{library}/{seen['id']}/reviews", json={"rating": 4}), 201)
    assert_json(c1.post(f"{library}/{seen['id']}/reviews", json={"rating": 5}), 201)

    me = Api(analytics_service.url, token(d.id, t.sub, ["teacher"]))
    last: dict = {}

    def items() -> list:
        nonlocal last
        r = me.get(path(t.sub))
        last = r.json() if r.status_code == 200 else {"status": r.status_code, "body": r.text}
        return [(i["id"], i["score"]) for i in last.get("items", [])]
    assert poll(lambda: items() == [(roomy["id"], 15), (rated["id"], 10)], WAIT, interval=0.3), last
    by_id = {i["id"]: i for i in last["items"]}
    assert by_id[roomy["id"]]["next_session"]["seats_left"] == 5
    assert by_id[rated["id"]]["reasons"] == [{"factor": "peer_rating", "weight": 10, "value": 5.0,
                                              "contribution": 10.0, "detail": "1 rating by colleagues"}]
    assert own["id"] not in by_id and seen["id"] not in by_id

    # the seat freed: the offering is open again (the same score: by id)
    assert c1.delete(f"/v1/catalog/registrations/{registration['id']}").status_code in (200, 204)
    expected = sorted([full["id"], roomy["id"]])
    assert poll(lambda: [i for i, _ in items()][:2] == expected, WAIT, interval=0.3), last
    assert {i["id"]: i for i in last["items"]}[full["id"]]["next_session"]["seats_left"] == 1
