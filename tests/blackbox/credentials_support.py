"""Helpers of the micro-credentials' black-box tests (tests/blackbox/test_credentials_*.py): a competency and a
definition made through the API, on top of catalog_support's District (its roster, its people)."""

from __future__ import annotations

from catalog_support import District
from hgtest import SPEC, assert_json

COMPETENCIES = "/v1/credentials/competencies"
DEFINITIONS = "/v1/credentials/definitions"


def competency_body(**overrides) -> dict:
    body = {"name": "Formative assessment", "description": "Uses evidence of learning to adjust instruction.",
            "group": "Instruction", "alignment": {"framework": "Learning Forward Standards for Professional Learning",
                                                  "code": "LF-DATA", "url": "https://learningforward.org/standards/data/"}}
    body.update(overrides)
    return body


def criteria(n: int = 2) -> list[dict]:
    return [{"name": f"Criterion {i + 1}", "description": f"What criterion {i + 1} asks for.",
             "levels": ["Not yet", "Developing", "Proficient", "Exemplary"], "passing_level": 3} for i in range(n)]


def definition_body(competency_id: str, reviewers: list[str], **overrides) -> dict:
    body = {"competency_id": competency_id, "name": "Checking for understanding",
            "description": "Plans and uses checks for understanding and adjusts the lesson to what they show.",
            "criteria": criteria(), "evidence_required": ["link", "reflection"], "credit_type": "Hours",
            "credits": 15, "reviewer_ids": reviewers}
    body.update(overrides)
    return body


def competency(d: District, **overrides) -> dict:
    c = assert_json(d.admin.post(COMPETENCIES, json=competency_body(**overrides)), 201)
    SPEC.check("resources.yaml", "Competency", c)
    return c


def definition(d: District, reviewers: list[str], competency_id: str | None = None, **overrides) -> dict:
    competency_id = competency_id or competency(d)["id"]
    body = assert_json(d.admin.post(DEFINITIONS, json=definition_body(competency_id, reviewers, **overrides)), 201)
    SPEC.check("resources.yaml", "MicrocredentialDefinition", body)
    return body

SUBMISSIONS = "/v1/credentials/submissions"


def evidence(*kinds: str) -> list[dict]:
    """One evidence item of each kind, as an educator would send it."""
    items = {"link": {"kind": "link", "title": "Lesson plan", "url": "https://example.org/plans/checks.pdf"},
             "reflection": {"kind": "reflection", "text": "The exit tickets showed two misconceptions; I regrouped."},
             "coaching_observation": {"kind": "coaching_observation",
                                      "reference_id": "5b0c8f8e-2f44-4c1e-9d2a-6f1a0c3b7e11"},
             "student_work": {"kind": "student_work", "url": "https://example.org/work/sample-1.pdf"}}
    return [dict(items[k]) for k in kinds]


def submit(client, definition_id: str, *kinds: str) -> dict:
    r = client.post(SUBMISSIONS, json={"definition_id": definition_id, "evidence": evidence(*(kinds or ("link",
                                                                                                      "reflection")))})
    body = assert_json(r, 201)
    SPEC.check("resources.yaml", "MicrocredentialSubmission", body)
    assert r.headers["Location"] == f"{SUBMISSIONS}/{body['id']}"
    return body


def review(client, submission_id: str, decision: str, scores: list[int], feedback: str | None = None):
    body = {"decision": decision, "scores": scores}
    if feedback is not None:
        body["feedback"] = feedback
    return client.post(f"{SUBMISSIONS}/{submission_id}/review", json=body)
