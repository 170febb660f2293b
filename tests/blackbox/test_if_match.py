"""Optimistic concurrency: ETag on reads, If-Match on PATCH and DELETE (stale → 412, nothing changes)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from hgtest import Api, assert_json, assert_problem, etag, new_user, token

COLLECTION = "/v1/library/resources"


def test_if_match_on_patch_and_delete(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    created = assert_json(client.post(COLLECTION, json={"title": "v1", "type": "rubric"}), 201)
    path = f"{COLLECTION}/{created['id']}"

    for stale in (etag(2), etag(0), '"abc"', "W/\"1\"x", etag(12345678901234567890)):
        assert_problem(client.patch(path, json={"title": "nope"}, headers={"If-Match": stale}), 412,
                       "precondition-failed")
    r = client.get(path)
    assert assert_json(r, 200) == created
    assert r.headers["ETag"] == etag(1)

    r = client.patch(path, json={"title": "v2"}, headers={"If-Match": etag(1)})
    assert assert_json(r, 200)["version"] == 2
    assert r.headers["ETag"] == etag(2)

    # the ETag read before the change is now stale
    assert_problem(client.patch(path, json={"title": "lost update"}, headers={"If-Match": etag(1)}), 412,
                   "precondition-failed")
    assert_problem(client.delete(path, headers={"If-Match": etag(1)}), 412, "precondition-failed")
    r = client.get(path)
    assert assert_json(r, 200)["title"] == "v2"
    assert r.headers["ETag"] == etag(2)

    r = client.delete(path, headers={"If-Match": etag(2)})
    assert r.status_code == 204, r.text
    assert_problem(client.get(path), 404, "not-found")


def test_without_if_match_last_write_wins(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    created = assert_json(client.post(COLLECTION, json={"title": "v1", "type": "rubric"}), 201)
    path = f"{COLLECTION}/{created['id']}"
    assert assert_json(client.patch(path, json={"title": "a"}), 200)["version"] == 2
    assert assert_json(client.patch(path, json={"title": "b"}), 200)["version"] == 3


def test_concurrent_conditional_patches_one_wins(resources_service, district):
    """Eight clients holding the same ETag race; exactly one may change the resource."""
    bearer = token(district, new_user(), ["district_admin"])
    with Api(resources_service.url, bearer) as client:
        created = assert_json(client.post(COLLECTION, json={"title": "race", "type": "video"}), 201)
    path = f"{COLLECTION}/{created['id']}"

    def attempt(i: int) -> int:
        with Api(resources_service.url, bearer) as c:
            return c.patch(path, json={"title": f"racer {i}"}, headers={"If-Match": etag(1)}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(8)))
    assert sorted(statuses) == [200] + [412] * 7, statuses
    with Api(resources_service.url, bearer) as client:
        assert assert_json(client.get(path), 200)["version"] == 2
