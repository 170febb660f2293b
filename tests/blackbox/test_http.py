"""The HTTP layer every service shares: limits, media types, JSON errors, routing, request ids, probes."""

from __future__ import annotations

import json
import re

import pytest
import requests

from hgtest import (
    SPEC,
    UUID_RE,
    assert_json,
    assert_problem,
    media_type,
    new_user,
    raw_request,
    token,
)

COLLECTION = "/v1/library/resources"
MAX_BODY = 65536
SOME_ID = "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"


def padded_body(size: int) -> bytes:
    """A valid create body of exactly `size` bytes (padded with JSON white space)."""
    core = json.dumps({"title": "Padded", "type": "other"}).encode()
    assert size >= len(core) + 1
    return core[:-1] + b" " * (size - len(core)) + b"}"


def chunks_of(data: bytes, n: int = 8192):
    return [data[i:i + n] for i in range(0, len(data), n)]


@pytest.fixture
def bearer(district):
    return token(district, new_user(), ["teacher"])


def count(api, bearer) -> int:
    return len(assert_json(api(bearer).get(COLLECTION, params={"limit": 100}), 200)["data"])


# --- body size -------------------------------------------------------------------------------------------


def test_body_at_the_limit_is_accepted(api, base_url, bearer):
    body = padded_body(MAX_BODY)
    r = raw_request(base_url, "POST", COLLECTION, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, [body])
    assert r.status_code == 201, r.text


def test_body_over_the_limit_is_413_with_content_length(api, base_url, bearer):
    body = padded_body(MAX_BODY + 1)
    r = raw_request(base_url, "POST", COLLECTION, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert count(api, bearer) == 0


def test_large_body_is_413_with_content_length(api, base_url, bearer):
    body = padded_body(4 * MAX_BODY)
    r = raw_request(base_url, "POST", COLLECTION, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert count(api, bearer) == 0


@pytest.mark.parametrize("size", [MAX_BODY + 1, 4 * MAX_BODY])
def test_body_over_the_limit_is_413_chunked(api, base_url, bearer, size):
    body = padded_body(size)
    r = raw_request(base_url, "POST", COLLECTION, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json"}, chunks_of(body), chunked=True)
    assert_problem(r, 413, "payload-too-large")
    assert count(api, bearer) == 0


def test_chunked_body_under_the_limit_is_accepted(base_url, bearer):
    body = padded_body(20000)
    r = raw_request(base_url, "POST", COLLECTION, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json"}, chunks_of(body, 1000), chunked=True)
    assert r.status_code == 201, r.text


def test_patch_over_the_limit_is_413(api, base_url, bearer):
    rid = assert_json(api(bearer).post(COLLECTION, json={"title": "t", "type": "other"}), 201)["id"]
    body = json.dumps({"description": "x" * (MAX_BODY + 10)}).encode()
    r = raw_request(base_url, "PATCH", f"{COLLECTION}/{rid}", {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert assert_json(api(bearer).get(f"{COLLECTION}/{rid}"), 200)["version"] == 1


# --- media types and JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx", None])
def test_wrong_media_type_is_415(api, bearer, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    r = api(bearer).post(COLLECTION, data=b'{"title": "t", "type": "other"}', headers=headers)
    if content_type is None:
        assert "Content-Type" not in r.request.headers
    assert_problem(r, 415, "unsupported-media-type")
    assert count(api, bearer) == 0


def test_patch_wrong_media_type_is_415(api, bearer):
    rid = assert_json(api(bearer).post(COLLECTION, json={"title": "t", "type": "other"}), 201)["id"]
    r = api(bearer).patch(f"{COLLECTION}/{rid}", data=b'{"title": "u"}', headers={"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")


def test_json_with_charset_parameter_is_accepted(api, bearer):
    r = api(bearer).post(COLLECTION, data='{"title": "t", "type": "other"}'.encode(),
                         headers={"Content-Type": "application/json; charset=utf-8"})
    assert_json(r, 201)


@pytest.mark.parametrize(("body", "line"), [
    (b'{"title": "x",', 1),
    (b'{\n  "title": "x"\n  "type": "video"\n}', 3),
    (b"{'title': 'x'}", 1),
    (b"", None),
    (b'{"title": "x", "type": "video"} trailing', 1),
    (b'{"title": "\xff\xfe", "type": "video"}', 1),
])
def test_malformed_json_is_400_with_position(api, bearer, body, line):
    r = api(bearer).post(COLLECTION, data=body, headers={"Content-Type": "application/json"})
    problem = assert_problem(r, 400, "malformed-json")
    detail = problem["detail"].lower()
    if line is not None:
        m = re.search(r"line\D{0,3}(\d+)", detail)
        assert m, f"no line in detail: {problem['detail']!r}"
        assert int(m.group(1)) == line, problem["detail"]
    if body:
        assert "column" in detail and "position" in detail, problem["detail"]
    assert count(api, bearer) == 0


def test_malformed_json_on_patch_is_400(api, bearer):
    rid = assert_json(api(bearer).post(COLLECTION, json={"title": "t", "type": "other"}), 201)["id"]
    r = api(bearer).patch(f"{COLLECTION}/{rid}", data=b'{"title": ', headers={"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_deeply_nested_json_is_rejected_not_crashing(api, bearer):
    body = b'{"title": "x", "type": "video", "subjects": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    r = api(bearer).post(COLLECTION, data=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert media_type(r) == "application/problem+json"


# --- routing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/nope", "/v1/library", "/v1/library/resources/x/y", "/",
                                  "/v1/catalog/anything"])
def test_unknown_route_is_404(api, bearer, path):
    assert_problem(api(bearer).get(path), 404, "not-found")


def allow_set(resp) -> set[str]:
    return {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}


def test_put_on_item_is_405_with_allow(api, bearer):
    r = api(bearer).put(f"{COLLECTION}/{SOME_ID}", json={"title": "t", "type": "other"})
    assert_problem(r, 405, "method-not-allowed")
    assert {"GET", "PATCH", "DELETE"} <= allow_set(r) <= {"GET", "PATCH", "DELETE", "HEAD", "OPTIONS"}, \
        r.headers.get("Allow")


def test_wrong_method_on_collection_is_405_with_allow(api, bearer):
    for method in ("DELETE", "PUT", "PATCH"):
        r = api(bearer).request(method, COLLECTION)
        assert_problem(r, 405, "method-not-allowed")
        assert {"GET", "POST"} <= allow_set(r) <= {"GET", "POST", "HEAD", "OPTIONS"}, r.headers.get("Allow")


def test_405_needs_no_token(api):
    r = api(None).put(f"{COLLECTION}/{SOME_ID}")
    assert r.status_code in (401, 405), r.text
    assert media_type(r) == "application/problem+json"


# --- request ids -----------------------------------------------------------------------------------------


def test_request_id_is_echoed(api, bearer):
    rid = "test-req.ID_0123456789"
    r = api(bearer).get(COLLECTION, headers={"X-Request-Id": rid})
    assert_json(r, 200)
    assert r.headers.get("X-Request-Id") == rid


def test_request_id_is_echoed_in_problems(api, bearer):
    rid = "problem-req-42"
    r = api(bearer).get(f"{COLLECTION}/{SOME_ID}", headers={"X-Request-Id": rid})
    body = assert_problem(r, 404, "not-found")
    assert body["request_id"] == rid
    assert r.headers.get("X-Request-Id") == rid


def test_request_id_is_generated_when_absent(api, bearer):
    ids = set()
    for _ in range(3):
        r = api(bearer).get(COLLECTION)
        assert_json(r, 200)
        rid = r.headers.get("X-Request-Id", "")
        assert UUID_RE.match(rid.lower()), rid
        ids.add(rid)
    assert len(ids) == 3, "generated request ids repeat"


@pytest.mark.parametrize("bad", ["a" * 65, "has space", "semi;colon", "ünïcode", "quote\"d"])
def test_invalid_request_id_is_replaced(api, bearer, bad):
    r = api(bearer).get(COLLECTION, headers={"X-Request-Id": bad.encode("utf-8")})
    assert_json(r, 200)
    rid = r.headers.get("X-Request-Id", "")
    assert UUID_RE.match(rid.lower()), rid


def test_request_id_64_chars_is_kept(api, bearer):
    rid = "R" * 64
    r = api(bearer).get(COLLECTION, headers={"X-Request-Id": rid})
    assert r.headers.get("X-Request-Id") == rid


# --- probes ----------------------------------------------------------------------------------------------


def test_healthz(api):
    r = api(None).get("/healthz")
    assert assert_json(r, 200) == {"status": "ok"}
    assert r.headers.get("X-Request-Id")


def test_readyz(api):
    body = assert_json(api(None).get("/readyz"), 200)
    SPEC.check("common.yaml", "Readiness", body)
    assert body == {"status": "ready", "checks": {"database": "ok", "kafka": "ok"}}


def test_probes_ignore_a_bad_token(api):
    for path in ("/healthz", "/readyz", "/metrics"):
        assert api("garbage").get(path).status_code == 200, path


def test_metrics(api, bearer):
    assert_json(api(bearer).get(COLLECTION), 200)  # at least one counted request
    r = api(None).get("/metrics")
    assert r.status_code == 200, r.text
    assert media_type(r) == "text/plain", r.headers.get("Content-Type")
    text = r.text
    samples = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert samples, text[:2000]
    for ln in samples:  # Prometheus text format: name{labels} value [timestamp]
        m = re.match(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (\S+)( -?\d+)?$", ln)
        assert m, f"not a Prometheus sample line: {ln!r}"
        float(m.group(2))  # a number, +Inf, -Inf or NaN
    counters = [ln for ln in samples if re.match(r"^\w*requests?_total(\{|\s)", ln)]
    assert counters, "no request counter (…requests_total) in /metrics:\n" + text[:3000]
    assert any(float(ln.rsplit(" ", 1)[1]) >= 1 for ln in counters), counters
    backlog = [ln for ln in samples if re.match(r"^hg_outbox_backlog(\{|\s)", ln)]
    assert backlog, "no hg_outbox_backlog in /metrics:\n" + text[:3000]
    assert float(backlog[0].split()[-1]) >= 0


def test_head_or_options_do_not_crash(api):
    for method in ("HEAD", "OPTIONS"):
        try:
            r = api(None).request(method, "/healthz")
        except requests.RequestException as e:  # pragma: no cover - reported as a failure
            pytest.fail(f"{method} /healthz: {e}")
        assert r.status_code < 500, (method, r.status_code)
