"""Body validation: every bad field reported in one 422, nothing written (docs/resources.md)."""

from __future__ import annotations

import pytest

from hgtest import assert_json, assert_problem, new_user, token

COLLECTION = "/v1/library/resources"
OK = {"title": "A title", "type": "article"}


def error_fields(body: dict) -> set[str]:
    """Field names in `errors`, with any index or sub-path cut off (`subjects[2]` → `subjects`)."""
    assert isinstance(body.get("errors"), list) and body["errors"], f"no errors list: {body}"
    fields = set()
    for e in body["errors"]:
        assert isinstance(e.get("field"), str) and isinstance(e.get("reason"), str) and e["reason"], e
        fields.add(e["field"].split("[")[0].split(".")[0].split("/")[0])
    return fields


def assert_nothing_listed(client) -> None:
    body = assert_json(client.get(COLLECTION), 200)
    assert body == {"data": [], "next_cursor": None}, f"a rejected request created something: {body}"


BAD_CREATE = [
    pytest.param({"title": "x", "type": "podcast"}, {"type"}, id="type-not-in-enum"),
    pytest.param({**OK, "url": "ftp://example.org/x"}, {"url"}, id="url-scheme"),
    pytest.param({**OK, "url": "javascript:alert(1)"}, {"url"}, id="url-javascript"),
    pytest.param({**OK, "url": "https://e.org/" + "a" * 2040}, {"url"}, id="url-too-long"),
    pytest.param({**OK, "grade_bands": ["K-3"]}, {"grade_bands"}, id="grade-band-value"),
    pytest.param({**OK, "grade_bands": ["K-2", "K-2"]}, {"grade_bands"}, id="grade-band-repeated"),
    pytest.param({**OK, "title": "t" * 201}, {"title"}, id="title-too-long"),
    pytest.param({**OK, "title": ""}, {"title"}, id="title-empty"),
    pytest.param({**OK, "title": "   \t "}, {"title"}, id="title-blank-after-trim"),
    pytest.param({**OK, "description": "d" * 5001}, {"description"}, id="description-too-long"),
    pytest.param({**OK, "subjects": ["math", 7]}, {"subjects"}, id="subjects-non-string"),
    pytest.param({**OK, "subjects": [""]}, {"subjects"}, id="subjects-empty-item"),
    pytest.param({**OK, "subjects": ["s" * 65]}, {"subjects"}, id="subjects-item-too-long"),
    pytest.param({**OK, "subjects": [f"s{i}" for i in range(21)]}, {"subjects"}, id="subjects-too-many"),
    pytest.param({**OK, "subjects": ["math", "math"]}, {"subjects"}, id="subjects-repeated"),
    pytest.param({**OK, "topics": "fractions"}, {"topics"}, id="topics-not-array"),
    pytest.param({**OK, "license": "L" * 65}, {"license"}, id="license-too-long"),
    pytest.param({**OK, "colour": "blue"}, {"colour"}, id="unknown-field"),
    pytest.param({**OK, "id": "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"}, {"id"}, id="server-field-id"),
    pytest.param({**OK, "version": 7}, {"version"}, id="server-field-version"),
    pytest.param({"title": 5, "type": "video"}, {"title"}, id="title-wrong-json-type"),
    pytest.param({"title": None, "type": "video"}, {"title"}, id="title-null"),
    pytest.param({**OK, "description": None}, {"description"}, id="description-null"),
    pytest.param({**OK, "subjects": None}, {"subjects"}, id="subjects-null"),
    pytest.param({"title": "x", "type": ["video"]}, {"type"}, id="type-wrong-json-type"),
]


def test_missing_title_and_type_both_reported(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    body = assert_problem(client.post(COLLECTION, json={"description": "no title, no type"}), 422,
                          "validation-failed")
    assert {"title", "type"} <= error_fields(body), body
    assert_nothing_listed(client)


def test_every_bad_field_is_reported_at_once(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    bad = {"title": 5, "type": "podcast", "url": "ftp://x", "grade_bands": ["K-3"], "extra": True}
    body = assert_problem(client.post(COLLECTION, json=bad), 422, "validation-failed")
    assert error_fields(body) == {"title", "type", "url", "grade_bands", "extra"}, body
    assert_nothing_listed(client)


@pytest.mark.parametrize(("payload", "fields"), BAD_CREATE)
def test_bad_create_is_422(api, district, payload, fields):
    client = api(token(district, new_user(), ["teacher"]))
    body = assert_problem(client.post(COLLECTION, json=payload), 422, "validation-failed")
    assert error_fields(body) == fields, body
    assert_nothing_listed(client)


@pytest.mark.parametrize("payload", [b"[]", b'"a string"', b"42", b"null"], ids=["array", "string", "number", "null"])
def test_body_not_an_object_is_422(api, district, payload):
    client = api(token(district, new_user(), ["teacher"]))
    r = client.post(COLLECTION, data=payload, headers={"Content-Type": "application/json"})
    assert_problem(r, 422, "validation-failed")
    assert_nothing_listed(client)


def test_limits_are_inclusive(api, district):
    """The largest allowed values pass; characters are counted, not bytes."""
    client = api(token(district, new_user(), ["teacher"]))
    payload = {
        "title": "é" * 200,
        "type": "oer",
        "description": "d" * 5000,
        "url": "https://e.org/" + "a" * (2048 - len("https://e.org/")),
        "subjects": [f"{i:02d}" + "s" * 62 for i in range(20)],
        "grade_bands": ["PK", "K-2", "3-5", "6-8", "9-12", "adult"],
        "topics": ["t"],
        "license": "L" * 64,
    }
    created = assert_json(client.post(COLLECTION, json=payload), 201)
    for k, v in payload.items():
        assert created[k] == v, k


@pytest.fixture
def existing(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    created = assert_json(client.post(COLLECTION, json=OK), 201)
    return client, created


@pytest.mark.parametrize(("payload", "fields"), [
    pytest.param({}, None, id="empty-object"),
    pytest.param({"title": ""}, {"title"}, id="title-empty"),
    pytest.param({"title": None}, {"title"}, id="title-null"),
    pytest.param({"type": None}, {"type"}, id="type-null"),
    pytest.param({"type": "nope"}, {"type"}, id="type-not-in-enum"),
    pytest.param({"url": "mailto:a@b.c"}, {"url"}, id="url-scheme"),
    pytest.param({"grade_bands": ["13"]}, {"grade_bands"}, id="grade-band"),
    pytest.param({"subjects": [1]}, {"subjects"}, id="subjects-non-string"),
    pytest.param({"created_by": "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"}, {"created_by"}, id="server-field"),
    pytest.param({"title": "ok", "bogus": 1}, {"bogus"}, id="unknown-field"),
])
def test_bad_patch_is_422_and_changes_nothing(existing, payload, fields):
    client, created = existing
    path = f"{COLLECTION}/{created['id']}"
    body = assert_problem(client.patch(path, json=payload), 422, "validation-failed")
    if fields is not None:
        assert error_fields(body) == fields, body
    after = client.get(path)
    assert assert_json(after, 200) == created
    assert after.headers.get("ETag") == '"1"'
