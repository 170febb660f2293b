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
    for filters in ({"type": "lesson_plan"}, {"type": "other", "facets": "true"}, {"facets": "true"}):
        body = search(client, q="the and of", **filters)  # ... with filters and facets too
        assert body["data"] == [] and body.get("total", 0) == 0, filters
    assert titles(search(client, q="trigonometry")) == []
    # the same operators with a filter (asked of the GIN index together with the filter's value)
    assert titles(search(client, q="fractions -decimals", type="lesson_plan")) == ["Teaching fractions with strips"]
    assert titles(search(client, q="fractions -decimals", type="other")) == []
    assert titles(search(client, q='"strips of paper"', type="other")) == ["Strips of paper"]
    assert titles(search(client, q='"strips of paper"', type="lesson_plan")) == []
    assert titles(search(client, q="decimals or paper", type="other")) == ["Strips of paper"]


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


def test_filter_values_with_quotes_backslashes_and_colons_are_exact(resources_service):
    """Filter values are also lexemes of the search index ("subject:..."): any text stays exact, and no
    word of a query can reach them."""
    client = Api(resources_service.url, token(new_district(), new_user(), ["teacher"]))
    odd = create(client, title="Kite day", type="video", subjects=["it's \\ odd"], topics=["a:b c", "'"],
                 license="x'\\y")
    plain = create(client, title="Kite night", type="video", subjects=["it's odd"], topics=["a:b"], license="x'y")
    for params in ({"subject": "it's \\ odd"}, {"topic": "a:b c"}, {"topic": "'"}, {"license": "x'\\y"},
                   {"subject": "it's \\ odd", "topic": "a:b c", "type": "video"}):
        assert [r["id"] for r in search(client, q="kite", **params)["data"]] == [odd["id"]], params
        assert [r["id"] for r in search(client, **params)["data"]] == [odd["id"]], params
    for params in ({"subject": "it's odd"}, {"topic": "a:b"}, {"license": "x'y"}):
        assert [r["id"] for r in search(client, q="kite", **params)["data"]] == [plain["id"]], params
    assert search(client, q="kite", topic="a")["data"] == []
    for q in ("type:video", "subject:it's", "topic", "video", "license:x"):
        assert search(client, q=q)["data"] == [], q
    client.close()


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
    # the filtered steps ask the GIN index for words and filter values of every district at once
    assert search(b, q="zeppelin", subject="science")["data"] == []
    body = search(b, q="zeppelin", type="video", facets="true")
    assert body["data"] == [] and body["total"] == 0 and body["facets"]["type"] == {}
    assert [r["id"] for r in search(b, q="zeppelin", subject="history")["data"]] == [mine["id"]]
    assert [r["title"] for r in search(a, q="zeppelin", type="video")["data"]] == ["Zeppelin physics"]


# ---------------------------------------------------------------------------------------------------------
# A large district: the bounded steps of a relevance page (services/resources/search_store.c: a short walk
# of the newest-first index, few matches from the GIN index, a long walk, every match) give the same order
# as the definition, whichever step settles a tier. Seeded in one INSERT through psql: thousands of
# resources through the API would take minutes under the sanitizers.

PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")
LARGE = 15000


def psql(statement: str, **variables: str) -> str:
    cmd = ["psql", PG_URL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    for k, v in variables.items():
        cmd += ["-v", f"{k}={v}"]
    p = subprocess.run(cmd, input=statement, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


# Which words each resource holds (i = 1 is the newest), chosen so that each step settles some tier:
# - "zebra" in the title of every 4th: dense, the short walk (2,000 rows) fills every page;
# - "zebra" in the description of 250 among the 600 oldest: few (at most 2,000 matches) reads them all;
# - "okapi" in the title of 50 of the newest 10,000 and of 2,000 older ones: too many for few, too sparse
#   for the short walk, found by the long walk (10,000 rows) while the cursor is among the newest;
# - "yak" in the description of about 2,080 of the 2,500 oldest: none among the newest 10,000, so every
#   walk runs out and the tier is read whole.
# Every 7th resource is a video: with type=article the filtered steps (few caps at 1,000) see the same.
def words(i: int) -> set[str]:
    out = set()
    if i % 4 == 0:
        out.add("zebra_title")
    if 14400 < i <= 14900 and i % 2 == 1:
        out.add("zebra_description")
    if (i <= 10000 and i % 200 == 0) or (i > 12000 and i % 3 != 0):
        out.add("okapi_title")
    if i > 12500 and i % 6 != 0:
        out.add("yak_description")
    return out


@pytest.fixture(scope="module")
def large(resources_service):
    district = new_district()
    psql("""
        INSERT INTO resources.library_resources (district_id, created_by, title, description, type,
                                                 created_at, updated_at)
        SELECT :'d', :'d',
               concat_ws(' ', CASE WHEN i % 4 = 0 THEN 'Zebra crossing' ELSE 'Resource' END,
                         CASE WHEN (i <= 10000 AND i % 200 = 0) OR (i > 12000 AND i % 3 <> 0) THEN 'okapi' END, i),
               concat_ws(' ', 'Nothing', CASE WHEN i > 14400 AND i % 2 = 1 AND i <= 14900 THEN 'about the zebra' END,
                         CASE WHEN i > 12500 AND i % 6 <> 0 THEN 'and a yak' END, i),
               CASE WHEN i % 7 = 0 THEN 'video' ELSE 'article' END,
               now() - i * interval '1 minute', now() - i * interval '1 minute'
        FROM generate_series(1, :n) AS g(i);
        ANALYZE resources.library_resources;
    """, d=district, n=str(LARGE))
    client = Api(resources_service.url, token(district, new_user(), ["teacher"]))
    yield district, client
    client.close()


def expected(district: str, word: str, type_: str = "") -> list[str]:
    """The definition: title tier, then description tier; newest first in each."""
    out = psql("""
        SELECT id FROM resources.library_resources
        WHERE district_id = :'d' AND search @@ websearch_to_tsquery('english', :'w')
          AND (:'t' = '' OR type = :'t')
        ORDER BY (search_title @@ websearch_to_tsquery('english', :'w')) DESC, created_at DESC, id DESC
    """, d=district, w=word, t=type_)
    return out.split()


def expected_count(word: str, type_: str = "") -> int:
    return sum(1 for i in range(1, LARGE + 1)
               if any(w.startswith(word + "_") for w in words(i))
               and (not type_ or (i % 7 == 0) == (type_ == "video")))


@pytest.mark.parametrize("word, limit, params", [
    ("zebra", 100, {}), ("zebra", 37, {}), ("zebra", 20, {"type": "video"}), ("zebra", 50, {"type": "article"}),
    ("okapi", 20, {}), ("okapi", 100, {"type": "article"}), ("yak", 100, {}), ("yak", 100, {"type": "article"}),
])
def test_large_district_pages_follow_the_definition(large, word, limit, params):
    district, client = large
    want = expected(district, word, params.get("type", ""))
    assert len(want) == expected_count(word, params.get("type", ""))
    seen, cursor = [], None
    for _ in range(len(want) // limit + 2):
        page = search(client, q=word, limit=limit, **params, **({"cursor": cursor} if cursor else {}))
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
    assert body["total"] == len(expected(district, "zebra")) == expected_count("zebra")
    assert body["facets"]["type"] == {"article": expected_count("zebra", "article"),
                                      "video": expected_count("zebra", "video")}
    # a word in one resource only, and one in none
    assert titles(search(client, q="4999")) == ["Resource 4999"]
    assert titles(search(client, q="crossing 4996")) == ["Zebra crossing 4996"]
    assert titles(search(client, q="quokka")) == []
