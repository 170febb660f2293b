"""The app at /app/, served by the nginx gateway, driven in a real browser (Debian's chromium through Playwright)
against the real services behind the gateway.

A teacher of a roster imported through the roster service signs in with a development link (the token in the fragment, never in a URL a server sees), sees
their registration and answers an anonymous survey through the form — a missing required answer is refused by
the service and said beside its question, then the answer is accepted and the service records it. A district
admin sees participation by school, coaching reach and the equity audit of a district whose figures are worked
out below: the
suppressed groups are shown as suppressed (never as a figure), the group below four fifths of the best is
flagged, and the charts are drawn; upcoming sessions show their seats. A school leader gets their school only.
"""

from __future__ import annotations

import re
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

import axe
from catalog_support import District as CatalogDistrict
from catalog_support import now, session_body
from gateway import Gateway, gateway_dir
from hgtest import LOG_DIR, Api, assert_json, new_user, poll, token
from services import generate

sys.path.insert(0, str(Path(__file__).resolve().parent / "analytics"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "surveys"))
from analyticslib import District as EventDistrict  # noqa: E402
from surveyslib import SURVEYS  # noqa: E402

PERIOD = "2026"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def app_gateway(resources_service, roster_service, surveys_service, coaching_service,
                analytics_service) -> Iterator[Gateway]:
    gw = Gateway(gateway_dir("gateway-app"), {})  # the default limits: a page load is a normal client
    gw.start()
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context()
    pg = context.new_page()
    pg.urls = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.urls.append(r.url))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def sign_in(page: Page, gw: Gateway, tok: str, query: str = "") -> None:
    page.goto(f"{gw.url}/app/{query}#token={tok}")
    expect(page.locator("body")).to_have_attribute("data-state", re.compile("ready|error"), timeout=30000)


def test_a_teacher_sees_their_registration_and_answers_an_anonymous_survey(app_gateway, page, roster_service,
                                                                          resources_service, surveys_service):
    # the district's roster, imported through the roster service; its events reach resources and surveys
    d = CatalogDistrict(lambda bearer: Api(resources_service.url, bearer))
    with Api(roster_service.url, token(d.id, new_user(), ["sis_integration"])) as sis:
        files = generate.District(schools=1, staff=6, students=0).files()
        assert_json(sis.post("/v1/roster/imports", data=generate.zip_bytes(files),
                             headers={"Content-Type": "application/zip"}), 201)
    with Api(roster_service.url, token(d.id, new_user(), ["district_admin"])) as a:
        staff = assert_json(a.get("/v1/roster/educators", params={"limit": 100}), 200)["data"]
    ids = [e["id"] for e in staff if e["status"] == "active" and "teacher" in e["roles"]]
    teacher, marker = d.client(ids[0], "teacher"), d.client(ids[1], "teacher")
    a = d.activity(title="Number talks for fractions")
    s = d.session(a["id"], start=now() + timedelta(days=3))
    register = f"/v1/catalog/sessions/{s['id']}/registrations"
    assert poll(lambda: teacher.post(register, json={}).status_code == 201, 60, 0.2)  # once resources knows them

    admin = Api(surveys_service.url, token(d.id, d.admin_id, ["district_admin"]))
    questions = [{"id": "useful", "type": "scale", "prompt": "The PD this term was useful",
                  "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]},
                 {"id": "wish", "type": "text", "prompt": "What should come next?", "required": False}]
    survey = assert_json(admin.post(SURVEYS, json={"title": "Term check-in", "purpose": "climate",
                                                   "mode": "anonymous", "questions": questions}), 201)
    assert_json(admin.patch(f"{SURVEYS}/{survey['id']}", json={"status": "open"}), 200)
    probe = assert_json(admin.post(SURVEYS, json={"title": "probe", "purpose": "climate", "mode": "anonymous",
                                                  "questions": questions[:1]}), 201)
    assert_json(admin.patch(f"{SURVEYS}/{probe['id']}", json={"status": "open"}), 200)
    # surveys has applied the roster's events once another teacher of the import may answer
    as_marker = Api(surveys_service.url, token(d.id, marker.sub, ["teacher"]))
    assert poll(lambda: as_marker.post(f"{SURVEYS}/{probe['id']}/responses",
                                       json={"answers": {"useful": 3}}).status_code == 201, 60, 0.2)

    tok = token(d.id, teacher.sub, ["teacher"])
    sign_in(page, app_gateway, tok)
    assert "token" not in page.url  # the fragment is gone from the address bar
    expect(page.locator("#registrations")).to_contain_text("Number talks for fractions")
    expect(page.locator("#registrations")).to_contain_text("registered")
    # the roster says who "me" is; their transcript is empty so far
    expect(page.locator("#transcript")).to_contain_text("Nothing on the transcript yet.")
    item = page.locator(f'#surveys li[data-survey="{survey["id"]}"]')
    expect(item).to_contain_text("Term check-in")
    expect(item).to_contain_text("anonymous")
    item.get_by_role("button", name="Answer").click()

    # nothing chosen for the required question: the service refuses, the page says why beside it
    page.get_by_role("button", name="Send my answers").click()
    form = page.locator("form.survey-form")
    expect(form.locator('[role="status"]')).to_have_attribute("data-state", "refused")
    expect(form.locator('fieldset[data-question="useful"] .errors')).not_to_be_empty()
    me = Api(surveys_service.url, tok)
    assert assert_json(me.get(f"{SURVEYS}/{survey['id']}"), 200)["answered"] is False  # nothing written
    axe.check(page)  # the teacher's page with the form open and its refusal shown

    form.get_by_label("Agree", exact=True).check()
    form.locator('textarea[name="q-wish"]').fill("More coaching on discourse")
    page.get_by_role("button", name="Send my answers").click()
    expect(form.locator('[role="status"]')).to_have_attribute("data-state", "sent")
    assert assert_json(me.get(f"{SURVEYS}/{survey['id']}"), 200)["answered"] is True
    # the list is drawn again without it
    expect(page.locator(f'#surveys li[data-survey="{survey["id"]}"]')).to_have_count(0, timeout=15000)

    # the token never went into a URL: not the page's requests, not the gateway's access log
    assert all(tok not in u for u in page.urls), [u for u in page.urls if tok in u]
    assert tok not in (app_gateway.dir / "access.log").read_text()
    assert page.errors == []


@pytest.fixture(scope="module")
def world(analytics_service, resources_service) -> dict:
    """Four schools, one per locale, 31 educators; two sessions in February 2026 (S1 2 h, S2 3 h).

    locale  school  educators  attended      rate
    city    Adams   10         9 (S1)        0.9    best
    suburb  Baker   10         5 (S1)        0.5    ratio 0.5556 < 0.8: flagged; gap 0.4
    town    Dunn     8         7 (S1)        0.875  withheld: the complement of rural (smallest shown)
    rural   Clark    3         3 (S1)        —      withheld: fewer than 5
    all             31        24                    24 / 31 = 77.4 %

    Coaching: an hour logged for each of three city teachers: 3 teachers coached, 180 minutes, 60 per teacher.
    """
    d = EventDistrict(lambda bearer: Api(analytics_service.url, bearer))
    schools = {"city": d.school("Adams", locale="city", title_i=True, poverty="high"),
               "suburb": d.school("Baker", locale="suburb", title_i=False, poverty="low"),
               "town": d.school("Dunn", locale="town", title_i=False, poverty="low"),
               "rural": d.school("Clark", locale="rural", title_i=True, poverty="high")}
    x = d.activity("Formative assessment")
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T17:00:00Z")
    leader = None
    city: list[str] = []
    for locale, n, came in (("city", 10, 9), ("suburb", 10, 5), ("town", 8, 7), ("rural", 3, 3)):
        for i in range(n):
            roles = ("teacher", "school_leader") if (locale == "city" and i == n - 1) else ("teacher",)
            e = d.educator(schools=[schools[locale]], started="2015-08-15", roles=roles)
            if locale == "city" and i == n - 1:
                leader = e
            if locale == "city":
                city.append(e)
            if i < came:
                d.attended(s1, x, e, "2026-02-10T15:00:00Z")
    for e in city[:3]:  # coaching: three teachers, an hour each
        d.time_logged(e, 60, "2026-02-11")
    admin = d.client("district_admin")
    assert poll(lambda: assert_json(admin.get("/v1/analytics/participation", params={"period": PERIOD}),
                                    200)["overall"]["participants"] == 24, 60, 0.3)
    assert poll(lambda: assert_json(admin.get("/v1/analytics/coaching", params={"period": PERIOD}),
                                    200)["teachers_coached"] == 3, 60, 0.3)
    # one upcoming session in the catalog, with its seats
    catalog = Api(resources_service.url, token(d.id, str(uuid.uuid4()), ["district_admin"]))
    body = {"title": "Discourse moves", "description": "d", "objectives": ["o"], "topics": ["math"],
            "type": "OneTimeWorkshopTraining", "credit_type": "Hours", "credits": 2, "delivery_method": "Onsite"}
    act = assert_json(catalog.post("/v1/catalog/activities", json=body), 201)
    assert_json(catalog.patch(f"/v1/catalog/activities/{act['id']}", json={"status": "published"}), 200)
    assert_json(catalog.post(f"/v1/catalog/activities/{act['id']}/sessions",
                             json=session_body(now() + timedelta(days=5), capacity=12)), 201)
    return {"district": d.id, "leader": leader, "schools": schools}


def row(page: Page, dimension: str, group: str):
    return page.locator(f'#equity [data-dimension="{dimension}"] tbody tr').filter(
        has=page.locator("td:first-child", has_text=re.compile(f"^{group}$")))


def test_a_teacher_sees_their_recommendations_with_the_why(app_gateway, page, roster_service, resources_service,
                                                            analytics_service):
    """An offering for teachers with an open seat, published through the catalog: analytics recommends it to a
    teacher of the imported roster (the role factor, weight 15), and "My recommendations" says why."""
    d = CatalogDistrict(lambda bearer: Api(resources_service.url, bearer))
    with Api(roster_service.url, token(d.id, new_user(), ["sis_integration"])) as sis:
        files = generate.District(schools=1, staff=4, students=0).files()
        assert_json(sis.post("/v1/roster/imports", data=generate.zip_bytes(files),
                             headers={"Content-Type": "application/zip"}), 201)
    with Api(roster_service.url, token(d.id, new_user(), ["district_admin"])) as a:
        staff = assert_json(a.get("/v1/roster/educators", params={"limit": 100}), 200)["data"]
    teacher = next(e["id"] for e in staff if e["status"] == "active" and "teacher" in e["roles"])
    a = d.activity(title="Talk moves for discussion", target_audience=["teachers"])
    d.session(a["id"], start=now() + timedelta(days=4), capacity=12)
    tok = token(d.id, teacher, ["teacher"])
    mine = Api(analytics_service.url, tok)

    def recommended() -> bool:
        r = mine.get(f"/v1/analytics/recommendations/{teacher}")
        return r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [a["id"]]
    assert poll(recommended, 60, 0.3)  # once analytics applied the roster's and the catalog's events

    sign_in(page, app_gateway, tok)
    item = page.locator(f'#recommendations li[data-item="{a["id"]}"]')
    expect(item).to_contain_text("Talk moves for discussion")
    expect(item).to_contain_text("12 seats left")
    expect(item.locator('[data-factor="role"]')).to_have_text("for teachers (+15)")
    expect(item.locator(".why")).to_contain_text("Why: score 15 =")
    page.screenshot(path=str(LOG_DIR / "web-app-recommendations.png"), full_page=True)
    assert page.errors == []
    axe.check(page)


def test_the_district_office_sees_participation_and_the_equity_audit(app_gateway, page, world):
    tok = token(world["district"], str(uuid.uuid4()), ["district_admin"])
    sign_in(page, app_gateway, tok, f"?view=district&period={PERIOD}")
    expect(page.locator("body")).to_have_attribute("data-view", "district")
    expect(page.locator("#participation")).to_contain_text("24 of 31 educators took part (77.4%)")
    for name in ("Adams", "Baker", "Dunn", "Clark"):
        expect(page.locator("#participation tbody")).to_contain_text(name)
    # equity by locale: city best, suburb flagged, rural and town suppressed — never shown as a figure
    expect(row(page, "locale", "city").locator("td").nth(2)).to_have_text("90%")
    expect(row(page, "locale", "suburb").locator("td").nth(2)).to_have_text("50%")
    expect(row(page, "locale", "suburb").locator("td").nth(6)).to_have_text("below")
    expect(row(page, "locale", "city").locator("td").nth(6)).to_have_text("ok")
    for group in ("rural", "town"):
        cells = row(page, "locale", group).locator("td")
        expect(cells.nth(2)).to_have_text("suppressed")
        expect(cells.nth(1)).to_have_text("suppressed")
    assert page.locator("canvas[data-chart=drawn]").count() >= 2  # participation and at least one dimension
    coached = page.locator("#coaching tbody tr")
    expect(coached.filter(has_text="Teachers coached").locator("td").nth(1)).to_have_text("3")
    expect(coached.filter(has_text="Coaching minutes").locator("td").nth(1)).to_have_text("180")
    expect(coached.filter(has_text="Minutes per teacher coached").locator("td").nth(1)).to_have_text("60")
    expect(page.locator("#sessions")).to_contain_text("Discourse moves")
    expect(page.locator("#sessions tbody tr").first.locator("td").nth(4)).to_have_text("12")  # seats left
    assert page.errors == []
    axe.check(page)


def test_a_school_leader_sees_their_school_only(app_gateway, page, world):
    tok = token(world["district"], world["leader"], ["teacher", "school_leader"])
    sign_in(page, app_gateway, tok, f"?view=schools&period={PERIOD}")
    expect(page.locator("body")).to_have_attribute("data-view", "schools")
    expect(page.get_by_role("button", name="District")).to_have_count(0)
    expect(page.locator("#participation tbody")).to_contain_text("Adams")
    for other in ("Baker", "Dunn", "Clark"):
        expect(page.locator("#participation tbody")).not_to_contain_text(other)
    expect(page.locator("#participation")).to_contain_text("9 of 10 educators took part")
    axe.check(page)


def test_signed_out_and_expired_tokens_get_the_sign_in_page(app_gateway, page):
    page.goto(f"{app_gateway.url}/app/")
    expect(page.locator("body")).to_have_attribute("data-state", "signed-out")
    expect(page.locator("#sign-in")).to_contain_text("Sign in")
    axe.check(page)
    expired = token(str(uuid.uuid4()), str(uuid.uuid4()), ["teacher"], exp=int(time.time()) - 60)
    page.goto(f"{app_gateway.url}/app/#token={expired}")
    expect(page.locator("body")).to_have_attribute("data-state", "signed-out")
    assert page.evaluate("sessionStorage.length") == 0


def test_the_district_office_sees_the_last_roster_import_and_its_problems(app_gateway, page, roster_service):
    district = str(uuid.uuid4())
    with Api(roster_service.url, token(district, new_user(), ["sis_integration"])) as sis:
        files = generate.District(schools=1, staff=5, students=0).files()
        first = assert_json(sis.post("/v1/roster/imports", data=generate.zip_bytes(files),
                                     headers={"Content-Type": "application/zip"}), 201)
        # then a background import that the checks refuse: stored as failed, with its problems
        r = sis.post("/v1/roster/imports", data=generate.invalid_bad_date(),
                     headers={"Content-Type": "application/zip", "Prefer": "respond-async"})
        assert r.status_code == 202, r.text
        later = r.json()["id"]
        assert poll(lambda: assert_json(sis.get(f"/v1/roster/imports/{later}"), 200)["state"] == "failed", 60, 0.2)
        failed = assert_json(sis.get(f"/v1/roster/imports/{later}"), 200)
    sign_in(page, app_gateway, token(district, str(uuid.uuid4()), ["district_admin"]), "?view=district")
    box = page.locator("#roster-import")
    expect(box.locator("[data-import-state]")).to_have_attribute("data-import-state", "failed")
    problem = failed["error"]["problems"][0]
    expect(box.locator("tbody")).to_contain_text(problem["field"])
    expect(box.locator("tbody")).to_contain_text(problem["reason"])
    axe.check(page)
    assert first["counts"]["educators"]["created"] >= 5
    # a school leader gets no import section (imports are the district office's)
    sign_in(page, app_gateway, token(district, str(uuid.uuid4()), ["school_leader"]), "?view=schools")
    expect(page.locator("#roster-import")).to_have_count(0)
    assert page.errors == []
