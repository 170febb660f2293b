"""The rendered API reference at /docs/, served by the nginx gateway, in a real browser (Debian's chromium).

Every api-spec/<service>.yaml has a page; chromium renders each with the pinned Redoc (web/package.json) and
the test finds every operation's summary in the rendered DOM, so a spec Redoc cannot read, a missing asset or a
Content-Security-Policy that blocks the page fails. The files are served as they are in the checkout, with the
pages' own policy; nothing outside /docs/ is reachable through it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import requests
import yaml

from gateway import TEST_LIMITS, Gateway, dump_dom, gateway_dir, send
from hgtest import HTTP_TIMEOUT, PROBLEM_BASE, ROOT

SPECS = sorted(p.stem for p in (ROOT / "api-spec").glob("*.yaml") if p.stem != "common")
METHODS = ("get", "put", "post", "delete", "patch")
WEB_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def docs_gateway() -> Iterator[Gateway]:
    gw = Gateway(gateway_dir("gateway-docs"), dict(TEST_LIMITS))
    gw.start()
    yield gw
    gw.stop()


def summaries(name: str) -> list[str]:
    """The summary of every operation of api-spec/<name>.yaml, and of the path items it takes from common.yaml."""
    spec = yaml.safe_load((ROOT / f"api-spec/{name}.yaml").read_text())
    common = yaml.safe_load((ROOT / "api-spec/common.yaml").read_text())
    found = []
    for item in spec["paths"].values():
        if "$ref" in item:
            item = common["components"]["pathItems"][item["$ref"].rsplit("/", 1)[-1]]
        found += [op["summary"] for m, op in item.items() if m in METHODS]
    return found


def test_the_index_links_a_page_for_every_spec(docs_gateway):
    r = requests.get(docs_gateway.url + "/docs/", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Content-Security-Policy"] == WEB_CSP
    assert sorted(re.findall(r'href="service\.html\?name=([a-z]+)"', r.text)) == SPECS
    assert sorted(re.findall(r'href="specs/([a-z]+)\.yaml"', r.text)) == sorted([*SPECS, "common"])
    # /docs without the slash goes to the index
    r = requests.get(docs_gateway.url + "/docs", timeout=HTTP_TIMEOUT, allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"].endswith("/docs/")
    # the page script knows the same services
    js = requests.get(docs_gateway.url + "/docs/service.js", timeout=HTTP_TIMEOUT)
    assert js.headers["Content-Type"] == "text/javascript; charset=utf-8"
    listed = re.search(r"const SERVICES = \[([^\]]*)\]", js.text)
    assert listed and sorted(re.findall(r'"([a-z]+)"', listed.group(1))) == SPECS


@pytest.mark.parametrize("name", SPECS)
def test_each_service_renders_with_every_operation(docs_gateway, name):
    dom = dump_dom(f"{docs_gateway.url}/docs/service.html?name={name}", budget_ms=20000)
    assert 'data-state="ready"' in dom, f"Redoc did not finish rendering {name}:\n{dom[:3000]}"
    want = summaries(name)
    assert len(want) >= 4  # the probes alone are three
    missing = [s for s in want if s not in dom]
    assert missing == [], f"operations of {name} not rendered: {missing}"


def test_an_unknown_service_says_so(docs_gateway):
    dom = dump_dom(f"{docs_gateway.url}/docs/service.html?name={quote('<b>nope</b>')}")
    assert 'data-state="error"' in dom
    assert 'No service named "<b>nope</b>"' in dom  # shown as text, not markup
    assert "<b>nope</b></p>" not in dom.replace('"<b>nope</b>"', "")


def test_specs_and_assets_are_served_as_they_are(docs_gateway):
    for name in [*SPECS, "common"]:
        r = requests.get(f"{docs_gateway.url}/docs/specs/{name}.yaml", timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, name
        assert r.headers["Content-Type"] == "application/yaml; charset=utf-8"
        assert r.content == (ROOT / f"api-spec/{name}.yaml").read_bytes()
    bundle = ROOT / "web/node_modules/redoc/bundles/redoc.standalone.js"
    r = requests.get(docs_gateway.url + "/docs/vendor/redoc.standalone.js", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.content == bundle.read_bytes()
    assert r.headers["ETag"]  # revalidated, not fetched again
    again = requests.get(docs_gateway.url + "/docs/vendor/redoc.standalone.js", timeout=HTTP_TIMEOUT,
                         headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/docs/specs/nope.yaml", "/docs/specs/../Makefile", "/docs/specs/roster.yml",
                                  "/docs/nope.html", "/docs/../README.md", "/docs/vendor/redoc.lib.js",
                                  "/docs/%2e%2e/Makefile", "/docs/specs/%2e%2e%2fMakefile.yaml", "/app/nope.js",
                                  "/app/../web/package.json", "/app/vendor/chart.js"])
def test_nothing_else_is_reachable(docs_gateway, path):
    a = send("GET", path)
    assert a.status == 404, (path, a.status, a.body[:200])
    assert a.headers["Content-Type"] == "application/problem+json"
    problem = json.loads(a.body)
    assert problem["status"] == 404 and problem["type"] == PROBLEM_BASE + "not-found", problem


def test_the_api_keeps_its_own_policy_and_same_origin_pages_are_not_refused(docs_gateway):
    a = send("GET", "/v1/library/resources")
    assert a.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    own = f"http://127.0.0.1:{docs_gateway.url.rsplit(':', 1)[1]}"
    # a module script (and a POST from a page) carries the page's Origin: the gateway's own is not cross-origin
    assert send("GET", "/docs/service.js", headers={"Origin": own}).status == 200
    assert send("GET", "/docs/service.js", headers={"Origin": "http://elsewhere.example"}).status == 403
    # the origin must name the host exactly, not contain it
    assert send("GET", "/docs/service.js", headers={"Origin": own + ".evil.example"}).status == 403
    assert send("GET", "/docs/service.js", headers={"Origin": own + "|127.0.0.1"}).status == 403


@pytest.mark.parametrize("path", ["/docs/", "/docs/service.html?name=resources"])
def test_the_pages_have_no_serious_accessibility_violations(docs_gateway, path):
    """axe-core in a real browser over the index and a rendered reference (Redoc's page for the largest spec)."""
    from playwright.sync_api import sync_playwright

    import axe

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(docs_gateway.url + path)
            if "service.html" in path:
                page.wait_for_selector('#status[data-state="ready"]', state="attached", timeout=60000)
            axe.check(page)
        finally:
            browser.close()
