"""Bearer tokens (401) and roles (403), per docs/conventions.md, against every service (`target`, on the routes
of its Probe in services.py); the ownership rule of library resources (docs/resources.md) against resources."""

from __future__ import annotations

import secrets
import time

import pytest

from hgtest import assert_json, assert_problem, new_user, token
from services import ROLES, SOME_ID, per_service

COLLECTION = "/v1/library/resources"
BODY = {"title": "Auth check", "type": "template"}
REALM = 'Bearer realm="homegrown"'


def assert_401(resp, token_given: bool) -> None:
    assert_problem(resp, 401, "unauthorized")
    challenge = resp.headers.get("WWW-Authenticate", "")
    assert challenge.startswith(REALM), f"WWW-Authenticate: {challenge!r}"
    if token_given:
        assert 'error="invalid_token"' in challenge, f"WWW-Authenticate: {challenge!r}"
    else:
        assert "error=" not in challenge, f"WWW-Authenticate: {challenge!r}"


@per_service("route", lambda s: [(r,) for r in s.probe.routes], ids=lambda row: f"{row[0].method}-{row[0].path}")
def test_no_token_is_401_on_every_operation(target, route):
    assert_401(target.api(None).request(route.method, route.at(SOME_ID), **route.send_kwargs()), False)


def _bad_tokens(district: str, sub: str) -> dict[str, str]:
    now = int(time.time())
    return {
        "garbage": "not.a.jwt",
        "not-three-parts": "abcdef",
        "expired": token(district, sub, ["teacher"], exp=now - 120, iat=now - 600),
        "no-exp": token(district, sub, ["teacher"], exp=None),
        "not-yet-valid": token(district, sub, ["teacher"], nbf=now + 600),
        "wrong-audience": token(district, sub, ["teacher"], aud="someone-else"),
        "wrong-issuer": token(district, sub, ["teacher"], iss="evil-issuer"),
        "alg-none": token(district, sub, ["teacher"], alg="none"),
        # random, not "x" * 48: every secret is searched for in every log, and a logged URI of x's would match
        "other-secret": token(district, sub, ["teacher"], secret=secrets.token_urlsafe(36)),
        "hs512": token(district, sub, ["teacher"], alg="HS512"),
        "tampered-payload": _tamper(token(district, sub, ["teacher"]), token(district, sub, ["district_admin"])),
    }


def _tamper(good: str, other: str) -> str:
    """good's header and signature around other's payload: a forged role."""
    h, _, s = good.split(".")
    return f"{h}.{other.split('.')[1]}.{s}"


@pytest.mark.parametrize("kind", [
    "garbage", "not-three-parts", "expired", "no-exp", "not-yet-valid", "wrong-audience", "wrong-issuer",
    "alg-none", "other-secret", "hs512", "tampered-payload",
])
def test_invalid_token_is_401(target, district, kind):
    bad = _bad_tokens(district, new_user())[kind]
    write = target.probe.write
    assert_401(target.api(bad).get(target.probe.collection), True)
    assert_401(target.api(bad).request(write.method, write.at(SOME_ID), **write.send_kwargs()), True)


def test_not_bearer_scheme_is_401(target, district):
    good = token(district, new_user(), ["teacher"])
    r = target.api(None).get(target.probe.collection, headers={"Authorization": f"Basic {good}"})
    assert_problem(r, 401, "unauthorized")
    assert r.headers.get("WWW-Authenticate", "").startswith(REALM)


def test_leeway_accepts_slight_clock_skew(target, district):
    now = int(time.time())
    client = target.api(token(district, new_user(), ["teacher"], exp=now - 5, nbf=now + 5))
    assert_json(client.get(target.probe.collection), 200)


def test_audience_array_containing_ours_is_accepted(target, district):
    client = target.api(token(district, new_user(), ["teacher"], aud=["other", "homegrown"]))
    assert_json(client.get(target.probe.collection), 200)


def _refused(service):
    """(roles, route) for every role the probed write, other POST and collection routes refuse, then no role at
    all (resources: POST school_leader, sis_integration, state_reporter, none; GET sis_integration,
    state_reporter, none)."""
    probe = service.probe
    routes = [probe.write, *[r for r in probe.routes if r.method == "POST" and r.path != probe.write.path],
              next(r for r in probe.routes if r.method == "GET" and r.path == probe.collection)]
    return [(roles, route) for route in routes
            for roles in [*[[role] for role in ROLES if role not in route.roles], []]]


@per_service("roles, route", _refused, ids=lambda row: f"{'+'.join(row[0]) or 'none'}-{row[1].method}")
def test_role_not_allowed_is_403(target, district, roles, route):
    client = target.api(token(district, new_user(), roles))
    assert_problem(client.request(route.method, route.at(SOME_ID), **route.send_kwargs()), 403, "forbidden")
    assert_json(target.api(token(district, new_user(), ["district_admin"])).get(target.probe.collection),
                200)["data"] == []


def test_roles_that_may_read(target, district):
    probe = target.probe
    owner = target.api(token(district, new_user(), [probe.write.caller]))
    # resources: a teacher creates one (the write is a POST to the collection); roster: a district admin
    # imports a district of one school (the write is a PATCH of it)
    write = probe.write
    rid = write.seed(owner) if write.seed else assert_json(owner.request(write.method, write.path,
                                                                         **write.send_kwargs()), write.ok)["id"]
    item = probe.item.replace("{id}", rid)
    item_roles = next(r.roles for r in probe.routes if r.method == "GET" and r.path == probe.item)
    readers = probe.readers if probe.readers is not None else item_roles
    for role in [r for r in ROLES if r in readers]:  # teacher, coach, school_leader, district_admin
        reader = target.api(token(district, new_user(), [role]))
        assert assert_json(reader.get(item), 200)["id"] == rid, role
        assert [r["id"] for r in assert_json(reader.get(probe.collection), 200)["data"]] == [rid], role
    for role in [r for r in ROLES if r not in item_roles]:  # sis_integration, state_reporter
        assert_problem(target.api(token(district, new_user(), [role])).get(item), 403, "forbidden")


# Who may change a library resource is a rule of the resources service (the creator or a district admin),
# not of the common code: resources only.
@pytest.mark.parametrize("role", ["teacher", "coach"])
def test_only_the_creator_may_change_unless_admin(api, district, role):
    owner_sub = new_user()
    owner = api(token(district, owner_sub, [role]))
    created = assert_json(owner.post(COLLECTION, json=BODY), 201)
    path = f"{COLLECTION}/{created['id']}"

    for other_roles in (["teacher"], ["coach"], ["school_leader"]):
        other = api(token(district, new_user(), other_roles))
        assert_problem(other.patch(path, json={"title": "hijacked"}), 403, "forbidden")
        assert_problem(other.delete(path), 403, "forbidden")
    r = owner.get(path)
    assert assert_json(r, 200) == created, "a refused change changed something"

    # the creator may, under a new token too
    again = api(token(district, owner_sub, [role]))
    assert assert_json(again.patch(path, json={"title": "mine"}), 200)["version"] == 2

    admin = api(token(district, new_user(), ["district_admin"]))
    changed = assert_json(admin.patch(path, json={"title": "admin edit"}), 200)
    assert changed["version"] == 3 and changed["title"] == "admin edit"
    assert changed["created_by"] == owner_sub
    r = admin.delete(path)
    assert r.status_code == 204, r.text
    assert_problem(owner.get(path), 404, "not-found")


def test_several_roles_any_allowed_one_is_enough(target, district):
    write = target.probe.write
    # two roles the write refuses, then one it allows (resources: sis_integration, school_leader, coach)
    allowed = next(r for r in ("coach", "district_admin", *ROLES) if r in write.roles)
    roles = [r for r in ("sis_integration", "school_leader") if r not in write.roles] + [allowed]
    client = target.api(token(district, new_user(), roles))
    path = write.at(write.seed(client)) if write.seed else write.path
    r = client.request(write.method, path, **write.send_kwargs())
    assert_json(r, write.ok)
