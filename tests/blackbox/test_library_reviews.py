"""Reviews of library resources: one per educator, author-only changes, an exact rating aggregate under
concurrency, roles, tenancy and one event per change."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

import pytest

from hgtest import SPEC, Api, assert_json, assert_problem, assert_resource, etag, new_district, new_user, token

COLLECTION = "/v1/library/resources"
SETTLE = 2.0
REVIEWER_ROLES = ["teacher", "coach", "school_leader", "district_admin"]


def new_resource(client) -> dict:
    return assert_json(client.post(COLLECTION, json={"title": "Reviewed thing", "type": "video"}), 201)


def reviews_path(rid: str) -> str:
    return f"{COLLECTION}/{rid}/reviews"


def average(ratings: list[int]) -> float | None:
    if not ratings:
        return None
    return float((Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def assert_rating(client, rid: str, ratings: list[int]) -> dict:
    res = assert_resource(assert_json(client.get(f"{COLLECTION}/{rid}"), 200))
    assert res["rating_count"] == len(ratings), res
    assert res["rating_average"] == average(ratings), (res["rating_average"], average(ratings))
    return res


def test_review_round_trip(api, district):
    author = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(author)["id"]
    assert_rating(author, rid, [])
    sub = new_user()
    me = api(token(district, sub, ["coach"]))

    r = me.post(reviews_path(rid), json={"rating": 4, "comment": "  Clear and short.  "})
    review = assert_json(r, 201)
    SPEC.check("resources.yaml", "Review", review)
    assert review["rating"] == 4 and review["comment"] == "Clear and short."
    assert review["reviewer_id"] == sub and review["resource_id"] == rid and review["district_id"] == district
    assert review["version"] == 1 and r.headers.get("ETag") == etag(1)
    location = urlsplit(r.headers["Location"]).path
    assert location == f"{reviews_path(rid)}/{review['id']}"
    got = me.get(location)
    assert assert_json(got, 200) == review and got.headers.get("ETag") == etag(1)
    res = assert_rating(author, rid, [4])
    assert res["version"] == 1, "a review changes the resource's version"

    # the same educator again: 409, and nothing counted
    again = assert_problem(me.post(reviews_path(rid), json={"rating": 1}), 409, "conflict")
    assert "already" in again["detail"]
    assert_rating(author, rid, [4])

    # the author changes it (If-Match optional; a stale one is 412)
    changed = assert_json(me.patch(location, json={"rating": 2}), 200)
    assert changed["rating"] == 2 and changed["comment"] == "Clear and short." and changed["version"] == 2
    assert_rating(author, rid, [2])
    assert_problem(me.patch(location, json={"rating": 5}, headers={"If-Match": etag(1)}), 412,
                   "precondition-failed")
    cleared = assert_json(me.patch(location, json={"comment": None}, headers={"If-Match": etag(2)}), 200)
    assert cleared["comment"] is None and cleared["rating"] == 2 and cleared["version"] == 3
    assert_rating(author, rid, [2])

    listed = assert_json(me.get(reviews_path(rid)), 200)
    SPEC.check("resources.yaml", "ReviewPage", listed)
    assert listed == {"data": [cleared], "next_cursor": None}


def test_only_the_author_may_change_a_review(api, district):
    teacher = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(teacher)["id"]
    review = assert_json(teacher.post(reviews_path(rid), json={"rating": 5}), 201)
    path = f"{reviews_path(rid)}/{review['id']}"
    for roles in (["teacher"], ["district_admin"], ["coach", "school_leader"]):
        other = api(token(district, new_user(), roles))
        body = assert_problem(other.patch(path, json={"rating": 1}), 403, "forbidden")
        assert "only the educator" in body["detail"]
    # the resource's own author is not the review's author either
    assert_rating(teacher, rid, [5])
    assert assert_json(teacher.get(path), 200) == review


def test_every_reviewer_role_may_review_and_others_may_not(api, district):
    owner = api(token(district, new_user(), ["district_admin"]))
    rid = new_resource(owner)["id"]
    for role in REVIEWER_ROLES:
        assert_json(api(token(district, new_user(), [role])).post(reviews_path(rid), json={"rating": 3}), 201)
    for roles in (["sis_integration"], ["state_reporter"], []):
        machine = api(token(district, new_user(), roles))
        assert_problem(machine.post(reviews_path(rid), json={"rating": 3}), 403, "forbidden")
        assert_problem(machine.get(reviews_path(rid)), 403, "forbidden")
    assert_problem(api(None).post(reviews_path(rid), json={"rating": 3}), 401, "unauthorized")
    assert_rating(owner, rid, [3, 3, 3, 3])


def test_bad_reviews_are_422_and_count_nothing(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(client)["id"]
    cases = [
        ({}, ["rating"]),
        ({"rating": 0}, ["rating"]),
        ({"rating": 6}, ["rating"]),
        ({"rating": 4.5}, ["rating"]),
        ({"rating": "5"}, ["rating"]),
        ({"rating": True}, ["rating"]),
        ({"rating": 3, "comment": "x" * 2001}, ["comment"]),
        ({"rating": 3, "comment": 7}, ["comment"]),
        ({"rating": 9, "stars": 5, "comment": []}, ["rating", "stars", "comment"]),
    ]
    for payload, fields in cases:
        body = assert_problem(client.post(reviews_path(rid), json=payload), 422, "validation-failed")
        assert sorted(e["field"] for e in body["errors"]) == sorted(fields), (payload, body)
    assert_json(client.post(reviews_path(rid), json={"rating": 3, "comment": "é" * 2000}), 201)
    assert_rating(client, rid, [3])
    review = assert_json(client.get(reviews_path(rid)), 200)["data"][0]
    path = f"{reviews_path(rid)}/{review['id']}"
    assert_problem(client.patch(path, json={}), 422, "validation-failed")
    assert_problem(client.patch(path, json={"rating": None}), 422, "validation-failed")
    assert_rating(client, rid, [3])


def test_unknown_deleted_and_malformed_ids_are_404(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    res = new_resource(client)
    rid = res["id"]
    review = assert_json(client.post(reviews_path(rid), json={"rating": 4}), 201)
    unknown = "2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d"
    assert_problem(client.post(reviews_path(unknown), json={"rating": 4}), 404, "not-found")
    assert_problem(client.get(reviews_path(unknown)), 404, "not-found")
    assert_problem(client.get(reviews_path("nope")), 404, "not-found")
    assert_problem(client.get(f"{reviews_path(rid)}/{unknown}"), 404, "not-found")
    assert_problem(client.patch(f"{reviews_path(rid)}/{unknown}", json={"rating": 1}), 404, "not-found")
    assert_problem(client.get(f"{reviews_path(rid)}/not-a-uuid"), 404, "not-found")
    # a review under another resource's path is not found either
    other = new_resource(client)["id"]
    assert_problem(client.get(f"{reviews_path(other)}/{review['id']}"), 404, "not-found")
    assert_problem(client.patch(f"{reviews_path(other)}/{review['id']}", json={"rating": 1}), 404, "not-found")
    # once the resource is deleted its reviews are gone with it
    assert client.delete(f"{COLLECTION}/{rid}").status_code == 204
    assert_problem(client.get(reviews_path(rid)), 404, "not-found")
    assert_problem(client.get(f"{reviews_path(rid)}/{review['id']}"), 404, "not-found")
    assert_problem(client.patch(f"{reviews_path(rid)}/{review['id']}", json={"rating": 1}), 404, "not-found")
    late = api(token(district, new_user(), ["teacher"]))
    assert_problem(late.post(reviews_path(rid), json={"rating": 2}), 404, "not-found")


def test_another_district_sees_and_touches_nothing(api):
    district_a = new_district()
    a = api(token(district_a, new_user(), ["teacher"]))
    rid = new_resource(a)["id"]
    review = assert_json(a.post(reviews_path(rid), json={"rating": 5}), 201)
    path = f"{reviews_path(rid)}/{review['id']}"
    same_sub = review["reviewer_id"]
    for b in (api(token(new_district(), same_sub, ["district_admin"])), api(token(new_district(), new_user(),
                                                                                   ["teacher"]))):
        assert_problem(b.get(reviews_path(rid)), 404, "not-found")
        assert_problem(b.post(reviews_path(rid), json={"rating": 1}), 404, "not-found")
        assert_problem(b.get(path), 404, "not-found")
        assert_problem(b.patch(path, json={"rating": 1}), 404, "not-found")
    assert_rating(a, rid, [5])
    assert assert_json(a.get(path), 200) == review


def test_review_list_pages(api, district):
    owner = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(owner)["id"]
    made = [assert_json(api(token(district, new_user(), ["teacher"])).post(reviews_path(rid),
                                                                           json={"rating": 1 + i % 5}), 201)
            for i in range(7)]
    seen, cursor = [], None
    for _ in range(8):
        page = assert_json(owner.get(reviews_path(rid), params={"limit": 3} | ({"cursor": cursor} if cursor else {})),
                           200)
        SPEC.check("resources.yaml", "ReviewPage", page)
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [r["id"] for r in reversed(made)]
    assert_problem(owner.get(reviews_path(rid), params={"limit": 101}), 400, "bad-request")
    assert_problem(owner.get(reviews_path(rid), params={"cursor": "garbage"}), 400, "bad-request")


def test_concurrent_reviews_keep_the_aggregate_exact(api, district, resources_service):
    """50 educators review one resource at the same moment, then 25 of them change their rating at the same
    moment: count and average are exact."""
    owner = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(owner)["id"]
    n = 50
    reviewers = [Api(resources_service.url, token(district, new_user(), [REVIEWER_ROLES[i % 4]])) for i in range(n)]
    ratings = [1 + (i * 7) % 5 for i in range(n)]
    barrier = threading.Barrier(n, timeout=30)

    def post(i: int):
        barrier.wait()
        return reviewers[i].post(reviews_path(rid), json={"rating": ratings[i]})

    try:
        with ThreadPoolExecutor(max_workers=n) as pool:
            responses = list(pool.map(post, range(n)))
        assert [r.status_code for r in responses] == [201] * n, [(r.status_code, r.text[:200]) for r in responses
                                                                if r.status_code != 201]
        assert_rating(owner, rid, ratings)

        new_ratings = list(ratings)
        changes = {i: 5 if ratings[i] < 3 else 1 for i in range(0, n, 2)}
        for i, v in changes.items():
            new_ratings[i] = v
        barrier2 = threading.Barrier(len(changes), timeout=30)

        def patch(i: int):
            barrier2.wait()
            return reviewers[i].patch(f"{reviews_path(rid)}/{responses[i].json()['id']}", json={"rating": changes[i]})

        with ThreadPoolExecutor(max_workers=len(changes)) as pool:
            patched = list(pool.map(patch, changes))
        assert [r.status_code for r in patched] == [200] * len(changes)
        assert_rating(owner, rid, new_ratings)
        listed = assert_json(owner.get(reviews_path(rid), params={"limit": 100}), 200)["data"]
        assert sorted(r["rating"] for r in listed) == sorted(new_ratings)
    finally:
        for c in reviewers:
            c.close()


def test_one_event_per_review_change(api, district, events):
    owner = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(owner)["id"]
    me = api(token(district, new_user(), ["school_leader"]))
    created = assert_json(me.post(reviews_path(rid), json={"rating": 3, "comment": "ok"}), 201)
    path = f"{reviews_path(rid)}/{created['id']}"
    updated = assert_json(me.patch(path, json={"rating": 4}), 200)
    # refused changes publish nothing
    assert me.post(reviews_path(rid), json={"rating": 5}).status_code == 409
    assert owner.patch(path, json={"rating": 1}).status_code == 403
    assert me.patch(path, json={"rating": 9}).status_code == 422
    assert me.patch(path, json={"rating": 2}, headers={"If-Match": etag(1)}).status_code == 412

    wanted = {"resource.created", "review.created", "review.updated"}
    found = events.collect(match=lambda e: e.value.get("districtid") == district,
                           until=lambda evs: wanted <= {e.type for e in evs}, timeout=20, settle=SETTLE)
    kinds = Counter(e.type for e in found)
    assert kinds == Counter(wanted), dict(kinds)
    by_type = {e.type: e for e in found}
    for type_, body in (("review.created", created), ("review.updated", updated)):
        ev = by_type[type_]
        assert ev.key == district
        assert ev.value["subject"] == created["id"]
        assert ev.value["source"] == "/homegrown/resources"
        assert ev.value["data"] == body
    order = [e.type for e in sorted(found, key=lambda e: e.offset)]
    assert order == ["resource.created", "review.created", "review.updated"]


@pytest.mark.parametrize("role", REVIEWER_ROLES)
def test_any_reviewer_role_may_read_reviews(api, district, role):
    owner = api(token(district, new_user(), ["teacher"]))
    rid = new_resource(owner)["id"]
    assert assert_json(api(token(district, new_user(), [role])).get(reviews_path(rid)), 200) == {
        "data": [], "next_cursor": None}
