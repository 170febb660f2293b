"""PD activities: CEDS-aligned fields, validation, the draft → published → archived machine, who sees drafts,
who may write, If-Match, and one event per change."""

from __future__ import annotations

from collections import Counter

import pytest

from catalog_support import ACTIVITIES, District, activity_body, of_district
from hgtest import SPEC, assert_json, assert_problem

SETTLE = 2.0


def test_create_read_list_round_trip(api):
    d = District(api)
    body = activity_body(credits=1.5, cost=125.25, audience_type="Group",
                         completion_rule={"kind": "at_least", "sessions": 2})
    r = d.admin.post(ACTIVITIES, json=body)
    created = assert_json(r, 201)
    SPEC.check("resources.yaml", "CatalogActivity", created)
    assert r.headers["Location"] == f"{ACTIVITIES}/{created['id']}"
    assert r.headers["ETag"] == '"1"'
    for k, v in body.items():
        assert created[k] == v, (k, created[k], v)
    assert created["status"] == "draft"
    assert created["district_id"] == d.id and created["created_by"] == d.admin_id
    assert created["published_at"] is None and created["archived_at"] is None

    got = d.admin.get(f"{ACTIVITIES}/{created['id']}")
    assert assert_json(got, 200) == created
    assert got.headers["ETag"] == '"1"'
    page = assert_json(d.admin.get(ACTIVITIES), 200)
    SPEC.check("resources.yaml", "CatalogActivityPage", page)
    assert [a["id"] for a in page["data"]] == [created["id"]]


def test_defaults_and_every_ceds_type(api):
    d = District(api)
    for t in ("CollegeCourse", "Coaching", "Mentoring", "Consultation", "P2P", "TechnicalAssistance", "Advisement",
              "OneTimeWorkshopTraining", "SeriesOfWorkshopsTraining", "Other"):
        for ct in ("Hours", "CEUs", "QuarterCredits", "SemesterCredits"):
            a = assert_json(d.admin.post(ACTIVITIES, json={"title": f"{t} {ct}", "type": t, "credit_type": ct,
                                                           "credits": 3}), 201)
            assert (a["type"], a["credit_type"], a["credits"]) == (t, ct, 3)
    assert a["completion_rule"] == {"kind": "all_sessions"}
    assert a["objectives"] == [] and a["topics"] == [] and a["target_audience"] == []
    assert a["level"] is None and a["cost"] is None and a["funding_source"] is None and a["description"] == ""


def test_validation_names_every_bad_field_and_writes_nothing(api):
    d = District(api)
    bad = {"title": "", "type": "Workshop", "credit_type": "Minutes", "credits": 1.234, "level": "Expert",
           "audience_type": "Crowd", "delivery_method": "Carrier pigeon", "instructional_delivery_mode": "Telepathy",
           "cost": -1, "objectives": "be better", "topics": [""], "target_audience": [1],
           "funding_source": "", "completion_rule": {"kind": "at_least", "sessions": 0}, "colour": "red"}
    p = assert_problem(d.admin.post(ACTIVITIES, json=bad), 422, "validation-failed")
    named = {e["field"] for e in p["errors"]}
    assert named == {"title", "type", "credit_type", "credits", "level", "audience_type", "delivery_method",
                     "instructional_delivery_mode", "cost", "objectives", "topics", "target_audience",
                     "funding_source", "completion_rule.sessions", "colour"}, p["errors"]
    p = assert_problem(d.admin.post(ACTIVITIES, json={}), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"title", "type", "credit_type", "credits"}
    for rule in ({"kind": "all_sessions", "sessions": 2}, {"kind": "sometimes"}, "all", {"kind": "at_least"}):
        p = assert_problem(d.admin.post(ACTIVITIES, json=activity_body(completion_rule=rule)), 422,
                           "validation-failed")
        assert all(e["field"].startswith("completion_rule") for e in p["errors"]), p
    assert assert_json(d.admin.get(ACTIVITIES), 200)["data"] == []


def test_status_machine(api):
    d = District(api)
    a = d.activity(publish=False)
    path = f"{ACTIVITIES}/{a['id']}"
    p = assert_problem(d.admin.patch(path, json={"status": "archived"}), 409, "conflict")
    assert "published before" in p["detail"]
    published = assert_json(d.admin.patch(path, json={"status": "published"}), 200)
    assert published["status"] == "published" and published["published_at"] and published["version"] == 2
    # the current status alone changes nothing
    same = assert_json(d.admin.patch(path, json={"status": "published"}), 200)
    assert same == published
    p = assert_problem(d.admin.patch(path, json={"status": "draft"}), 409, "conflict")
    assert "back to draft" in p["detail"]
    edited = assert_json(d.admin.patch(path, json={"title": "Renamed", "credits": 7.5}), 200)
    assert (edited["title"], edited["credits"], edited["status"]) == ("Renamed", 7.5, "published")
    archived = assert_json(d.admin.patch(path, json={"status": "archived"}), 200)
    assert archived["archived_at"] and archived["published_at"] == published["published_at"]
    for change in ({"status": "published"}, {"status": "draft"}, {"title": "Again"}):
        p = assert_problem(d.admin.patch(path, json=change), 409, "conflict")
        assert "archived" in p["detail"]
    assert assert_json(d.admin.get(path), 200) == archived


def test_patch_clears_and_validates(api):
    d = District(api)
    a = d.activity(publish=False, level="Advanced", cost=10)
    path = f"{ACTIVITIES}/{a['id']}"
    out = assert_json(d.admin.patch(path, json={"level": None, "cost": None, "funding_source": None,
                                                "completion_rule": {"kind": "at_least", "sessions": 3}}), 200)
    assert out["level"] is None and out["cost"] is None and out["funding_source"] is None
    assert out["completion_rule"] == {"kind": "at_least", "sessions": 3}
    p = assert_problem(d.admin.patch(path, json={}), 422, "validation-failed")
    assert p["errors"] == [{"field": "", "reason": "must change at least one field"}]
    p = assert_problem(d.admin.patch(path, json={"status": "deleted", "credits": "6"}), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"status", "credits"}


def test_if_match(api):
    d = District(api)
    a = d.activity(publish=False)
    path = f"{ACTIVITIES}/{a['id']}"
    assert_problem(d.admin.patch(path, json={"title": "x"}, headers={"If-Match": '"7"'}), 412,
                   "precondition-failed")
    r = d.admin.patch(path, json={"title": "y"}, headers={"If-Match": '"1"'})
    assert assert_json(r, 200)["title"] == "y" and r.headers["ETag"] == '"2"'


def test_drafts_are_only_for_admins(api):
    d = District(api)
    draft = d.activity(publish=False, title="Draft")
    published = d.activity(title="Published")
    archived = d.activity(title="Archived")
    assert_json(d.admin.patch(f"{ACTIVITIES}/{archived['id']}", json={"status": "archived"}), 200)
    for role in ("teacher", "coach", "school_leader"):
        c = d.client(None, role)
        assert_problem(c.get(f"{ACTIVITIES}/{draft['id']}"), 404, "not-found")
        assert assert_json(c.get(f"{ACTIVITIES}/{published['id']}"), 200)["id"] == published["id"]
        ids = {x["id"] for x in assert_json(c.get(ACTIVITIES), 200)["data"]}
        assert ids == {published["id"], archived["id"]}
        assert assert_json(c.get(ACTIVITIES, params={"status": "draft"}), 200)["data"] == []
        listed = assert_json(c.get(ACTIVITIES, params={"status": "archived"}), 200)["data"]
        assert [x["id"] for x in listed] == [archived["id"]]
    ids = [x["id"] for x in assert_json(d.admin.get(ACTIVITIES, params={"status": "draft"}), 200)["data"]]
    assert ids == [draft["id"]]
    assert_problem(d.admin.get(ACTIVITIES, params={"status": "gone"}), 400, "bad-request")


@pytest.mark.parametrize("role", ["teacher", "coach", "school_leader", "sis_integration", "state_reporter"])
def test_only_admins_write(api, role):
    d = District(api)
    a = d.activity(publish=False)
    c = d.client(None, role)
    assert_problem(c.post(ACTIVITIES, json=activity_body()), 403, "forbidden")
    assert_problem(c.patch(f"{ACTIVITIES}/{a['id']}", json={"status": "published"}), 403, "forbidden")
    assert assert_json(d.admin.get(f"{ACTIVITIES}/{a['id']}"), 200)["status"] == "draft"


def test_paging_and_cursor(api):
    d = District(api)
    ids = [assert_json(d.admin.post(ACTIVITIES, json=activity_body(title=f"a{i}")), 201)["id"] for i in range(7)]
    seen, cursor = [], None
    for _ in range(10):
        page = assert_json(d.admin.get(ACTIVITIES, params={"limit": 3, **({"cursor": cursor} if cursor else {})}), 200)
        seen += [a["id"] for a in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))
    assert_problem(d.admin.get(ACTIVITIES, params={"cursor": "garbage"}), 400, "bad-request")
    assert_problem(d.admin.get(ACTIVITIES, params={"limit": 0}), 400, "bad-request")


def test_one_event_per_change(api, events):
    d = District(api)
    a = d.activity(publish=False)
    path = f"{ACTIVITIES}/{a['id']}"
    assert_json(d.admin.patch(path, json={"title": "Changed"}), 200)
    assert_json(d.admin.patch(path, json={"status": "published"}), 200)
    assert_json(d.admin.patch(path, json={"status": "published"}), 200)  # no change, no event
    assert_problem(d.admin.patch(path, json={"status": "draft"}), 409, "conflict")  # refused, no event
    final = assert_json(d.admin.patch(path, json={"status": "archived"}), 200)
    wanted = ["activity.created", "activity.updated", "activity.published", "activity.archived"]
    found = events.collect(match=of_district(d.id), until=lambda evs: len(evs) >= 4, timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == Counter(wanted), [e.type for e in found]
    ordered = sorted(found, key=lambda e: e.offset)
    assert [e.type for e in ordered] == wanted
    assert all(e.subject == a["id"] and e.key == d.id for e in ordered)
    assert ordered[-1].value["data"] == final
    assert [e.value["data"]["version"] for e in ordered] == [1, 2, 3, 4]
