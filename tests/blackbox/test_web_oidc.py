"""Signing in to the app through the district's identity provider: OpenID Connect authorization code flow with
PKCE (S256), in a real browser (Playwright driving Debian's chromium) through the gateway.

The provider is a test double speaking the protocol (oidc_provider.py) on a free port; the gateway (+ 6) has
HG_GATEWAY_OIDC_ISSUER and HG_GATEWAY_OIDC_CLIENT_ID, and sends /v1/roster/ to a second hg-roster (+ 7),
/v1/catalog/ and /v1/transcripts/ to a second hg-resources (+ 8) and /v1/surveys/ to a second hg-surveys (+ 9),
all trusting the provider's key set (HG_JWT_JWKS_URL, its issuer). They share the test database with the first
ones, so the roster, its read models and the catalog are the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from catalog_support import District as CatalogDistrict
from catalog_support import now
from gateway import GATEWAY_PORT, Gateway, gateway_dir
from hgtest import (BIN_DIR, LOG_DIR, SERVICE_PORT_BASE, TEST_RUN_DIR, Api, ServiceProcess, assert_json, new_user,
                    poll, token)
from oidc_provider import Provider
from services import BY_NAME, _stop_and_check, generate, service_env

ROSTER_PORT, RESOURCES_PORT, SURVEYS_PORT = SERVICE_PORT_BASE + 7, SERVICE_PORT_BASE + 8, SERVICE_PORT_BASE + 9
ORIGIN = f"http://127.0.0.1:{GATEWAY_PORT}"
CLIENT_ID = "homegrown-app"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    p = Provider(CLIENT_ID, f"{ORIGIN}/app/", ORIGIN)
    yield p
    p.shutdown()
    p.server_close()


def trusting(name: str, port: int, provider: Provider) -> ServiceProcess:
    env = service_env(BY_NAME[name])
    env.update({"HG_HTTP_PORT": str(port), "HG_JWT_JWKS_URL": provider.jwks_url, "HG_JWT_ISSUER": provider.issuer})
    svc = ServiceProcess(f"hg-{name} (OIDC)", BIN_DIR / f"hg-{name}", port, env, LOG_DIR / f"hg-{name}-oidc.log",
                         TEST_RUN_DIR / f"hg-{name}-oidc.pid")
    svc.log_path.unlink(missing_ok=True)
    svc.start()
    return svc


@pytest.fixture(scope="module")
def oidc_gateway(provider, resources_service, roster_service, surveys_service, coaching_service,
                 analytics_service) -> Iterator[Gateway]:
    instances = [trusting("roster", ROSTER_PORT, provider), trusting("resources", RESOURCES_PORT, provider),
                 trusting("surveys", SURVEYS_PORT, provider)]
    gw = Gateway(gateway_dir("gateway-oidc"),
                 {"HG_GATEWAY_OIDC_ISSUER": provider.issuer, "HG_GATEWAY_OIDC_CLIENT_ID": CLIENT_ID},
                 ports={"roster": ROSTER_PORT, "resources": RESOURCES_PORT, "surveys": SURVEYS_PORT})
    gw.start()
    yield gw
    gw.stop()
    for svc in instances:
        _stop_and_check(svc)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pg = browser.new_page()
        pg.urls = []  # type: ignore[attr-defined]
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("request", lambda r: pg.urls.append(r.url))  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_a_teacher_signs_in_with_the_district_and_sees_their_registration(oidc_gateway, provider, page,
                                                                          roster_service, resources_service):
    d = CatalogDistrict(lambda bearer: Api(resources_service.url, bearer))
    with Api(roster_service.url, token(d.id, new_user(), ["sis_integration"])) as sis:
        files = generate.District(schools=1, staff=4, students=0).files()
        assert_json(sis.post("/v1/roster/imports", data=generate.zip_bytes(files),
                             headers={"Content-Type": "application/zip"}), 201)
    with Api(roster_service.url, token(d.id, new_user(), ["district_admin"])) as a:
        staff = assert_json(a.get("/v1/roster/educators", params={"limit": 100}), 200)["data"]
    teacher = d.client(next(e["id"] for e in staff if e["status"] == "active" and "teacher" in e["roles"]),
                       "teacher")
    a = d.activity(title="Writing workshop, grades 6-8")
    s = d.session(a["id"], start=now() + timedelta(days=2))
    assert poll(lambda: teacher.post(f"/v1/catalog/sessions/{s['id']}/registrations", json={}).status_code == 201,
                60, 0.2)  # once resources has the roster's events
    provider.user = {"sub": teacher.sub, "district_id": d.id, "roles": ["teacher"]}
    provider.deny = False
    provider.requests.clear()

    page.goto(f"{oidc_gateway.url}/app/")
    expect(page.locator("body")).to_have_attribute("data-state", "signed-out")
    page.get_by_role("button", name="Sign in with your district").click()
    expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=30000)
    expect(page.locator("#registrations")).to_contain_text("Writing workshop, grades 6-8")
    # the roster knows who they are through the provider's token: their (empty) transcript, not a refusal
    expect(page.locator("#transcript")).to_contain_text("Nothing on the transcript yet.")
    assert page.url == f"{oidc_gateway.url}/app/"  # the provider's answer is gone from the address bar
    assert page.errors == []

    # the flow: an S256 challenge at the authorization endpoint, its verifier (in a POST body) at the token one
    auth = [r for r in provider.requests if r["path"] == "/idp/authorize"]
    assert len(auth) == 1
    q = auth[0]["query"]
    assert (q["response_type"], q["client_id"], q["code_challenge_method"], q["response_mode"]) == (
        "code", CLIENT_ID, "S256", "fragment")
    assert q["redirect_uri"] == f"{ORIGIN}/app/" and "openid" in q["scope"].split()
    tokens = [r for r in provider.requests if r["path"] == "/idp/token"]
    assert len(tokens) == 1 and len(tokens[0]["form"]["code_verifier"]) >= 43
    # the access token went to the API in a header only: in no URL and in no log line of the gateway
    access = provider.issued[-1]
    assert all(access not in u for u in page.urls)
    assert access not in (oidc_gateway.dir / "access.log").read_text()


def test_a_refusal_at_the_provider_is_said_and_leaves_no_token(oidc_gateway, provider, page):
    provider.user = {"sub": str(uuid.uuid4()), "district_id": str(uuid.uuid4()), "roles": ["teacher"]}
    provider.deny = True
    try:
        page.goto(f"{oidc_gateway.url}/app/")
        page.get_by_role("button", name="Sign in with your district").click()
        expect(page.locator("#sign-in [role=alert]")).to_contain_text("Signing in failed", timeout=30000)
        expect(page.locator("body")).to_have_attribute("data-state", "signed-out")
        assert page.evaluate("sessionStorage.getItem('homegrown.token')") is None
        assert "#" not in page.url
    finally:
        provider.deny = False


def test_a_forged_answer_is_refused(oidc_gateway, provider, page):
    """An answer the app did not ask for (an unknown state: a login CSRF) signs nobody in, and the code in it is
    never sent to the token endpoint."""
    provider.requests.clear()
    page.goto(f"{oidc_gateway.url}/app/#code=stolen-code&state={uuid.uuid4().hex}")
    expect(page.locator("#sign-in [role=alert]")).to_contain_text("Signing in failed", timeout=30000)
    assert page.evaluate("sessionStorage.getItem('homegrown.token')") is None
    assert not [r for r in provider.requests if r["path"] == "/idp/token"]


def test_the_app_settings_and_the_pages_policy_name_the_provider(oidc_gateway, provider):
    r = Api(oidc_gateway.url).get("/app/config.json")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    assert r.json() == {"oidc": {"issuer": provider.issuer, "client_id": CLIENT_ID, "scope": "openid profile email"}}
    csp = r.headers["Content-Security-Policy"]
    assert f"connect-src 'self' {provider.issuer.removesuffix('/idp')};" in csp, csp
