"""Each write publishes exactly one CloudEvent on homegrown.resources (docs/conventions.md, Events)."""

from __future__ import annotations

from collections import Counter

from hgtest import UUID_RE, Event, assert_json, new_user, parse_time, token

COLLECTION = "/v1/library/resources"
SETTLE = 2.0  # seconds to keep reading after the expected events arrived, to see any duplicate


def assert_envelope(ev: Event, type_: str, resource: dict) -> None:
    v = ev.value
    assert "_raw" not in v, f"message is not a JSON object: {v['_raw'][:300]}"
    assert v.get("specversion") == "1.0", v
    assert v.get("type") == type_, v
    assert v.get("source") == "/homegrown/resources", v
    assert v.get("subject") == resource["id"], v
    assert v.get("datacontenttype") == "application/json", v
    assert v.get("districtid") == resource["district_id"], v
    assert isinstance(v.get("id"), str) and UUID_RE.match(v["id"]), v
    parse_time(v["time"])
    assert ev.key == resource["district_id"], f"message key {ev.key!r}, expected the district id"
    assert isinstance(v.get("data"), dict), v


def test_create_patch_delete_each_emit_one_event(api, district, events):
    sub = new_user()
    client = api(token(district, sub, ["teacher"]))
    created = assert_json(client.post(COLLECTION, json={"title": "Evented", "type": "video",
                                                        "subjects": ["science"], "url": "http://e.org/v"}), 201)
    rid = created["id"]
    patched = assert_json(client.patch(f"{COLLECTION}/{rid}", json={"title": "Evented, again"}), 200)
    r = client.delete(f"{COLLECTION}/{rid}")
    assert r.status_code == 204, r.text

    wanted = {"resource.created", "resource.updated", "resource.deleted"}
    found = events.collect(
        match=lambda e: e.subject == rid or e.value.get("districtid") == district,
        until=lambda evs: wanted <= {e.type for e in evs},
        timeout=20, settle=SETTLE,
    )
    kinds = Counter(e.type for e in found)
    assert kinds == Counter(wanted), f"expected one event of each kind for {rid}, got {dict(kinds)}"
    by_type = {e.type: e for e in found}
    ids = {e.value["id"] for e in found}
    assert len(ids) == 3, "event ids repeat"

    assert_envelope(by_type["resource.created"], "resource.created", created)
    assert by_type["resource.created"].value["data"] == created

    assert_envelope(by_type["resource.updated"], "resource.updated", created)
    assert by_type["resource.updated"].value["data"] == patched

    deleted = by_type["resource.deleted"]
    assert_envelope(deleted, "resource.deleted", created)
    data = deleted.value["data"]
    for k in ("id", "district_id", "title", "description", "type", "url", "subjects", "grade_bands", "topics",
              "license", "created_by", "created_at"):
        assert data.get(k) == patched[k], (k, data.get(k), patched[k])
    assert isinstance(data.get("deleted_at"), str), data
    assert parse_time(data["deleted_at"]) >= parse_time(patched["updated_at"])
    assert data.get("version", 0) >= patched["version"], data

    # same partition (key = district), in order of the changes
    assert len({e.partition for e in found}) == 1
    order = [e.type for e in sorted(found, key=lambda e: e.offset)]
    assert order == ["resource.created", "resource.updated", "resource.deleted"], order


def test_refused_writes_emit_nothing(api, district, events):
    owner = api(token(district, new_user(), ["teacher"]))
    created = assert_json(owner.post(COLLECTION, json={"title": "Quiet", "type": "article"}), 201)
    rid = created["id"]
    path = f"{COLLECTION}/{rid}"
    other = api(token(district, new_user(), ["teacher"]))
    assert other.patch(path, json={"title": "no"}).status_code == 403
    assert owner.patch(path, json={"title": ""}).status_code == 422
    assert owner.patch(path, json={"title": "no"}, headers={"If-Match": '"9"'}).status_code == 412
    assert owner.post(COLLECTION, json={"title": "", "type": "article"}).status_code == 422

    found = events.collect(match=lambda e: e.value.get("districtid") == district,
                           until=lambda evs: any(e.type == "resource.created" for e in evs),
                           timeout=20, settle=SETTLE)
    assert [e.type for e in found] == ["resource.created"], [e.value for e in found]


def test_many_writes_arrive_in_order(api, district, events):
    client = api(token(district, new_user(), ["coach"]))
    created = assert_json(client.post(COLLECTION, json={"title": "t0", "type": "oer"}), 201)
    path = f"{COLLECTION}/{created['id']}"
    for i in range(1, 11):
        assert assert_json(client.patch(path, json={"title": f"t{i}"}), 200)["version"] == i + 1
    found = events.collect(match=lambda e: e.subject == created["id"],
                           until=lambda evs: len(evs) >= 11, timeout=20, settle=SETTLE)
    ordered = sorted(found, key=lambda e: e.offset)
    assert [e.value["data"]["version"] for e in ordered] == list(range(1, 12))
    assert [e.value["data"]["title"] for e in ordered] == [f"t{i}" for i in range(11)]
