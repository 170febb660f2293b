"""Built-in templates (services/surveys/migrations/0003_templates.sql): listed and read by district admins, each
one valid under the same question validator as any survey, copied into a draft of the caller's district only
(Location, ETag, Idempotency-Key, one survey.created) that can be edited, opened and answered; the copy's body
overrides title, description, mode, audience and window, and every bad field of it is named in one 422."""

from __future__ import annotations

import uuid

from hgtest import assert_json, assert_problem
from surveyslib import SURVEYS, District, Roster, hours_from_now, psql

TEMPLATES = f"{SURVEYS}/templates"
NEEDS_ID = "00000000-0000-4000-8000-000000000001"
EVAL_ID = "00000000-0000-4000-8000-000000000002"


def copies(template_id: str) -> str:
    return f"{TEMPLATES}/{template_id}/copies"


def answer(q: dict):
    """A valid answer to a question of a template, by its type."""
    kind = q["type"]
    if kind == "scale":
        return 4
    if kind == "retrospective":
        return {"before": 2, "now": 4}
    if kind == "single_choice":
        return q["options"][0]
    if kind == "multiple_choice":
        return q["options"][: max(1, q["min_picks"])]
    if kind == "rating":
        return 8
    if kind == "number":
        return q["min"]
    return "More time to practise"


def surveys_of(district: str) -> int:
    return int(psql(f"SELECT count(*) FROM surveys WHERE district_id = '{district}'")[0][0])


def test_templates_are_listed_paged_and_read(surveys):
    d = District(surveys)
    page = assert_json(d.admin.get(TEMPLATES), 200)
    assert [t["id"] for t in page["data"]] == [NEEDS_ID, EVAL_ID] and page["next_cursor"] is None
    needs, evaluation = page["data"]
    assert (needs["purpose"], evaluation["purpose"]) == ("needs_assessment", "session_evaluation")
    # the needs assessment: every scale item tagged with a PD topic, each topic once
    scales = [q for q in needs["questions"] if q["type"] == "scale"]
    assert len(scales) >= 8 and all(q["topic"] for q in scales)
    assert len({q["topic"] for q in scales}) == len(scales)
    assert {"classroom management", "differentiation", "culturally responsive teaching"} <= {
        q["topic"] for q in scales}
    # the evaluation: satisfaction, relevance, intent to apply, a retrospective confidence item
    ids = {q["id"]: q["type"] for q in evaluation["questions"]}
    assert {"satisfaction": "scale", "relevance": "scale", "intent_to_apply": "scale",
            "confidence": "retrospective"}.items() <= ids.items()
    # paged like other lists
    first = assert_json(d.admin.get(TEMPLATES, params={"limit": 1}), 200)
    assert [t["id"] for t in first["data"]] == [NEEDS_ID] and first["next_cursor"]
    second = assert_json(d.admin.get(TEMPLATES, params={"limit": 1, "cursor": first["next_cursor"]}), 200)
    assert [t["id"] for t in second["data"]] == [EVAL_ID]
    assert not second["next_cursor"] or assert_json(
        d.admin.get(TEMPLATES, params={"limit": 1, "cursor": second["next_cursor"]}), 200)["data"] == []
    assert_problem(d.admin.get(TEMPLATES, params={"limit": 0}), 400, "bad-request")
    assert_problem(d.admin.get(TEMPLATES, params={"cursor": "nonsense"}), 400, "bad-request")
    # one template, with its ETag
    r = d.admin.get(f"{TEMPLATES}/{EVAL_ID}")
    assert assert_json(r, 200) == evaluation and r.headers["ETag"]
    # unknown and malformed ids are 404
    assert_problem(d.admin.get(f"{TEMPLATES}/{uuid.uuid4()}"), 404, "not-found")
    assert_problem(d.admin.get(f"{TEMPLATES}/not-a-uuid"), 404, "not-found")


def test_templates_are_for_district_admins(surveys):
    d = District(surveys)
    for role in ("teacher", "coach", "school_leader", "sis_integration"):
        c = d.client(None, role)
        assert_problem(c.get(TEMPLATES), 403, "forbidden")
        assert_problem(c.get(f"{TEMPLATES}/{NEEDS_ID}"), 403, "forbidden")
        assert_problem(c.post(copies(NEEDS_ID), json={}), 403, "forbidden")
    assert surveys_of(d.id) == 0


def test_every_template_validates_copies_opens_and_is_answered(surveys, surveys_events):
    d = District(surveys)
    roster = Roster(d.id)
    me = str(uuid.uuid4())
    roster.send(roster.educator(me, [str(uuid.uuid4())]))
    roster.wait_applied(1)
    respondent = d.client(me, "teacher")
    made = []
    for t in assert_json(d.admin.get(TEMPLATES), 200)["data"]:
        # the same validator as any survey accepts the template's questions as they are (already normalised)
        own = d.create(title="Own", purpose=t["purpose"], questions=t["questions"])
        assert own["questions"] == t["questions"], t["id"]
        # a copy: a draft of the caller's district with the template's purpose, mode and questions
        r = d.admin.post(copies(t["id"]))
        s = assert_json(r, 201)
        assert r.headers["Location"].endswith(f"{SURVEYS}/{s['id']}") and r.headers["ETag"]
        assert (s["district_id"], s["status"], s["title"], s["purpose"], s["mode"], s["audience"],
                s["questions"], s["created_by"], s["answered"], s["version"]) == (
            d.id, "draft", t["title"], t["purpose"], t["mode"], {}, t["questions"], d.admin_id, False, 1)
        made.append(s["id"])
        # edited like any draft (the questions replaced by themselves pass the validator), opened, answered
        edited = assert_json(d.patch(s["id"], {"questions": t["questions"], "title": f"Our {t['title']}"}), 200)
        assert edited["questions"] == t["questions"]
        assert assert_json(d.patch(s["id"], {"status": "open"}), 200)["audience_size"] == 1
        answers = {q["id"]: answer(q) for q in t["questions"]}
        got = assert_json(respondent.post(f"{SURVEYS}/{s['id']}/responses", json={"answers": answers}), 201)
        assert got["survey_id"] == s["id"] and got["mode"] == t["mode"]
        # the template itself is unchanged
        assert assert_json(d.admin.get(f"{TEMPLATES}/{t['id']}"), 200) == t
    assert len(made) == 2
    # one survey.created per copy, subject the new survey
    events = surveys_events.collect(lambda e: e.key == d.id and e.subject in made and e.type == "survey.created",
                                    lambda evs: len(evs) >= 2, timeout=20, settle=1)
    assert sorted(e.subject for e in events) == sorted(made)


def test_a_copy_takes_overrides_and_names_every_bad_field(surveys):
    d = District(surveys)
    school = str(uuid.uuid4())
    body = {"title": "Spring needs", "description": "For our schools", "mode": "confidential",
            "audience": {"schools": [school], "roles": ["teacher"]},
            "opens_at": hours_from_now(1), "closes_at": hours_from_now(48)}
    s = assert_json(d.admin.post(copies(NEEDS_ID), json=body), 201)
    assert (s["title"], s["description"], s["mode"], s["audience"]) == (
        "Spring needs", "For our schools", "confidential", {"schools": [school], "roles": ["teacher"]})
    assert s["opens_at"] and s["closes_at"] and s["purpose"] == "needs_assessment"
    before = surveys_of(d.id)
    bad = {"title": " ", "mode": "secret", "audience": {"roles": ["janitor"]}, "purpose": "climate",
           "questions": [], "status": "open", "opens_at": hours_from_now(5), "closes_at": hours_from_now(2)}
    p = assert_problem(d.admin.post(copies(NEEDS_ID), json=bad), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"title", "mode", "audience.roles", "purpose", "questions",
                                                 "status", "closes_at"}, p
    assert_problem(d.admin.post(copies(NEEDS_ID), json=[1]), 422, "validation-failed")
    assert surveys_of(d.id) == before
    # an unknown or malformed template is a 404, nothing written
    assert_problem(d.admin.post(copies(str(uuid.uuid4())), json={}), 404, "not-found")
    assert_problem(d.admin.post(copies("nope"), json={}), 404, "not-found")
    assert surveys_of(d.id) == before


def test_a_copy_is_idempotent_and_in_the_callers_district_only(surveys, surveys_events):
    d, other = District(surveys), District(surveys)
    key = {"Idempotency-Key": f"copy-{uuid.uuid4()}"}
    first = assert_json(d.admin.post(copies(EVAL_ID), json={"title": "Eval"}, headers=key), 201)
    again = assert_json(d.admin.post(copies(EVAL_ID), json={"title": "Eval"}, headers=key), 201)
    assert again["id"] == first["id"] and surveys_of(d.id) == 1
    assert_problem(d.admin.post(copies(EVAL_ID), json={"title": "Other"}, headers=key), 422, "validation-failed")
    # the copy is the caller's district's: the other district neither reads nor lists it, and has none
    assert_problem(other.admin.get(f"{SURVEYS}/{first['id']}"), 404, "not-found")
    assert first["id"] not in [s["id"] for s in assert_json(other.admin.get(SURVEYS), 200)["data"]]
    assert surveys_of(other.id) == 0
    # both districts copy the same template into their own drafts
    theirs = assert_json(other.admin.post(copies(EVAL_ID)), 201)
    assert theirs["district_id"] == other.id and theirs["id"] != first["id"]
    assert_problem(d.admin.get(f"{SURVEYS}/{theirs['id']}"), 404, "not-found")
    events = surveys_events.collect(lambda e: e.key == d.id and e.type == "survey.created",
                                    lambda evs: len(evs) >= 1, timeout=20, settle=2)
    assert [e.subject for e in events] == [first["id"]]
