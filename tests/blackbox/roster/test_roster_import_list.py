"""GET /v1/roster/imports: the district's imports newest first, each as GET /imports/{id} answers it, paged once
each; other districts and other roles see none of them."""

from __future__ import annotations

from hgtest import SPEC, assert_json, assert_problem, new_district, new_user, token
from rosterlib import IMPORTS, generate, import_ok, list_all


def test_imports_are_listed_newest_first_as_read_one_by_one(roster):
    district = new_district()
    sis = roster(token(district, new_user(), ["sis_integration"]))
    made = [import_ok(sis, generate.valid(), dry_run=True), import_ok(sis, generate.valid()),
            import_ok(sis, generate.valid())]
    admin = roster(token(district, new_user(), ["district_admin"]))
    page = assert_json(admin.get(IMPORTS), 200)
    SPEC.check("roster.yaml", "ImportReport", page["data"][0])
    listed = list_all(admin, IMPORTS)
    assert [i["id"] for i in listed] == [m["id"] for m in reversed(made)]
    for item in listed:
        assert assert_json(admin.get(f"{IMPORTS}/{item['id']}"), 200) == item
    assert listed[-1]["dry_run"] is True and listed[0]["dry_run"] is False
    # one at a time: each once, in the same order
    seen, cursor = [], None
    for _ in range(5):
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        p = assert_json(sis.get(IMPORTS, params=params), 200)
        seen += [i["id"] for i in p["data"]]
        cursor = p["next_cursor"]
        if not cursor:
            break
    assert seen == [i["id"] for i in listed]


def test_nobody_else_sees_them(roster):
    district = new_district()
    import_ok(roster(token(district, new_user(), ["sis_integration"])), generate.valid(), dry_run=True)
    assert assert_json(roster(token(new_district(), new_user(), ["district_admin"])).get(IMPORTS), 200)["data"] == []
    for role in ("teacher", "school_leader", "coach"):
        assert_problem(roster(token(district, new_user(), [role])).get(IMPORTS), 403, "forbidden")
    assert roster(None).get(IMPORTS).status_code == 401
    r = roster(token(district, new_user(), ["district_admin"])).get(IMPORTS, params={"limit": "0"})
    assert [e["field"] for e in assert_problem(r, 400, "bad-request")["errors"]] == ["limit"]
