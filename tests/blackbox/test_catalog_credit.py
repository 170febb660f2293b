"""Credit for learning done elsewhere: requests, validation, decisions with a reason (once, by an admin who is
not the requester), who reads what, and events."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from catalog_support import CREDIT_REQUESTS, District, now, of_district
from hgtest import SPEC, assert_json, assert_problem

SETTLE = 2.0


def request_body(**overrides) -> dict:
    body = {"title": "Reading Recovery summer institute", "provider": "State University",
            "description": "Five days on early literacy interventions.", "start_date": "2026-07-06",
            "end_date": "2026-07-10", "hours": 30, "evidence_url": "https://example.org/certificates/rr.pdf"}
    body.update(overrides)
    return body


def submit(client, **overrides) -> dict:
    r = client.post(CREDIT_REQUESTS, json=request_body(**overrides))
    body = assert_json(r, 201)
    SPEC.check("resources.yaml", "CatalogCreditRequest", body)
    assert r.headers["Location"] == f"{CREDIT_REQUESTS}/{body['id']}"
    return body


def decide(client, request_id: str, decision: str, reason: str = "Checked the certificate."):
    return client.post(f"{CREDIT_REQUESTS}/{request_id}/decision", json={"decision": decision, "reason": reason})


def test_submit_and_approve(api):
    d = District(api)
    t = d.teacher()
    req = submit(t, hours=12.75)
    assert (req["status"], req["educator_id"], req["hours"], req["credit_type"]) == ("pending", t.sub, 12.75, "Hours")
    assert req["reason"] is None and req["decided_by"] is None and req["decided_at"] is None
    assert assert_json(t.get(f"{CREDIT_REQUESTS}/{req['id']}"), 200) == req
    r = decide(d.admin, req["id"], "approved", "Certificate matches the hours claimed.")
    approved = assert_json(r, 200)
    assert r.headers["ETag"] == '"2"'
    assert (approved["status"], approved["reason"], approved["decided_by"]) == (
        "approved", "Certificate matches the hours claimed.", d.admin_id)
    p = assert_problem(decide(d.admin, req["id"], "denied"), 409, "conflict")
    assert "already been decided" in p["detail"]
    entries = d.transcript(t, t.sub)["data"]
    assert [(e["kind"], e["id"], e["credits"], e["date"], e["provider"]) for e in entries] == [
        ("credit_request", req["id"], 12.75, "2026-07-10", "State University")]


def test_denied_requests_do_not_count(api):
    d = District(api)
    t = d.teacher()
    req = submit(t)
    denied = assert_json(decide(d.admin, req["id"], "denied", "No evidence of attendance."), 200)
    assert denied["status"] == "denied" and denied["reason"] == "No evidence of attendance."
    assert d.transcript(t, t.sub)["data"] == []
    assert_problem(decide(d.admin, req["id"], "approved"), 409, "conflict")


def test_validation(api):
    d = District(api)
    t = d.teacher()
    future = (now() + timedelta(days=5)).strftime("%Y-%m-%d")
    cases = [
        ({}, {"title", "provider", "start_date", "end_date", "hours", "evidence_url"}),
        (request_body(start_date="2026-07-10", end_date="2026-07-06"), {"end_date"}),
        (request_body(end_date=future, start_date="2026-01-01"), {"end_date"}),
        (request_body(start_date="2026-02-30"), {"start_date"}),
        (request_body(hours=0), {"hours"}),
        (request_body(hours=1000.01), {"hours"}),
        (request_body(hours=1.005), {"hours"}),
        (request_body(hours="3"), {"hours"}),
        (request_body(evidence_url="file:///etc/passwd"), {"evidence_url"}),
        (request_body(title="", provider="x" * 201, extra=True), {"title", "provider", "extra"}),
    ]
    for body, fields in cases:
        p = assert_problem(t.post(CREDIT_REQUESTS, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p["errors"])
    req = submit(t)
    for bad, fields in (({"decision": "maybe", "reason": "x"}, {"decision"}), ({"decision": "approved"}, {"reason"}),
                        ({"decision": "denied", "reason": ""}, {"reason"})):
        p = assert_problem(d.admin.post(f"{CREDIT_REQUESTS}/{req['id']}/decision", json=bad), 422,
                           "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields
    assert assert_json(t.get(f"{CREDIT_REQUESTS}/{req['id']}"), 200)["status"] == "pending"


def test_who_decides_and_reads(api):
    d = District(api)
    t, other = d.teacher(), d.teacher()
    req = submit(t)
    for role in ("teacher", "coach", "school_leader"):
        assert_problem(decide(d.client(None, role), req["id"], "approved"), 403, "forbidden")
    assert_problem(other.get(f"{CREDIT_REQUESTS}/{req['id']}"), 403, "forbidden")
    # an admin never decides their own request
    d.on_roster(d.admin_id)  # admins are educators of the district too
    own = submit(d.admin)
    p = assert_problem(decide(d.admin, own["id"], "approved"), 403, "forbidden")
    assert "never their own" in p["detail"]
    second_admin = d.client(None, "district_admin")
    assert assert_json(decide(second_admin, own["id"], "approved"), 200)["status"] == "approved"
    # lists: others see only their own; admins see all, and can filter
    mine = assert_json(t.get(CREDIT_REQUESTS), 200)
    SPEC.check("resources.yaml", "CatalogCreditRequestPage", mine)
    assert [x["id"] for x in mine["data"]] == [req["id"]]
    assert assert_json(other.get(CREDIT_REQUESTS, params={"educator_id": t.sub}), 200)["data"] == []
    every = [x["id"] for x in assert_json(d.admin.get(CREDIT_REQUESTS), 200)["data"]]
    assert every == [own["id"], req["id"]]
    pending = assert_json(d.admin.get(CREDIT_REQUESTS, params={"status": "pending"}), 200)["data"]
    assert [x["id"] for x in pending] == [req["id"]]
    by_t = assert_json(d.admin.get(CREDIT_REQUESTS, params={"educator_id": t.sub}), 200)["data"]
    assert [x["id"] for x in by_t] == [req["id"]]
    assert_problem(d.admin.get(CREDIT_REQUESTS, params={"status": "lost"}), 400, "bad-request")
    assert_problem(d.admin.get(CREDIT_REQUESTS, params={"educator_id": "me"}), 400, "bad-request")


def test_credit_events(api, events):
    d = District(api)
    t = d.teacher()
    a, b = submit(t), submit(t)
    assert_json(decide(d.admin, a["id"], "approved"), 200)
    assert_json(decide(d.admin, b["id"], "denied"), 200)
    assert_problem(decide(d.admin, b["id"], "approved"), 409, "conflict")
    found = events.collect(match=lambda e: (e.type or "").startswith("credit_request.") and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 4, timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == {"credit_request.submitted": 2, "credit_request.decided": 2}
    decided = {e.subject: e.value["data"]["status"] for e in found if e.type == "credit_request.decided"}
    assert decided == {a["id"]: "approved", b["id"]: "denied"}
