"""Helpers of the PD catalog's black-box tests (tests/blackbox/test_catalog_*.py): a district with its
people, and short ways to create activities, sessions and registrations through the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from hgtest import SPEC, Api, assert_json, new_district, new_user, token

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

    def client(self, sub: str | None = None, *roles: str) -> Api:
        """A client of this district for `sub` (new when None) with `roles` (default teacher); `.sub` is set."""
        sub = sub or new_user()
        c = self.api(token(self.id, sub, roles or ("teacher",)))
        c.sub = sub  # type: ignore[attr-defined]
        return c

    def teacher(self, sub: str | None = None) -> Api:
        return self.client(sub, "teacher")

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
