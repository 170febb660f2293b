"""PD budgets: substitute releases (school days and half days at the district's daily rate, charged), the releases
per school and date, and the reports of a fiscal year (JSON and CSV) on a dataset whose answers are worked out by
hand below; who reads what, and tenant isolation (docs/resources.md, "Budgets")."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from budget_support import RELEASES, REPORT, SETTINGS, charged, source
from catalog_support import District, of_district
from hgtest import SPEC, assert_json, assert_problem, new_user

CHICAGO = ZoneInfo("America/Chicago")
SETTINGS_BODY = {"daily_rate_cents": 20_001, "school_day_start": "08:00", "school_day_end": "15:00",
                 "time_zone": "America/Chicago"}


def next_weekday(weekday: int) -> date:
    """The date of the given weekday (Monday 0) at least a week ahead in Chicago."""
    today = datetime.now(CHICAGO).date()
    return today + timedelta(days=7 + (weekday - today.weekday()) % 7)


def local(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHICAGO).isoformat()


def release(client, registration_id: str, **body):
    return client.post(f"/v1/catalog/registrations/{registration_id}/release", json=body)


def test_settings(api):
    d = District(api)
    assert_problem(d.admin.get(SETTINGS), 404, "not-found")
    for body, fields in [
        ({}, {"daily_rate_cents", "school_day_start", "school_day_end", "time_zone"}),
        ({**SETTINGS_BODY, "daily_rate_cents": 0, "school_day_start": "8:00"}, {"daily_rate_cents",
                                                                                 "school_day_start"}),
        ({**SETTINGS_BODY, "school_day_end": "07:59"}, {"school_day_end"}),
        ({**SETTINGS_BODY, "time_zone": "America/Chicago'; --"}, {"time_zone"}),
    ]:
        p = assert_problem(d.admin.put(SETTINGS, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p)
    p = assert_problem(d.admin.put(SETTINGS, json={**SETTINGS_BODY, "time_zone": "Mars/Olympus_Mons"}), 422,
                       "validation-failed")
    assert p["reason"] == "time_zone_unknown" and p["errors"][0]["field"] == "time_zone"
    assert_problem(d.admin.get(SETTINGS), 404, "not-found")
    s = assert_json(d.admin.put(SETTINGS, json=SETTINGS_BODY), 200)
    SPEC.check("resources.yaml", "BudgetSettings", s)
    assert (s["daily_rate_cents"], s["school_day_start"], s["school_day_end"], s["version"]) == (20_001, "08:00",
                                                                                              "15:00", 1)
    s2 = assert_json(d.admin.put(SETTINGS, json={**SETTINGS_BODY, "daily_rate_cents": 15_000}), 200)
    assert (s2["daily_rate_cents"], s2["version"]) == (15_000, 2)
    assert assert_json(d.admin.get(SETTINGS), 200) == s2
    for role in ("teacher", "school_leader"):
        assert_problem(d.client(new_user(), role).put(SETTINGS, json=SETTINGS_BODY), 403, "forbidden")
    assert_problem(District(api).admin.get(SETTINGS), 404, "not-found")  # another district has none


def test_releases_and_reports_with_known_answers(api):
    d = District(api)
    school_x, school_y = str(uuid.uuid4()), str(uuid.uuid4())
    e1, e2, e3 = d.client(new_user(), "teacher"), d.client(new_user(), "teacher"), d.client(new_user(), "teacher")
    leader = d.client(new_user(), "school_leader")
    d.on_roster(e1.sub, e2.sub, leader.sub, schools=[school_x])
    d.on_roster(e3.sub, schools=[school_y])

    workshop = d.activity(title="Number talks", type="SeriesOfWorkshopsTraining", credit_type="Hours", credits=6)
    coaching = d.activity(title="Coaching cycles", type="Coaching")
    first = d.session(workshop["id"])  # started 5 minutes ago: attendance is open
    d.mark(d.admin, first["id"], e1.sub, e2.sub, e3.sub)  # all three complete (one session): 3 x 6 clock hours

    title2 = source(d, "Title II-A", 1_000_000, allowed_categories=["facilitator_fees", "substitute_coverage",
                                                                    "materials"],
                    allowed_activity_types=["SeriesOfWorkshopsTraining"])
    general = source(d, "General fund", 500_000)
    source(d, "Old grant", 7, year=2026)
    charged(d.admin, title2["id"], workshop["id"], 250_000, "facilitator_fees", "actual")
    charged(d.admin, title2["id"], workshop["id"], 750_000, "materials", "planned")
    charged(d.admin, general["id"], coaching["id"], 40_001, "travel", "actual")
    charged(d.admin, title2["id"], coaching["id"], 10_000, "stipends", "actual", override=True,
            override_reason="Board vote 2026-11-30")

    # Releases: a Wednesday morning (180 of 420 minutes: a half day); Wednesday 13:00 to Thursday 10:00 (120
    # minutes each day: two half days); a Saturday (no school day).
    wed, thu, sat = next_weekday(2), next_weekday(3), next_weekday(5)
    b1 = d.session(workshop["id"], capacity=1, starts_at=local(wed, 9), ends_at=local(wed, 12))
    b2 = d.session(workshop["id"], starts_at=local(wed, 13), ends_at=local(thu, 10))
    b3 = d.session(workshop["id"], starts_at=local(sat, 9), ends_at=local(sat, 12))
    r3 = d.register(e3, b1["id"])
    r2_waiting = d.register(e2, b1["id"])
    assert r2_waiting["status"] == "waitlisted"
    r1 = d.register(e1, b2["id"])
    r2_sat = d.register(e2, b3["id"])

    p = assert_problem(release(d.admin, r3["id"], funding_source_id=general["id"]), 409, "conflict")
    assert p["reason"] == "budget_settings_missing"
    assert_json(d.admin.put(SETTINGS, json=SETTINGS_BODY), 200)
    rel3 = assert_json(release(d.admin, r3["id"], funding_source_id=general["id"]), 201)
    SPEC.check("resources.yaml", "Release", rel3)
    assert (rel3["school_id"], rel3["educator_id"], rel3["half_days"], rel3["daily_rate_cents"],
            rel3["amount_cents"]) == (school_y, e3.sub, 1, 20_001, 10_001)
    assert rel3["days"] == [{"date": wed.isoformat(), "portion": "half"}]
    assert (rel3["first_date"], rel3["last_date"]) == (wed.isoformat(), wed.isoformat())
    cost3 = assert_json(d.admin.get(f"/v1/catalog/costs/{rel3['cost_id']}"), 200)
    assert (cost3["category"], cost3["kind"], cost3["amount_cents"], cost3["release_id"], cost3["session_id"]) == (
        "substitute_coverage", "planned", 10_001, rel3["id"], b1["id"])
    rel1 = assert_json(release(d.admin, r1["id"], funding_source_id=general["id"]), 201)
    assert (rel1["school_id"], rel1["half_days"], rel1["amount_cents"]) == (school_x, 2, 20_001)
    assert rel1["days"] == [{"date": wed.isoformat(), "portion": "half"}, {"date": thu.isoformat(), "portion": "half"}]

    p = assert_problem(release(d.admin, r3["id"], funding_source_id=general["id"]), 409, "conflict")
    assert p["reason"] == "release_exists"
    p = assert_problem(release(d.admin, r2_waiting["id"], funding_source_id=general["id"]), 409, "conflict")
    assert p["reason"] == "release_not_registered"
    p = assert_problem(release(d.admin, r2_sat["id"], funding_source_id=general["id"]), 409, "conflict")
    assert p["reason"] == "release_outside_school_hours"
    p = assert_problem(release(d.admin, r2_sat["id"], funding_source_id=general["id"], school_id=school_y), 422,
                       "validation-failed")
    assert p["reason"] == "release_school_unknown" and p["errors"][0]["field"] == "school_id"
    # A release obeys the source's rules: Title II-A is spent (available 1,000,000 - 1,010,000 < 0).
    r1_other = d.register(e2, b2["id"])
    p = assert_problem(release(d.admin, r1_other["id"], funding_source_id=title2["id"]), 409, "conflict")
    assert p["reason"] == "funding_overdrawn"

    # Releases per school and date.
    page = assert_json(d.admin.get(RELEASES, params={"limit": 100}), 200)
    SPEC.check("resources.yaml", "ReleasePage", page)
    assert {r["id"] for r in page["data"]} == {rel1["id"], rel3["id"]}
    assert [r["id"] for r in assert_json(d.admin.get(RELEASES, params={"date": thu.isoformat()}), 200)["data"]] == [
        rel1["id"]]
    assert [r["id"] for r in assert_json(d.admin.get(RELEASES, params={"school_id": school_y}), 200)["data"]] == [
        rel3["id"]]
    assert assert_json(d.admin.get(RELEASES, params={"date": sat.isoformat()}), 200)["data"] == []
    assert [r["id"] for r in assert_json(leader.get(RELEASES), 200)["data"]] == [rel1["id"]]
    p = assert_problem(leader.get(RELEASES, params={"school_id": school_y}), 403, "forbidden")
    assert p["reason"] == "releases_school_forbidden"
    p = assert_problem(d.admin.get(RELEASES, params={"date": "2027-02-30", "school_id": "x"}), 400, "bad-request")
    assert {e["field"] for e in p["errors"]} == {"date", "school_id"}

    # The report, worked out by hand.
    report = assert_json(d.admin.get(REPORT, params={"fiscal_year": 2027}), 200)
    SPEC.check("resources.yaml", "BudgetReport", report)
    assert report["fiscal_year"] == 2027
    # General fund: travel 40,001 spent; releases 10,001 + 20,001 committed. Title II-A: 250,000 + 10,000 (the
    # override) spent, 750,000 committed, so -10,000 available.
    assert report["totals"] == {"allocation_cents": 1_500_000, "spent_cents": 300_001, "committed_cents": 780_002,
                                "available_cents": 419_997}
    got = [(s["name"], s["allocation_cents"], s["spent_cents"], s["committed_cents"], s["available_cents"],
            [(c["category"], c["spent_cents"], c["committed_cents"]) for c in s["categories"]])
           for s in report["sources"]]
    assert got == [
        ("General fund", 500_000, 40_001, 30_002, 429_997, [("substitute_coverage", 0, 30_002),
                                                            ("travel", 40_001, 0)]),
        ("Title II-A", 1_000_000, 260_000, 750_000, -10_000, [("facilitator_fees", 250_000, 0),
                                                              ("materials", 0, 750_000), ("stipends", 10_000, 0)]),
    ]
    acts = [(a["title"], a["spent_cents"], a["committed_cents"], a["cost_cents"], a["participants"],
             a["completions"], a["completed_clock_hours"], a["cost_per_participant_cents"],
             a["cost_per_clock_hour_cents"]) for a in report["activities"]]
    # Number talks: 250,000 + 750,000 + 10,001 + 20,001 = 1,030,002 for 3 participants (343,334 each) and 18
    # completed clock hours (57,222.33 -> 57,222).
    assert acts == [
        ("Coaching cycles", 50_001, 0, 50_001, 0, 0, "0.00", None, None),
        ("Number talks", 250_000, 780_002, 1_030_002, 3, 3, "18.00", 343_334, 57_222),
    ]
    # Schools: the workshop's other costs (1,000,000) over its 3 participants, two of them in X; plus releases.
    # X: 666,666.67 -> 666,667 shared + 20,001 = 686,668; per participant (20,001 + 666,666.67) / 2
    # = 343,333.83 -> 343,334.
    # Y: 333,333.33 -> 333,333 shared + 10,001 = 343,334; per participant 343,334.33 -> 343,334.
    expected_schools = sorted([
        {"school_id": school_x, "participants": 2, "substitute_cents": 20_001, "shared_cents": 666_667,
         "cost_cents": 686_668, "cost_per_participant_cents": 343_334},
        {"school_id": school_y, "participants": 1, "substitute_cents": 10_001, "shared_cents": 333_333,
         "cost_cents": 343_334, "cost_per_participant_cents": 343_334},
    ], key=lambda s: s["school_id"])
    assert report["schools"] == expected_schools
    schools = assert_json(d.admin.get(f"{REPORT}/schools", params={"fiscal_year": "2027"}), 200)
    SPEC.check("resources.yaml", "BudgetSchoolReport", schools)
    assert schools == {"fiscal_year": 2027, "data": expected_schools}
    mine = assert_json(leader.get(f"{REPORT}/schools", params={"fiscal_year": "2027"}), 200)
    assert mine["data"] == [s for s in expected_schools if s["school_id"] == school_x]

    # The CSV for the business office: dollars with two decimals, exact.
    r = d.admin.get(f"{REPORT}.csv", params={"fiscal_year": 2027})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    g, t = general["id"], title2["id"]
    assert rows == [
        ["fiscal_year", "funding_source_id", "funding_source", "category", "allocation", "spent", "committed",
         "available"],
        ["2027", g, "General fund", "total", "5000.00", "400.01", "300.02", "4299.97"],
        ["2027", g, "General fund", "substitute_coverage", "", "0.00", "300.02", ""],
        ["2027", g, "General fund", "travel", "", "400.01", "0.00", ""],
        ["2027", t, "Title II-A", "total", "10000.00", "2600.00", "7500.00", "-100.00"],
        ["2027", t, "Title II-A", "facilitator_fees", "", "2500.00", "0.00", ""],
        ["2027", t, "Title II-A", "materials", "", "0.00", "7500.00", ""],
        ["2027", t, "Title II-A", "stipends", "", "100.00", "0.00", ""],
    ]
    old = assert_json(d.admin.get(REPORT, params={"fiscal_year": 2026}), 200)
    assert [s["name"] for s in old["sources"]] == ["Old grant"] and old["activities"] == [] and old["schools"] == []

    # Who: teachers nothing; school leaders their schools only; another district nothing of ours.
    for path, params in [(RELEASES, {}), (REPORT, {"fiscal_year": 2027}), (f"{REPORT}.csv", {"fiscal_year": 2027}),
                         (f"{REPORT}/schools", {"fiscal_year": 2027})]:
        assert_problem(e1.get(path, params=params), 403, "forbidden")
    assert_problem(leader.get(REPORT, params={"fiscal_year": 2027}), 403, "forbidden")
    assert_problem(leader.get(f"{REPORT}.csv", params={"fiscal_year": 2027}), 403, "forbidden")
    assert_problem(release(leader, r1_other["id"], funding_source_id=general["id"]), 403, "forbidden")
    other = District(api)
    assert_json(other.admin.put(SETTINGS, json=SETTINGS_BODY), 200)
    theirs = source(other, "General fund", 500_000)
    assert_problem(release(other.admin, r1_other["id"], funding_source_id=theirs["id"]), 404, "not-found")
    assert assert_json(other.admin.get(RELEASES), 200)["data"] == []
    empty = assert_json(other.admin.get(REPORT, params={"fiscal_year": 2027}), 200)
    assert [s["name"] for s in empty["sources"]] == ["General fund"] and empty["activities"] == []
    assert empty["schools"] == [] and empty["totals"]["spent_cents"] == 0


def test_report_parameters(api):
    d = District(api)
    for params in ({}, {"fiscal_year": "1999"}, {"fiscal_year": "27"}, {"fiscal_year": "x"}):
        for path in (REPORT, f"{REPORT}.csv", f"{REPORT}/schools"):
            p = assert_problem(d.admin.get(path, params=params), 400, "bad-request")
            assert [e["field"] for e in p["errors"]] == ["fiscal_year"]
    empty = assert_json(d.admin.get(REPORT, params={"fiscal_year": 2030}), 200)
    assert empty == {"fiscal_year": 2030, "sources": [], "activities": [], "schools": [],
                     "totals": {"allocation_cents": 0, "spent_cents": 0, "committed_cents": 0, "available_cents": 0}}
    r = d.admin.get(f"{REPORT}.csv", params={"fiscal_year": 2030})
    assert r.status_code == 200 and r.text == (
        "fiscal_year,funding_source_id,funding_source,category,allocation,spent,committed,available\r\n")


def test_release_events(api, events):
    d = District(api)
    school = str(uuid.uuid4())
    t = d.client(new_user(), "teacher")
    d.on_roster(t.sub, schools=[school])
    a = d.activity()
    wed = next_weekday(2)
    s = d.session(a["id"], starts_at=local(wed, 8), ends_at=local(wed, 15))  # the whole school day
    r = d.register(t, s["id"])
    g = source(d, "General fund", 100_000)
    settings = assert_json(d.admin.put(SETTINGS, json=SETTINGS_BODY), 200)
    rel = assert_json(release(d.admin, r["id"], funding_source_id=g["id"], kind="actual"), 201)
    assert (rel["half_days"], rel["amount_cents"], rel["days"]) == (2, 20_001, [{"date": wed.isoformat(),
                                                                                 "portion": "full"}])
    found = events.collect(match=lambda e: e.type in ("budget_settings.updated", "cost.charged", "release.recorded")
                           and of_district(d.id)(e), until=lambda evs: len(evs) >= 3, timeout=20, settle=2.0)
    assert [e.type for e in found] == ["budget_settings.updated", "cost.charged", "release.recorded"]
    assert found[0].subject == d.id and found[0].value["data"] == settings
    assert found[1].value["data"]["release_id"] == rel["id"] and found[1].value["data"]["kind"] == "actual"
    assert found[2].subject == rel["id"] and found[2].value["data"] == rel
    assert assert_json(d.admin.get(f"/v1/catalog/funding-sources/{g['id']}"), 200)["spent_cents"] == 20_001
