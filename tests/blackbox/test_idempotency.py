"""POST with Idempotency-Key: a retry gets the first answer, never a second effect (docs/conventions.md).

Against every service (`target`), on the POST its Probe names in services.py: resources creates a library
resource (JSON); the roster's only POST is a OneRoster import (a zip), whose report cannot be listed, so what
is counted there is the schools the import created (`IdempotentPost.listed` / `created`).
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from hgtest import assert_json, assert_problem, new_user, token


def _ids(target, client, district) -> list[str]:
    """What the district holds of what the POST creates (resources: the ids of its resources)."""
    return target.probe.idempotent_post.listed(target, client, district)


def _client(target, district):
    return target.api(token(district, new_user(), [target.probe.idempotent_post.route.caller]))


def test_retry_replays_the_first_answer(target, district):
    post = target.probe.idempotent_post
    client = _client(target, district)
    key = str(uuid.uuid4())
    first = post.send(client, post.route.body, key)
    created = assert_json(first, 201)
    again = post.send(client, post.route.body, key)
    assert assert_json(again, 201) == created
    assert again.headers.get("Location") == first.headers.get("Location")
    assert again.headers.get("ETag") == first.headers.get("ETag")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.headers.get("Idempotent-Replayed") is None
    assert _ids(target, client, district) == post.created(created)
    found = target.events.collect(match=lambda e: e.value.get("districtid") == district,
                                  until=lambda evs: len(evs) >= len(post.events), timeout=20, settle=1.5,
                                  keep_raw=target.raw_of(district))
    assert sorted(str(e.type) for e in found) == list(post.events), "a replay must not emit a second event"


def test_same_key_other_body_is_422(target, district):
    post = target.probe.idempotent_post
    client = _client(target, district)
    key = str(uuid.uuid4())
    assert_json(post.send(client, post.route.body, key), 201)
    assert_problem(post.send(client, post.other, key), 422, "validation-failed")
    assert len(_ids(target, client, district)) == 1


def test_keys_are_per_caller(target, district):
    post = target.probe.idempotent_post
    key = str(uuid.uuid4())
    a = _client(target, district)
    b = _client(target, district)
    ra = assert_json(post.send(a, post.route.body, key), 201)
    rb = assert_json(post.send(b, post.route.body, key), 201)
    assert ra["id"] != rb["id"]


def test_validation_failure_is_replayed_too(target, district):
    post = target.probe.idempotent_post
    client = _client(target, district)
    key = str(uuid.uuid4())
    first = assert_problem(post.send(client, post.invalid, key), 422, "validation-failed")
    again = post.send(client, post.invalid, key)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.status_code == 422
    assert again.headers.get("Content-Type", "").startswith("application/problem+json")
    # the stored answer byte for byte: its request_id names the original request
    assert again.json() == first


def test_concurrent_retries_create_once(target, district):
    post = target.probe.idempotent_post
    client_token = token(district, new_user(), [post.route.caller])
    key = str(uuid.uuid4())

    def send(_):
        s = target.api(client_token)
        return post.send(s, post.route.body, key)

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(send, range(24)))
    statuses = sorted(r.status_code for r in answers)
    allowed = {201, 409} | ({503} if post.concurrency_limit else set())
    assert set(statuses) <= allowed, statuses
    for r in answers:
        if r.status_code == 503:  # over the route's own limit: refused before the key, told when to retry
            assert_problem(r, 503, "service-unavailable")
            assert r.headers.get("Retry-After"), r.headers
    created = [r.json()["id"] for r in answers if r.status_code == 201]
    assert created and len(set(created)) == 1, "every 201 must name the same single resource"
    for r in answers:
        if r.status_code == 409:
            assert_problem(r, 409, "conflict")
    first = next(r.json() for r in answers if r.status_code == 201)
    assert _ids(target, target.api(client_token), district) == post.created(first)


def test_bad_keys_are_400(target, district):
    post = target.probe.idempotent_post
    client = _client(target, district)
    assert_problem(post.send(client, post.route.body, "x" * 256), 400, "bad-request")
    assert _ids(target, client, district) == []
