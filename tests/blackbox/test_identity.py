"""Identity from the district's sign-in (common/identity.c, docs/conventions.md "Who the caller is").

A token names its educator by the claim HG_IDENTITY_CLAIM, matched as HG_IDENTITY_MATCH says: the educator's email
(any case), OneRoster sourcedId, username or userMasterIdentifier. Each kind runs a second hg-roster (on
HG_TEST_PORT_BASE + 8, which only the gateway's tests use while they run) and a second hg-resources (+ 9) with that
configuration, on the stack's database and Kafka: the roster looks in its own educators, resources in the
identities its consumer keeps from the roster's events. What the services record as the caller (an import's
created_by, a library resource's created_by, whose transcript one may read) is the educator's Homegrown id.
An unknown principal with an educator role is 403 unknown_principal; roles that need no educator (district_admin,
sis_integration) work without one; a deactivated educator stops resolving (403 principal_inactive) at once on the
roster, whose cache forgets after the commit that deactivated them, and within the cache's lifetime on resources.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Callable, Iterator

import pytest
import requests

from hgtest import (
    BIN_DIR,
    LOG_DIR,
    SERVICE_PORT_BASE,
    TEST_RUN_DIR,
    Api,
    ServiceProcess,
    assert_json,
    assert_problem,
    new_district,
    new_user,
    poll,
    token,
)
from services import BY_NAME, _stop_and_check, generate, service_env

EDUCATORS = "/v1/roster/educators"
SCHOOLS = "/v1/roster/schools"
IMPORTS = "/v1/roster/imports"
LIBRARY = "/v1/library/resources"
TRANSCRIPTS = "/v1/transcripts"
WAIT = 60  # seconds for the roster's events to reach resources

# (HG_IDENTITY_MATCH, HG_IDENTITY_CLAIM, what the identity provider puts in the claim for an educator)
KINDS: list[tuple[str, str, Callable[[dict], str]]] = [
    ("email", "email", lambda e: e["email"].upper()),  # Entra ID / Google: the email, in whatever case
    ("sourced_id", "employee_id", lambda e: e["sourced_id"]),
    ("username", "preferred_username", lambda e: e["username"]),
    ("user_master_identifier", "sub", lambda e: e["user_master_identifier"]),  # the IdP's own subject
]


def district_files(disabled: set[str] = frozenset()) -> dict:
    d = generate.District(schools=1, staff=8, students=0)
    for n, u in enumerate(d.users):
        u.master_id = f"UMI-{n:04d}"
        if u.sourced_id in disabled:
            u.enabled = "false"
    return d.files()


def import_zip(base_url: str, district: str, files: dict, sub: str | None = None) -> dict:
    with Api(base_url, token(district, sub or new_user(), ["sis_integration"])) as c:
        r = c.post(IMPORTS, data=generate.zip_bytes(files), headers={"Content-Type": "application/zip"})
        return assert_json(r, 201)


@pytest.fixture(scope="module")
def district(roster_service):
    """A district imported through the stack's roster: (district id, its educators by role)."""
    district = new_district()
    import_zip(roster_service.url, district, district_files())
    with Api(roster_service.url, token(district, new_user(), ["district_admin"])) as a:
        educators = assert_json(a.get(EDUCATORS, params={"limit": 100}), 200)["data"]
    teachers = [e for e in educators if "teacher" in e["roles"] and e["status"] == "active"]
    admins = [e for e in educators if "district_admin" in e["roles"]]
    assert len(teachers) >= 2 and admins, educators
    for e in educators:
        assert e["username"] and e["user_master_identifier"].startswith("UMI-"), e
    return district, teachers, admins[0]


@contextlib.contextmanager
def instance(name: str, port: int, match: str, claim: str, ttl: int = 30) -> Iterator[ServiceProcess]:
    env = service_env(BY_NAME[name])
    env.update({"HG_HTTP_PORT": str(port), "HG_IDENTITY_MATCH": match, "HG_IDENTITY_CLAIM": claim,
                "HG_IDENTITY_CACHE_TTL_S": str(ttl)})
    svc = ServiceProcess(f"hg-{name} ({match})", BIN_DIR / f"hg-{name}", port, env,
                         LOG_DIR / f"hg-{name}-identity.log", TEST_RUN_DIR / f"hg-{name}-identity.pid")
    svc.start()
    try:
        yield svc
    finally:
        _stop_and_check(svc)


def idp_token(district: str, claim: str, value: str, roles: list[str]) -> str:
    """A token as the district's identity provider signs it: its own opaque subject, the claim, the roles."""
    claims = {claim: value}
    sub = value if claim == "sub" else "00u" + uuid.uuid4().hex[:17]  # an Okta/Entra-style subject, no UUID
    claims.pop("sub", None)
    return token(district, sub, roles, **claims)


def get(base: str, path: str, tok: str) -> requests.Response:
    return requests.get(base + path, headers={"Authorization": f"Bearer {tok}"}, timeout=10)


@pytest.mark.parametrize("match,claim,value", KINDS, ids=[k[0] for k in KINDS])
def test_each_claim_kind_names_the_educator_on_two_services(district, match, claim, value):
    district_id, teachers, admin = district
    me, other = teachers[0], teachers[1]
    with instance("roster", SERVICE_PORT_BASE + 8, match, claim) as roster, \
            instance("resources", SERVICE_PORT_BASE + 9, match, claim) as resources:
        teacher = idp_token(district_id, claim, value(me), ["teacher"])
        # roster: the educators themselves, and "me" is the educator the claim names
        assert_json(get(roster.url, f"{EDUCATORS}/{me['id']}", teacher), 200)
        assert assert_json(get(roster.url, "/v1/roster/me", teacher), 200)["id"] == me["id"]
        # the district admin signs in as the educator they are: their import is recorded under their id
        boss = idp_token(district_id, claim, value(admin), ["district_admin"])
        with Api(roster.url, boss) as a:
            r = a.post(IMPORTS, data=generate.zip_bytes(district_files()), params={"dry_run": "true"},
                       headers={"Content-Type": "application/zip"})
            assert assert_json(r, 201)["created_by"] == admin["id"]
        # resources: once the roster's events are in its identities, the teacher is themselves there too
        assert poll(lambda: get(resources.url, f"{TRANSCRIPTS}/{me['id']}", teacher).status_code == 200, WAIT), \
            get(resources.url, f"{TRANSCRIPTS}/{me['id']}", teacher).text
        assert_problem(get(resources.url, f"{TRANSCRIPTS}/{other['id']}", teacher), 403, "forbidden")
        with Api(resources.url, teacher) as t:
            created = assert_json(t.post(LIBRARY, json={"title": "From sign-in", "type": "other"}), 201)
        assert created["created_by"] == me["id"]
        # an educator role that matches nobody: 403 with the reason, on both
        stranger = idp_token(district_id, claim, "nobody-" + uuid.uuid4().hex, ["teacher"])
        for svc in (roster, resources):
            body = assert_problem(get(svc.url, SCHOOLS if svc is roster else LIBRARY, stranger), 403, "forbidden")
            assert body["reason"] == "unknown_principal", body
        # the same person in another district is nobody there
        elsewhere = idp_token(new_district(), claim, value(me), ["teacher"])
        assert assert_problem(get(roster.url, SCHOOLS, elsewhere), 403, "forbidden")["reason"] == "unknown_principal"


def test_roles_that_need_no_educator(district):
    district_id, _, _ = district
    with instance("roster", SERVICE_PORT_BASE + 8, "email", "email") as roster:
        # a machine client (client credentials): no email claim, a subject that is no UUID
        sis = token(district_id, "sis-connector@springfield", ["sis_integration"])
        with Api(roster.url, sis) as c:
            r = c.post(IMPORTS, data=generate.zip_bytes(district_files()), params={"dry_run": "true"},
                       headers={"Content-Type": "application/zip"})
            first = assert_json(r, 201)["created_by"]
            again = assert_json(c.post(IMPORTS, data=generate.zip_bytes(district_files()),
                                       params={"dry_run": "true"}, headers={"Content-Type": "application/zip"}),
                                201)["created_by"]
        assert first == again and uuid.UUID(first).version == 5  # a stable id made from the subject
        # a district admin of the PD office who is on no roster
        office = token(district_id, new_user(), ["district_admin"], email="pd.office@springfield.example")
        assert_json(get(roster.url, SCHOOLS, office), 200)
        # with a teacher role as well, an educator is needed
        both = token(district_id, new_user(), ["district_admin", "teacher"], email="pd.office@springfield.example")
        assert assert_problem(get(roster.url, SCHOOLS, both), 403, "forbidden")["reason"] == "unknown_principal"
        # a bad identity claim is a bad token
        bad = token(district_id, new_user(), ["teacher"], email=["a@b.example"])
        assert get(roster.url, SCHOOLS, bad).status_code == 401


def test_a_deactivated_educator_stops_resolving(roster_service):
    district_id = new_district()
    import_zip(roster_service.url, district_id, district_files())
    with Api(roster_service.url, token(district_id, new_user(), ["district_admin"])) as a:
        educators = assert_json(a.get(EDUCATORS, params={"limit": 100}), 200)["data"]
    me = next(e for e in educators if "teacher" in e["roles"])
    # the roster's cache would keep an entry ten minutes: only the forgetting explains a prompt refusal
    with instance("roster", SERVICE_PORT_BASE + 8, "email", "email", ttl=600) as roster, \
            instance("resources", SERVICE_PORT_BASE + 9, "email", "email", ttl=2) as resources:
        teacher = idp_token(district_id, "email", me["email"], ["teacher"])
        assert_json(get(roster.url, SCHOOLS, teacher), 200)
        assert_json(get(roster.url, SCHOOLS, teacher), 200)  # from the cache
        assert poll(lambda: get(resources.url, LIBRARY, teacher).status_code == 200, WAIT)
        import_zip(roster.url, district_id, district_files(disabled={me["sourced_id"]}))
        body = assert_problem(get(roster.url, SCHOOLS, teacher), 403, "forbidden")
        assert body["reason"] == "principal_inactive", body
        assert poll(lambda: get(resources.url, LIBRARY, teacher).status_code == 403, WAIT)
        body = assert_problem(get(resources.url, LIBRARY, teacher), 403, "forbidden")
        assert body["reason"] == "principal_inactive", body
        # enabled again: resolves again
        import_zip(roster.url, district_id, district_files())
        assert_json(get(roster.url, SCHOOLS, teacher), 200)
        assert poll(lambda: get(resources.url, LIBRARY, teacher).status_code == 200, WAIT)


def test_directory_roles_join_the_tokens(roster_service):
    """Effective roles = the token's ∪ the directory's (derived and assigned), but district_admin only from the
    token: a teacher the district made school leader of another school sees that school's educators with a token
    that says only teacher; a token with no roles at all works as the directory's teacher."""
    district_id = new_district()
    d = generate.District(schools=2, staff=12, students=0)
    import_zip(roster_service.url, district_id, d.files())
    with Api(roster_service.url, token(district_id, new_user(), ["district_admin"])) as a:
        educators = assert_json(a.get(EDUCATORS, params={"limit": 100}), 200)["data"]
        me = next(e for e in educators if e["roles"] == ["teacher"] and len(e["school_ids"]) == 1)
        other = next(e for e in educators if e["roles"] == ["teacher"] and me["school_ids"][0] not in e["school_ids"])
        boss = next(e for e in educators if "district_admin" in e["roles"])
        with instance("roster", SERVICE_PORT_BASE + 8, "email", "email", ttl=0) as roster:
            teacher = idp_token(district_id, "email", me["email"], ["teacher"])
            assert get(roster.url, f"{EDUCATORS}/{other['id']}", teacher).status_code == 404
            r = a.patch(f"{EDUCATORS}/{me['id']}",
                        json={"assigned_roles": [{"role": "school_leader", "school_id": other["school_ids"][0]}]})
            assert_json(r, 200)
            assert_json(get(roster.url, f"{EDUCATORS}/{other['id']}", teacher), 200)
            # no roles in the token: the directory's
            bare = idp_token(district_id, "email", me["email"], [])
            assert_json(get(roster.url, SCHOOLS, bare), 200)
            assert_json(get(roster.url, f"{EDUCATORS}/{other['id']}", bare), 200)
            # the district administrator of the SIS gets no admin power from the directory
            admin_bare = idp_token(district_id, "email", boss["email"], [])
            assert_problem(requests.patch(roster.url + f"{EDUCATORS}/{other['id']}", json={"assigned_roles": []},
                                          headers={"Authorization": f"Bearer {admin_bare}"}, timeout=10),
                           403, "forbidden")
            admin = idp_token(district_id, "email", boss["email"], ["district_admin"])
            assert_json(requests.patch(roster.url + f"{EDUCATORS}/{other['id']}", json={"assigned_roles": []},
                                       headers={"Authorization": f"Bearer {admin}"}, timeout=10), 200)
