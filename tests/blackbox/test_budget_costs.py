"""PD budgets: funding sources, costs charged to them, restrictions, overdrafts, a district admin's recorded
override, charges racing for the last of an allocation, roles, tenant isolation and events (docs/resources.md,
"Budgets")."""

from __future__ import annotations

import threading
from collections import Counter

from budget_support import SOURCES, charge, charged, source
from catalog_support import District, of_district
from hgtest import SPEC, assert_json, assert_problem, new_user


def test_source_create_read_change(api):
    d = District(api)
    s = source(d, "Title II-A", 1_000_000, allowed_categories=["facilitator_fees", "materials"],
               allowed_activity_types=["SeriesOfWorkshopsTraining"])
    assert (s["name"], s["fiscal_year"], s["allocation_cents"], s["spent_cents"], s["committed_cents"],
            s["available_cents"]) == ("Title II-A", 2027, 1_000_000, 0, 0, 1_000_000)
    assert s["allowed_categories"] == ["facilitator_fees", "materials"]
    assert s["allowed_activity_types"] == ["SeriesOfWorkshopsTraining"]
    r = d.admin.get(f"{SOURCES}/{s['id']}")
    assert assert_json(r, 200) == s and r.headers["ETag"] == '"1"'
    other = source(d, "General fund", 5, year=2026)
    page = assert_json(d.admin.get(SOURCES, params={"fiscal_year": "2027"}), 200)
    SPEC.check("resources.yaml", "FundingSourcePage", page)
    assert [x["id"] for x in page["data"]] == [s["id"]]
    assert {x["id"] for x in assert_json(d.admin.get(SOURCES), 200)["data"]} == {s["id"], other["id"]}
    changed = assert_json(d.admin.patch(f"{SOURCES}/{s['id']}", json={"allocation_cents": 900_000,
                                                                      "allowed_categories": None},
                                        headers={"If-Match": '"1"'}), 200)
    assert (changed["allocation_cents"], changed["allowed_categories"], changed["version"]) == (900_000, None, 2)
    assert changed["allowed_activity_types"] == ["SeriesOfWorkshopsTraining"]
    assert_problem(d.admin.patch(f"{SOURCES}/{s['id']}", json={"name": "x"}, headers={"If-Match": '"1"'}), 412,
                   "precondition-failed")
    # One name per fiscal year.
    assert_problem(d.admin.post(SOURCES, json={"name": "Title II-A", "fiscal_year": 2027, "allocation_cents": 1}),
                   409, "conflict")


def test_source_validation(api):
    d = District(api)
    cases = [
        ({}, {"name", "fiscal_year", "allocation_cents"}),
        ({"name": "", "fiscal_year": 1999, "allocation_cents": -1}, {"name", "fiscal_year", "allocation_cents"}),
        ({"name": "a", "fiscal_year": 2027, "allocation_cents": 10.5}, {"allocation_cents"}),
        ({"name": "a", "fiscal_year": 2027, "allocation_cents": "100"}, {"allocation_cents"}),
        ({"name": "a", "fiscal_year": 2027, "allocation_cents": 1, "allowed_categories": ["snacks"],
          "allowed_activity_types": []}, {"allowed_categories", "allowed_activity_types"}),
        ({"name": "a", "fiscal_year": 2027, "allocation_cents": 1, "extra": 1}, {"extra"}),
    ]
    for body, fields in cases:
        p = assert_problem(d.admin.post(SOURCES, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p)
    s = source(d, "Grant", 100)
    p = assert_problem(d.admin.patch(f"{SOURCES}/{s['id']}", json={"fiscal_year": 2028}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["fiscal_year"]
    assert assert_json(d.admin.get(SOURCES), 200)["data"] == [s]  # nothing written


def test_restrictions_overdraft_and_override(api):
    d = District(api)
    workshop = d.activity(type="SeriesOfWorkshopsTraining")
    coaching = d.activity(type="Coaching")
    s = source(d, "Title II-A", 1_000_000, allowed_categories=["facilitator_fees", "substitute_coverage",
                                                                "materials"],
               allowed_activity_types=["SeriesOfWorkshopsTraining"])
    sid = s["id"]
    fee = charged(d.admin, sid, workshop["id"], 250_000, "facilitator_fees", "actual")
    assert (fee["kind"], fee["amount_cents"], fee["overridden"], fee["override_reason"]) == ("actual", 250_000, [],
                                                                                             None)
    charged(d.admin, sid, workshop["id"], 12_345, "materials", "planned")

    p = assert_problem(charge(d.admin, sid, workshop["id"], 100, "stipends"), 422, "validation-failed")
    assert p["reason"] == "funding_category_not_allowed" and [e["field"] for e in p["errors"]] == ["category"]
    p = assert_problem(charge(d.admin, sid, coaching["id"], 100, "materials"), 422, "validation-failed")
    assert p["reason"] == "funding_activity_type_not_allowed" and [e["field"] for e in p["errors"]] == [
        "activity_id"]
    # 1,000,000 - 250,000 - 12,345 = 737,655 left: one cent more is an overdraft, exactly that is not.
    p = assert_problem(charge(d.admin, sid, workshop["id"], 737_656, "materials", "planned"), 409, "conflict")
    assert p["reason"] == "funding_overdrawn"
    charged(d.admin, sid, workshop["id"], 737_655, "materials", "planned")
    assert_problem(charge(d.admin, sid, workshop["id"], 1, "materials"), 409, "conflict")
    after = assert_json(d.admin.get(f"{SOURCES}/{sid}"), 200)
    assert (after["spent_cents"], after["committed_cents"], after["available_cents"]) == (250_000, 750_000, 0)

    # The override needs its reason; with it every broken restriction is recorded on the cost.
    p = assert_problem(charge(d.admin, sid, coaching["id"], 10_000, "stipends", override=True), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["override_reason"]
    o = charged(d.admin, sid, coaching["id"], 10_000, "stipends", override=True,
                override_reason="Board approved on 2026-11-30: coaching stipends from Title II this year.")
    assert o["overridden"] == ["funding_category_not_allowed", "funding_activity_type_not_allowed",
                               "funding_overdrawn"]
    assert o["override_reason"].startswith("Board approved") and o["created_by"] == d.admin_id
    after = assert_json(d.admin.get(f"{SOURCES}/{sid}"), 200)
    assert (after["spent_cents"], after["committed_cents"], after["available_cents"]) == (260_000, 750_000, -10_000)
    # An override nothing needed records nothing.
    g = source(d, "General fund", 100)
    plain = charged(d.admin, g["id"], coaching["id"], 100, "travel", override=True, override_reason="habit")
    assert (plain["overridden"], plain["override_reason"]) == ([], None)
    # The allocation does not go below what is charged.
    p = assert_problem(d.admin.patch(f"{SOURCES}/{g['id']}", json={"allocation_cents": 99}), 409, "conflict")
    assert p["reason"] == "funding_allocation_below_charged"

    costs = assert_json(d.admin.get(f"{SOURCES}/{sid}/costs", params={"limit": 100}), 200)
    SPEC.check("resources.yaml", "CostPage", costs)
    assert [c["amount_cents"] for c in costs["data"]] == [10_000, 737_655, 12_345, 250_000]
    only = assert_json(d.admin.get(f"{SOURCES}/{sid}/costs", params={"activity_id": coaching["id"]}), 200)
    assert [c["id"] for c in only["data"]] == [o["id"]]
    assert assert_json(d.admin.get(f"/v1/catalog/costs/{o['id']}"), 200) == o


def test_charge_validation_and_references(api):
    d = District(api)
    a = d.activity()
    b = d.activity()
    s = source(d, "Grant", 1_000)
    session_of_b = d.session(b["id"])
    cases = [
        ({}, {"activity_id", "category", "amount_cents"}),
        ({"activity_id": "x", "category": "food", "amount_cents": 0, "kind": "maybe"},
         {"activity_id", "category", "amount_cents", "kind"}),
        ({"activity_id": a["id"], "category": "travel", "amount_cents": 1.5}, {"amount_cents"}),
        ({"activity_id": a["id"], "category": "travel", "amount_cents": 10_000_000_001}, {"amount_cents"}),
        ({"activity_id": a["id"], "category": "travel", "amount_cents": 1, "override": "yes"}, {"override"}),
        ({"activity_id": a["id"], "category": "travel", "amount_cents": 1, "override_reason": "x"},
         {"override_reason"}),
    ]
    for body, fields in cases:
        p = assert_problem(d.admin.post(f"{SOURCES}/{s['id']}/costs", json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p)
    p = assert_problem(charge(d.admin, s["id"], new_user(), 1), 422, "validation-failed")
    assert p["reason"] == "cost_activity_unknown"
    p = assert_problem(charge(d.admin, s["id"], a["id"], 1, session_id=session_of_b["id"]), 422,
                       "validation-failed")
    assert p["reason"] == "cost_session_not_of_activity" and p["errors"][0]["field"] == "session_id"
    ok = charged(d.admin, s["id"], b["id"], 1, session_id=session_of_b["id"])
    assert ok["session_id"] == session_of_b["id"]
    assert_problem(charge(d.admin, new_user(), a["id"], 1), 404, "not-found")
    assert assert_json(d.admin.get(f"{SOURCES}/{s['id']}"), 200)["spent_cents"] == 1


def test_charges_racing_for_the_last_of_an_allocation(api):
    """16 clients at once, each charging 700 cents to a source of 5,000: exactly 7 pass, never an overdraft."""
    d = District(api)
    a = d.activity()
    s = source(d, "Relief funds", 5_000)
    clients = [d.client(new_user(), "district_admin") for _ in range(16)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(c):
        barrier.wait()
        r = charge(c, s["id"], a["id"], 700)
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert Counter(statuses) == {201: 7, 409: 9}, statuses
    after = assert_json(d.admin.get(f"{SOURCES}/{s['id']}"), 200)
    assert (after["spent_cents"], after["available_cents"]) == (4_900, 100)
    costs = assert_json(d.admin.get(f"{SOURCES}/{s['id']}/costs", params={"limit": 100}), 200)["data"]
    assert sum(c["amount_cents"] for c in costs) == 4_900 and len(costs) == 7


def test_roles(api):
    d = District(api)
    a = d.activity()
    s = source(d, "Grant", 1_000)
    c = charged(d.admin, s["id"], a["id"], 10)
    for role in ("teacher", "coach", "school_leader", "teacher_leader"):
        who = d.client(new_user(), role)
        assert_problem(who.post(SOURCES, json={"name": "x", "fiscal_year": 2027, "allocation_cents": 1}), 403,
                       "forbidden")
        assert_problem(who.get(SOURCES), 403, "forbidden")
        assert_problem(who.get(f"{SOURCES}/{s['id']}"), 403, "forbidden")
        assert_problem(who.patch(f"{SOURCES}/{s['id']}", json={"name": "y"}), 403, "forbidden")
        assert_problem(charge(who, s["id"], a["id"], 1), 403, "forbidden")
        assert_problem(who.get(f"{SOURCES}/{s['id']}/costs"), 403, "forbidden")
        assert_problem(who.get(f"/v1/catalog/costs/{c['id']}"), 403, "forbidden")
    assert assert_json(d.admin.get(f"{SOURCES}/{s['id']}"), 200)["spent_cents"] == 10


def test_tenant_isolation(api):
    d, other = District(api), District(api)
    a = d.activity()
    s = source(d, "Grant", 1_000)
    c = charged(d.admin, s["id"], a["id"], 10)
    assert_problem(other.admin.get(f"{SOURCES}/{s['id']}"), 404, "not-found")
    assert_problem(other.admin.patch(f"{SOURCES}/{s['id']}", json={"name": "mine"}), 404, "not-found")
    assert_problem(other.admin.get(f"{SOURCES}/{s['id']}/costs"), 404, "not-found")
    assert_problem(other.admin.get(f"/v1/catalog/costs/{c['id']}"), 404, "not-found")
    assert_problem(charge(other.admin, s["id"], a["id"], 1), 404, "not-found")
    # Their own source cannot pay for our activity: it is not theirs.
    theirs = source(other, "Grant", 1_000)
    p = assert_problem(charge(other.admin, theirs["id"], a["id"], 1), 422, "validation-failed")
    assert p["reason"] == "cost_activity_unknown"
    assert assert_json(other.admin.get(SOURCES), 200)["data"] == [theirs]
    assert assert_json(d.admin.get(f"{SOURCES}/{s['id']}"), 200)["spent_cents"] == 10


def test_events(api, events):
    d = District(api)
    a = d.activity()
    s = source(d, "Grant", 1_000)
    assert_json(d.admin.patch(f"{SOURCES}/{s['id']}", json={"allocation_cents": 2_000}), 200)
    c = charged(d.admin, s["id"], a["id"], 10)
    assert_problem(charge(d.admin, s["id"], a["id"], 5_000), 409, "conflict")  # refused: no event
    found = events.collect(match=lambda e: (e.type or "").split(".")[0] in ("funding_source", "cost")
                           and of_district(d.id)(e), until=lambda evs: len(evs) >= 3, timeout=20, settle=2.0)
    assert [e.type for e in found] == ["funding_source.created", "funding_source.updated", "cost.charged"]
    assert found[2].subject == c["id"] and found[2].value["data"] == c
    assert found[1].value["data"]["allocation_cents"] == 2_000
