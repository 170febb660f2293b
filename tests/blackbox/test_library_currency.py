"""Content currency: review_due_on, the review_overdue listing and content checks by district admins.

Time cannot be waited for, so a test that needs an overdue resource moves its due date into the past
directly in PostgreSQL (psql on the test stack): the only thing the tests write behind the API's back.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import date, datetime, timezone

import pytest

from hgtest import PG_PORT, SPEC, assert_json, assert_problem, assert_resource, new_district, new_user, \
    parse_time, token

COLLECTION = "/v1/library/resources"
PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")
SETTLE = 2.0


def sql(statement: str, *args: str) -> None:
    """Runs one statement with psql variables :'a0', :'a1', ... bound to args (quoted by psql)."""
    cmd = ["psql", PG_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for i, a in enumerate(args):
        cmd += ["-v", f"a{i}={a}"]
    p = subprocess.run(cmd, input=statement, capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr


def set_due(rid: str, days_from_today: int) -> None:
    sql("UPDATE resources.library_resources SET review_due_on = current_date + :'a1'::integer"
        " WHERE id = :'a0'::uuid", rid, str(days_from_today))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a common year
        return d.replace(year=d.year + years, day=28)


def today() -> date:
    return datetime.now(timezone.utc).date()


def create(client, title: str, **fields) -> dict:
    return assert_json(client.post(COLLECTION, json={"title": title, "type": "article"} | fields), 201)


def listed(client, **params) -> list[str]:
    body = assert_json(client.get(COLLECTION, params={"limit": 100} | params), 200)
    SPEC.check("resources.yaml", "ResourceSearchPage", body)
    return [r["title"] for r in body["data"]]


def test_new_resources_are_due_three_years_after_publication(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    res = assert_resource(create(client, "Fresh"))
    published = parse_time(res["created_at"]).date()
    assert res["review_due_on"] == add_years(published, 3).isoformat()
    assert res["content_checked_at"] is None
    # changing the resource does not move the date
    changed = assert_json(client.patch(f"{COLLECTION}/{res['id']}", json={"title": "Fresh, edited"}), 200)
    assert changed["review_due_on"] == res["review_due_on"]


def test_review_overdue_lists_what_is_due(api, district):
    client = api(token(district, new_user(), ["district_admin"]))
    ids = {t: create(client, t, subjects=["math"] if t != "Long overdue" else ["ela"])["id"]
           for t in ("Long overdue", "Due today", "Due tomorrow", "Fresh")}
    set_due(ids["Long overdue"], -400)
    set_due(ids["Due today"], 0)
    set_due(ids["Due tomorrow"], 1)
    assert listed(client, review_overdue="true") == ["Long overdue", "Due today"]  # most overdue first
    assert listed(client, review_overdue="false") == ["Fresh", "Due tomorrow"]  # newest first
    assert len(listed(client)) == 4
    # combines with filters, text search and facets
    assert listed(client, review_overdue="true", subject="math") == ["Due today"]
    assert listed(client, review_overdue="true", q="overdue") == ["Long overdue"]
    body = assert_json(client.get(COLLECTION, params={"review_overdue": "true", "facets": "true"}), 200)
    assert body["total"] == 2 and body["facets"]["subject"] == {"ela": 1, "math": 1}
    # the overdue listing pages like any other
    first = assert_json(client.get(COLLECTION, params={"review_overdue": "true", "limit": 1}), 200)
    assert [r["title"] for r in first["data"]] == ["Long overdue"] and first["next_cursor"]
    second = assert_json(client.get(COLLECTION, params={"review_overdue": "true", "limit": 1,
                                                        "cursor": first["next_cursor"]}), 200)
    assert [r["title"] for r in second["data"]] == ["Due today"] and second["next_cursor"] is None
    assert_problem(client.get(COLLECTION, params={"cursor": first["next_cursor"]}), 400, "bad-request")
    # a deleted resource is never listed
    assert client.delete(f"{COLLECTION}/{ids['Due today']}").status_code == 204
    assert listed(client, review_overdue="true") == ["Long overdue"]


def test_content_check_moves_the_date(api, district):
    admin_sub = new_user()
    admin = api(token(district, admin_sub, ["district_admin"]))
    teacher = api(token(district, new_user(), ["teacher"]))
    res = create(teacher, "Old unit")
    rid = res["id"]
    set_due(rid, -30)
    previous = (today().toordinal() - 30)
    assert listed(admin, review_overdue="true") == ["Old unit"]

    r = admin.post(f"{COLLECTION}/{rid}/content-checks", json={"note": "  Links fixed.  "})
    check = assert_json(r, 201)
    SPEC.check("resources.yaml", "ContentCheck", check)
    assert check["resource_id"] == rid and check["district_id"] == district and check["checked_by"] == admin_sub
    assert check["note"] == "Links fixed."
    assert check["previous_review_due_on"] == date.fromordinal(previous).isoformat()
    assert check["review_due_on"] == add_years(today(), 3).isoformat()  # the default
    after = assert_resource(assert_json(admin.get(f"{COLLECTION}/{rid}"), 200))
    assert after["review_due_on"] == check["review_due_on"]
    assert after["content_checked_at"] == check["checked_at"]
    assert after["version"] == res["version"], "a content check changed the resource's version"
    assert listed(admin, review_overdue="true") == []
    assert listed(admin, review_overdue="false") == ["Old unit"]

    # an explicit date within 3-5 years; both ends included
    for years in (5, 3, 4):
        wanted = add_years(today(), years).isoformat()
        again = assert_json(admin.post(f"{COLLECTION}/{rid}/content-checks", json={"review_due_on": wanted}), 201)
        assert again["review_due_on"] == wanted and again["note"] is None
        assert assert_json(admin.get(f"{COLLECTION}/{rid}"), 200)["review_due_on"] == wanted


@pytest.mark.parametrize("payload, fields", [
    ({"review_due_on": "tomorrow"}, ["review_due_on"]),
    ({"review_due_on": "2031-02-30"}, ["review_due_on"]),
    ({"review_due_on": None}, ["review_due_on"]),
    ({"review_due_on": 2030}, ["review_due_on"]),
    ({"note": "n" * 2001}, ["note"]),
    ({"note": 5, "when": "now"}, ["note", "when"]),
])
def test_bad_content_checks_are_422_and_change_nothing(api, district, payload, fields):
    admin = api(token(district, new_user(), ["district_admin"]))
    res = create(admin, "Checked")
    body = assert_problem(admin.post(f"{COLLECTION}/{res['id']}/content-checks", json=payload), 422,
                          "validation-failed")
    assert sorted(e["field"] for e in body["errors"]) == sorted(fields), body
    assert assert_json(admin.get(f"{COLLECTION}/{res['id']}"), 200) == res


def test_due_date_must_be_three_to_five_years_out(api, district):
    admin = api(token(district, new_user(), ["district_admin"]))
    res = create(admin, "Range")
    path = f"{COLLECTION}/{res['id']}/content-checks"
    too_soon = date.fromordinal(add_years(today(), 3).toordinal() - 1).isoformat()
    too_late = date.fromordinal(add_years(today(), 5).toordinal() + 1).isoformat()
    for bad in (too_soon, too_late, today().isoformat()):
        body = assert_problem(admin.post(path, json={"review_due_on": bad}), 422, "validation-failed")
        assert body["errors"][0]["field"] == "review_due_on"
        assert "3 to 5 years" in body["errors"][0]["reason"], body
    assert assert_json(admin.get(f"{COLLECTION}/{res['id']}"), 200)["review_due_on"] == res["review_due_on"]


def test_only_district_admins_record_checks(api, district):
    owner = api(token(district, new_user(), ["teacher", "coach", "school_leader"]))
    res = create(owner, "Mine")
    path = f"{COLLECTION}/{res['id']}/content-checks"
    for roles in (["teacher"], ["coach"], ["school_leader"], ["teacher", "coach", "school_leader"],
                  ["sis_integration"], ["state_reporter"]):
        assert_problem(api(token(district, new_user(), roles)).post(path, json={}), 403, "forbidden")
    assert_problem(owner.post(path, json={}), 403, "forbidden")
    assert_problem(api(None).post(path, json={}), 401, "unauthorized")
    assert assert_json(owner.get(f"{COLLECTION}/{res['id']}"), 200) == res


def test_checks_and_overdue_listing_stay_in_the_district(api):
    a = api(token(new_district(), new_user(), ["district_admin"]))
    res = create(a, "A's overdue item")
    set_due(res["id"], -1)
    same_sub_b = api(token(new_district(), res["created_by"], ["district_admin"]))
    other_b = api(token(new_district(), new_user(), ["district_admin"]))
    for b in (same_sub_b, other_b):
        assert_problem(b.post(f"{COLLECTION}/{res['id']}/content-checks", json={}), 404, "not-found")
        assert listed(b, review_overdue="true") == []
    assert_problem(a.post(f"{COLLECTION}/not-a-uuid/content-checks", json={}), 404, "not-found")
    assert_problem(a.post(f"{COLLECTION}/2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d/content-checks", json={}), 404,
                   "not-found")
    assert listed(a, review_overdue="true") == ["A's overdue item"]
    assert assert_json(a.get(f"{COLLECTION}/{res['id']}"), 200)["content_checked_at"] is None


def test_deleted_resources_cannot_be_checked(api, district):
    admin = api(token(district, new_user(), ["district_admin"]))
    res = create(admin, "Gone")
    assert admin.delete(f"{COLLECTION}/{res['id']}").status_code == 204
    assert_problem(admin.post(f"{COLLECTION}/{res['id']}/content-checks", json={}), 404, "not-found")


def test_one_event_per_content_check(api, district, events):
    admin = api(token(district, new_user(), ["district_admin"]))
    res = create(admin, "Evented check")
    path = f"{COLLECTION}/{res['id']}/content-checks"
    first = assert_json(admin.post(path, json={"note": "first"}), 201)
    second = assert_json(admin.post(path, json={"review_due_on": add_years(today(), 4).isoformat()}), 201)
    assert admin.post(path, json={"review_due_on": "2000-01-01"}).status_code == 422
    assert api(token(district, new_user(), ["teacher"])).post(path, json={}).status_code == 403

    found = events.collect(match=lambda e: e.value.get("districtid") == district,
                           until=lambda evs: sum(e.type == "content.checked" for e in evs) >= 2,
                           timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == Counter({"resource.created": 1, "content.checked": 2})
    checks = sorted((e for e in found if e.type == "content.checked"), key=lambda e: e.offset)
    assert [e.value["data"] for e in checks] == [first, second]
    for e in checks:
        assert e.key == district and e.value["subject"] == res["id"]
    assert second["previous_review_due_on"] == first["review_due_on"]
