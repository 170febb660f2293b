"""Helpers of the roster black-box tests: paths, the stack's addresses, import calls, Kafka and database reads.

Tests import these (`from rosterlib import ...`). The fixtures (roster_service, roster, roster_events) come from
the service list in ../services.py: hg-roster (the sanitizer build) runs on 127.0.0.1:HG_TEST_PORT_BASE+1 with
small import limits (ROSTER_LIMITS), so every limit can be reached cheaply. The zips come from
tests/fixtures/roster/generate.py (deterministic), generated in memory at test time.
"""

from __future__ import annotations

import subprocess
import time
import uuid

from confluent_kafka import Consumer, TopicPartition

from hgtest import KAFKA_BROKERS, PG_URL, Api, assert_json  # noqa: F401 - PG_URL: tests take it from here
from services import BY_NAME, ROSTER_LIMITS, generate  # noqa: F401 - ROSTER_LIMITS, generate: for the tests

ROSTER_PORT = BY_NAME["roster"].port  # docs/conventions.md: roster is 80x1
ROSTER_TOPIC = BY_NAME["roster"].topic

IMPORTS = "/v1/roster/imports"
SCHOOLS = "/v1/roster/schools"
EDUCATORS = "/v1/roster/educators"
SESSIONS = "/v1/roster/academic-sessions"


def post_zip(client: Api, data: bytes, dry_run: bool | None = None, **kwargs):
    params = {} if dry_run is None else {"dry_run": "true" if dry_run else "false"}
    headers = {"Content-Type": "application/zip", **kwargs.pop("headers", {})}
    return client.post(IMPORTS, data=data, params=params, headers=headers, **kwargs)


def import_ok(client: Api, data: bytes, dry_run: bool | None = None) -> dict:
    r = post_zip(client, data, dry_run)
    body = assert_json(r, 201)
    assert r.headers.get("Location") == f"{IMPORTS}/{body['id']}", r.headers
    return body


def list_all(client: Api, path: str, **params) -> list[dict]:
    """Every item of a list, following cursors (bounded)."""
    items: list[dict] = []
    cursor = None
    for _ in range(100):
        q = {"limit": 100, **params, **({"cursor": cursor} if cursor else {})}
        page = assert_json(client.get(path, params=q), 200)
        items += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: more than 100 pages")


def by_sourced_id(items: list[dict]) -> dict[str, dict]:
    return {x["sourced_id"]: x for x in items}


def snapshot(client: Api) -> dict:
    """Everything a district admin can read of the roster: to compare before and after."""
    return {"schools": list_all(client, SCHOOLS), "educators": list_all(client, EDUCATORS),
            "sessions": list_all(client, SESSIONS)}


def topic_messages(topic: str = ROSTER_TOPIC, timeout: float = 20.0) -> list[bytes]:
    """Every message value of the topic, up to the high watermark at the time of the call."""
    consumer = Consumer({"bootstrap.servers": KAFKA_BROKERS, "group.id": f"hg-roster-test-{uuid.uuid4()}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        md = consumer.list_topics(topic, timeout=10)
        parts = list(md.topics[topic].partitions)
        ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts}
        consumer.assign([TopicPartition(topic, p, 0) for p in parts])
        out: list[bytes] = []
        done = {p for p, end in ends.items() if end == 0}
        deadline = time.monotonic() + timeout
        while len(done) < len(parts) and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            out.append(msg.value() or b"")
            if msg.offset() + 1 >= ends[msg.partition()]:
                done.add(msg.partition())
        assert len(done) == len(parts), f"could not read {topic} to its end within {timeout} s"
        return out
    finally:
        consumer.close()


def pg_dump_roster() -> str:
    """A plain-text dump of schema roster (data included) of the test database."""
    exe = "/usr/lib/postgresql/15/bin/pg_dump"
    p = subprocess.run([exe, "--dbname", PG_URL, "--schema", "roster", "--no-owner"], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout
