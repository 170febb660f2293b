"""Create, read, list, change and delete one library resource (docs/resources.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hgtest import SPEC, assert_json, assert_problem, assert_resource, etag, new_user, parse_time, token

COLLECTION = "/v1/library/resources"

FULL = {
    "title": "Fraction strips, grade 3",
    "description": "Hands-on fractions with paper strips.",
    "type": "lesson_plan",
    "url": "https://example.org/fraction-strips",
    "subjects": ["math"],
    "grade_bands": ["3-5"],
    "topics": ["fractions", "manipulatives"],
    "license": "CC-BY-4.0",
}


def list_ids(client) -> list[str]:
    body = assert_json(client.get(COLLECTION, params={"limit": 100}), 200)
    SPEC.check("resources.yaml", "ResourcePage", body)
    return [r["id"] for r in body["data"]]


def test_round_trip(api, district):
    sub = new_user()
    client = api(token(district, sub, ["teacher"]))

    # create
    r = client.post(COLLECTION, json=FULL)
    created = assert_resource(assert_json(r, 201))
    rid = created["id"]
    assert r.headers.get("ETag") == etag(1)
    location = r.headers.get("Location")
    assert location and urlsplit(location).path == f"{COLLECTION}/{rid}", location
    for k, v in FULL.items():
        assert created[k] == v, (k, created[k], v)
    assert created["district_id"] == district
    assert created["created_by"] == sub
    assert created["version"] == 1
    assert parse_time(created["updated_at"]) >= parse_time(created["created_at"])

    # read
    r = client.get(f"{COLLECTION}/{rid}")
    assert assert_json(r, 200) == created
    assert r.headers.get("ETag") == etag(1)
    r = client.get(location if location.startswith("/") else urlsplit(location).path)
    assert assert_json(r, 200) == created

    # list
    assert list_ids(client) == [rid]

    # change
    r = client.patch(f"{COLLECTION}/{rid}", json={"title": "Fraction strips, grades 3-4", "license": None})
    patched = assert_resource(assert_json(r, 200))
    assert r.headers.get("ETag") == etag(2)
    assert patched["version"] == 2
    assert patched["title"] == "Fraction strips, grades 3-4"
    assert patched["license"] is None
    for k in ("id", "district_id", "created_by", "created_at", "description", "type", "url", "subjects",
              "grade_bands", "topics"):
        assert patched[k] == created[k], k
    assert parse_time(patched["updated_at"]) >= parse_time(created["updated_at"])
    r = client.get(f"{COLLECTION}/{rid}")
    assert assert_json(r, 200) == patched
    assert r.headers.get("ETag") == etag(2)

    # delete
    r = client.delete(f"{COLLECTION}/{rid}")
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_problem(client.get(f"{COLLECTION}/{rid}"), 404, "not-found")
    assert list_ids(client) == []
    assert_problem(client.delete(f"{COLLECTION}/{rid}"), 404, "not-found")
    assert_problem(client.patch(f"{COLLECTION}/{rid}", json={"title": "again"}), 404, "not-found")


def test_defaults_of_optional_fields(api, district):
    client = api(token(district, new_user(), ["coach"]))
    created = assert_resource(assert_json(client.post(COLLECTION, json={"title": "Rubric", "type": "rubric"}), 201))
    assert created["description"] == ""
    assert created["url"] is None
    assert created["license"] is None
    assert created["subjects"] == []
    assert created["grade_bands"] == []
    assert created["topics"] == []


def test_patch_replaces_arrays_and_clears_url(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    created = assert_json(client.post(COLLECTION, json=FULL), 201)
    r = client.patch(f"{COLLECTION}/{created['id']}", json={"subjects": ["science", "math"], "url": None,
                                                             "grade_bands": []})
    patched = assert_resource(assert_json(r, 200))
    assert patched["subjects"] == ["science", "math"]
    assert patched["grade_bands"] == []
    assert patched["url"] is None
    assert patched["topics"] == FULL["topics"]


def test_patch_accepts_merge_patch_media_type(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    created = assert_json(client.post(COLLECTION, json=FULL), 201)
    r = client.patch(f"{COLLECTION}/{created['id']}", data=b'{"type": "video"}',
                     headers={"Content-Type": "application/merge-patch+json"})
    assert assert_json(r, 200)["type"] == "video"


def test_malformed_or_unknown_id_is_404(api, district):
    client = api(token(district, new_user(), ["district_admin"]))
    for rid in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", "1234", "'%20OR%201=1"):
        assert_problem(client.get(f"{COLLECTION}/{rid}"), 404, "not-found")
        assert_problem(client.patch(f"{COLLECTION}/{rid}", json={"title": "x"}), 404, "not-found")
        assert_problem(client.delete(f"{COLLECTION}/{rid}"), 404, "not-found")


def test_unicode_title_round_trips(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    title = "Évaluation formative — 数学 🍎"
    created = assert_json(client.post(COLLECTION, json={"title": title, "type": "article"}), 201)
    assert created["title"] == title
    assert assert_json(client.get(f"{COLLECTION}/{created['id']}"), 200)["title"] == title
