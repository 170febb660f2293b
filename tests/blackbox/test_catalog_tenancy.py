"""Another district never sees, changes or learns of a district's catalog: every catalog endpoint answers 404
for another district's ids, exactly as for ids that do not exist, and changes nothing; lists and transcripts
show nothing of it."""

from __future__ import annotations

import uuid

from catalog_support import ACTIVITIES, CREDIT_REQUESTS, District, activity_body, session_body
from hgtest import assert_json, assert_problem


def calls(ids: dict, educator: str):
    """(method, path, json) of every catalog endpoint that takes an id, for the ids in `ids`."""
    a, s, r, q = ids["activity"], ids["session"], ids["registration"], ids["credit"]
    return [
        ("GET", f"{ACTIVITIES}/{a}", None),
        ("PATCH", f"{ACTIVITIES}/{a}", {"title": "taken over"}),
        ("PATCH", f"{ACTIVITIES}/{a}", {"status": "archived"}),
        ("POST", f"{ACTIVITIES}/{a}/sessions", session_body()),
        ("GET", f"{ACTIVITIES}/{a}/sessions", None),
        ("GET", f"/v1/catalog/sessions/{s}", None),
        ("PATCH", f"/v1/catalog/sessions/{s}", {"status": "cancelled"}),
        ("POST", f"/v1/catalog/sessions/{s}/registrations", {}),
        ("POST", f"/v1/catalog/sessions/{s}/registrations", {"educator_id": educator}),
        ("GET", f"/v1/catalog/sessions/{s}/registrations", None),
        ("POST", f"/v1/catalog/sessions/{s}/attendance", {"educator_ids": [educator]}),
        ("POST", f"/v1/catalog/sessions/{s}/check-in", {"code": "ABCDEFGH"}),
        ("GET", f"/v1/catalog/registrations/{r}", None),
        ("DELETE", f"/v1/catalog/registrations/{r}", None),
        ("GET", f"{CREDIT_REQUESTS}/{q}", None),
        ("POST", f"{CREDIT_REQUESTS}/{q}/decision", {"decision": "approved", "reason": "mine now"}),
    ]


def make_catalog(api) -> tuple[District, dict, object]:
    a = District(api)
    act = a.activity()
    ses = a.session(act["id"], capacity=1)
    t = a.teacher()
    reg = a.register(t, ses["id"])
    credit = assert_json(t.post(CREDIT_REQUESTS, json={
        "title": "t", "provider": "p", "start_date": "2026-01-01", "end_date": "2026-01-02", "hours": 3,
        "evidence_url": "https://example.org/e"}), 201)
    return a, {"activity": act["id"], "session": ses["id"], "registration": reg["id"], "credit": credit["id"]}, t


def test_every_catalog_endpoint_hides_other_districts(api):
    a, ids, t = make_catalog(api)
    before = {
        "activity": assert_json(a.admin.get(f"{ACTIVITIES}/{ids['activity']}"), 200),
        "session": assert_json(a.admin.get(f"/v1/catalog/sessions/{ids['session']}"), 200),
        "registration": assert_json(a.admin.get(f"/v1/catalog/registrations/{ids['registration']}"), 200),
        "credit": assert_json(a.admin.get(f"{CREDIT_REQUESTS}/{ids['credit']}"), 200),
    }
    b = District(api)
    # the same person (same sub) with B's most powerful role, and an ordinary B teacher
    admin_only = {("PATCH", f"{ACTIVITIES}/{ids['activity']}"), ("POST", f"{ACTIVITIES}/{ids['activity']}/sessions"),
                  ("PATCH", f"/v1/catalog/sessions/{ids['session']}"),
                  ("POST", f"{CREDIT_REQUESTS}/{ids['credit']}/decision")}
    for client, admin in ((b.client(a.admin_id, "district_admin"), True), (b.client(t.sub, "teacher"), False),
                          (b.admin, True)):
        for method, path, body in calls(ids, t.sub):
            r = client.request(method, path, json=body)
            if not admin and (method, path) in admin_only:
                assert_problem(r, 403, "forbidden")  # the role check comes first and reveals nothing
            else:
                assert_problem(r, 404, "not-found")
        assert assert_json(client.get(ACTIVITIES, params={"limit": 100}), 200)["data"] == []
        assert assert_json(client.get(CREDIT_REQUESTS, params={"limit": 100}), 200)["data"] == []
    # B's view of A's educator's transcript is empty; A's own view is untouched
    assert b.transcript(b.admin, t.sub)["data"] == []
    assert b.transcript(b.client(t.sub, "teacher"), t.sub)["data"] == []
    after = {
        "activity": assert_json(a.admin.get(f"{ACTIVITIES}/{ids['activity']}"), 200),
        "session": assert_json(a.admin.get(f"/v1/catalog/sessions/{ids['session']}"), 200),
        "registration": assert_json(a.admin.get(f"/v1/catalog/registrations/{ids['registration']}"), 200),
        "credit": assert_json(a.admin.get(f"{CREDIT_REQUESTS}/{ids['credit']}"), 200),
    }
    assert after == before
    assert [x["id"] for x in a.registrations(ids["session"])] == [ids["registration"]]


def test_not_found_answers_are_identical(api):
    """The 404 for another district's id says nothing a random id would not."""
    a, ids, t = make_catalog(api)
    b = District(api)
    random = {k: str(uuid.uuid4()) for k in ids}
    for (method, path, body), (_, rpath, _) in zip(calls(ids, t.sub), calls(random, t.sub)):
        theirs = assert_problem(b.admin.request(method, path, json=body), 404, "not-found")
        unknown = assert_problem(b.admin.request(method, rpath, json=body), 404, "not-found")
        for p in (theirs, unknown):
            p.pop("request_id")
            p.pop("instance")
        assert theirs == unknown, (method, path)


def test_district_b_cannot_plant_rows_in_a(api):
    """B's writes land in B, even when they name A's people: A's lists and transcripts do not change."""
    a, ids, t = make_catalog(api)
    b = District(api)
    act = assert_json(b.admin.post(ACTIVITIES, json=activity_body(title="B's")), 201)
    assert_json(b.admin.patch(f"{ACTIVITIES}/{act['id']}", json={"status": "published"}), 200)
    ses = assert_json(b.admin.post(f"{ACTIVITIES}/{act['id']}/sessions", json=session_body()), 201)
    # A's educator is nobody in B: refused (test_catalog_nonmember.py); once B's roster has the same person too
    # (someone working in both districts), B's write names them and still lands in B only
    p = assert_problem(b.admin.post(f"/v1/catalog/sessions/{ses['id']}/attendance", json={"educator_ids": [t.sub]}),
                       422, "validation-failed")
    assert p["reason"] == "educator_not_on_roster" and p["errors"][0]["field"] == "educator_ids[0]"
    b.on_roster(t.sub)
    assert_json(b.admin.post(f"/v1/catalog/sessions/{ses['id']}/attendance",
                             json={"educator_ids": [t.sub]}), 200)
    assert [x["id"] for x in assert_json(a.admin.get(ACTIVITIES), 200)["data"]] == [ids["activity"]]
    assert a.transcript(a.admin, t.sub)["data"] == []
    assert len(b.transcript(b.admin, t.sub)["data"]) == 1  # in B, where it happened
