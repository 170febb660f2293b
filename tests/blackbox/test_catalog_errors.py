"""Consistent errors: every 400 and 422 of the catalog and transcripts lists each bad field or query parameter in
`errors` (all of them at once), a body that is not JSON says so with an `errors` entry for the body, and a bad
Idempotency-Key names the header."""

from __future__ import annotations

from catalog_support import District, activity_body
from hgtest import SPEC, assert_problem


def fields(p: dict) -> set[str]:
    SPEC.check("common.yaml", "Problem", p)
    return {e["field"] for e in p["errors"]}


def test_list_parameters_all_named(api):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"])
    p = assert_problem(d.admin.get("/v1/catalog/activities", params={"status": "gone", "limit": "0"}), 400,
                       "bad-request")
    assert fields(p) == {"status", "limit"}
    assert "status" in p["detail"] or "limit" in p["detail"]
    p = assert_problem(d.admin.get("/v1/catalog/credit-requests",
                                   params={"status": "x", "educator_id": "1", "cursor": "nope"}), 400, "bad-request")
    assert fields(p) == {"status", "educator_id", "cursor"}
    p = assert_problem(d.admin.get(f"/v1/catalog/sessions/{s['id']}/registrations",
                                   params={"status": "maybe", "limit": "1000"}), 400, "bad-request")
    assert fields(p) == {"status", "limit"}
    p = assert_problem(d.admin.get(f"/v1/catalog/activities/{a['id']}/sessions", params={"limit": "x"}), 400,
                       "bad-request")
    assert fields(p) == {"limit"}


def test_transcript_parameters_all_named(api):
    d = District(api)
    t = d.teacher()
    p = assert_problem(t.get(f"/v1/transcripts/{t.sub}", params={"from": "2026-1-1", "to": "soon", "limit": "0"}),
                       400, "bad-request")
    assert fields(p) == {"from", "to", "limit"}
    p = assert_problem(t.get(f"/v1/transcripts/{t.sub}", params={"from": "2026-02-01", "to": "2026-01-01"}), 400,
                       "bad-request")
    assert fields(p) == {"from"}
    assert "from" in p["detail"]


def test_bodies_and_headers_named(api):
    d = District(api)
    r = d.admin.post("/v1/catalog/activities", data=b'{"title": ', headers={"Content-Type": "application/json"})
    p = assert_problem(r, 400, "malformed-json")
    assert fields(p) == {""} and "invalid JSON" in p["detail"]
    r = d.admin.post("/v1/catalog/activities", data=b"", headers={"Content-Type": "application/json"})
    p = assert_problem(r, 400, "malformed-json")
    assert fields(p) == {""}
    r = d.admin.post("/v1/catalog/activities", json=activity_body(), headers={"Idempotency-Key": "x" * 256})
    p = assert_problem(r, 400, "bad-request")
    assert fields(p) == {"Idempotency-Key"}
    # a 422 still names every field
    p = assert_problem(d.admin.post("/v1/catalog/activities", json={"title": "", "credits": -1, "x": 1}), 422,
                       "validation-failed")
    assert {"title", "credits", "x"} <= fields(p)
