"""POST with Idempotency-Key: a retry gets the first answer, never a second effect (docs/conventions.md)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from hgtest import assert_json, assert_problem, new_user, token

COLLECTION = "/v1/library/resources"
BODY = {"title": "Retried on school Wi-Fi", "type": "article"}


def _ids(client) -> list[str]:
    return [r["id"] for r in assert_json(client.get(COLLECTION, params={"limit": 100}), 200)["data"]]


def test_retry_replays_the_first_answer(api, district, events):
    client = api(token(district, new_user(), ["teacher"]))
    key = str(uuid.uuid4())
    first = client.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key})
    created = assert_json(first, 201)
    again = client.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key})
    assert assert_json(again, 201) == created
    assert again.headers.get("Location") == first.headers.get("Location")
    assert again.headers.get("ETag") == first.headers.get("ETag")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.headers.get("Idempotent-Replayed") is None
    assert _ids(client) == [created["id"]]
    found = events.collect(match=lambda e: e.value.get("districtid") == district,
                           until=lambda evs: len(evs) >= 1, timeout=20, settle=1.5)
    assert [e.type for e in found] == ["resource.created"], "a replay must not emit a second event"


def test_same_key_other_body_is_422(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    key = str(uuid.uuid4())
    assert_json(client.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key}), 201)
    other = dict(BODY, title="Something else")
    assert_problem(client.post(COLLECTION, json=other, headers={"Idempotency-Key": key}), 422, "validation-failed")
    assert len(_ids(client)) == 1


def test_keys_are_per_caller(api, district):
    key = str(uuid.uuid4())
    a = api(token(district, new_user(), ["teacher"]))
    b = api(token(district, new_user(), ["teacher"]))
    ra = assert_json(a.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key}), 201)
    rb = assert_json(b.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key}), 201)
    assert ra["id"] != rb["id"]


def test_validation_failure_is_replayed_too(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    key = str(uuid.uuid4())
    bad = {"title": ""}
    first = assert_problem(client.post(COLLECTION, json=bad, headers={"Idempotency-Key": key}), 422,
                           "validation-failed")
    again = client.post(COLLECTION, json=bad, headers={"Idempotency-Key": key})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.status_code == 422
    assert again.headers.get("Content-Type", "").startswith("application/problem+json")
    # the stored answer byte for byte: its request_id names the original request
    assert again.json() == first


def test_concurrent_retries_create_once(api, district):
    client_token = token(district, new_user(), ["teacher"])
    key = str(uuid.uuid4())

    def send(_):
        s = api(client_token)
        return s.post(COLLECTION, json=BODY, headers={"Idempotency-Key": key})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(send, range(24)))
    statuses = sorted(r.status_code for r in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = [r.json()["id"] for r in answers if r.status_code == 201]
    assert created and len(set(created)) == 1, "every 201 must name the same single resource"
    for r in answers:
        if r.status_code == 409:
            assert_problem(r, 409, "conflict")
    assert _ids(api(client_token)) == [created[0]]


def test_bad_keys_are_400(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    assert_problem(client.post(COLLECTION, json=BODY, headers={"Idempotency-Key": "x" * 256}), 400, "bad-request")
    assert _ids(client) == []
