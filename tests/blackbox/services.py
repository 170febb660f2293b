"""The services under test, declared once: how each is started, and a route of each to probe.

`SERVICES` lists every service binary the black-box suite runs. An entry names the service (the binary is
hg-<name>), its port (HG_TEST_PORT_BASE + offset, as in docs/conventions.md), the environment it needs beyond
the common one, the topic it produces, the names of its client and events fixtures, and its `Probe`: the
routes the tests of common behaviour (tests/blackbox/test_http.py, test_auth.py, test_idempotency.py,
test_durability.py) exercise on it. A new service is one more entry (and its Probe) here; conftest.py turns
the list into fixtures with `fixtures()`:

    <name>_service    session; starts hg-<name> (sanitizer build) on first use, and at the end checks that it
                      exits 0 on SIGTERM with no sanitizer report in its log
    <client fixture>  `client(token)` → an Api session against it (None: no token)
                      (default name <name>; resources: api, roster: roster)
    <events fixture>  an EventReader of its topic
                      (default name <name>_events; resources: events, roster: roster_events)
    target            a test that asks for it runs once per service (`Target`); narrow it with
                      `@pytest.mark.services("resources", ...)` or parametrize it with `per_service(...)`

plus `service` and `base_url` (the first entry: resources, for the tests written before there was a second
service), `district`, and the autouse per-test check of every service the test uses (it runs, it is
restarted if an earlier test left it dead, and no sanitizer report appeared during the test).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from hgtest import (
    BIN_DIR,
    JWT_SECRET,
    KAFKA_BROKERS,
    LOG_DIR,
    PG_URL,
    SERVICE_PG_URL,
    ROOT,
    SERVICE_PORT_BASE,
    TEST_RUN_DIR,
    Api,
    Event,
    EventReader,
    ServiceProcess,
    assert_json,
    kill_leftover,
    new_district,
    new_user,
    token,
)

sys.path.insert(0, str(ROOT / "tests/fixtures/roster"))
import generate  # noqa: E402 - the OneRoster fixture generator (tests/fixtures/roster/generate.py)

# Every role a token may carry (docs/conventions.md), in the order the tests try them.
ROLES = ("teacher", "coach", "school_leader", "district_admin", "sis_integration", "state_reporter")
READERS = frozenset({"teacher", "coach", "school_leader", "district_admin"})
SOME_ID = "0b8f3c1e-5a7d-4f2b-9c61-2d4e8a9f1b30"  # a well-formed id that names nothing

# The environment every service gets (the test stack, the test secret, small bodies, a fast relay).
COMMON_ENV = {
    "HG_HTTP_ADDR": "127.0.0.1",
    "HG_DATABASE_URL": SERVICE_PG_URL,
    "HG_KAFKA_BROKERS": KAFKA_BROKERS,
    "HG_JWT_SECRET": JWT_SECRET,
    "HG_HTTP_MAX_BODY": "65536",
    "HG_OUTBOX_POLL_MS": "100",
    "HG_LOG_LEVEL": "info",
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}

# The roster's import limits, small so the tests reach each of them with small bodies (rosterlib re-exports
# them for tests/blackbox/roster/).
ROSTER_LIMITS = {
    "HG_ROSTER_MAX_ZIP_BYTES": 2 * 1024 * 1024,
    "HG_ROSTER_MAX_UNCOMPRESSED_BYTES": 16 * 1024 * 1024,
    "HG_ROSTER_MAX_ROWS": 5000,
    "HG_ROSTER_MAX_FIELD_BYTES": 1024,
    "HG_ROSTER_MAX_PROBLEMS": 50,
}

# The key that seals SIS client secrets at rest (HG_ROSTER_SECRET_KEY; docs/roster.md, SIS connection).
# The sync tests' provider (tests/blackbox/roster/oneroster_provider.py) serves HTTPS with a certificate made
# at SIS_CERT: the service trusts it through HG_ROSTER_SIS_CA_FILE (TLS verification stays on). Small pages,
# short timeouts and retries, so every path is reached quickly.
SIS_CERT = TEST_RUN_DIR / "sis-tls" / "cert.pem"
ROSTER_SIS = {"HG_ROSTER_SECRET_KEY": "5f1c0a9e3b7d42e6a8c1f0d9b3e7a5c2" "9d4b6f8e1a3c5e7f0b2d4f6a8c0e1b3d",
              "HG_ROSTER_SIS_CA_FILE": str(SIS_CERT), "HG_ROSTER_SIS_TIMEOUT_MS": 2500, "HG_ROSTER_SIS_RETRIES": 3,
              "HG_ROSTER_SIS_MAX_RETRY_AFTER_S": 2, "HG_ROSTER_SIS_PAGE_SIZE": 25,
              "HG_ROSTER_SCHEDULE_POLL_S": 1}


# ---------------------------------------------------------------------------------------------------------
# The shape of an entry


@dataclass(frozen=True)
class Route:
    """One operation of a service's route table, and how the tests call it."""

    method: str
    path: str  # an item path holds "{id}"
    roles: frozenset[str]  # who may call it, as `hg-<service> --routes` lists them
    body: Any = None  # a valid body: a JSON object, or bytes of media_type
    media_type: str = "application/json"
    ok: int = 200  # the status the valid body answers
    role: str = ""  # the role the tests call it with (default: the first of ROLES it allows)
    # For an item route: makes the item it acts on, with the caller's client (which holds `caller`),
    # and returns its id. None: the route acts on a collection (or the tests only call it with SOME_ID).
    seed: Callable[[Api], str] | None = None

    @property
    def caller(self) -> str:
        return self.role or next(r for r in ROLES if r in self.roles)

    def at(self, id_: str = SOME_ID) -> str:
        return self.path.replace("{id}", id_)

    def send_kwargs(self, body: Any = None) -> dict:
        """requests keyword arguments that send `body` (default: the valid one) with the route's media type."""
        body = self.body if body is None else body
        if body is None:
            return {}
        if isinstance(body, (bytes, bytearray)):
            return {"data": bytes(body), "headers": {"Content-Type": self.media_type}}
        return {"json": body}


@dataclass(frozen=True)
class IdempotentPost:
    """A POST that creates something, for the Idempotency-Key tests (common/idempotency.c)."""

    route: Route  # with its valid body
    other: Any  # another valid body (the same key with it is a 422)
    invalid: Any  # a body the service refuses with 422 (a refusal is replayed too)
    # What the district holds of the things this POST creates, as the test's client (or an admin) lists them;
    # compared with `created(answer)`, what one POST that answered `answer` leaves.
    listed: Callable[[Target, Api, str], list[str]]
    created: Callable[[dict], list[str]]
    events: tuple[str, ...]  # the types of the events one such POST emits, sorted
    # The POST runs at most this many at once and refuses more with 503 and Retry-After before it looks at the
    # key (roster imports: HG_ROSTER_MAX_CONCURRENT_IMPORTS); 0: no such limit.
    concurrency_limit: int = 0

    def send(self, client: Api, body: Any, key: str):
        kwargs = self.route.send_kwargs(body)
        headers = {"Idempotency-Key": key, **kwargs.pop("headers", {})}
        return client.post(self.route.path, headers=headers, **kwargs)


@dataclass(frozen=True)
class OutboxWrite:
    """A write that commits exactly one event through the outbox, for the durability tests (common/outbox.c,
    common/relay.c): the i-th write, the change its answer names, and the same change as its event names it."""

    roles: frozenset[str]  # who may make it
    event_type: str
    prepare: Callable[[Api], str]  # what the writes act on, made before the test disturbs anything
    write: Callable[[Api, str, int], requests.Response]  # the i-th write on what prepare made
    ok: int  # its status
    change: Callable[[dict], object]  # the change an answer names
    event_change: Callable[[Event], object]  # the change an event of event_type names
    # Events in the district that prepare emitted (not the writes'): left out of what the tests count.
    background: Callable[[Event], bool]
    # What a reader sees of the writes, and what it must see when only the write answered `answer` was stored.
    read: Callable[[Api, str], object]
    read_after: Callable[[dict], object]

    def role(self, preferred: str) -> str:
        return preferred if preferred in self.roles else next(r for r in ROLES if r in self.roles)


@dataclass(frozen=True)
class Probe:
    """What the tests of common behaviour call on a service (all of it in its route table)."""

    routes: tuple[Route, ...]  # every operation on the paths below, with its roles (the 401/403/405 tests)
    collection: str  # a list every reader may GET, empty in a new district
    item: str  # an item of it ("{id}"): GET answers 404 for SOME_ID
    write: Route  # a write with a JSON body (413, 415, 400 with position, 403, media type parameters)
    update: Route  # a PATCH of an item with a JSON body
    unknown_paths: tuple[str, ...]  # paths no route of the service matches (404)
    idempotent_post: IdempotentPost
    outbox_write: OutboxWrite
    # The roles that read any item of the district and find it in the collection (None: every role the item's
    # GET allows). Coaching shows a relationship only to its parties and to leaders and admins.
    readers: frozenset[str] | None = None

    def methods(self, path: str) -> set[str]:
        """The methods the route table has on path (what a 405's Allow names)."""
        return {r.method for r in self.routes if r.path == path}


@dataclass(frozen=True)
class Service:
    name: str  # the binary is hg-<name>
    port_offset: int  # HG_TEST_PORT_BASE + this (docs/conventions.md: 80x<offset>)
    topic: str  # the Kafka topic it produces
    # None: the shared tests of writes (HTTP errors, auth, idempotency, durability) do not run against it; a
    # service that only reads (analytics, whose answers are read models) tests its routes in its own folder.
    probe: Probe | None
    env: dict[str, Any] = field(default_factory=dict)  # beyond COMMON_ENV
    client_fixture: str = ""  # default: <name>
    events_fixture: str = ""  # default: <name>_events
    # Other tests produce to the topic too (not JSON, sometimes): the tests of common behaviour then judge only
    # the non-JSON messages keyed by their own district (Target.raw_of).
    topic_shared: bool = False

    @property
    def binary(self) -> str:
        return f"hg-{self.name}"

    @property
    def port(self) -> int:
        return SERVICE_PORT_BASE + self.port_offset

    @property
    def service_fixture(self) -> str:
        return f"{self.name}_service"

    @property
    def client_name(self) -> str:
        return self.client_fixture or self.name

    @property
    def events_name(self) -> str:
        return self.events_fixture or f"{self.name}_events"


# ---------------------------------------------------------------------------------------------------------
# resources: the library (POST creates), docs/resources.md

LIBRARY = "/v1/library/resources"
LIBRARY_ITEM = LIBRARY + "/{id}"
LIBRARY_AUTHORS = frozenset({"teacher", "coach", "district_admin"})


def _create_resource(client: Api) -> str:
    return assert_json(client.post(LIBRARY, json={"title": "t", "type": "other"}), 201)["id"]


def _resource_ids(target: Target, client: Api, district: str) -> list[str]:
    return [r["id"] for r in assert_json(client.get(LIBRARY, params={"limit": 100}), 200)["data"]]


RESOURCES_PROBE = Probe(
    routes=(
        Route("GET", LIBRARY, READERS),
        Route("POST", LIBRARY, LIBRARY_AUTHORS, body={"title": "t", "type": "other"}, ok=201),
        Route("GET", LIBRARY_ITEM, READERS),
        Route("PATCH", LIBRARY_ITEM, LIBRARY_AUTHORS, body={"title": "u"}),
        Route("DELETE", LIBRARY_ITEM, LIBRARY_AUTHORS),
    ),
    collection=LIBRARY,
    item=LIBRARY_ITEM,
    write=Route("POST", LIBRARY, LIBRARY_AUTHORS, body={"title": "t", "type": "other"}, ok=201),
    update=Route("PATCH", LIBRARY_ITEM, LIBRARY_AUTHORS, body={"title": "u"}, seed=_create_resource),
    unknown_paths=("/v1/nope", "/v1/library", "/v1/library/resources/x/y", "/", "/v1/catalog/anything"),
    idempotent_post=IdempotentPost(
        route=Route("POST", LIBRARY, LIBRARY_AUTHORS, body={"title": "Retried on school Wi-Fi", "type": "article"},
                    ok=201),
        other={"title": "Something else", "type": "article"},
        invalid={"title": ""},
        listed=_resource_ids,
        created=lambda answer: [answer["id"]],
        events=("resource.created",),
    ),
    outbox_write=OutboxWrite(
        roles=LIBRARY_AUTHORS,
        event_type="resource.created",
        prepare=lambda client: "",
        write=lambda client, _, i: client.post(LIBRARY, json={"title": f"durable {i}", "type": "other"}),
        ok=201,
        change=lambda answer: answer["id"],
        event_change=lambda e: e.subject,
        background=lambda e: False,
        read=lambda client, _: [x["id"] for x in assert_json(client.get(LIBRARY), 200)["data"]],
        read_after=lambda answer: [answer["id"]],
    ),
)


# ---------------------------------------------------------------------------------------------------------
# roster: OneRoster imports (the only POST: a zip), schools and educators (JSON PATCH), docs/roster.md

IMPORTS = "/v1/roster/imports"
SCHOOLS = "/v1/roster/schools"
SCHOOL = SCHOOLS + "/{id}"
EDUCATORS = "/v1/roster/educators"
EDUCATOR = EDUCATORS + "/{id}"
IMPORTERS = frozenset({"sis_integration", "district_admin"})
ROSTER_ADMINS = frozenset({"district_admin"})


@functools.cache
def small_district_zip(schools: int = 1) -> bytes:
    """A valid OneRoster zip of `schools` schools, a principal each and a district administrator, no students:
    one import of schools=1 emits 1 school, 3 academic session and 2 educator events."""
    return generate.zip_bytes(generate.District(schools=schools, staff=schools + 1, students=0).files())


def _import_small(client: Api) -> None:
    """Imports small_district_zip() with client (an importer who may also read: district_admin)."""
    r = client.post(IMPORTS, data=small_district_zip(), headers={"Content-Type": "application/zip"})
    assert_json(r, 201)


def _first_id(client: Api, path: str) -> str:
    data = assert_json(client.get(path, params={"limit": 1}), 200)["data"]
    assert data, f"nothing listed at {path} after the import"
    return data[0]["id"]


def _seed_school(client: Api) -> str:
    _import_small(client)
    return _first_id(client, SCHOOLS)


def _seed_educator(client: Api) -> str:
    _import_small(client)
    return _first_id(client, EDUCATORS)


def _school_sourced_ids(target: Target, client: Api, district: str) -> list[str]:
    admin = target.client(district, ["district_admin"])  # importers need not read schools (sis_integration)
    return [s["sourced_id"] for s in assert_json(admin.get(SCHOOLS, params={"limit": 100}), 200)["data"]]


def _is_first_import_event(e: Event) -> bool:
    data = e.value.get("data")
    return isinstance(data, dict) and data.get("version") == 1


ROSTER_PROBE = Probe(
    routes=(
        Route("POST", IMPORTS, IMPORTERS, body=b"not a zip", media_type="application/zip"),
        Route("GET", IMPORTS, IMPORTERS),
        Route("GET", SCHOOLS, READERS),
        Route("GET", SCHOOL, READERS),
        Route("PATCH", SCHOOL, ROSTER_ADMINS, body={"enrollment": 412}),
    ),
    collection=SCHOOLS,
    item=SCHOOL,
    write=Route("PATCH", SCHOOL, ROSTER_ADMINS, body={"enrollment": 412}, seed=_seed_school),
    update=Route("PATCH", EDUCATOR, ROSTER_ADMINS, body={"started_teaching_on": "2015-08-20"},
                 seed=_seed_educator),
    unknown_paths=("/v1/nope", "/v1/roster", "/v1/roster/schools/x/y", "/", "/v1/library/resources"),
    # The roster's only POST is the import: a zip, not JSON. Its Idempotency-Key goes through the same
    # common code; what it creates is a report (listed too, but the tests count the schools it imported).
    idempotent_post=IdempotentPost(
        route=Route("POST", IMPORTS, IMPORTERS, body=small_district_zip(), media_type="application/zip",
                    ok=201, role="sis_integration"),
        other=small_district_zip(2),
        invalid=generate.invalid_bad_date(),
        listed=_school_sourced_ids,
        created=lambda answer: ["sch-001"],
        events=tuple(sorted(["school.upserted"] + ["academic_session.upserted"] * 3 + ["educator.upserted"] * 2)),
        concurrency_limit=2,
    ),
    # No API call creates a school: the writes change one the test imported (one school.upserted each, with
    # the version the answer names); the import's own events (every entity at version 1) are left out.
    outbox_write=OutboxWrite(
        roles=ROSTER_ADMINS,
        event_type="school.upserted",
        prepare=_seed_school,
        write=lambda client, school, i: client.patch(SCHOOL.replace("{id}", school), json={"enrollment": i}),
        ok=200,
        change=lambda answer: (answer["id"], answer["version"]),
        event_change=lambda e: (e.subject, (e.value.get("data") or {}).get("version")),
        background=_is_first_import_event,
        read=lambda client, school: assert_json(client.get(SCHOOL.replace("{id}", school)), 200),
        read_after=lambda answer: answer,
    ),
)


# ---------------------------------------------------------------------------------------------------------
# surveys: survey definitions (district admins write, staff read what is not a draft), docs/surveys.md

SURVEYS = "/v1/surveys"
SURVEY = SURVEYS + "/{id}"
SURVEY_ADMINS = frozenset({"district_admin"})
SURVEY_BODY = {"title": "Needs 2027", "purpose": "needs_assessment",
               "questions": [{"id": "q1", "type": "rating", "prompt": "How useful was it?"}]}


def _create_survey(client: Api) -> str:
    return assert_json(client.post(SURVEYS, json=SURVEY_BODY), 201)["id"]


def _open_survey(client: Api) -> str:
    """A survey every reader sees (drafts are for district admins only)."""
    sid = _create_survey(client)
    assert_json(client.patch(f"{SURVEYS}/{sid}", json={"status": "open"}), 200)
    return sid


def _survey_ids(target: Target, client: Api, district: str) -> list[str]:
    return [s["id"] for s in assert_json(client.get(SURVEYS, params={"limit": 100}), 200)["data"]]


SURVEYS_PROBE = Probe(
    routes=(
        Route("POST", SURVEYS, SURVEY_ADMINS, body=SURVEY_BODY, ok=201),
        Route("GET", SURVEYS, READERS),
        Route("GET", SURVEY, READERS),
        Route("PATCH", SURVEY, SURVEY_ADMINS, body={"title": "u"}),
    ),
    collection=SURVEYS,
    item=SURVEY,
    write=Route("PATCH", SURVEY, SURVEY_ADMINS, body={"title": "u"}, seed=_open_survey),
    update=Route("PATCH", SURVEY, SURVEY_ADMINS, body={"title": "u"}, seed=_create_survey),
    unknown_paths=("/v1/nope", "/v1/survey", "/v1/surveys/x/y/z", "/", "/v1/library/resources"),
    idempotent_post=IdempotentPost(
        route=Route("POST", SURVEYS, SURVEY_ADMINS, body={"title": "Retried on school Wi-Fi",
                                                          "purpose": "climate"}, ok=201),
        other={"title": "Something else", "purpose": "climate"},
        invalid={"title": ""},
        listed=_survey_ids,
        created=lambda answer: [answer["id"]],
        events=("survey.created",),
    ),
    outbox_write=OutboxWrite(
        roles=SURVEY_ADMINS,
        event_type="survey.created",
        prepare=lambda client: "",
        write=lambda client, _, i: client.post(SURVEYS, json={"title": f"durable {i}", "purpose": "climate"}),
        ok=201,
        change=lambda answer: answer["id"],
        event_change=lambda e: e.subject,
        background=lambda e: False,
        read=lambda client, _: [x["id"] for x in assert_json(client.get(SURVEYS), 200)["data"]],
        read_after=lambda answer: [answer["id"]],
    ),
)


# ---------------------------------------------------------------------------------------------------------
# coaching: relationships (a coach starts one with a teacher), docs/coaching.md

RELATIONSHIPS = "/v1/coaching/relationships"
RELATIONSHIP = RELATIONSHIPS + "/{id}"
COACHES = frozenset({"coach", "district_admin"})
PROBE_TEACHER = "5d0e6c1a-3b2f-4e8d-9a71-6c4b2e8f0a13"  # the teacher the probe's coach starts relationships with


def _relationship_body(i: int | str = "") -> dict:
    teacher = PROBE_TEACHER if i == "" else str(uuid.uuid5(uuid.NAMESPACE_URL, f"teacher-{i}"))
    return {"teacher_id": teacher, "kind": "peer_coaching"}


def _create_relationship(client: Api) -> str:
    return assert_json(client.post(RELATIONSHIPS, json=_relationship_body()), 201)["id"]


def _relationship_ids(target: Target, client: Api, district: str) -> list[str]:
    return [r["id"] for r in assert_json(client.get(RELATIONSHIPS, params={"limit": 100}), 200)["data"]]


COACHING_PROBE = Probe(
    routes=(
        Route("POST", RELATIONSHIPS, COACHES, body=_relationship_body(), ok=201),
        Route("GET", RELATIONSHIPS, READERS),
        Route("GET", RELATIONSHIP, READERS),
        Route("PATCH", RELATIONSHIP, COACHES, body={"kind": "instructional_coaching"}),
    ),
    collection=RELATIONSHIPS,
    item=RELATIONSHIP,
    write=Route("POST", RELATIONSHIPS, COACHES, body=_relationship_body(), ok=201),
    update=Route("PATCH", RELATIONSHIP, COACHES, body={"kind": "instructional_coaching"},
                 seed=_create_relationship),
    unknown_paths=("/v1/nope", "/v1/coaching", "/v1/coaching/relationships/x/y", "/", "/v1/library/resources"),
    idempotent_post=IdempotentPost(
        route=Route("POST", RELATIONSHIPS, COACHES, body=_relationship_body(), ok=201),
        other=_relationship_body("other"),
        invalid={"teacher_id": "not-a-uuid", "kind": "friendship"},
        listed=_relationship_ids,
        created=lambda answer: [answer["id"]],
        events=("relationship.started",),
    ),
    outbox_write=OutboxWrite(
        roles=COACHES,
        event_type="relationship.started",
        prepare=lambda client: "",
        write=lambda client, _, i: client.post(RELATIONSHIPS, json=_relationship_body(i)),
        ok=201,
        change=lambda answer: answer["id"],
        event_change=lambda e: e.subject,
        background=lambda e: False,
        read=lambda client, _: [x["id"] for x in assert_json(client.get(RELATIONSHIPS), 200)["data"]],
        read_after=lambda answer: [answer["id"]],
    ),
    readers=frozenset({"school_leader", "district_admin"}),
)


def credential_key_file() -> str:
    """The PEM of the EC P-256 key hg-resources signs micro-credentials with (HG_RESOURCES_CREDENTIAL_KEY_FILE;
    docs/credentials.md), made once per test run directory; tests compare the JWKS with it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = TEST_RUN_DIR / "credentials" / "issuer.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.replace(path)
    return str(path)


CREDENTIALS = {"HG_RESOURCES_CREDENTIAL_KEY_FILE": credential_key_file(), "HG_RESOURCES_CREDENTIAL_KID": "test-issuer-1",
               "HG_RESOURCES_CREDENTIAL_BASE_URL": "https://pd.example.org"}


# ---------------------------------------------------------------------------------------------------------
# The list

SERVICES: tuple[Service, ...] = (
    Service("resources", port_offset=2, topic="homegrown.resources", probe=RESOURCES_PROBE, env=CREDENTIALS,
            client_fixture="api", events_fixture="events"),
    # test_catalog_roster.py plays the roster to resources on homegrown.roster, a non-JSON message included.
    Service("roster", port_offset=1, topic="homegrown.roster", probe=ROSTER_PROBE, env={**ROSTER_LIMITS, **ROSTER_SIS},
            topic_shared=True),
    Service("surveys", port_offset=3, topic="homegrown.surveys", probe=SURVEYS_PROBE),
    Service("coaching", port_offset=4, topic="homegrown.coaching", probe=COACHING_PROBE),
    # analytics: read models of the others' events (tests/blackbox/analytics/). Its one write, POST
    # /v1/analytics/rebuild, is no probe for the shared tests: it is global, runs in the background, answers 409
    # while one runs and reads no body (test_analytics_rebuild.py covers it).
    Service("analytics", port_offset=5, topic="homegrown.analytics.dlq", probe=None,
            env={"HG_ANALYTICS_READY_MAX_LAG": 1000000,
                 # the state feeds' tests (test_analytics_feeds.py) reach the row limit with a few rows, and see
                 # descriptors under a namespace of their own
                 "HG_ANALYTICS_FEED_MAX_ROWS": 8, "HG_ANALYTICS_EDFI_NAMESPACE": "state.example.org"}),
)
BY_NAME = {s.name: s for s in SERVICES}
DEFAULT = SERVICES[0]  # what the unqualified fixtures (service, base_url) name


def service_env(service: Service) -> dict[str, str]:
    """The environment of hg-<service>: ours without any HG_ variable, then the common settings, then its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
    env.update(COMMON_ENV)
    env["HG_HTTP_PORT"] = str(service.port)
    env.update({k: str(v) for k, v in service.env.items()})
    return env


def per_service(argnames: str, rows: Callable[[Service], Iterable[tuple]],
                ids: Callable[[tuple], str] = lambda row: "-".join(map(str, row)),
                only: Iterable[str] | None = None) -> pytest.MarkDecorator:
    """Parametrizes `target` together with argnames: rows(service) gives each service's values (tuples).
    Ids are `<service>-<ids(row)>`."""
    names = [a.strip() for a in argnames.split(",")]
    params = []
    for s in SERVICES:
        if (only is not None and s.name not in only) or s.probe is None:
            continue
        for row in rows(s):
            params.append(pytest.param(s.name, *row, id=f"{s.name}-{ids(row)}"))
    return pytest.mark.parametrize(["target", *names], params, indirect=["target"])


# ---------------------------------------------------------------------------------------------------------
# What a test parametrized over services gets


class Target:
    """One running service, for a test that runs against every service: its process, probe, events, clients."""

    def __init__(self, service: Service, process: ServiceProcess) -> None:
        self.service = service
        self.name = service.name
        self.process = process
        self.probe = service.probe
        self.events = EventReader(KAFKA_BROKERS, service.topic)
        self._sessions: list[Api] = []

    @property
    def url(self) -> str:
        return self.process.url

    def api(self, bearer: str | None = None) -> Api:
        s = Api(self.process.url, bearer)
        self._sessions.append(s)
        return s

    def client(self, district: str, roles: Iterable[str], sub: str | None = None) -> Api:
        return self.api(token(district, sub or new_user(), list(roles)))

    def raw_of(self, district: str) -> Callable[[Event], bool] | None:
        """Which non-JSON messages of its topic a test about `district` sees (EventReader.collect's `keep_raw`): all
        of them, unless other tests produce to the topic too; then those keyed by the district."""
        return (lambda e: e.key == district) if self.service.topic_shared else None

    def close(self) -> None:
        for s in self._sessions:
            s.close()


class Subject:
    """Where a test sends a write (route, with its item made first when it acts on one) and a snapshot of what
    it could change: the count of the collection a POST adds to, or the item a PATCH changes."""

    def __init__(self, target: Target, route: Route, client: Api) -> None:
        self.client = client
        if route.seed is not None:
            self.id = route.seed(client)
            self.path = route.at(self.id)
        else:
            self.id = None
            self.path = route.path
        self._before = self.state()

    def state(self):
        if self.id is not None:
            return assert_json(self.client.get(self.path), 200)
        return len(assert_json(self.client.get(self.path, params={"limit": 100}), 200)["data"])

    def unchanged(self) -> bool:
        return self.state() == self._before


# ---------------------------------------------------------------------------------------------------------
# The fixtures


def _taking(fn: Callable[..., Any], *argnames: str) -> Callable[..., Any]:
    """fn(**kwargs) with a signature naming argnames: pytest passes those fixtures, and they are in the fixture
    closure of every test that uses fn's fixture (which the per-test check reads)."""
    fn.__signature__ = inspect.Signature(
        [inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a in argnames])
    return fn


def _stop_and_check(svc: ServiceProcess) -> None:
    """The shutdown contract: SIGTERM → exit 0 promptly (HG_TEST_STOP_TIMEOUT), and no sanitizer report."""
    problems = []
    if svc.alive():
        status = svc.stop()
        if status != 0:
            problems.append(f"{svc.name} exited with status {status} on SIGTERM")
    reports = svc.sanitizer_reports()
    if reports:
        problems.append(f"sanitizer reports in the {svc.name} log:\n  " + "\n  ".join(reports[:20]))
    assert not problems, "\n".join(problems) + f"\n{svc.log_tail(120)}"


def _process_fixture(service: Service):
    def fixture() -> Iterator[ServiceProcess]:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        pid_path = TEST_RUN_DIR / f"{service.binary}.pid"
        kill_leftover(pid_path, service.binary)
        log_path = LOG_DIR / f"{service.binary}.log"
        log_path.unlink(missing_ok=True)
        svc = ServiceProcess(service.binary, BIN_DIR / service.binary, service.port, service_env(service),
                             log_path, pid_path)
        svc.start()
        try:
            yield svc
        finally:
            _stop_and_check(svc)

    fixture.__doc__ = (f"{service.binary} (HG_BIN_DIR, the sanitizer build by default), started on first use and "
                       "running for the rest of the session. Tests that stop or kill it must start it again "
                       "before they end; the per-test check restarts it if one failed to.")
    return pytest.fixture(fixture, scope="session", name=service.service_fixture)


def _client_fixture(service: Service):
    def fixture(**kw: ServiceProcess) -> Iterator[Callable[[str | None], Api]]:
        process = kw[service.service_fixture]
        sessions: list[Api] = []

        def make(bearer: str | None = None) -> Api:
            s = Api(process.url, bearer)
            sessions.append(s)
            return s

        yield make
        for s in sessions:
            s.close()

    fixture.__doc__ = f"`{service.client_name}(token)` → a requests session against {service.binary} with that " \
                      "bearer token (None: no token)."
    return pytest.fixture(_taking(fixture, service.service_fixture), name=service.client_name)


def _events_fixture(service: Service):
    def fixture() -> EventReader:
        return EventReader(KAFKA_BROKERS, service.topic)

    fixture.__doc__ = f"Reads `{service.topic}` from the beginning with a new consumer group per call."
    return pytest.fixture(fixture, scope="session", name=service.events_name)


def services_used(request: pytest.FixtureRequest) -> list[Service]:
    """The services a test uses: those whose process fixture is in its fixture closure (directly or through
    the client fixture, a module fixture, ...), and the one its `target` parameter names."""
    used = [s for s in SERVICES if s.service_fixture in request.fixturenames]
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "target" in callspec.params:
        s = BY_NAME[callspec.params["target"]]
        if s not in used:
            used.append(s)
    return used


def _healthy(request: pytest.FixtureRequest) -> Iterator[None]:
    """Before each test: every service it uses runs (started on first use; restarted if an earlier test left
    it dead). After it: each still runs, with no new sanitizer report (so a crash or a report is pinned to the
    test that caused it). A test that uses no service starts none."""
    marks = []
    for s in services_used(request):
        svc: ServiceProcess = request.getfixturevalue(s.service_fixture)
        if not svc.alive():
            svc.start()
        marks.append((svc, len(svc.log_text())))
    yield
    problems = []
    for svc, mark in marks:
        if not svc.alive():
            problems.append(f"{svc.name} died during this test (exit status {svc.proc.returncode})\n"
                            f"{svc.log_tail(40)}")
        reports = svc.sanitizer_reports(since=mark)
        if reports:
            problems.append(f"sanitizer reports of {svc.name} during this test:\n  " + "\n  ".join(reports[:20])
                            + f"\n{svc.log_tail(40)}")
    assert not problems, "\n".join(problems)


def _target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The service this run of a test parametrized over services is about (see per_service)."""
    service = BY_NAME[request.param]
    t = Target(service, request.getfixturevalue(service.service_fixture))
    yield t
    t.close()


def _service(**kw: ServiceProcess) -> ServiceProcess:
    return kw[DEFAULT.service_fixture]


def _base_url(**kw: ServiceProcess) -> str:
    return kw[DEFAULT.service_fixture].url


def _district() -> str:
    return new_district()


def fixtures() -> dict[str, Any]:
    """Every fixture of the list above, by name, for conftest.py to hold."""
    out: dict[str, Any] = {}
    for s in SERVICES:
        for make in (_process_fixture, _client_fixture, _events_fixture):
            f = make(s)
            out[f"_fixture_{f.name}"] = f
    out["_fixture_services_healthy"] = pytest.fixture(_healthy, autouse=True, name="_services_healthy")
    out["_fixture_target"] = pytest.fixture(_target, name="target")
    out["_fixture_service"] = pytest.fixture(_taking(_service, DEFAULT.service_fixture), name="service")
    out["_fixture_base_url"] = pytest.fixture(_taking(_base_url, DEFAULT.service_fixture), name="base_url")
    out["_fixture_district"] = pytest.fixture(_district, name="district")
    return out


def parametrize_targets(metafunc: pytest.Metafunc) -> None:
    """pytest_generate_tests: a test that asks for `target` and does not parametrize it itself runs once per
    service, or once per service its `services` marker names."""
    if "target" not in metafunc.fixturenames:
        return
    for m in metafunc.definition.iter_markers("parametrize"):
        argnames = m.args[0] if m.args else m.kwargs.get("argnames", ())
        if isinstance(argnames, str):
            argnames = [a.strip() for a in argnames.split(",")]
        if "target" in argnames:
            return
    marker = metafunc.definition.get_closest_marker("services")
    names = [s.name for s in SERVICES if (marker is None and s.probe is not None) or
             (marker is not None and s.name in marker.args)]
    metafunc.parametrize("target", names, indirect=True)
