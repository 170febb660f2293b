"""Cursor pagination of GET /v1/library/resources: complete, no repeats, newest first, bounded."""

from __future__ import annotations

import base64
from itertools import cycle

import pytest

from hgtest import SPEC, Api, assert_json, assert_problem, new_district, new_user, token

COLLECTION = "/v1/library/resources"
TOTAL = 250


@pytest.fixture(scope="module")
def filled(resources_service):
    """A fresh district holding TOTAL resources, created one after the other (so newest-first order is the
    reverse of creation order). Returns (client, ids in creation order)."""
    district = new_district()
    client = Api(resources_service.url, token(district, new_user(), ["teacher"]))
    ids = []
    for i in range(TOTAL):
        r = client.post(COLLECTION, json={"title": f"item {i:03d}", "type": "other"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    yield client, ids
    client.close()


def fetch_page(client, **params) -> dict:
    body = assert_json(client.get(COLLECTION, params=params), 200)
    SPEC.check("resources.yaml", "ResourcePage", body)
    return body


def test_pages_cover_everything_once_newest_first(filled):
    client, ids = filled
    seen: list[str] = []
    sizes: list[int] = []
    cursor = None
    limits = cycle([100, 37])
    for _ in range(TOTAL):  # bounded: never more pages than items
        limit = next(limits)
        params = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        page = fetch_page(client, **params)
        assert len(page["data"]) <= limit
        seen += [r["id"] for r in page["data"]]
        sizes.append(len(page["data"]))
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["data"]) == limit, "a page other than the last one is short"
    assert cursor is None, "paging did not end"
    assert sizes == [100, 37, 100, 13], sizes
    assert len(seen) == len(set(seen)), "an id was listed twice"
    assert set(seen) == set(ids), f"missing {len(set(ids) - set(seen))}, extra {len(set(seen) - set(ids))}"
    assert seen == list(reversed(ids)), "not newest first"


def test_default_limit_is_20(filled):
    client, ids = filled
    page = fetch_page(client)
    assert [r["id"] for r in page["data"]] == list(reversed(ids))[:20]
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]


def test_cursor_is_stable_when_new_items_arrive(filled, resources_service):
    """Items created after a cursor was handed out do not shift the rest of the listing."""
    client, ids = filled
    first = fetch_page(client, limit=50)
    newer = client.post(COLLECTION, json={"title": "arrived later", "type": "other"})
    assert newer.status_code == 201, newer.text
    try:
        second = fetch_page(client, limit=50, cursor=first["next_cursor"])
        assert [r["id"] for r in second["data"]] == list(reversed(ids))[50:100]
    finally:
        assert client.delete(f"{COLLECTION}/{newer.json()['id']}").status_code == 204


def test_last_page_exactly_full(api):
    client = api(token(new_district(), new_user(), ["teacher"]))
    ids = [client.post(COLLECTION, json={"title": f"t{i}", "type": "video"}).json()["id"] for i in range(4)]
    seen, cursor = [], None
    for _ in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = fetch_page(client, **params)
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert cursor is None
    assert seen == list(reversed(ids))


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", "10x"])
def test_bad_limit_is_400(api, district, limit):
    client = api(token(district, new_user(), ["teacher"]))
    body = assert_problem(client.get(COLLECTION, params={"limit": limit}), 400, "bad-request")
    assert body.get("errors") is None or any(e["field"] == "limit" for e in body["errors"]), body


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_bounds_are_accepted(api, district, limit):
    client = api(token(district, new_user(), ["teacher"]))
    assert fetch_page(client, limit=limit) == {"data": [], "next_cursor": None}


@pytest.mark.parametrize("cursor", [
    "garbage",
    "%%%%",
    base64.urlsafe_b64encode(b'{"x":1}').decode().rstrip("="),
    "A" * 600,
])
def test_bad_cursor_is_400(api, district, cursor):
    client = api(token(district, new_user(), ["teacher"]))
    assert_problem(client.get(COLLECTION, params={"cursor": cursor}), 400, "bad-request")
