"""Transcripts: completions and approved outside credit, totals per credit type, from/to filtering, paging,
and who may read whose."""

from __future__ import annotations

from datetime import datetime, timezone

from catalog_support import CREDIT_REQUESTS, District
from hgtest import assert_json, assert_problem, new_user


def approved_credit(d: District, client, hours: float, start: str, end: str) -> dict:
    req = assert_json(client.post(CREDIT_REQUESTS, json={
        "title": f"Outside course ending {end}", "provider": "Regional cooperative", "start_date": start,
        "end_date": end, "hours": hours, "evidence_url": "https://example.org/evidence"}), 201)
    return assert_json(d.admin.post(f"{CREDIT_REQUESTS}/{req['id']}/decision",
                                    json={"decision": "approved", "reason": "ok"}), 200)


def complete(d: District, educator: str, **activity) -> dict:
    a = d.activity(completion_rule={"kind": "at_least", "sessions": 1}, **activity)
    s = d.session(a["id"])
    d.mark(d.admin, s["id"], educator)
    return a


def test_totals_per_credit_type_and_period(api):
    d = District(api)
    t = d.teacher()
    complete(d, t.sub, credit_type="Hours", credits=6)
    complete(d, t.sub, credit_type="Hours", credits=1.5)
    complete(d, t.sub, credit_type="CEUs", credits=0.6)
    complete(d, t.sub, credit_type="SemesterCredits", credits=3)
    approved_credit(d, t, 10, "2025-03-01", "2025-03-02")
    approved_credit(d, t, 2.25, "2026-01-10", "2026-01-12")
    # a pending and a denied request count for nothing
    assert_json(t.post(CREDIT_REQUESTS, json={"title": "pending", "provider": "p", "start_date": "2025-01-01",
                                              "end_date": "2025-01-01", "hours": 99,
                                              "evidence_url": "https://example.org/e"}), 201)
    other = d.teacher()
    complete(d, other.sub, credit_type="Hours", credits=40)  # someone else's

    whole = d.transcript(t, t.sub)
    assert whole["totals"] == {
        "Hours": {"credits": 19.75, "entries": 4, "clock_hours": 19.75},
        "CEUs": {"credits": 0.6, "entries": 1, "clock_hours": 0},
        "QuarterCredits": {"credits": 0, "entries": 0, "clock_hours": 0},
        "SemesterCredits": {"credits": 3, "entries": 1, "clock_hours": 0},
    }
    assert len(whole["data"]) == 6
    dates = [e["date"] for e in whole["data"]]
    assert dates == sorted(dates, reverse=True)
    assert whole["from"] is None and whole["to"] is None and whole["educator_id"] == t.sub

    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    only_2025 = d.transcript(t, t.sub, **{"from": "2025-01-01", "to": "2025-12-31"})
    assert [e["credits"] for e in only_2025["data"]] == [10]
    assert only_2025["totals"]["Hours"] == {"credits": 10, "entries": 1, "clock_hours": 10}
    assert only_2025["totals"]["CEUs"] == {"credits": 0, "entries": 0, "clock_hours": 0}
    edge = d.transcript(t, t.sub, **{"from": "2026-01-12", "to": "2026-01-12"})  # inclusive bounds
    assert [e["credits"] for e in edge["data"]] == [2.25]
    recent = d.transcript(t, t.sub, **{"from": today})
    assert recent["totals"]["Hours"] == {"credits": 7.5, "entries": 2, "clock_hours": 7.5} and len(recent["data"]) == 4
    assert recent["from"] == today and recent["to"] is None
    assert d.transcript(t, t.sub, to="2024-12-31")["data"] == []

    # paging keeps the totals whole
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = assert_json(t.get(f"/v1/transcripts/{t.sub}", params=params), 200)
        assert page["totals"] == whole["totals"]
        seen += [e["id"] for e in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [e["id"] for e in whole["data"]]


def test_bad_periods(api):
    d = District(api)
    t = d.teacher()
    for params in ({"from": "2026-13-01"}, {"to": "yesterday"}, {"from": "2026-02-01", "to": "2026-01-01"},
                   {"from": "1999-12-31"}):
        assert_problem(t.get(f"/v1/transcripts/{t.sub}", params=params), 400, "bad-request")
    assert_problem(t.get("/v1/transcripts/not-a-uuid"), 404, "not-found")


def test_who_reads_a_transcript(api):
    d = District(api)
    t = d.teacher()
    complete(d, t.sub)
    assert len(d.transcript(t, t.sub)["data"]) == 1  # their own
    assert len(d.transcript(d.admin, t.sub)["data"]) == 1  # a district admin: anyone's
    for role in ("teacher", "coach"):
        p = assert_problem(d.client(None, role).get(f"/v1/transcripts/{t.sub}"), 403, "forbidden")
        assert "school" in p["detail"]
    for role in ("sis_integration", "state_reporter"):
        assert_problem(d.client(None, role).get(f"/v1/transcripts/{t.sub}"), 403, "forbidden")
    # a school leader who shares no school with the educator (none is known for either)
    assert_problem(d.client(None, "school_leader").get(f"/v1/transcripts/{t.sub}"), 403, "forbidden")
    # an educator with nothing recorded has an empty transcript (no hint whether they exist)
    empty = d.transcript(d.admin, new_user())
    assert empty["data"] == [] and all(v == {"credits": 0, "entries": 0, "clock_hours": 0}
                                      for v in empty["totals"].values())
