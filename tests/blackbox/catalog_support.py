"""Helpers of the PD catalog's black-box tests (tests/blackbox/test_catalog_*.py): a district with its
people, and short ways to create activities, sessions and registrations through the API.

People registered, marked, facilitating or asking for credit must be active educators of the district's
roster, which resources learns from the roster service's events on `homegrown.roster`: `Roster` produces
them as the roster service would, and `District.on_roster` puts people on the roster and waits until
resources has applied them.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from hgtest import KAFKA_BROKERS, SPEC, Api, assert_json, new_district, new_user, poll, token

ROSTER_TOPIC = "homegrown.roster"
ROSTER_WAIT = 60  # seconds for an event to reach the read model (the first one may wait for the topic's metadata)
_roster_lock = threading.Lock()
_roster_topic_ready = False


def ensure_roster_topic(brokers: str = KAFKA_BROKERS) -> str:
    """homegrown.roster, created as the roster service's deployment would (resources, already running,
    subscribed to it before it existed and picks it up). Returns the brokers."""
    global _roster_topic_ready
    with _roster_lock:
        if _roster_topic_ready:
            return brokers
        admin = AdminClient({"bootstrap.servers": brokers})
        if ROSTER_TOPIC not in admin.list_topics(timeout=10).topics:
            for f in admin.create_topics([NewTopic(ROSTER_TOPIC, num_partitions=1, replication_factor=1)]).values():
                try:
                    f.result(timeout=20)
                except Exception as e:  # noqa: BLE001 - created meanwhile by someone else is fine
                    if "TOPIC_ALREADY_EXISTS" not in str(e):
                        raise
        _roster_topic_ready = True
    return brokers


class Roster:
    """Produces roster events for one district, as the roster service would (CloudEvents, key = district id,
    `educator.upserted` / `educator.deactivated`)."""

    def __init__(self, district: str, brokers: str = KAFKA_BROKERS) -> None:
        self.district = district
        self.producer = Producer({"bootstrap.servers": ensure_roster_topic(brokers), "enable.idempotence": True,
                                  "linger.ms": 0})
        self.versions: dict[str, int] = {}

    def event(self, type_: str, educator: str, schools: list[str], *, status: str = "active",
              version: int | None = None, district: str | None = None, event_id: str | None = None) -> dict:
        if version is None:
            version = self.versions.get(educator, 0) + 1
        self.versions[educator] = max(version, self.versions.get(educator, 0))
        district = district or self.district
        return {
            "specversion": "1.0", "id": event_id or str(uuid.uuid4()), "source": "/homegrown/roster",
            "type": type_, "subject": educator,
            "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "datacontenttype": "application/json", "districtid": district,
            "data": {"id": educator, "district_id": district, "sourced_id": f"u-{educator[:8]}",
                     "given_name": "Ada", "family_name": "Byron", "email": f"{educator[:8]}@example.org",
                     "status": status, "roles": ["teacher"], "school_ids": schools,
                     "started_teaching_on": "2019-08-20", "new_teacher": False,
                     "updated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                     "version": version},
        }

    def send(self, *events: dict | bytes) -> None:
        for ev in events:
            value = ev if isinstance(ev, bytes) else json.dumps(ev).encode()
            self.producer.produce(ROSTER_TOPIC, key=self.district.encode(), value=value)
        assert self.producer.flush(20) == 0, "roster events not delivered to Kafka"

    def upsert(self, educator: str, schools: list[str], **kw) -> dict:
        ev = self.event("educator.upserted", educator, schools, **kw)
        self.send(ev)
        return ev

ACTIVITIES = "/v1/catalog/activities"
CREDIT_REQUESTS = "/v1/catalog/credit-requests"


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now() -> datetime:
    return datetime.now(timezone.utc)


def activity_body(**overrides) -> dict:
    body = {
        "title": "Number talks, grades 3-5",
        "description": "Short daily routines that build number sense.",
        "objectives": ["Run a 10-minute number talk"],
        "topics": ["math"],
        "type": "SeriesOfWorkshopsTraining",
        "credit_type": "Hours",
        "credits": 6,
        "level": "Beginner",
        "target_audience": ["grade 3-5 teachers"],
        "delivery_method": "Onsite",
        "instructional_delivery_mode": "FaceToFace",
        "funding_source": "Title II-A",
        "cost": 0,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def session_body(start: datetime | None = None, minutes: int = 60, capacity: int = 20, **overrides) -> dict:
    """A session starting at `start` (default: 5 minutes ago, so registration, check-in and attendance are open)."""
    start = start if start is not None else now() - timedelta(minutes=5)
    body = {"starts_at": iso(start), "ends_at": iso(start + timedelta(minutes=minutes)),
            "location": "Lincoln Elementary, library", "capacity": capacity}
    body.update(overrides)
    return body


@dataclass
class District:
    """A district with an admin, and factories for its other people. `api` is the conftest fixture."""

    api: object
    id: str = field(default_factory=new_district)
    admin_id: str = field(default_factory=new_user)

    def __post_init__(self) -> None:
        self.admin = self.client(self.admin_id, "district_admin")
        self.roster: Roster | None = None

    def client(self, sub: str | None = None, *roles: str) -> Api:
        """A client of this district for `sub` (new when None) with `roles` (default teacher); `.sub` is set.
        Not put on the roster (on_roster does that; teacher() both)."""
        sub = sub or new_user()
        c = self.api(token(self.id, sub, roles or ("teacher",)))
        c.sub = sub  # type: ignore[attr-defined]
        return c

    def teacher(self, sub: str | None = None) -> Api:
        """A teacher's client, on the district's roster (active)."""
        c = self.client(sub, "teacher")
        self.on_roster(c.sub)  # type: ignore[attr-defined]
        return c

    def on_roster(self, *subs: str, status: str = "active", schools: list[str] | None = None) -> list[str]:
        """Puts the educators `subs` (all of them in one batch) on this district's roster with `status`
        (`inactive`: an `educator.deactivated` event), assigned to `schools` (default none), and waits until
        resources has applied them; returns subs.

        The wait is a marker produced last on the same partition (key = district): a new school leader and an
        educator of a new school. Resources applies a partition's events in order, so once the leader may read
        the educator's transcript, every event before the marker is applied too."""
        if self.roster is None:
            self.roster = Roster(self.id)
        events = [self.roster.event("educator.deactivated" if status == "inactive" else "educator.upserted",
                                    sub, list(schools or []), status=status) for sub in subs]
        school = str(uuid.uuid4())
        leader, member = new_user(), new_user()
        self.roster.send(*events, self.roster.event("educator.upserted", leader, [school]),
                         self.roster.event("educator.upserted", member, [school]))
        reader = self.client(leader, "school_leader")
        applied = poll(lambda: reader.get(f"/v1/transcripts/{member}").status_code == 200, ROSTER_WAIT, 0.05)
        assert applied, f"resources did not apply the roster events of district {self.id} within {ROSTER_WAIT} s"
        return list(subs)

    # ---- catalog ----

    def activity(self, publish: bool = True, **overrides) -> dict:
        a = assert_json(self.admin.post(ACTIVITIES, json=activity_body(**overrides)), 201)
        SPEC.check("resources.yaml", "CatalogActivity", a)
        if publish:
            a = assert_json(self.admin.patch(f"{ACTIVITIES}/{a['id']}", json={"status": "published"}), 200)
        return a

    def session(self, activity_id: str, **kwargs) -> dict:
        s = assert_json(self.admin.post(f"{ACTIVITIES}/{activity_id}/sessions", json=session_body(**kwargs)), 201)
        SPEC.check("resources.yaml", "CatalogSession", s)
        return s

    def register(self, client: Api, session_id: str, **body) -> dict:
        r = assert_json(client.post(f"/v1/catalog/sessions/{session_id}/registrations", json=body), 201)
        SPEC.check("resources.yaml", "CatalogRegistration", r)
        return r

    def registrations(self, session_id: str, status: str | None = None) -> list[dict]:
        """Every registration of a session (all pages), in arrival order, read by the admin."""
        out, cursor = [], None
        for _ in range(100):
            params = {"limit": 100}
            if status:
                params["status"] = status
            if cursor:
                params["cursor"] = cursor
            page = assert_json(self.admin.get(f"/v1/catalog/sessions/{session_id}/registrations", params=params),
                               200)
            SPEC.check("resources.yaml", "CatalogRegistrationPage", page)
            out += page["data"]
            cursor = page["next_cursor"]
            if not cursor:
                return out
        raise AssertionError("more than 100 pages of registrations")

    def mark(self, client: Api, session_id: str, *educators: str) -> dict:
        body = assert_json(client.post(f"/v1/catalog/sessions/{session_id}/attendance",
                                       json={"educator_ids": list(educators)}), 200)
        SPEC.check("resources.yaml", "CatalogAttendanceResult", body)
        return body

    def transcript(self, client: Api, educator: str, **params) -> dict:
        body = assert_json(client.get(f"/v1/transcripts/{educator}", params={"limit": 100, **params}), 200)
        SPEC.check("resources.yaml", "Transcript", body)
        return body


def of_district(district: str):
    """An EventReader match: events of this district."""
    return lambda e: e.value.get("districtid") == district
