"""schemathesis hooks for the contract run (tests/contract/run.sh loads them through SCHEMATHESIS_HOOKS).

Tokens: every operation is called with a token holding exactly the roles its `x-roles` lists (one district,
one educator for the whole run, so that what the stateful phase creates is found again by the next call),
HS256, signed with the secret the services under test were started with (HG_JWT_SECRET), with the issuer and
audience the services require by default.

What a schema cannot say, and how a positive (schema-valid) case is kept to what the contract promises:
- A cursor is valid only when the server issued it (common.yaml `Cursor`): a positive case keeps its `cursor`
  only when a response of this run carried it as `next_cursor`; any other is dropped. Negative cases keep
  theirs (the server must refuse them: 400).
- An `Idempotency-Key` sent again with another request is a 422 by design (common.yaml `IdempotencyKey`): a
  positive case that carries a valid key gets a fresh one, so generated cases never reuse each other's keys.
- A roster import's body is a OneRoster zip, which a schema can only call a string: a positive case sends
  a valid one (HG_CONTRACT_ROSTER_ZIP, from tests/fixtures/roster/generate.py), so that the import is
  answered 201 and what it creates feeds the other roster operations.
- The SIS connection's URLs are where the roster service goes on a sync (POST /v1/roster/syncs): a positive
  case's URLs are replaced by loopback ones nothing listens on, so the run never sends the service anywhere
  but to this machine (the sync fails at once and is reported as failed).
- Rules relative to today or to another field of the same body, or to data the server holds (listed in
  RULES_BEYOND_SCHEMA, each also stated in the field's description in the spec) answer 422 naming the field:
  such a 422 on a positive case is not a failure when every field it names is one of those of the operation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import threading
import time
import uuid

import schemathesis
from hypothesis.internal import lambda_sources

# CPython 3.11 before 3.11.8 (gh-106905; the machine's is 3.11.7): ast.parse called deep in a call stack may
# raise SystemError "AST constructor recursion depth mismatch". Hypothesis parses source files only to describe a
# lambda in a strategy's repr, so a run failed at random with a "Runtime Error" in whichever operation parsed first
# deep down. The description falls back to "lambda" then; nothing else changes.
_lambda_description = lambda_sources.lambda_description


def _lambda_description_or_plain(f) -> str:
    try:
        return _lambda_description(f)
    except SystemError:
        return "lambda"


lambda_sources.lambda_description = _lambda_description_or_plain

SECRET = os.environ["HG_JWT_SECRET"].encode()
DISTRICT = os.environ["HG_CONTRACT_DISTRICT"]
SUB = os.environ["HG_CONTRACT_SUB"]
LIFETIME_S = 3600

# Operation label -> the fields (regular expressions) whose rules a JSON Schema cannot state (relative to today, to another field, or to
# what the server knows).
RULES_BEYOND_SCHEMA = {
    "POST /v1/library/resources/{id}/content-checks": {"review_due_on"},  # 3 to 5 years after today
    # after starts_at, <= 31 days; a location or an online_url; facilitators active educators of the roster
    "POST /v1/catalog/activities/{id}/sessions": {"ends_at", "location", r"facilitators\[\d+\]"},
    # the changed session still ends after it starts, <= 31 days, with a location or an online_url
    "PATCH /v1/catalog/sessions/{id}": {"starts_at", "ends_at", "location", "online_url"},
    # not before start_date, not in the future; the requester an active educator of the roster
    "POST /v1/catalog/credit-requests": {"end_date", "educator_id", "credits"},  # credits required unless Hours
    # the registrant and the educators marked: active educators of the district's roster (the run's caller is not
    # on any roster)
    "POST /v1/catalog/sessions/{id}/registrations": {"educator_id"},
    "POST /v1/catalog/sessions/{id}/attendance": {r"educator_ids\[\d+\]"},
    # the proposer an active educator of the district's roster (the run's caller is on none); a reason to decline
    "POST /v1/catalog/proposals": {"proposed_by"},
    "POST /v1/catalog/activities/{id}/decision": {"reason"},
    "POST /v1/catalog/registrations/{id}/decision": {"reason"},
    # a charge's activity and session of the district, its restrictions; an override's reason goes with it; a
    # release's school one of the educator's (and its charge's rules); the school day ends after it starts, in a
    # time zone of the database
    "POST /v1/catalog/funding-sources/{id}/costs": {"activity_id", "session_id", "category", "override_reason"},
    "POST /v1/catalog/registrations/{id}/release": {"school_id", "activity_id", "category", "override_reason"},
    "PUT /v1/catalog/budget-settings": {"school_day_end", "time_zone"},
    # at most a year after today; an assignment given once; a school leader's school an active school of the district
    "PATCH /v1/roster/educators/{id}": {"started_teaching_on", r"assigned_roles\[\d+\](\.school_id)?"},
    "PUT /v1/roster/sis-connection": {"schedule.time_zone"},  # a zone of the server's tz database
    # closes_at after opens_at; question ids unique in the survey; a multiple-choice question's picks within its
    # options, max_picks >= min_picks; a number question's max >= min
    "POST /v1/surveys": {"closes_at", r"questions\[\d+\]\.(id|min_picks|max_picks|max)"},
    "PATCH /v1/surveys/{id}": {"closes_at", r"questions\[\d+\]\.(id|min_picks|max_picks|max)"},
    "POST /v1/surveys/templates/{id}/copies": {"closes_at"},  # after opens_at
    # coaching time logs and PLCs (docs/coaching.md): a log's date within its relationship and not in the future;
    # members active educators of the roster (the run's caller is on none), distinct, a facilitator among them and
    # the caller one of them unless a leader or an admin, one school for scope school and two or more otherwise;
    # a meeting not in the future, its attendance members only, its activity one of the catalog read model
    "POST /v1/coaching/relationships/{id}/time-logs": {"logged_on"},
    "POST /v1/plcs": {"members", r"members\[\d+\]\.educator_id", "school_ids"},
    "PATCH /v1/plcs/{id}": {"members", r"members\[\d+\]\.educator_id", "school_ids", "scope"},
    "POST /v1/plcs/{id}/meetings": {"held_on", r"attendance\[\d+\]", "activity_id"},
    "PATCH /v1/plcs/{id}/meetings/{meeting_id}": {"held_on", r"attendance\[\d+\]", "activity_id"},
    "POST /v1/coaching/relationships": {"teacher_id"},  # not the coach (coach_id, or the caller by default)
    "PATCH /v1/coaching/relationships/{id}": {"ends_on"},  # not before the relationship's stored starts_on
    # goal_met exactly when the status becomes completed (with it, required; with any other status or none, refused)
    "PATCH /v1/coaching/cycles/{id}": {"goal_met"},
    # a rubric's indicator keys unique in it, levels unique in their indicator, at most 100 indicators in all
    "POST /v1/coaching/rubrics": {r"domains", r"domains\[\d+\]\.indicators\[\d+\]\.(key|levels\[\d+\]\.level)"},
    "PATCH /v1/coaching/rubrics/{id}": {r"domains", r"domains\[\d+\]\.indicators\[\d+\]\.(key|levels\[\d+\]\.level)"},
    # observed_at not in the future; the rubric version one of the district's; each rating an indicator of it, once,
    # at one of its levels
    "POST /v1/coaching/cycles/{id}/observations": {"observed_at", "rubric_version",
                                                    r"ratings\[\d+\]\.(indicator|level)"},
    # micro-credentials (docs/credentials.md): a criterion's passing level one of its levels; the competency one of
    # the district's; reviewers active educators of the roster (the run's caller is on none)
    "POST /v1/credentials/definitions": {"competency_id", r"reviewer_ids\[\d+\]", r"criteria\[\d+\]\.passing_level"},
    "PATCH /v1/credentials/definitions/{id}": {r"reviewer_ids\[\d+\]", r"criteria\[\d+\]\.passing_level"},
    # the submitter an active educator of the roster; the definition one of the district's; the evidence holding
    # every kind the definition requires; one score per criterion, each one of its levels, passing for an award
    "POST /v1/credentials/submissions": {"educator_id", "definition_id", "evidence"},
    "POST /v1/credentials/submissions/{id}/resubmit": {"evidence"},
    "POST /v1/credentials/submissions/{id}/review": {"scores", r"scores\[\d+\]"},
}

IMPORT_LABEL = "POST /v1/roster/imports"
SIS_LABEL = "PUT /v1/roster/sis-connection"
ROSTER_ZIP = open(os.environ["HG_CONTRACT_ROSTER_ZIP"], "rb").read()

KEY_RE = re.compile(r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(roles: list[str]) -> str:
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": SUB, "district_id": DISTRICT, "roles": roles, "iss": "homegrown-dev", "aud": "homegrown",
              "iat": now, "exp": now + LIFETIME_S}
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(SECRET, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


_lock = threading.Lock()
_tokens: dict[tuple[str, ...], str] = {}
_issued_cursors: set[str] = set()


def _roles_of(operation) -> tuple[str, ...]:
    return tuple(operation.definition.raw.get("x-roles", ()))


@schemathesis.auth(refresh_interval=None, retry_on=[])
class RoleToken:
    """The token for the roles of the operation under test (one per role set: the run is far shorter than the
    token's lifetime)."""

    def get(self, case, context):
        roles = _roles_of(context.operation)
        with _lock:
            if roles not in _tokens:
                _tokens[roles] = _token(list(roles))
            return _tokens[roles]

    def set(self, case, data, context):
        if not _roles_of(context.operation):
            return  # a probe: no token needed, none sent
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.serializer("application/zip")
def zip_body(ctx, value):
    return {"data": value if isinstance(value, bytes) else str(value).encode()}


@schemathesis.hook
def before_call(context, case, kwargs):
    if not _positive(case):
        return
    if case.operation.label == IMPORT_LABEL:
        case.body = ROSTER_ZIP
    if case.operation.label == SIS_LABEL and isinstance(case.body, dict):
        case.body = {**case.body, "base_url": "https://127.0.0.1:9/oneroster", "token_url": "https://127.0.0.1:9/token"}
    query = case.query or {}
    if "cursor" in query:
        with _lock:
            issued = query["cursor"] in _issued_cursors
        if not issued:
            case.query = {k: v for k, v in query.items() if k != "cursor"}
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key" and isinstance(headers[name], str) and KEY_RE.match(headers[name]):
            case.headers = {**headers, name: f"contract-{uuid.uuid4()}"}


@schemathesis.hook
def after_call(context, case, response):
    if response.status_code != 200 or "json" not in response.headers.get("content-type", [""])[0]:
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        return
    cursor = body.get("next_cursor") if isinstance(body, dict) else None
    if isinstance(cursor, str):
        with _lock:
            _issued_cursors.add(cursor)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a 422 on a positive case that names only fields of RULES_BEYOND_SCHEMA."""
    fields = RULES_BEYOND_SCHEMA.get(case.operation.label)
    if not fields or response.status_code != 422 or not _positive(case):
        return True
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return True
    named = [e.get("field") for e in errors if isinstance(e, dict)]
    beyond = [re.compile(f) for f in fields]
    return not (named and all(isinstance(n, str) and any(r.fullmatch(n) for r in beyond) for n in named))
