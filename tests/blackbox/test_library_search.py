"""Search of GET /v1/library/resources: relevance, filters, facets, paging by rank, bad parameters, tenancy."""

from __future__ import annotations

import os
import subprocess
from collections import Counter

import pytest

from hgtest import PG_PORT, SPEC, Api, assert_json, assert_problem, new_district, new_user, token

COLLECTION = "/v1/library/resources"


def search(client, **params) -> dict:
    body = assert_json(client.get(COLLECTION, params=params), 200)
    SPEC.check("resources.yaml", "ResourceSearchPage", body)
    return body


def titles(body: dict) -> list[str]:
    return [r["title"] for r in body["data"]]


def create(client, **fields) -> dict:
    return assert_json(client.post(COLLECTION, json=fields), 201)


# ---------------------------------------------------------------------------------------------------------
# Relevance


def test_title_ranks_above_topics_above_description(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    # Created in the reverse of the expected order, so newest-first would list them the other way round.
    create(client, title="Plant biology notes", type="article",
           description="Photosynthesis, photosynthesis and more photosynthesis: the word three times here.")
    create(client, title="Leaf lab", type="lesson_plan", topics=["photosynthesis", "plants"])
    create(client, title="Photosynthesis in one page", type="rubric")
    create(client, title="Unrelated geometry", type="video", description="Angles and triangles.")
    body = search(client, q="photosynthesis")
    assert titles(body) == ["Photosynthesis in one page", "Leaf lab", "Plant biology notes"]
    assert body["next_cursor"] is None
    assert "facets" not in body and "total" not in body


def test_stemming_phrases_and_exclusion(api, district):
    client = api(token(district, new_user(), ["coach"]))
    create(client, title="Teaching fractions with strips", type="lesson_plan")
    create(client, title="Fraction strips and decimals", type="lesson_plan")
    create(client, title="Strips of paper", type="other", description="Not about the numbers at all.")
    assert sorted(titles(search(client, q="fraction"))) == ["Fraction strips and decimals",
                                                            "Teaching fractions with strips"]
    assert titles(search(client, q="fractions -decimals")) == ["Teaching fractions with strips"]
    assert titles(search(client, q='"strips of paper"')) == ["Strips of paper"]
    assert sorted(titles(search(client, q="decimals or paper"))) == ["Fraction strips and decimals",
                                                                     "Strips of paper"]
    assert titles(search(client, q="the and of")) == []  # stop words only: matches nothing
    assert titles(search(client, q="trigonometry")) == []


def test_ties_list_newest_first_and_match_the_unsearched_order(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    made = [create(client, title=f"Assessment design {i}", type="rubric") for i in range(5)]
    body = search(client, q="assessment")
    assert [r["id"] for r in body["data"]] == [r["id"] for r in reversed(made)]


# ---------------------------------------------------------------------------------------------------------
# Filters and facets over a known collection

CORPUS = [
    dict(title="Fraction strips", type="lesson_plan", subjects=["math"], grade_bands=["3-5"],
         topics=["fractions", "manipulatives"], license="CC-BY-4.0", description="Hands-on kite work."),
    dict(title="Kite geometry", type="video", subjects=["math", "art"], grade_bands=["6-8"],
         topics=["geometry"], license="CC-BY-SA-4.0"),
    dict(title="Reading kites aloud", type="article", subjects=["ela"], grade_bands=["K-2", "3-5"],
         topics=["read-aloud"], description="A story about kites."),
    dict(title="Rubric for kites", type="rubric", subjects=["art"], grade_bands=["6-8"],
         topics=["kites", "geometry"], license="CC-BY-4.0"),
    dict(title="Number lines", type="lesson_plan", subjects=["math"], grade_bands=["K-2"],
         topics=["number sense"], license="CC0-1.0"),
    dict(title="Observation template", type="template", subjects=[], grade_bands=["adult"], topics=[]),
]
# Which of CORPUS match q=kite (stemmed: kite, kites): title, topics or description.
KITE = {"Fraction strips", "Kite geometry", "Reading kites aloud", "Rubric for kites"}


@pytest.fixture(scope="module")
def corpus(resources_service):
    client = Api(resources_service.url, token(new_district(), new_user(), ["teacher"]))
    made = [assert_json(client.post(COLLECTION, json=r), 201) for r in CORPUS]
    yield client, made
    client.close()


def expected_facets(rows: list[dict]) -> dict:
    facets = {
        "type": Counter(r["type"] for r in rows),
        "subject": Counter(s for r in rows for s in r["subjects"]),
        "grade_band": Counter(g for r in rows for g in r["grade_bands"]),
        "topic": Counter(t for r in rows for t in r["topics"]),
        "license": Counter(r["license"] for r in rows if r["license"] is not None),
    }
    return {k: dict(v) for k, v in facets.items()}


FILTER_FIELDS = {"type": "type", "subject": "subjects", "grade_band": "grade_bands", "topic": "topics",
                 "license": "license"}


def matches(row: dict, params: dict) -> bool:
    for p, v in params.items():
        if p == "q":
            if row["title"] not in KITE:
                return False
            continue
        field = FILTER_FIELDS[p]
        if isinstance(row[field], list):
            if v not in row[field]:
                return False
        elif row[field] != v:
            return False
    return True


@pytest.mark.parametrize("params", [
    {},
    {"type": "lesson_plan"},
    {"subject": "math"},
    {"subject": "art"},
    {"grade_band": "3-5"},
    {"topic": "geometry"},
    {"license": "CC-BY-4.0"},
    {"q": "kite"},
    {"q": "kite", "subject": "math"},
    {"q": "kite", "grade_band": "6-8", "topic": "geometry"},
    {"subject": "math", "grade_band": "K-2", "license": "CC0-1.0"},
    {"type": "video", "subject": "ela"},
    {"q": "kite", "type": "template"},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_filters_and_facets_count_exactly(corpus, params):
    client, made = corpus
    expected = [r for r in made if matches(r, params)]
    body = search(client, facets="true", limit=100, **params)
    assert sorted(r["id"] for r in body["data"]) == sorted(r["id"] for r in expected)
    assert body["total"] == len(expected)
    assert body["facets"] == expected_facets(expected)
    if "q" not in params:  # no text query: newest first, as before
        assert [r["id"] for r in body["data"]] == [r["id"] for r in reversed(expected)]


def test_filters_are_exact_and_case_sensitive(corpus):
    client, _ = corpus
    assert search(client, subject="Math")["data"] == []
    assert search(client, topic="geo")["data"] == []
    assert search(client, license="CC-BY")["data"] == []


def test_facets_order_most_frequent_first(corpus):
    client, _ = corpus
    body = search(client, facets="true")
    assert list(body["facets"]["subject"].items()) == [("math", 3), ("art", 2), ("ela", 1)]
    assert list(body["facets"]["license"].items()) == [("CC-BY-4.0", 2), ("CC-BY-SA-4.0", 1), ("CC0-1.0", 1)]


def test_facets_count_the_whole_match_not_the_page(corpus):
    client, made = corpus
    body = search(client, facets="true", limit=1)
    assert len(body["data"]) == 1 and body["next_cursor"]
    assert body["total"] == len(made)
    second = search(client, facets="true", limit=1, cursor=body["next_cursor"])
    assert second["facets"] == body["facets"] and second["total"] == len(made)


def test_facets_false_or_absent_adds_nothing(corpus):
    client, _ = corpus
    for params in ({}, {"facets": "false"}, {"q": "kite", "facets": "false"}):
        body = search(client, **params)
        assert set(body) == {"data", "next_cursor"}, body.keys()


# ---------------------------------------------------------------------------------------------------------
# Paging by relevance


def test_paging_by_relevance_lists_each_match_once_in_rank_order(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    for i in range(40):
        kind = i % 4
        fields = {"title": f"Item {i}", "type": "other"}
        if kind == 0:
            fields["title"] = f"Coaching cycle {i}"
        elif kind == 1:
            fields["topics"] = ["coaching"]
        elif kind == 2:
            fields["description"] = "A note on coaching."
        create(client, **fields)  # kind 3 does not match
    whole = search(client, q="coaching", limit=100)
    assert len(whole["data"]) == 30 and whole["next_cursor"] is None
    ranks = [0 if r["title"].startswith("Coaching") else 1 if r["topics"] else 2 for r in whole["data"]]
    assert ranks == sorted(ranks), "not title, then topics, then description"

    seen, cursor = [], None
    for _ in range(31):  # bounded
        params = {"q": "coaching", "limit": 7} | ({"cursor": cursor} if cursor else {})
        page = search(client, **params)
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["data"]) == 7
    assert cursor is None
    assert seen == [r["id"] for r in whole["data"]], "pages differ from the one-page listing"
    assert len(set(seen)) == 30


def test_a_cursor_belongs_to_its_query(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    for i in range(3):
        create(client, title=f"Mentoring {i}", type="article", subjects=["pd"])
    cursor = search(client, q="mentoring", limit=1)["next_cursor"]
    assert cursor
    search(client, q="mentoring", limit=2, cursor=cursor, facets="true")  # limit and facets may change
    for params in ({"q": "mentor program"}, {"q": "mentoring", "subject": "pd"}, {}):
        body = assert_problem(client.get(COLLECTION, params=params | {"cursor": cursor}), 400, "bad-request")
        assert [e["field"] for e in body["errors"]] == ["cursor"], body
    newest = search(client, limit=1)["next_cursor"]
    body = assert_problem(client.get(COLLECTION, params={"q": "mentoring", "cursor": newest}), 400, "bad-request")
    assert [e["field"] for e in body["errors"]] == ["cursor"], body


# ---------------------------------------------------------------------------------------------------------
# Bad parameters: 400 naming each one


@pytest.mark.parametrize("params, fields", [
    ({"type": "podcast"}, ["type"]),
    ({"grade_band": "13"}, ["grade_band"]),
    ({"grade_band": "k-2"}, ["grade_band"]),
    ({"subject": ""}, ["subject"]),
    ({"topic": "t" * 65}, ["topic"]),
    ({"license": "x" * 65}, ["license"]),
    ({"q": ""}, ["q"]),
    ({"q": "   "}, ["q"]),
    ({"q": "a" * 201}, ["q"]),
    ({"facets": "yes"}, ["facets"]),
    ({"review_overdue": "1"}, ["review_overdue"]),
    ({"limit": "0"}, ["limit"]),
    ({"sort": "title"}, ["sort"]),
    ({"type": ["video", "rubric"]}, ["type"]),  # a repeated parameter is not a list
    ({"type": "podcast", "q": "", "colour": "red", "limit": "101", "facets": "1"},
     ["type", "q", "colour", "limit", "facets"]),
], ids=lambda v: str(v)[:40])
def test_bad_parameters_are_400_naming_each(api, district, params, fields):
    client = api(token(district, new_user(), ["teacher"]))
    body = assert_problem(client.get(COLLECTION, params=params), 400, "bad-request")
    assert sorted(e["field"] for e in body["errors"]) == sorted(fields), body
    assert fields[0] in body["detail"] or len(fields) > 1, body


def test_bounds_are_accepted(api, district):
    client = api(token(district, new_user(), ["teacher"]))
    for params in ({"q": "a" * 200}, {"topic": "t" * 64}, {"q": "  padded  "}, {"q": "é" * 200},
                   {"review_overdue": "false", "facets": "true"}):
        search(client, **params)


# ---------------------------------------------------------------------------------------------------------
# Tenancy


def test_search_and_facets_never_see_another_district(api):
    a = api(token(new_district(), new_user(), ["district_admin"]))
    b = api(token(new_district(), new_user(), ["district_admin"]))
    create(a, title="Zeppelin physics", type="video", subjects=["science"], topics=["zeppelins"])
    mine = create(b, title="Zeppelin history", type="article", subjects=["history"])
    body = search(b, q="zeppelin", facets="true")
    assert [r["id"] for r in body["data"]] == [mine["id"]]
    assert body["total"] == 1
    assert body["facets"]["subject"] == {"history": 1}
    assert search(b, subject="science", facets="true")["total"] == 0
    assert search(b, q="physics")["data"] == []


# ---------------------------------------------------------------------------------------------------------
# A large district: the bounded strategies (walk the newest-first index, or read every match of a sparse
# tier) give the same order as the definition. Seeded in one INSERT through psql: thousands of resources
# through the API would take minutes under the sanitizers.

PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")


def psql(statement: str, **variables: str) -> str:
    cmd = ["psql", PG_URL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    for k, v in variables.items():
        cmd += ["-v", f"{k}={v}"]
    p = subprocess.run(cmd, input=statement, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="module")
def large(resources_service):
    """5,000 resources, one a minute back in time (i = 1 is the newest). "zebra" is in the title of every
    4th (1,250, spread over the whole range: too many to read at once, so the newest-first walk finds
    them, with or without a filter) and in the description of 250 among the 600 oldest (none in the newest
    4,000 rows, so the walk runs out and that tier is read whole). Every 7th resource is a video."""
    district = new_district()
    psql("""
        INSERT INTO resources.library_resources (district_id, created_by, title, description, type,
                                                 created_at, updated_at)
        SELECT :'d', :'d', CASE WHEN i % 4 = 0 THEN 'Zebra crossing ' || i ELSE 'Resource ' || i END,
               CASE WHEN i > 4400 AND i % 2 = 1 AND i <= 4900 THEN 'About the zebra ' || i ELSE 'Nothing ' || i END,
               CASE WHEN i % 7 = 0 THEN 'video' ELSE 'article' END,
               now() - i * interval '1 minute', now() - i * interval '1 minute'
        FROM generate_series(1, 5000) AS g(i);
        ANALYZE resources.library_resources;
    """, d=district)
    client = Api(resources_service.url, token(district, new_user(), ["teacher"]))
    yield district, client
    client.close()


def zebra(i: int) -> bool:
    return i % 4 == 0 or (4400 < i <= 4900 and i % 2 == 1)


def expected_zebra(district: str, type_: str = "") -> list[str]:
    """The definition: title tier, then description tier; newest first in each."""
    out = psql("""
        SELECT id FROM resources.library_resources
        WHERE district_id = :'d' AND search @@ websearch_to_tsquery('english', 'zebra')
          AND (:'t' = '' OR type = :'t')
        ORDER BY (search_title @@ websearch_to_tsquery('english', 'zebra')) DESC, created_at DESC, id DESC
    """, d=district, t=type_)
    return out.split()


@pytest.mark.parametrize("limit, params", [(100, {}), (37, {}), (20, {"type": "video"}), (50, {"type": "article"})])
def test_large_district_pages_follow_the_definition(large, limit, params):
    district, client = large
    want = expected_zebra(district, params.get("type", ""))
    expected_count = sum(1 for i in range(1, 5001) if zebra(i) and (
        not params or (i % 7 == 0) == (params["type"] == "video")))
    assert len(want) == expected_count
    seen, cursor = [], None
    for _ in range(len(want) // limit + 2):
        page = search(client, q="zebra", limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert cursor is None
    assert seen == want, f"{len(seen)} listed, {len(want)} expected; first difference at " \
                         f"{next((i for i, (a, b) in enumerate(zip(seen, want)) if a != b), min(len(seen), len(want)))}"


def test_large_district_facets_and_rare_words(large):
    district, client = large
    body = search(client, q="zebra", facets="true", limit=5)
    assert body["total"] == len(expected_zebra(district))
    assert body["facets"]["type"] == {"article": sum(1 for i in range(1, 5001) if zebra(i) and i % 7 != 0),
                                      "video": sum(1 for i in range(1, 5001) if zebra(i) and i % 7 == 0)}
    # a word in one resource only, and one in none
    assert titles(search(client, q="4999")) == ["Resource 4999"]
    assert titles(search(client, q="crossing 4996")) == ["Zebra crossing 4996"]
    assert titles(search(client, q="okapi")) == []
