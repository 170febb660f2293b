"""Bearer tokens (401) and roles (403), per docs/conventions.md and docs/resources.md."""

from __future__ import annotations

import time

import pytest

from hgtest import assert_json, assert_problem, new_user, token

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


@pytest.mark.parametrize(("method", "path"), [
    ("GET", COLLECTION),
    ("POST", COLLECTION),
    ("GET", f"{COLLECTION}/0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"),
    ("PATCH", f"{COLLECTION}/0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"),
    ("DELETE", f"{COLLECTION}/0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"),
])
def test_no_token_is_401_on_every_operation(api, method, path):
    assert_401(api(None).request(method, path, json=BODY if method in ("POST", "PATCH") else None), False)


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
        "other-secret": token(district, sub, ["teacher"], secret="x" * 48),
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
def test_invalid_token_is_401(api, district, kind):
    bad = _bad_tokens(district, new_user())[kind]
    assert_401(api(bad).get(COLLECTION), True)
    assert_401(api(bad).post(COLLECTION, json=BODY), True)


def test_not_bearer_scheme_is_401(api, district):
    good = token(district, new_user(), ["teacher"])
    r = api(None).get(COLLECTION, headers={"Authorization": f"Basic {good}"})
    assert_problem(r, 401, "unauthorized")
    assert r.headers.get("WWW-Authenticate", "").startswith(REALM)


def test_leeway_accepts_slight_clock_skew(api, district):
    now = int(time.time())
    client = api(token(district, new_user(), ["teacher"], exp=now - 5, nbf=now + 5))
    assert_json(client.get(COLLECTION), 200)


def test_audience_array_containing_ours_is_accepted(api, district):
    client = api(token(district, new_user(), ["teacher"], aud=["other", "homegrown"]))
    assert_json(client.get(COLLECTION), 200)


@pytest.mark.parametrize(("roles", "method"), [
    (["school_leader"], "POST"),
    (["sis_integration"], "POST"),
    (["state_reporter"], "POST"),
    ([], "POST"),
    (["sis_integration"], "GET"),
    (["state_reporter"], "GET"),
    ([], "GET"),
])
def test_role_not_allowed_is_403(api, district, roles, method):
    client = api(token(district, new_user(), roles))
    assert_problem(client.request(method, COLLECTION, json=BODY if method == "POST" else None), 403, "forbidden")
    assert_json(api(token(district, new_user(), ["district_admin"])).get(COLLECTION), 200)["data"] == []


def test_roles_that_may_read(api, district):
    owner = api(token(district, new_user(), ["teacher"]))
    rid = assert_json(owner.post(COLLECTION, json=BODY), 201)["id"]
    for role in ("teacher", "coach", "school_leader", "district_admin"):
        reader = api(token(district, new_user(), [role]))
        assert assert_json(reader.get(f"{COLLECTION}/{rid}"), 200)["id"] == rid, role
        assert [r["id"] for r in assert_json(reader.get(COLLECTION), 200)["data"]] == [rid], role
    for role in ("sis_integration", "state_reporter"):
        assert_problem(api(token(district, new_user(), [role])).get(f"{COLLECTION}/{rid}"), 403, "forbidden")


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


def test_several_roles_any_allowed_one_is_enough(api, district):
    client = api(token(district, new_user(), ["sis_integration", "school_leader", "coach"]))
    assert_json(client.post(COLLECTION, json=BODY), 201)
