"""The HTTP layer every service shares: limits, media types, JSON errors, routing, request ids, probes.

Every test runs against every service (`target`, see services.py): on the routes of its Probe — a write with a
JSON body (resources: POST /v1/library/resources; roster: PATCH /v1/roster/schools/{id}), a PATCH of an item,
a collection and its item.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import requests

from hgtest import (
    BIN_DIR,
    SPEC,
    UUID_RE,
    assert_json,
    assert_problem,
    media_type,
    new_user,
    raw_request,
    token,
)
from services import SOME_ID, Subject, per_service

MAX_BODY = 65536


def padded_body(target, size: int) -> bytes:
    """The service's valid write body, exactly `size` bytes (padded with JSON white space)."""
    core = json.dumps(target.probe.write.body).encode()
    assert size >= len(core) + 1
    return core[:-1] + b" " * (size - len(core)) + b"}"


def chunks_of(data: bytes, n: int = 8192):
    return [data[i:i + n] for i in range(0, len(data), n)]


@pytest.fixture
def bearer(target, district):
    """A token with the role the service's write route is called with (resources: teacher)."""
    return token(district, new_user(), [target.probe.write.caller])


@pytest.fixture
def subject(target, bearer) -> Subject:
    """Where the write goes (roster: a school imported first) and what a refused write must leave unchanged:
    resources: the number of resources (none); roster: the school."""
    return Subject(target, target.probe.write, target.api(bearer))


@pytest.fixture
def collection(target) -> str:
    return target.probe.collection


def test_probe_routes_are_the_route_table(target):
    """The Probe of services.py says what the route table says (roles, and the methods on each probed path)."""
    out = subprocess.run([str(BIN_DIR / target.service.binary), "--routes"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    table = {}
    for line in out.splitlines():
        method, path, roles = line.split()
        table[(method, path)] = frozenset() if roles == "-" else frozenset(roles.split(","))
    probe = target.probe
    routes = [*probe.routes, probe.write, probe.update, probe.idempotent_post.route]
    for r in routes:
        assert table.get((r.method, r.path)) == r.roles, (r.method, r.path, table.get((r.method, r.path)))
    for path in {r.path for r in probe.routes}:
        assert probe.methods(path) == {m for m, p in table if p == path}, path
    assert ("GET", probe.collection) in table and ("GET", probe.item) in table


# --- body size -------------------------------------------------------------------------------------------


def test_body_at_the_limit_is_accepted(target, bearer, subject):
    body = padded_body(target, MAX_BODY)
    r = raw_request(target.url, target.probe.write.method, subject.path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, [body])
    assert r.status_code == target.probe.write.ok, r.text


def test_body_over_the_limit_is_413_with_content_length(target, bearer, subject):
    body = padded_body(target, MAX_BODY + 1)
    r = raw_request(target.url, target.probe.write.method, subject.path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert subject.unchanged()


def test_large_body_is_413_with_content_length(target, bearer, subject):
    body = padded_body(target, 4 * MAX_BODY)
    r = raw_request(target.url, target.probe.write.method, subject.path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert subject.unchanged()


@pytest.mark.parametrize("size", [MAX_BODY + 1, 4 * MAX_BODY])
def test_body_over_the_limit_is_413_chunked(target, bearer, subject, size):
    body = padded_body(target, size)
    r = raw_request(target.url, target.probe.write.method, subject.path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json"}, chunks_of(body), chunked=True)
    assert_problem(r, 413, "payload-too-large")
    assert subject.unchanged()


def test_chunked_body_under_the_limit_is_accepted(target, bearer, subject):
    body = padded_body(target, 20000)
    r = raw_request(target.url, target.probe.write.method, subject.path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json"}, chunks_of(body, 1000), chunked=True)
    assert r.status_code == target.probe.write.ok, r.text


def test_patch_over_the_limit_is_413(target, bearer):
    update = target.probe.update
    path = update.at(update.seed(target.api(bearer)))
    body = json.dumps({"description": "x" * (MAX_BODY + 10)}).encode()
    r = raw_request(target.url, "PATCH", path, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/json", "Content-Length": str(len(body))}, chunks_of(body))
    assert_problem(r, 413, "payload-too-large")
    assert assert_json(target.api(bearer).get(path), 200)["version"] == 1


# --- media types and JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx", None])
def test_wrong_media_type_is_415(target, bearer, subject, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    write = target.probe.write
    r = target.api(bearer).request(write.method, subject.path, data=json.dumps(write.body).encode(),
                                   headers=headers)
    if content_type is None:
        assert "Content-Type" not in r.request.headers
    assert_problem(r, 415, "unsupported-media-type")
    assert subject.unchanged()


def test_patch_wrong_media_type_is_415(target, bearer):
    update = target.probe.update
    path = update.at(update.seed(target.api(bearer)))
    r = target.api(bearer).patch(path, data=json.dumps(update.body).encode(), headers={"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")


def test_json_with_charset_parameter_is_accepted(target, bearer, subject):
    write = target.probe.write
    r = target.api(bearer).request(write.method, subject.path, data=json.dumps(write.body).encode(),
                                   headers={"Content-Type": "application/json; charset=utf-8"})
    assert_json(r, write.ok)


@pytest.mark.parametrize(("body", "line"), [
    (b'{"title": "x",', 1),
    (b'{\n  "title": "x"\n  "type": "video"\n}', 3),
    (b"{'title': 'x'}", 1),
    (b"", None),
    (b'{"title": "x", "type": "video"} trailing', 1),
    (b'{"title": "\xff\xfe", "type": "video"}', 1),
])
def test_malformed_json_is_400_with_position(target, bearer, subject, body, line):
    r = target.api(bearer).request(target.probe.write.method, subject.path, data=body,
                                   headers={"Content-Type": "application/json"})
    problem = assert_problem(r, 400, "malformed-json")
    detail = problem["detail"].lower()
    if line is not None:
        m = re.search(r"line\D{0,3}(\d+)", detail)
        assert m, f"no line in detail: {problem['detail']!r}"
        assert int(m.group(1)) == line, problem["detail"]
    if body:
        assert "column" in detail and "position" in detail, problem["detail"]
    assert subject.unchanged()


def test_malformed_json_on_patch_is_400(target, bearer):
    update = target.probe.update
    path = update.at(update.seed(target.api(bearer)))
    r = target.api(bearer).patch(path, data=b'{"title": ', headers={"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_deeply_nested_json_is_rejected_not_crashing(target, bearer, subject):
    body = b'{"title": "x", "type": "video", "subjects": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    r = target.api(bearer).request(target.probe.write.method, subject.path, data=body,
                                   headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert media_type(r) == "application/problem+json"


# --- routing ---------------------------------------------------------------------------------------------


@per_service("path", lambda s: [(p,) for p in s.probe.unknown_paths])
def test_unknown_route_is_404(target, bearer, path):
    assert_problem(target.api(bearer).get(path), 404, "not-found")


def allow_set(resp) -> set[str]:
    return {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}


def test_put_on_item_is_405_with_allow(target, bearer):
    probe = target.probe
    allowed = probe.methods(probe.item)  # resources: GET, PATCH, DELETE
    assert "PUT" not in allowed
    r = target.api(bearer).put(probe.item.replace("{id}", SOME_ID), json=probe.write.body)
    assert_problem(r, 405, "method-not-allowed")
    assert allowed <= allow_set(r) <= allowed | {"HEAD", "OPTIONS"}, r.headers.get("Allow")


def test_wrong_method_on_collection_is_405_with_allow(target, bearer):
    probe = target.probe
    allowed = probe.methods(probe.collection)  # resources: GET, POST
    for method in [m for m in ("DELETE", "PUT", "PATCH", "POST") if m not in allowed]:
        r = target.api(bearer).request(method, probe.collection)
        assert_problem(r, 405, "method-not-allowed")
        assert allowed <= allow_set(r) <= allowed | {"HEAD", "OPTIONS"}, r.headers.get("Allow")


def test_405_needs_no_token(target):
    r = target.api(None).put(target.probe.item.replace("{id}", SOME_ID))
    assert r.status_code in (401, 405), r.text
    assert media_type(r) == "application/problem+json"


# --- request ids -----------------------------------------------------------------------------------------


def test_request_id_is_echoed(target, bearer, collection):
    rid = "test-req.ID_0123456789"
    r = target.api(bearer).get(collection, headers={"X-Request-Id": rid})
    assert_json(r, 200)
    assert r.headers.get("X-Request-Id") == rid


def test_request_id_is_echoed_in_problems(target, bearer):
    rid = "problem-req-42"
    r = target.api(bearer).get(target.probe.item.replace("{id}", SOME_ID), headers={"X-Request-Id": rid})
    body = assert_problem(r, 404, "not-found")
    assert body["request_id"] == rid
    assert r.headers.get("X-Request-Id") == rid


def test_request_id_is_generated_when_absent(target, bearer, collection):
    ids = set()
    for _ in range(3):
        r = target.api(bearer).get(collection)
        assert_json(r, 200)
        rid = r.headers.get("X-Request-Id", "")
        assert UUID_RE.match(rid.lower()), rid
        ids.add(rid)
    assert len(ids) == 3, "generated request ids repeat"


@pytest.mark.parametrize("bad", ["a" * 65, "has space", "semi;colon", "ünïcode", "quote\"d"])
def test_invalid_request_id_is_replaced(target, bearer, collection, bad):
    r = target.api(bearer).get(collection, headers={"X-Request-Id": bad.encode("utf-8")})
    assert_json(r, 200)
    rid = r.headers.get("X-Request-Id", "")
    assert UUID_RE.match(rid.lower()), rid


def test_request_id_64_chars_is_kept(target, bearer, collection):
    rid = "R" * 64
    r = target.api(bearer).get(collection, headers={"X-Request-Id": rid})
    assert r.headers.get("X-Request-Id") == rid


# --- probes ----------------------------------------------------------------------------------------------


def test_healthz(target):
    r = target.api(None).get("/healthz")
    assert assert_json(r, 200) == {"status": "ok"}
    assert r.headers.get("X-Request-Id")


def test_readyz(target):
    body = assert_json(target.api(None).get("/readyz"), 200)
    SPEC.check("common.yaml", "Readiness", body)
    assert body["status"] == "ready" and body["checks"]["database"] == "ok", body
    assert body["checks"]["kafka"] == "ok", body
    assert 0 <= body["checks"]["outbox_backlog"] <= body["checks"]["outbox_backlog_max"], body


def test_probes_ignore_a_bad_token(target):
    for path in ("/healthz", "/readyz", "/metrics"):
        assert target.api("garbage").get(path).status_code == 200, path


def test_metrics(target, bearer, collection):
    assert_json(target.api(bearer).get(collection), 200)  # at least one counted request
    r = target.api(None).get("/metrics")
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


def test_head_or_options_do_not_crash(target):
    for method in ("HEAD", "OPTIONS"):
        try:
            r = target.api(None).request(method, "/healthz")
        except requests.RequestException as e:  # pragma: no cover - reported as a failure
            pytest.fail(f"{method} /healthz: {e}")
        assert r.status_code < 500, (method, r.status_code)
