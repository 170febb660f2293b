"""Calendar feeds (issue 20, docs/resources.md "Calendar feeds"): an educator's private, revocable feed secret;
the RFC 5545 feeds of their sessions, their school's and their district's, parsed with Python's `icalendar` and
imported by a real calendar program (calcurse); updates (same UID, higher SEQUENCE) and cancellations
(STATUS:CANCELLED); a rotated or revoked secret answers 404; roles, other districts, and the secret masked in
the service's and the gateway's access logs."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
import requests

from catalog_support import District, now
from gateway import TEST_LIMITS, Gateway, gateway_dir
from hgtest import (HTTP_TIMEOUT, SPEC, assert_json, assert_problem, never_logged, new_user, parse_time, poll,
                    token)

FEED = "/v1/catalog/calendar/feed"
PLC_WAIT = 60  # seconds for coaching's events (and the roster's, in coaching) to reach the read models


def issue(client) -> dict:
    """PUT the caller's feed: its secret (registered as never to be logged) and addresses."""
    r = client.put(FEED)
    assert r.status_code in (200, 201), r.text
    body = r.json()
    SPEC.check("resources.yaml", "CalendarFeedIssued", body)
    assert r.headers["Cache-Control"] == "no-store"
    never_logged(body["secret"])
    assert body["educator_feed"] == f"/v1/catalog/calendar/feeds/{body['secret']}/educator"
    return body | {"status": r.status_code}


def fetch(base_url: str, path: str) -> requests.Response:
    """A feed as a calendar program reads it: no token."""
    return requests.get(base_url + path, timeout=HTTP_TIMEOUT)


def parse(r: requests.Response) -> dict[str, icalendar.Event]:
    """The feed's events by session id, after checking the text itself: CRLF line ends, lines of at most 75
    octets, a VCALENDAR with VERSION and PRODID, UTC times."""
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/calendar"), r.headers["Content-Type"]
    raw = r.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), max(raw.split(b"\r\n"), key=len)
    cal = icalendar.Calendar.from_ical(raw)
    assert cal.name == "VCALENDAR" and str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    assert "METHOD" not in cal
    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid.endswith("@homegrown.catalog") or uid.endswith("@homegrown.plc"), uid
        # sessions in UTC; a PLC meeting is an all-day event of the day held (a DATE)
        times = ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED") if uid.endswith("catalog") else (
            "DTSTAMP", "LAST-MODIFIED")
        for prop in times:
            assert ev.decoded(prop).tzinfo is not None and ev.decoded(prop).utcoffset() == timedelta(0), prop
        events[uid.split("@")[0]] = ev
    assert len(events) == len(cal.walk("VEVENT")), "a UID twice"
    return events


def seconds(s: str) -> datetime:
    return parse_time(s).replace(microsecond=0)


def test_educator_feed_updates_cancellations_rotation_and_revocation(api, base_url):
    d = District(api)
    t = d.teacher()
    assert_problem(t.get(FEED), 404, "not-found")
    assert_problem(t.delete(FEED), 404, "not-found")
    first = issue(t)
    assert first["status"] == 201
    assert "secret" not in assert_json(t.get(FEED), 200)
    SPEC.check("resources.yaml", "CalendarFeed", assert_json(t.get(FEED), 200))
    assert parse(fetch(base_url, first["educator_feed"])) == {}  # nothing yet, and still a valid calendar

    title = "Number talks; grades 3-5, with a title long enough that its SUMMARY line has to be folded — twice"
    a = d.activity(title=title, description="Bring: a notebook, a pencil\nand a question; or two.")
    start = now() + timedelta(days=3)
    moved = d.session(a["id"], start=start, minutes=90)
    online = d.session(a["id"], start=start + timedelta(days=1), location=None,
                       online_url="https://meet.example.org/pd?room=7,8")
    doomed = d.session(a["id"], start=start + timedelta(days=2))
    for s in (moved, online, doomed):
        d.register(t, s["id"])
    other = d.teacher()
    d.register(other, d.session(a["id"], start=start + timedelta(days=9))["id"])  # not t's

    feed = parse(fetch(base_url, first["educator_feed"]))
    assert set(feed) == {moved["id"], online["id"], doomed["id"]}
    ev = feed[moved["id"]]
    assert str(ev["SUMMARY"]) == title
    assert ev.decoded("DTSTART") == seconds(moved["starts_at"])
    assert ev.decoded("DTEND") == seconds(moved["ends_at"])
    assert str(ev["STATUS"]) == "CONFIRMED" and str(ev["TRANSP"]) == "OPAQUE"
    assert str(ev["LOCATION"]) == "Lincoln Elementary, library"
    assert str(ev["DESCRIPTION"]) == "You are registered.\n\nBring: a notebook, a pencil\nand a question; or two."
    assert str(feed[online["id"]]["URL"]) == "https://meet.example.org/pd?room=7,8"
    assert "LOCATION" not in feed[online["id"]]
    seq = {k: int(v["SEQUENCE"]) for k, v in feed.items()}
    stamp = feed[moved["id"]].decoded("DTSTAMP")

    # moved by an hour: the same UID, a higher SEQUENCE, the new time, a later DTSTAMP
    later = {"starts_at": (parse_time(moved["starts_at"]) + timedelta(hours=1)).isoformat(),
             "ends_at": (parse_time(moved["ends_at"]) + timedelta(hours=1)).isoformat()}
    moved = assert_json(d.admin.patch(f"/v1/catalog/sessions/{moved['id']}", json=later), 200)
    # cancelled by the PD office, and t cancels their registration of the online one
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{doomed['id']}", json={"status": "cancelled"}), 200)
    mine = [r for r in assert_json(t.get("/v1/catalog/registrations", params={"limit": 100}), 200)["data"]
            if r["session_id"] == online["id"]]
    assert len(mine) == 1
    assert t.delete(f"/v1/catalog/registrations/{mine[0]['id']}").status_code == 204

    feed = parse(fetch(base_url, first["educator_feed"]))
    assert set(feed) == {moved["id"], online["id"], doomed["id"]}
    ev = feed[moved["id"]]
    assert ev.decoded("DTSTART") == seconds(moved["starts_at"]) == seconds(later["starts_at"])
    assert int(ev["SEQUENCE"]) > seq[moved["id"]] and str(ev["STATUS"]) == "CONFIRMED"
    assert ev.decoded("DTSTAMP") >= stamp
    assert str(feed[doomed["id"]]["STATUS"]) == "CANCELLED" and int(feed[doomed["id"]]["SEQUENCE"]) > seq[doomed["id"]]
    assert str(feed[online["id"]]["STATUS"]) == "CANCELLED" and int(feed[online["id"]]["SEQUENCE"]) > seq[online["id"]]
    assert str(feed[online["id"]]["DESCRIPTION"]).startswith("Your registration is cancelled.")
    # registered again: live again, and the SEQUENCE still grows (a new registration starts at version 1)
    before = int(feed[online["id"]]["SEQUENCE"])
    d.register(t, online["id"])
    ev = parse(fetch(base_url, first["educator_feed"]))[online["id"]]
    assert str(ev["STATUS"]) == "CONFIRMED" and int(ev["SEQUENCE"]) > before
    # the district's feed shows what is offered: the online session is not cancelled there
    district = parse(fetch(base_url, first["district_feed"]))
    assert str(district[online["id"]]["STATUS"]) == "CONFIRMED"
    assert str(district[online["id"]]["TRANSP"]) == "TRANSPARENT"
    assert str(district[doomed["id"]]["STATUS"]) == "CANCELLED"

    # rotated: the old address is gone at once, the new one works
    second = issue(t)
    assert second["status"] == 200 and second["secret"] != first["secret"]
    assert second["created_at"] == first["created_at"] and second["rotated_at"] > first["rotated_at"]
    for path in (first["educator_feed"], first["district_feed"]):
        assert_problem(fetch(base_url, path), 404, "not-found")
    assert set(parse(fetch(base_url, second["educator_feed"]))) == {moved["id"], online["id"], doomed["id"]}
    # revoked: every address of it answers 404
    assert t.delete(FEED).status_code == 204
    for path in (second["educator_feed"], second["district_feed"]):
        assert_problem(fetch(base_url, path), 404, "not-found")
    assert_problem(t.get(FEED), 404, "not-found")
    assert_problem(t.delete(FEED), 404, "not-found")


def test_waitlisted_and_pending_are_tentative(api, base_url):
    d = District(api)
    first, t = d.teacher(), d.teacher()
    s = d.session(d.activity()["id"], start=now() + timedelta(days=2), capacity=1)
    d.register(first, s["id"])
    assert d.register(t, s["id"])["status"] == "waitlisted"
    s2 = d.session(d.activity(requires_approval=True)["id"], start=now() + timedelta(days=4))
    assert d.register(t, s2["id"])["approval"] == "pending"
    feed = parse(fetch(base_url, issue(t)["educator_feed"]))
    assert str(feed[s["id"]]["STATUS"]) == "TENTATIVE" and str(feed[s["id"]]["TRANSP"]) == "TRANSPARENT"
    assert str(feed[s["id"]]["DESCRIPTION"]).startswith("You are on the waitlist.")
    assert str(feed[s2["id"]]["STATUS"]) == "TENTATIVE"
    assert str(feed[s2["id"]]["DESCRIPTION"]).startswith("Your registration awaits your school leader's approval.")


def test_district_and_school_feeds_and_other_districts(api, base_url):
    d, other = District(api), District(api)
    school, school2 = str(uuid.uuid4()), str(uuid.uuid4())
    t, colleague, elsewhere = d.client(), d.client(), d.client()
    d.on_roster(t.sub, colleague.sub, schools=[school])
    d.on_roster(elsewhere.sub, schools=[school2])
    published = d.activity()
    draft = d.activity(publish=False)
    soon = now() + timedelta(days=2)
    s_colleague = d.session(published["id"], start=soon)
    s_elsewhere = d.session(published["id"], start=soon + timedelta(days=1))
    s_nobody = d.session(published["id"], start=soon + timedelta(days=2))
    s_cancelled = d.session(published["id"], start=soon + timedelta(days=3))
    s_draft = d.session(draft["id"], start=soon)
    d.register(colleague, s_colleague["id"])
    d.register(elsewhere, s_elsewhere["id"])
    d.register(colleague, s_cancelled["id"])
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{s_cancelled['id']}", json={"status": "cancelled"}), 200)
    theirs = other.session(other.activity()["id"], start=soon)

    feed = issue(t)
    district = parse(fetch(base_url, feed["district_feed"]))
    assert set(district) == {s_colleague["id"], s_elsewhere["id"], s_nobody["id"], s_cancelled["id"]}
    assert s_draft["id"] not in district and theirs["id"] not in district
    assert str(district[s_cancelled["id"]]["STATUS"]) == "CANCELLED"
    # the school's: what its educators go to (the cancelled one shown cancelled), not the other school's
    school_feed = parse(fetch(base_url, feed["school_feed"].replace("{school_id}", school)))
    assert set(school_feed) == {s_colleague["id"], s_cancelled["id"]}
    assert str(school_feed[s_cancelled["id"]]["STATUS"]) == "CANCELLED"
    # only a school of the holder's; no school id, another district's feed
    for path in (feed["school_feed"].replace("{school_id}", school2),
                 feed["school_feed"].replace("{school_id}", str(uuid.uuid4())),
                 feed["school_feed"].replace("{school_id}", "not-a-uuid")):
        assert_problem(fetch(base_url, path), 404, "not-found")
    # the other district's educator with a feed sees their own district only
    o = other.teacher()
    assert set(parse(fetch(base_url, issue(o)["district_feed"]))) == {theirs["id"]}
    # their feed is theirs: revoking t's leaves o's alone
    assert t.delete(FEED).status_code == 204
    assert assert_json(o.get(FEED), 200)["educator_id"] == o.sub


def test_roles_and_unknown_secrets(api, base_url):
    d = District(api)
    assert api(None).put(FEED).status_code == 401
    for role in ("sis_integration", "state_reporter", "teacher_leader"):
        assert_problem(d.client(None, role).put(FEED), 403, "forbidden")
    for role in ("coach", "school_leader", "district_admin"):
        c = d.client(None, role)
        assert issue(c)["status"] == 201
        assert c.delete(FEED).status_code == 204
    for secret in ("x" * 43, "short", "A" * 44, "%2e%2e"):
        assert_problem(fetch(base_url, f"/v1/catalog/calendar/feeds/{secret}/educator"), 404, "not-found")
    # a token is no way in: the feed routes take the secret alone
    t = d.teacher()
    path = issue(t)["educator_feed"]
    assert_problem(t.get(path.replace(path.split("/")[5], "B" * 43)), 404, "not-found")
    # an educator the roster deactivated: their feed answers 404 (and again when reactivated? they rotate)
    assert fetch(base_url, path).status_code == 200
    d.on_roster(t.sub, status="inactive")
    assert_problem(fetch(base_url, path), 404, "not-found")


@pytest.fixture(scope="module")
def calendar_gateway(resources_service):
    gw = Gateway(gateway_dir("gateway-calendar"), dict(TEST_LIMITS))
    gw.start()
    yield gw
    gw.stop()


def test_secret_never_in_the_access_logs(api, base_url, resources_service, calendar_gateway):
    d = District(api)
    t = d.teacher()
    feed = issue(t)
    secret = feed["secret"]
    typo = secret[:-1] + ("A" if secret[-1] != "A" else "B")  # a mistyped secret is a secret too
    never_logged(typo[:-1])
    for path in (feed["educator_feed"], feed["district_feed"], f"/v1/catalog/calendar/feeds/{typo}/educator",
                 f"/v1/catalog/calendar/feeds/{secret}/nothing-here"):
        for base in (base_url, calendar_gateway.url):
            r = fetch(base, path)
            assert r.status_code in (200, 404), (base, path, r.status_code)
    assert fetch(calendar_gateway.url, feed["educator_feed"]).status_code == 200
    access = (calendar_gateway.dir / "access.log").read_text()
    service = resources_service.log_path.read_text(errors="replace")
    assert secret[:-1] not in access and typo[:-1] not in access
    assert secret[:-1] not in service and typo[:-1] not in service
    assert "GET /v1/catalog/calendar/feeds/[secret]/educator HTTP/1.1\" 200" in access
    assert "GET /v1/catalog/calendar/feeds/[secret]/nothing-here HTTP/1.1\" 404" in access
    assert '"path":"/v1/catalog/calendar/feeds/[secret]/educator"' in service
    assert '"path":"/v1/catalog/calendar/feeds/[secret]/nothing-here"' in service


def test_calcurse_imports_the_feed(api, base_url, tmp_path):
    """A real calendar program: calcurse (Debian, headless: `-i` imports an .ics) reads the educator's feed."""
    calcurse = shutil.which("calcurse")
    assert calcurse, "calcurse is not installed (make deps installs it)"
    d = District(api)
    t = d.teacher()
    a = d.activity(title="Coaching cycles, in practice; part 1")
    start = datetime(2031, 3, 4, 15, 30, tzinfo=timezone.utc)  # a fixed future day calcurse is asked for
    s1 = d.session(a["id"], start=start, minutes=90)
    s2 = d.session(a["id"], start=start + timedelta(days=1), minutes=45)
    d.register(t, s1["id"])
    d.register(t, s2["id"])
    ics = tmp_path / "feed.ics"
    ics.write_bytes(fetch(base_url, issue(t)["educator_feed"]).content)
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {**os.environ, "TZ": "UTC", "HOME": str(tmp_path)}
    p = subprocess.run([calcurse, "-D", str(data), "-i", str(ics)], capture_output=True, text=True, env=env,
                       timeout=30)
    assert p.returncode == 0, p.stderr
    assert "2 apps / 0 events / 0 todos / 0 skipped" in p.stdout, p.stdout
    p = subprocess.run([calcurse, "-D", str(data), "-Q", "--input-datefmt", "4", "--from", "2031-03-01",
                        "--days", "10", "--format-apt", "%S-%E %m\n"], capture_output=True, text=True, env=env,
                       timeout=30)
    assert p.returncode == 0, p.stderr
    lines = [line.strip() for line in p.stdout.splitlines() if "-" in line and ":" in line]
    assert lines == ["15:30-17:00 Coaching cycles, in practice; part 1",
                     "15:30-16:15 Coaching cycles, in practice; part 1"], p.stdout


def test_plc_meetings_from_coaching_in_the_educator_feed(api, base_url, coaching, coaching_service):
    """The real coaching service's PLC and meeting events (homegrown.coaching) reach resources' read model: a
    meeting shows in its members' feeds as an all-day event of the day held; corrected, its SEQUENCE grows; a
    member taken out of the PLC no longer sees it; a non-member never does."""
    d = District(api)
    school = str(uuid.uuid4())
    lead, member, outsider = new_user(), new_user(), new_user()
    d.on_roster(lead, member, outsider, schools=[school])
    lc = coaching(token(d.id, lead, ["teacher"]))
    body = {"name": "Grade 4 math, fractions", "scope": "school", "school_ids": [school],
            "members": [{"educator_id": lead, "role": "facilitator"}, {"educator_id": member, "role": "member"}]}
    formed = poll(lambda: (r := lc.post("/v1/plcs", json=body)).status_code == 201 and r.json(), PLC_WAIT, 0.2)
    assert formed, "coaching did not learn the roster in time"
    plc = formed
    held = (now() - timedelta(days=3)).date()
    m = assert_json(lc.post(f"/v1/plcs/{plc['id']}/meetings",
                            json={"held_on": held.isoformat(), "minutes": 45, "attendance": [lead]}), 201)
    feeds = {who: issue(d.client(who, "teacher"))["educator_feed"] for who in (lead, member, outsider)}

    def meeting(who: str):
        return parse(fetch(base_url, feeds[who])).get(m["id"])

    ev = poll(lambda: meeting(member), PLC_WAIT, 0.2)
    assert ev is not None, "the meeting did not reach the member's feed"
    assert str(ev["UID"]) == f"{m['id']}@homegrown.plc"
    assert ev.decoded("DTSTART") == held and ev.decoded("DTEND") == held + timedelta(days=1)
    assert str(ev["SUMMARY"]) == "PLC meeting: Grade 4 math, fractions"
    assert str(ev["DESCRIPTION"]) == "A meeting of your PLC, 45 minutes. You are not recorded as attending."
    assert str(meeting(lead)["DESCRIPTION"]).endswith("You attended.")
    assert meeting(outsider) is None
    seq = int(ev["SEQUENCE"])

    # corrected: another day, the member present
    earlier = held - timedelta(days=1)
    assert_json(lc.patch(f"/v1/plcs/{plc['id']}/meetings/{m['id']}",
                         json={"held_on": earlier.isoformat(), "attendance": [lead, member]}), 200)
    ev = poll(lambda: (e := meeting(member)) is not None and e.decoded("DTSTART") == earlier and e, PLC_WAIT, 0.2)
    assert ev, "the correction did not reach the feed"
    assert int(ev["SEQUENCE"]) > seq and str(ev["DESCRIPTION"]).endswith("You attended.")
    # the member leaves the PLC: the meeting leaves their feed, and stays in the lead's
    assert_json(lc.patch(f"/v1/plcs/{plc['id']}",
                         json={"members": [{"educator_id": lead, "role": "facilitator"}]}), 200)
    assert poll(lambda: meeting(member) is None, PLC_WAIT, 0.2), "the former member still sees the meeting"
    assert meeting(lead) is not None
