"""Helpers of the coaching black-box tests: paths, clients by role, the roster's events as the roster service
would produce them, and the coaching events of one district.

The fixtures (coaching_service, coaching, coaching_events) come from the service list in ../services.py:
hg-coaching (the sanitizer build) runs on 127.0.0.1:HG_TEST_PORT_BASE+4.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from hgtest import KAFKA_BROKERS, Api, Event, EventReader, token

RELATIONSHIPS = "/v1/coaching/relationships"
UNMATCHED = "/v1/coaching/unmatched-new-teachers"
ROSTER_TOPIC = "homegrown.roster"
RESOURCES_TOPIC = "homegrown.resources"
WAIT = 30  # seconds for a roster event to reach the read model


class People:
    """One district and clients for its people: `people.client("coach")` is a new coach each call unless a sub is
    given; `people.sub(name)` remembers named educators."""

    def __init__(self, make, district: str) -> None:
        self.make = make  # the client fixture: make(bearer) -> Api
        self.district = district
        self.subs: dict[str, str] = {}

    def sub(self, name: str) -> str:
        return self.subs.setdefault(name, str(uuid.uuid4()))

    def client(self, *roles: str, name: str | None = None) -> Api:
        sub = self.sub(name) if name else str(uuid.uuid4())
        return self.make(token(self.district, sub, list(roles)))


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def days_ago(days: int) -> str:
    return (datetime.now(timezone.utc).date() - timedelta(days=days)).isoformat()


def ensure_topic(brokers: str, topic: str) -> None:
    """Creates topic (one partition) unless it exists: the roster service's deployment would have."""
    admin = AdminClient({"bootstrap.servers": brokers})
    if topic in admin.list_topics(timeout=10).topics:
        return
    for f in admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)]).values():
        try:
            f.result(timeout=20)
        except Exception as e:  # noqa: BLE001 - created meanwhile by someone else is fine
            if "TOPIC_ALREADY_EXISTS" not in str(e):
                raise


class Roster:
    """Produces the roster's educator events for one district, as the roster service would."""

    def __init__(self, district: str) -> None:
        ensure_topic(KAFKA_BROKERS, ROSTER_TOPIC)
        self.district = district
        self.producer = Producer({"bootstrap.servers": KAFKA_BROKERS, "enable.idempotence": True})
        self.versions: dict[str, int] = {}

    def educator(self, educator: str, *, started: str | None, roles=("teacher",), status: str = "active",
                 version: int | None = None, district: str | None = None, type_: str = "educator.upserted",
                 schools: list[str] | None = None) -> dict:
        if version is None:
            version = self.versions.get(educator, 0) + 1
        self.versions[educator] = max(version, self.versions.get(educator, 0))
        district = district or self.district
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        ev = {
            "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/homegrown/roster", "type": type_,
            "subject": educator, "time": now, "datacontenttype": "application/json", "districtid": district,
            "data": {"id": educator, "district_id": district, "sourced_id": f"u-{educator[:8]}",
                     "given_name": "Ana", "family_name": f"N{educator[:4]}", "email": None, "status": status,
                     "roles": list(roles), "school_ids": schools if schools is not None else [],
                     "started_teaching_on": started, "new_teacher": False, "updated_at": now,
                     "version": version},
        }
        self.send(ev)
        return ev

    def send(self, *events: dict | bytes) -> None:
        for ev in events:
            value = ev if isinstance(ev, bytes) else json.dumps(ev).encode()
            self.producer.produce(ROSTER_TOPIC, key=self.district.encode(), value=value)
        assert self.producer.flush(20) == 0, "roster events not delivered to Kafka"


class Catalog:
    """Produces the catalog's activity events for one district, as the resources service would."""

    def __init__(self, district: str) -> None:
        ensure_topic(KAFKA_BROKERS, RESOURCES_TOPIC)
        self.district = district
        self.producer = Producer({"bootstrap.servers": KAFKA_BROKERS, "enable.idempotence": True})

    def activity(self, activity: str | None = None, *, status: str = "published", version: int = 1,
                 type_: str = "activity.created", district: str | None = None, **data) -> str:
        activity = activity or str(uuid.uuid4())
        district = district or self.district
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        ev = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/homegrown/resources", "type": type_,
              "subject": activity, "time": now, "datacontenttype": "application/json", "districtid": district,
              "data": {"id": activity, "district_id": district, "title": "Fractions institute", "type": "workshop",
                       "status": status, "version": version, **data}}
        self.send(ev)
        return activity

    def send(self, *events: dict | bytes) -> None:
        for ev in events:
            value = ev if isinstance(ev, bytes) else json.dumps(ev).encode()
            self.producer.produce(RESOURCES_TOPIC, key=self.district.encode(), value=value)
        assert self.producer.flush(20) == 0, "catalog events not delivered to Kafka"


def district_events(reader: EventReader, district: str, want: int, settle: float = 1.0) -> list[Event]:
    """The coaching events of one district: read until `want` arrived, then `settle` seconds for extras."""
    return reader.collect(match=lambda e: e.value.get("districtid") == district,
                          until=lambda found: len(found) >= want, timeout=20, settle=settle)
