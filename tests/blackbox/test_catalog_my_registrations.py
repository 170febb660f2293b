"""My registrations: a teacher lists their registrations and upcoming sessions, a school leader those of their
school, district admins the district's; filters, paging, refusals, isolation."""

from __future__ import annotations

import uuid
from datetime import timedelta

from catalog_support import District, now
from hgtest import SPEC, assert_json, assert_problem

MINE = "/v1/catalog/registrations"


def page(client, **params) -> dict:
    body = assert_json(client.get(MINE, params=params), 200)
    SPEC.check("resources.yaml", "CatalogMyRegistrationPage", body)
    return body


def all_pages(client, **params) -> list[dict]:
    out, cursor = [], None
    for _ in range(50):
        p = page(client, **params, limit=2, **({"cursor": cursor} if cursor else {}))
        out += p["data"]
        cursor = p["next_cursor"]
        if not cursor:
            return out
    raise AssertionError("too many pages")


def test_teacher_lists_their_registrations_and_upcoming_sessions(api):
    d = District(api)
    a = d.activity(title="Writers' workshop")
    later = d.session(a["id"], start=now() + timedelta(days=7), capacity=1)
    sooner = d.session(a["id"], start=now() + timedelta(days=1))
    past = d.session(a["id"], start=now() - timedelta(days=2))
    t, other = d.teacher(), d.teacher()
    d.register(other, later["id"])  # takes the only seat: t waits
    r_later = d.register(t, later["id"])
    r_sooner = d.register(t, sooner["id"])
    # a session of the past (registered by the admin before it ended is impossible: it is over) - cancel one instead
    cancelled = d.session(a["id"], start=now() + timedelta(days=3))
    r_cancelled = d.register(t, cancelled["id"])
    assert d.admin.delete(f"/v1/catalog/registrations/{r_cancelled['id']}").status_code == 204
    mine = all_pages(t)
    assert [r["id"] for r in mine] == [r_sooner["id"], r_cancelled["id"], r_later["id"]]  # earliest session first
    assert all(r["educator_id"] == t.sub for r in mine)
    first = mine[0]
    assert first["activity_title"] == "Writers' workshop"
    assert first["session"]["starts_at"] == sooner["starts_at"] and first["session"]["location"] == sooner["location"]
    assert mine[2]["status"] == "waitlisted" and mine[2]["waitlist_position"] == 1
    upcoming = page(t, upcoming="true")["data"]
    assert [r["id"] for r in upcoming] == [r_sooner["id"], r_later["id"]]
    assert [r["id"] for r in page(t, status="waitlisted")["data"]] == [r_later["id"]]
    assert page(t, educator_id=t.sub)["data"] == page(t)["data"]
    # the past session's registrations never appear as upcoming; a cancelled session's neither
    assert past["id"] not in {r["session_id"] for r in upcoming}
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{sooner['id']}", json={"status": "cancelled"}), 200)
    assert [r["id"] for r in page(t, upcoming="true")["data"]] == [r_later["id"]]


def test_who_sees_whose(api):
    d = District(api)
    school, elsewhere = str(uuid.uuid4()), str(uuid.uuid4())
    a = d.activity()
    s = d.session(a["id"], start=now() + timedelta(days=1))
    t1, t2 = d.client(None, "teacher"), d.client(None, "teacher")
    far = d.client(None, "teacher")
    leader = d.client(None, "school_leader")
    coach = d.client(None, "coach")
    d.on_roster(t1.sub, t2.sub, leader.sub, schools=[school])
    d.on_roster(far.sub, coach.sub, schools=[elsewhere])
    regs = {c.sub: d.register(c, s["id"]) for c in (t1, t2, far, coach)}
    # teachers and coaches: their own only
    assert [r["id"] for r in page(t1)["data"]] == [regs[t1.sub]["id"]]
    assert [r["id"] for r in page(coach)["data"]] == [regs[coach.sub]["id"]]
    p = assert_problem(t1.get(MINE, params={"educator_id": t2.sub}), 403, "forbidden")
    assert p["reason"] == "registrations_others_forbidden"
    assert_problem(coach.get(MINE, params={"school_id": elsewhere}), 403, "forbidden")
    # the leader: their school's educators (and their own), not the other school's
    seen = {r["educator_id"] for r in page(leader)["data"]}
    assert seen == {t1.sub, t2.sub}
    assert {r["educator_id"] for r in page(leader, school_id=school)["data"]} == {t1.sub, t2.sub}
    assert page(leader, school_id=elsewhere)["data"] == []
    assert page(leader, educator_id=far.sub)["data"] == []
    assert [r["id"] for r in page(leader, educator_id=t2.sub)["data"]] == [regs[t2.sub]["id"]]
    # admins: everyone; a school or an educator narrows
    assert {r["educator_id"] for r in all_pages(d.admin)} == {t1.sub, t2.sub, far.sub, coach.sub}
    assert {r["educator_id"] for r in page(d.admin, school_id=elsewhere)["data"]} == {far.sub, coach.sub}
    assert [r["educator_id"] for r in page(d.admin, educator_id=far.sub)["data"]] == [far.sub]


def test_bad_parameters_and_isolation(api):
    d, other = District(api), District(api)
    a = d.activity()
    s = d.session(a["id"], start=now() + timedelta(days=1))
    t = d.teacher()
    d.register(t, s["id"])
    for params, name in (({"upcoming": "yes"}, "upcoming"), ({"status": "gone"}, "status"),
                         ({"school_id": "x"}, "school_id"), ({"educator_id": "1"}, "educator_id"),
                         ({"limit": "0"}, "limit")):
        p = assert_problem(d.admin.get(MINE, params=params), 400, "bad-request")
        assert name in p["detail"], p
    # another district's admin sees none of it, even asking for the educator by id
    assert page(other.admin)["data"] == []
    assert page(other.admin, educator_id=t.sub)["data"] == []
