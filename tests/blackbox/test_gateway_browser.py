"""CORS at the gateway, from a real browser: Debian's chromium, headless.

A page served from the allowed origin (HG_GATEWAY_CORS_ORIGINS) and the same page served from another origin
call the API through the gateway with a bearer token: a list (GET with Authorization: a preflight), a create
(POST with JSON, Idempotency-Key: a preflight) reading the exposed Location and ETag, and a PATCH with If-Match.
The page writes what it could read into the DOM, which chromium prints (--dump-dom) once its virtual time
budget has run (the fetches complete within it). Without chromium the test fails: make deps installs it.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from gateway import ALLOWED_ORIGIN, OTHER_PAGE_PORT, PAGE_PORT, TEST_LIMITS, Gateway, dump_dom, gateway_dir, send
from hgtest import assert_json, new_district, new_user, token

LIBRARY = "/v1/library/resources"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>cors</title></head><body><pre id="out">pending</pre>
<script>
const api = %(api)s, auth = {"Authorization": "Bearer " + %(token)s};
const out = {};
function done() { document.getElementById("out").textContent = "RESULT " + JSON.stringify(out); }
(async () => {
  try {
    const list = await fetch(api + "/v1/library/resources", {headers: auth});
    out.list = {status: list.status, count: (await list.json()).data.length};
    const made = await fetch(api + "/v1/library/resources", {method: "POST",
      headers: {...auth, "Content-Type": "application/json", "Idempotency-Key": "browser-" + %(key)s},
      body: JSON.stringify({title: "Made in a browser", type: "article"})});
    out.create = {status: made.status, location: made.headers.get("Location"), etag: made.headers.get("ETag")};
    const changed = await fetch(api + out.create.location.replace(/^.*(\\/v1\\/)/, "/v1/"), {method: "PATCH",
      headers: {...auth, "Content-Type": "application/json", "If-Match": out.create.etag},
      body: JSON.stringify({title: "Changed in a browser"})});
    out.update = {status: changed.status, etag: changed.headers.get("ETag")};
  } catch (e) {
    out.error = String(e);
  }
  done();
})();
</script></body></html>
"""


class _Pages(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _serve(port: int, html: str) -> _Pages:
    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = _Pages(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def browser_gateway(resources_service) -> Iterator[Gateway]:
    gw = Gateway(gateway_dir(), {**TEST_LIMITS, "HG_GATEWAY_CORS_ORIGINS": ALLOWED_ORIGIN})
    gw.start()
    yield gw
    gw.stop()


def run_page(url: str) -> dict:
    dom = dump_dom(url)
    start = dom.find("RESULT ")
    assert start >= 0, f"the page did not finish:\n{dom[:2000]}"
    return json.loads(dom[start + len("RESULT "):dom.index("</pre>", start)])


def test_a_page_on_an_allowed_origin_reads_and_writes_the_api_another_origin_is_blocked(browser_gateway):
    district, sub = new_district(), new_user()
    tok = token(district, sub, ["teacher"])
    html = PAGE % {"api": json.dumps(browser_gateway.url), "token": json.dumps(tok),
                   "key": json.dumps(new_user())}
    allowed, other = _serve(PAGE_PORT, html), _serve(OTHER_PAGE_PORT, html)
    try:
        got = run_page(f"http://127.0.0.1:{PAGE_PORT}/")
        assert got.get("error") is None, got
        assert got["list"] == {"status": 200, "count": 0}
        assert got["create"]["status"] == 201
        assert "/v1/library/resources/" in got["create"]["location"]  # Location and ETag are exposed
        assert got["create"]["etag"] == '"1"'
        assert got["update"] == {"status": 200, "etag": '"2"'}  # If-Match passed the preflight

        blocked = run_page(f"http://127.0.0.1:{OTHER_PAGE_PORT}/")
        assert blocked.get("error", "").startswith("TypeError"), blocked
        assert "list" not in blocked and "create" not in blocked
    finally:
        allowed.shutdown()
        other.shutdown()
        allowed.server_close()
        other.server_close()
    # What the district holds: the one resource the allowed page made and changed; the other page wrote nothing.
    a = send("GET", LIBRARY, {"Authorization": f"Bearer {tok}"})
    data = assert_json(_Json(a), 200)["data"]
    assert [r["title"] for r in data] == ["Changed in a browser"]


def test_preflight_answers(browser_gateway):
    pre = {"Access-Control-Request-Method": "PATCH",
           "Access-Control-Request-Headers": "authorization,content-type,if-match,idempotency-key"}
    a = send("OPTIONS", LIBRARY + "/0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30", {"Origin": ALLOWED_ORIGIN, **pre})
    assert a.status == 204
    assert a.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    methods = {m.strip() for m in a.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE"} <= methods
    allowed_headers = {h.strip().lower() for h in a.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= allowed_headers
    assert "Origin" in a.headers.get_all("Vary")
    # Another origin: refused, with no CORS header; the same for its actual requests.
    for method, headers in (("OPTIONS", pre), ("GET", {})):
        a = send(method, LIBRARY, {"Origin": "http://evil.example", **headers})
        assert a.status == 403
        assert a.headers["Content-Type"] == "application/problem+json"
        assert "Access-Control-Allow-Origin" not in a.headers
    # An answer to an allowed origin exposes ETag and Location; without an Origin there is no CORS header.
    a = send("GET", LIBRARY, {"Origin": ALLOWED_ORIGIN})
    assert a.status == 401 and a.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert {"ETag", "Location"} <= {h.strip() for h in a.headers["Access-Control-Expose-Headers"].split(",")}
    assert "Access-Control-Allow-Origin" not in send("GET", "/healthz").headers


class _Json:
    """An Answer in the shape assert_json reads."""

    def __init__(self, a) -> None:
        self.status_code, self.headers, self._body = a.status, a.headers, a.body
        self.text = a.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self._body)
