"""Clock hours beside credits: an activity states its clock hours (a 6-hour institute worth 0.6 CEUs), completions
and transcripts show both; outside credit in any credit type the catalog knows (a university course earns
semester credits)."""

from __future__ import annotations

from catalog_support import ACTIVITIES, CREDIT_REQUESTS, District
from hgtest import SPEC, assert_json, assert_problem


def test_institute_shows_ceus_and_clock_hours(api):
    d = District(api)
    t = d.teacher()
    a = d.activity(title="Summer literacy institute", credit_type="CEUs", credits=0.6, clock_hours=6,
                   completion_rule={"kind": "at_least", "sessions": 1})
    assert (a["credit_type"], a["credits"], a["clock_hours"]) == ("CEUs", 0.6, 6)
    s = d.session(a["id"])
    d.mark(d.admin, s["id"], t.sub)
    entry = d.transcript(t, t.sub)["data"][0]
    assert (entry["credit_type"], entry["credits"], entry["clock_hours"]) == ("CEUs", 0.6, 6)
    totals = d.transcript(t, t.sub)["totals"]
    assert totals["CEUs"] == {"credits": 0.6, "entries": 1, "clock_hours": 6}
    # an Hours activity without clock hours: its credits are its clock hours; a CEU one without: unknown (null)
    h = d.activity(credit_type="Hours", credits=3, completion_rule={"kind": "at_least", "sessions": 1})
    assert h["clock_hours"] is None
    d.mark(d.admin, d.session(h["id"])["id"], t.sub)
    c = d.activity(credit_type="CEUs", credits=1, completion_rule={"kind": "at_least", "sessions": 1})
    d.mark(d.admin, d.session(c["id"])["id"], t.sub)
    by_activity = {e["activity_id"]: e for e in d.transcript(t, t.sub)["data"]}
    assert by_activity[h["id"]]["clock_hours"] == 3 and by_activity[c["id"]]["clock_hours"] is None
    # changed and cleared like any other field; bad values named
    changed = assert_json(d.admin.patch(f"{ACTIVITIES}/{c['id']}", json={"clock_hours": 10.5}), 200)
    assert changed["clock_hours"] == 10.5
    assert assert_json(d.admin.patch(f"{ACTIVITIES}/{c['id']}", json={"clock_hours": None}), 200)["clock_hours"] is None
    p = assert_problem(d.admin.patch(f"{ACTIVITIES}/{c['id']}", json={"clock_hours": -1}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["clock_hours"]


def test_outside_credit_in_semester_credits(api):
    d = District(api)
    t = d.teacher()
    body = {"title": "Assessment literacy (EDU 612)", "provider": "State University", "start_date": "2026-06-01",
            "end_date": "2026-07-31", "hours": 45, "evidence_url": "https://example.org/transcripts/edu612.pdf"}
    p = assert_problem(t.post(CREDIT_REQUESTS, json={**body, "credit_type": "SemesterCredits"}), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["credits"]
    p = assert_problem(t.post(CREDIT_REQUESTS, json={**body, "credit_type": "Units", "credits": 0}), 422,
                       "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"credit_type", "credits"}
    req = assert_json(t.post(CREDIT_REQUESTS, json={**body, "credit_type": "SemesterCredits", "credits": 3}), 201)
    SPEC.check("resources.yaml", "CatalogCreditRequest", req)
    assert (req["credit_type"], req["credits"], req["hours"]) == ("SemesterCredits", 3, 45)
    # Hours by default, the credits then the clock hours
    plain = assert_json(t.post(CREDIT_REQUESTS, json={**body, "title": "Workshop", "hours": 8}), 201)
    assert (plain["credit_type"], plain["credits"], plain["hours"]) == ("Hours", 8, 8)
    for r in (req, plain):
        assert_json(d.admin.post(f"{CREDIT_REQUESTS}/{r['id']}/decision",
                                 json={"decision": "approved", "reason": "ok"}), 200)
    transcript = d.transcript(t, t.sub)
    totals = transcript["totals"]
    assert totals["SemesterCredits"] == {"credits": 3, "entries": 1, "clock_hours": 45}
    assert totals["Hours"] == {"credits": 8, "entries": 1, "clock_hours": 8}
    semester = [e for e in transcript["data"] if e["credit_type"] == "SemesterCredits"]
    assert [(e["kind"], e["credits"], e["clock_hours"]) for e in semester] == [("credit_request", 3, 45)]
