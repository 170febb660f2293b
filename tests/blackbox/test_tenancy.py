"""A district never sees, changes or learns of another district's resources (answer 404)."""

from __future__ import annotations

from hgtest import assert_json, assert_problem, new_district, new_user, token

COLLECTION = "/v1/library/resources"


def test_other_district_cannot_see_or_touch(api):
    district_a, district_b = new_district(), new_district()
    sub = new_user()
    a = api(token(district_a, sub, ["district_admin"]))
    r = a.post(COLLECTION, json={"title": "District A only", "type": "course"})
    created = assert_json(r, 201)
    path = f"{COLLECTION}/{created['id']}"

    # the same person (same sub) with B's most powerful role, and an ordinary B teacher
    for b in (api(token(district_b, sub, ["district_admin"])), api(token(district_b, new_user(), ["teacher"]))):
        assert_problem(b.get(path), 404, "not-found")
        assert_problem(b.patch(path, json={"title": "taken over"}), 404, "not-found")
        assert_problem(b.patch(path, json={"title": "taken over"}, headers={"If-Match": '"1"'}), 404, "not-found")
        assert_problem(b.delete(path), 404, "not-found")
        assert_problem(b.delete(path, headers={"If-Match": '"1"'}), 404, "not-found")
        assert assert_json(b.get(COLLECTION, params={"limit": 100}), 200) == {"data": [], "next_cursor": None}

    r = a.get(path)
    assert assert_json(r, 200) == created
    assert r.headers.get("ETag") == '"1"'
    assert [x["id"] for x in assert_json(a.get(COLLECTION), 200)["data"]] == [created["id"]]


def test_not_found_answers_are_identical(api):
    """The 404 for another district's id reveals nothing a random id would not."""
    district_a, district_b = new_district(), new_district()
    a = api(token(district_a, new_user(), ["teacher"]))
    rid = assert_json(a.post(COLLECTION, json={"title": "secret", "type": "other"}), 201)["id"]
    b = api(token(district_b, new_user(), ["teacher"]))
    theirs = assert_problem(b.get(f"{COLLECTION}/{rid}"), 404, "not-found")
    other_id = "2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d"
    random = assert_problem(b.get(f"{COLLECTION}/{other_id}"), 404, "not-found")
    for body, the_id in ((theirs, rid), (random, other_id)):
        body.pop("request_id")
        body.pop("instance")
        body["detail"] = body["detail"].replace(the_id, "<id>")
    assert theirs == random


def test_cursor_from_another_district_reveals_nothing(api):
    district_a, district_b = new_district(), new_district()
    a = api(token(district_a, new_user(), ["teacher"]))
    for i in range(3):
        assert_json(a.post(COLLECTION, json={"title": f"a{i}", "type": "other"}), 201)
    cursor = assert_json(a.get(COLLECTION, params={"limit": 1}), 200)["next_cursor"]
    assert cursor
    b = api(token(district_b, new_user(), ["teacher"]))
    r = b.get(COLLECTION, params={"cursor": cursor})
    if r.status_code == 200:
        assert r.json()["data"] == [], "district B listed district A's resources"
    else:
        assert_problem(r, 400, "bad-request")
