"""Helpers of the surveys black-box tests: paths, a district with its clients, every question type, psql reads,
and roster events played to hg-surveys on `homegrown.roster`.

The fixtures (surveys_service, surveys, surveys_events) come from the service list in ../services.py:
hg-surveys (the sanitizer build) runs on 127.0.0.1:HG_TEST_PORT_BASE+3.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from datetime import datetime, timedelta, timezone

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from hgtest import KAFKA_BROKERS, PG_URL, Api, assert_json, new_district, new_user, poll, token

SURVEYS = "/v1/surveys"
ROSTER_TOPIC = "homegrown.roster"

# One question of each type, valid as written.
QUESTIONS = [
    {"id": "useful", "type": "scale", "prompt": "The session was useful",
     "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"], "topic": "assessment"},
    {"id": "confidence", "type": "retrospective", "prompt": "My confidence using formative assessment",
     "labels": ["None", "Low", "Some", "High", "Very high"], "topic": "assessment"},
    {"id": "format", "type": "single_choice", "prompt": "Preferred format", "options": ["in person", "online"]},
    {"id": "topics", "type": "multiple_choice", "prompt": "Topics you want", "options": ["a", "b", "c", "d"],
     "min_picks": 1, "max_picks": 2, "required": False},
    {"id": "recommend", "type": "rating", "prompt": "Would you recommend it?"},
    {"id": "hours", "type": "number", "prompt": "Hours of PD this year", "min": 0, "max": 200, "required": False},
    {"id": "comment", "type": "text", "prompt": "Anything else?", "max_length": 50, "required": False},
]

# A full valid answer to QUESTIONS.
ANSWERS = {"useful": 4, "confidence": {"before": 2, "now": 4}, "format": "online", "topics": ["a", "c"],
           "recommend": 9, "hours": 12.5, "comment": "More practice time"}


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def hours_from_now(h: float) -> str:
    return iso(datetime.now(timezone.utc) + timedelta(hours=h))


class District:
    """A new district with an admin client, and clients for any role."""

    def __init__(self, surveys) -> None:
        self.id = new_district()
        self._make = surveys
        self.admin_id = new_user()
        self.admin = self.client(self.admin_id, "district_admin")

    def client(self, sub: str | None = None, *roles: str) -> Api:
        return self._make(token(self.id, sub or new_user(), list(roles) or ["teacher"]))

    def create(self, **fields) -> dict:
        body = {"title": "Survey", "purpose": "needs_assessment", "questions": QUESTIONS, **fields}
        return assert_json(self.admin.post(SURVEYS, json=body), 201)

    def patch(self, survey_id: str, body: dict, client: Api | None = None):
        return (client or self.admin).patch(f"{SURVEYS}/{survey_id}", json=body)

    def open(self, **fields) -> dict:
        s = self.create(**fields)
        return assert_json(self.patch(s["id"], {"status": "open"}), 200)


def psql(sql: str) -> list[list[str]]:
    """Rows of a query on the test database (schema surveys), as the service's own database user sees them."""
    p = subprocess.run(["psql", PG_URL, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c",
                        f"SET search_path TO surveys; {sql}"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return [line.split("\t") for line in p.stdout.splitlines() if line and line != "SET"]


def ensure_roster_topic() -> None:
    admin = AdminClient({"bootstrap.servers": KAFKA_BROKERS})
    if ROSTER_TOPIC in admin.list_topics(timeout=10).topics:
        return
    for f in admin.create_topics([NewTopic(ROSTER_TOPIC, num_partitions=1, replication_factor=1)]).values():
        try:
            f.result(timeout=20)
        except Exception as e:  # noqa: BLE001 - created meanwhile by someone else is fine
            if "TOPIC_ALREADY_EXISTS" not in str(e):
                raise


class Roster:
    """Plays the roster service to hg-surveys: educator and school events of one district."""

    def __init__(self, district: str) -> None:
        ensure_roster_topic()
        self.district = district
        self.producer = Producer({"bootstrap.servers": KAFKA_BROKERS, "enable.idempotence": True})
        self.versions: dict[str, int] = {}

    def _event(self, type_: str, subject: str, data: dict) -> dict:
        version = self.versions.get(subject, 0) + 1
        self.versions[subject] = version
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/homegrown/roster", "type": type_,
                "subject": subject, "time": now, "datacontenttype": "application/json",
                "districtid": self.district,
                "data": {"id": subject, "district_id": self.district, "version": version, **data}}

    def educator(self, educator: str, schools: list[str], roles: tuple[str, ...] = ("teacher",),
                 started: str | None = "2012-08-20", status: str = "active") -> dict:
        return self._event("educator.upserted", educator,
                           {"status": status, "roles": list(roles), "school_ids": schools,
                            "started_teaching_on": started, "given_name": "Ada", "family_name": "Byron"})

    def school(self, school: str, locale: str | None = None, poverty: str | None = None,
               title_i: bool | None = None) -> dict:
        return self._event("school.upserted", school, {"name": f"School {school[:4]}", "status": "active",
                                                       "locale": locale, "poverty_level": poverty,
                                                       "title_i": title_i})

    def send(self, *events: dict) -> None:
        for ev in events:
            self.producer.produce(ROSTER_TOPIC, key=self.district.encode(), value=json.dumps(ev).encode())
        assert self.producer.flush(20) == 0, "roster events not delivered to Kafka"

    def wait_applied(self, educators: int, schools: int = 0, timeout: float = 30) -> None:
        """Waits until hg-surveys holds this many educators and schools of the district."""
        def counts():
            rows = psql(f"SELECT (SELECT count(*) FROM roster_educators WHERE district_id = '{self.district}'),"
                        f" (SELECT count(*) FROM roster_schools WHERE district_id = '{self.district}')")
            return int(rows[0][0]) >= educators and int(rows[0][1]) >= schools
        assert poll(counts, timeout, 0.25), f"roster events of {self.district} not applied within {timeout} s"
