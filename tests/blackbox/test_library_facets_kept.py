"""Facet counts kept between pages (services/resources/library/facet_cache.c) stay exact: every change to the
district's resources, through the API or straight in the database, is in the next page's counts."""

from __future__ import annotations

import os
import subprocess

from hgtest import PG_PORT, SPEC, Api, assert_json, new_district, new_user, token

COLLECTION = "/v1/library/resources"
PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")


def facets(client: Api, **params) -> dict:
    body = assert_json(client.get(COLLECTION, params={"facets": "true", **params}), 200)
    SPEC.check("resources.yaml", "ResourceSearchPage", body)
    return {"total": body["total"], **body["facets"]}


def create(client: Api, **fields) -> dict:
    return assert_json(client.post(COLLECTION, json=fields), 201)


def test_counts_follow_every_change(resources_service):
    district = new_district()
    client = Api(resources_service.url, token(district, new_user(), ["district_admin"]))
    other = Api(resources_service.url, token(new_district(), new_user(), ["district_admin"]))
    a = create(client, title="Quasar lab", type="lesson_plan", subjects=["science"], license="CC0-1.0")
    create(client, title="Quasar talk", type="video", subjects=["science", "math"])
    first = facets(client, q="quasar")
    assert first["total"] == 2 and first["type"] == {"lesson_plan": 1, "video": 1}
    assert facets(client, q="quasar") == first  # asked again: the same counts

    # Created, in this district: counted; in another: not (its writes leave this district's counts alone).
    create(other, title="Quasar elsewhere", type="rubric", subjects=["art"])
    assert facets(client, q="quasar") == first
    c = create(client, title="Quasar rubric", type="rubric", subjects=["art"])
    after = facets(client, q="quasar")
    assert after["total"] == 3 and after["type"] == {"lesson_plan": 1, "rubric": 1, "video": 1}
    assert after["subject"] == {"science": 2, "art": 1, "math": 1}

    # Changed.
    r = client.patch(f"{COLLECTION}/{a['id']}", json={"type": "video", "license": None},
                     headers={"If-Match": f'"{a["version"]}"'})
    assert_json(r, 200)
    after = facets(client, q="quasar")
    assert after["type"] == {"video": 2, "rubric": 1} and after["license"] == {}

    # Deleted.
    r = client.delete(f"{COLLECTION}/{c['id']}", headers={"If-Match": f'"{c["version"]}"'})
    assert r.status_code == 204, r.text
    after = facets(client, q="quasar")
    assert after["total"] == 2 and after["type"] == {"video": 2} and after["subject"] == {"science": 2, "math": 1}

    # Written straight into the database (a seed, a migration): counted too (the write count is a trigger's).
    p = subprocess.run(["psql", PG_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "SET search_path TO resources",
                        "-c", f"UPDATE library_resources SET subjects = ARRAY['history'] WHERE id = '{a['id']}'"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    after = facets(client, q="quasar")
    assert after["subject"] == {"history": 1, "math": 1, "science": 1}
    # The same counts for a filtered query, and for the listing without words.
    assert facets(client, q="quasar", subject="history")["total"] == 1
    assert facets(client)["total"] == 2
    client.close()
    other.close()
