"""Helpers of the analytics black-box tests: the roster's and the catalog's events as those services produce
them (docs/roster.md, docs/resources.md), for one district, and the participation endpoint.

The fixtures (analytics_service, analytics, analytics_events: the dead-letter topic) come from the service list
in ../services.py: hg-analytics (the sanitizer build) runs on 127.0.0.1:HG_TEST_PORT_BASE+5.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

from confluent_kafka import Producer

from hgtest import KAFKA_BROKERS, Api, assert_json, poll, token

PARTICIPATION = "/v1/analytics/participation"
ROSTER_TOPIC = "homegrown.roster"
RESOURCES_TOPIC = "homegrown.resources"
COACHING_TOPIC = "homegrown.coaching"
SURVEYS_TOPIC = "homegrown.surveys"
DLQ_TOPIC = "homegrown.analytics.dlq"
WAIT = 60  # seconds for an event to reach the read models (a restarted consumer rejoins its group first)


def ensure_topics() -> None:
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "coaching"))
    from coachlib import ensure_topic  # noqa: PLC0415 - one helper, shared
    for t in (ROSTER_TOPIC, RESOURCES_TOPIC, COACHING_TOPIC, SURVEYS_TOPIC):
        ensure_topic(KAFKA_BROKERS, t)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class District:
    """Produces one district's roster and catalog events, as hg-roster and hg-resources would."""

    def __init__(self, make, district: str | None = None) -> None:
        ensure_topics()
        self.make = make  # the analytics client fixture: make(bearer) -> Api
        self.id = district or str(uuid.uuid4())
        self.producer = Producer({"bootstrap.servers": KAFKA_BROKERS, "enable.idempotence": True})
        self.versions: dict[str, int] = {}
        self.sent: list[dict] = []

    def client(self, *roles: str, sub: str | None = None) -> Api:
        return self.make(token(self.id, sub or str(uuid.uuid4()), list(roles)))

    def _version(self, entity: str, version: int | None) -> int:
        v = version if version is not None else self.versions.get(entity, 0) + 1
        self.versions[entity] = max(v, self.versions.get(entity, 0))
        return v

    def event(self, topic: str, type_: str, subject: str, data: dict, *, district: str | None = None,
              id_: str | None = None) -> dict:
        district = district or self.id
        ev = {"specversion": "1.0", "id": id_ or str(uuid.uuid4()), "source": f"/homegrown/{topic.split('.')[1]}",
              "type": type_, "subject": subject, "time": _now(), "datacontenttype": "application/json",
              "districtid": district, "data": {"district_id": district, **data}}
        self.send(topic, ev)
        return ev

    def send(self, topic: str, *events: dict) -> None:
        for ev in events:
            self.producer.produce(topic, key=self.id.encode(), value=json.dumps(ev).encode())
            self.sent.append(ev)
        assert self.producer.flush(20) == 0, "events not delivered to Kafka"

    # roster ------------------------------------------------------------------------------------------------
    def school(self, name: str, *, locale=None, title_i=None, poverty=None, status="active",
               version: int | None = None, sid: str | None = None) -> str:
        sid = sid or str(uuid.uuid4())
        self.event(ROSTER_TOPIC, "school.upserted", sid,
                   {"id": sid, "sourced_id": f"s-{sid[:8]}", "name": name, "identifier": None, "status": status,
                    "locale": locale, "title_i": title_i, "poverty_level": poverty, "enrollment": None,
                    "updated_at": _now(), "version": self._version(sid, version)})
        return sid

    def educator(self, *, schools=(), roles=("teacher",), started: str | None = None, status="active",
                 version: int | None = None, eid: str | None = None, type_="educator.upserted") -> str:
        eid = eid or str(uuid.uuid4())
        self.event(ROSTER_TOPIC, type_, eid,
                   {"id": eid, "sourced_id": f"u-{eid[:8]}", "given_name": "Ana", "family_name": "N",
                    "email": None, "status": status, "roles": list(roles), "school_ids": list(schools),
                    "started_teaching_on": started, "new_teacher": False, "updated_at": _now(),
                    "version": self._version(eid, version)})
        return eid

    # catalog -----------------------------------------------------------------------------------------------
    def activity(self, title: str, *, credit_type="Hours", credits=3, type_="OneTimeWorkshopTraining",
                 status="published", version: int | None = None, aid: str | None = None,
                 delivery_method: str | None = "Onsite", delivery_mode: str | None = None) -> str:
        aid = aid or str(uuid.uuid4())
        self.event(RESOURCES_TOPIC, "activity.published" if status == "published" else "activity.created", aid,
                   {"id": aid, "title": title, "description": "", "objectives": [], "topics": [], "type": type_,
                    "credit_type": credit_type, "credits": credits, "level": None, "audience_type": None,
                    "target_audience": [], "delivery_method": delivery_method,
                    "instructional_delivery_mode": delivery_mode,
                    "funding_source": None, "cost": None, "status": status,
                    "completion_rule": {"kind": "all_sessions"}, "created_by": str(uuid.uuid4()),
                    "created_at": _now(), "updated_at": _now(), "published_at": None, "archived_at": None,
                    "version": self._version(aid, version)})
        return aid

    def session(self, activity: str, starts_at: str, ends_at: str, *, status="registering",
                version: int | None = None, sid: str | None = None) -> str:
        sid = sid or str(uuid.uuid4())
        type_ = {"registering": "session.scheduled", "completed": "session.completed",
                 "cancelled": "session.cancelled"}[status]
        self.event(RESOURCES_TOPIC, type_, sid,
                   {"id": sid, "activity_id": activity, "starts_at": starts_at, "ends_at": ends_at,
                    "location": "Room 1", "online_url": None, "capacity": 30, "facilitators": [],
                    "status": status, "registered_count": 0, "waitlisted_count": 0, "seats_available": 30,
                    "check_in_code": None, "created_by": str(uuid.uuid4()), "created_at": _now(),
                    "updated_at": _now(), "version": self._version(sid, version)})
        return sid

    def attended(self, session: str, activity: str, educator: str, at: str) -> dict:
        return self.event(RESOURCES_TOPIC, "attendance.recorded", session,
                          {"session_id": session, "activity_id": activity, "educator_id": educator,
                           "method": "marked", "recorded_by": str(uuid.uuid4()), "recorded_at": at})

    def completed(self, activity: str, educator: str, credit_type: str, credits, at: str,
                  cid: str | None = None) -> dict:
        cid = cid or str(uuid.uuid4())
        return self.event(RESOURCES_TOPIC, "activity.completed", cid,
                          {"id": cid, "activity_id": activity, "educator_id": educator, "credit_type": credit_type,
                           "credits": credits, "completed_at": at, "activity_title": "x", "sessions_attended": 1})

    def outside_credit(self, educator: str, hours, end_date: str, status="approved") -> str:
        rid = str(uuid.uuid4())
        self.event(RESOURCES_TOPIC, "credit_request.decided", rid,
                   {"id": rid, "educator_id": educator, "title": "Summer institute", "provider": "State",
                    "description": "", "start_date": end_date, "end_date": end_date, "hours": hours,
                    "credit_type": "Hours", "evidence_url": None, "status": status, "reason": "ok",
                    "decided_by": str(uuid.uuid4()), "decided_at": _now(), "created_at": _now(),
                    "updated_at": _now(), "version": 2})
        return rid

    # coaching (docs/coaching.md "Events": no content) ----------------------------------------------------------
    def cycle(self, teacher: str, started_at: str, *, status="planning", goal_met=None, closed_at=None,
              coach: str | None = None, version: int | None = None, cid: str | None = None) -> str:
        cid = cid or str(uuid.uuid4())
        v = self._version(cid, version)
        self.event(COACHING_TOPIC, "cycle.started" if v == 1 else "cycle.state_changed", cid,
                   {"id": cid, "relationship_id": str(uuid.uuid4()), "coach_id": coach or str(uuid.uuid4()),
                    "teacher_id": teacher, "status": status, "goal_met": goal_met, "state_changed_at": _now(),
                    "closed_at": closed_at, "duration_days": 0, "created_by": str(uuid.uuid4()),
                    "created_at": started_at, "updated_at": _now(), "version": v})
        return cid

    def feedback(self, cycle: str, teacher: str, minutes: int, given_at: str) -> dict:
        fid = str(uuid.uuid4())
        return self.event(COACHING_TOPIC, "feedback.given", fid,
                          {"id": fid, "observation_id": str(uuid.uuid4()), "cycle_id": cycle,
                           "coach_id": str(uuid.uuid4()), "teacher_id": teacher, "minutes_since_observation": minutes,
                           "created_by": str(uuid.uuid4()), "created_at": given_at, "version": 1})

    def time_logged(self, teacher: str, minutes: int, logged_on: str) -> dict:
        tid = str(uuid.uuid4())
        return self.event(COACHING_TOPIC, "time.logged", tid,
                          {"id": tid, "relationship_id": str(uuid.uuid4()), "coach_id": str(uuid.uuid4()),
                           "teacher_id": teacher, "activity": "observation", "minutes": minutes,
                           "logged_on": logged_on, "created_by": str(uuid.uuid4()), "created_at": _now()})

    # surveys (docs/surveys.md "Events") --------------------------------------------------------------------
    def survey(self, title: str, purpose: str, *, status="draft", mode="confidential", audience_size=None,
               opened_at=None, closed_at=None, version: int | None = None, sid: str | None = None) -> str:
        sid = sid or str(uuid.uuid4())
        v = self._version(sid, version)
        type_ = {"draft": "survey.created" if v == 1 else "survey.updated", "open": "survey.opened",
                 "closed": "survey.closed"}[status]
        self.event(SURVEYS_TOPIC, type_, sid,
                   {"id": sid, "title": title, "description": None, "purpose": purpose, "mode": mode,
                    "audience": {}, "opens_at": None, "closes_at": None, "status": status, "questions": [],
                    "audience_size": audience_size, "answered": status != "draft", "created_by": str(uuid.uuid4()),
                    "created_at": _now(), "updated_at": _now(), "opened_at": opened_at, "closed_at": closed_at,
                    "version": v})
        return sid

    def results(self, survey: str, closed_at: str, invited: int, responded: int, respondents, questions: dict,
                topics: dict) -> dict:
        """results.finalized as the surveys service writes it: no district_id in data, no free text."""
        ev = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/homegrown/surveys",
              "type": "results.finalized", "subject": survey, "time": _now(), "datacontenttype": "application/json",
              "districtid": self.id,
              "data": {"by": None, "min_cell": 5, "min_text": 10, "respondents": respondents,
                       "overall": {"questions": questions, "topics": topics}, "groups": [], "survey_id": survey,
                       "mode": "confidential", "closed_at": closed_at,
                       "response_rate": {"invited": invited, "responded": responded,
                                         "rate": round(responded * 1000 // invited / 10, 1) if invited else None}}}
        self.send(SURVEYS_TOPIC, ev)
        return ev


def participation(client: Api, period: str, by: str | None = None) -> dict:
    return assert_json(client.get(PARTICIPATION, params={"period": period, **({"by": by} if by else {})}), 200)


def wait_for(client: Api, period: str, check, by: str | None = None) -> dict:
    """Polls the participation answer until check(answer) holds (bounded by WAIT); returns the last answer."""
    last: dict = {}

    def ok() -> bool:
        nonlocal last
        last = participation(client, period, by)
        return bool(check(last))

    assert poll(ok, WAIT, interval=0.3), last
    return last
