"""Role checks on every roster endpoint: no token is a 401, a role the operation does not list is a 403."""

from __future__ import annotations

import pytest

from hgtest import assert_problem, new_district, new_user, token
from rosterlib import EDUCATORS, IMPORTS, SCHOOLS, SESSIONS, generate, import_ok, list_all

ROLES = ["teacher", "coach", "school_leader", "district_admin", "sis_integration", "state_reporter"]
READERS = {"teacher", "coach", "school_leader", "district_admin"}
IMPORTERS = {"sis_integration", "district_admin"}
ADMINS = {"district_admin"}


@pytest.fixture(scope="module")
def ids(roster_service):
    from hgtest import Api

    district = new_district()
    with Api(roster_service.url, token(district, new_user(), ["sis_integration"])) as c:
        report = import_ok(c, generate.valid())
    with Api(roster_service.url, token(district, new_user(), ["district_admin"])) as a:
        school = list_all(a, SCHOOLS)[0]["id"]
        educator = list_all(a, EDUCATORS)[0]["id"]
    return district, report["id"], school, educator


def operations(report, school, educator):
    return [
        ("POST", IMPORTS, IMPORTERS, {"data": b"not a zip", "headers": {"Content-Type": "application/zip"}}),
        ("GET", f"{IMPORTS}/{report}", IMPORTERS, {}),
        ("GET", SCHOOLS, READERS, {}),
        ("GET", f"{SCHOOLS}/{school}", READERS, {}),
        ("PATCH", f"{SCHOOLS}/{school}", ADMINS, {"json": {"bogus": 1}}),
        ("GET", EDUCATORS, READERS, {}),
        ("GET", f"{EDUCATORS}/{educator}", READERS, {}),
        ("PATCH", f"{EDUCATORS}/{educator}", ADMINS, {"json": {"bogus": 1}}),
        ("GET", SESSIONS, READERS, {}),
    ]


def test_every_endpoint_checks_the_token_and_the_role(roster, ids):
    district, report, school, educator = ids
    for method, path, allowed, kwargs in operations(report, school, educator):
        r = roster(None).request(method, path, **kwargs)
        assert_problem(r, 401, "unauthorized")
        assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")
        r = roster("not.a.token").request(method, path, **kwargs)
        assert_problem(r, 401, "unauthorized")
        for role in ROLES:
            r = roster(token(district, new_user(), [role])).request(method, path, **kwargs)
            if role in allowed:
                # allowed: whatever the answer (404 for an educator one may not see, 422 for the bad bodies)
                assert r.status_code not in (401, 403), (method, path, role, r.status_code, r.text[:300])
            else:
                assert_problem(r, 403, "forbidden")
        # an empty role list is refused too
        assert_problem(roster(token(district, new_user(), [])).request(method, path, **kwargs), 403, "forbidden")
