#!/usr/bin/env python3
"""Write the hand-made seeds of the fuzz corpora (tests/fuzz/corpus/<harness>/seed-*).

    python3 tests/fuzz/seeds.py

Seeds are small valid (and nearly valid) inputs so that each harness starts from the shapes its parser
accepts. Inputs a fuzzer found that broke a property are kept next to them as regress-* files (never
rewritten here); `make fuzz` replays every file of a corpus before it fuzzes.
"""

import base64
import io
import json
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "roster"))
import generate  # noqa: E402  (the OneRoster fixtures of the black-box tests)

CORPUS = Path(__file__).resolve().parent / "corpus"
UUID = "8a1d4c52-2f0e-4b7a-9c3d-1e2f3a4b5c6d"
DISTRICT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"


def b64(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def write(harness: str, seeds: list[bytes]) -> None:
    d = CORPUS / harness
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    for i, s in enumerate(seeds):
        (d / f"seed-{i:02d}").write_bytes(s)


def cursor(version: int, key: int, uuid_hex: str) -> bytes:
    return b64(bytes([version]) + key.to_bytes(8, "big", signed=True) + bytes.fromhex(uuid_hex))


def search_cursor(order: int, tier: int, key: int, h: int) -> bytes:
    return b64(bytes([2, order, tier]) + key.to_bytes(8, "big", signed=True) +
               bytes.fromhex(UUID.replace("-", "")) + h.to_bytes(4, "big"))


def main() -> None:
    u = UUID.replace("-", "")
    write("fuzz_cursor", [cursor(1, 1764633600000000, u), cursor(1, -1, u), cursor(2, 0, u), b"AQ==", b"", b"_-"])
    write("fuzz_etag", [b'"1"', b'"12", "7"', b"*", b'W/"3"', b'"0", "01", "-1", ""', b'"9223372036854775807"'])

    claims = {"sub": UUID, "district_id": DISTRICT, "roles": ["teacher", "district_admin"],
              "iss": "homegrown-dev", "aud": "homegrown", "exp": 1800000600, "iat": 1800000000}
    header = {"alg": "HS256", "typ": "JWT"}
    write("fuzz_jwt", [
        b"\x01" + json.dumps(claims).encode(),
        b"\x01" + json.dumps(header).encode() + b"\x00" + json.dumps(dict(claims, aud=["x", "homegrown"])).encode(),
        b"\x01" + json.dumps({"alg": "none"}).encode() + b"\x00" + json.dumps(claims).encode(),
        b"\x01" + json.dumps(dict(claims, nbf=1800000020, exp=1800000000)).encode(),
        b"\x00" + b64(json.dumps(header).encode()) + b"." + b64(json.dumps(claims).encode()) + b".c2ln",
        b"\x00a.b.c",
    ])

    resource = {"title": "Fractions with tiles", "description": "Hands-on lesson", "type": "lesson_plan",
                "url": "https://example.org/fractions", "subjects": ["math"], "grade_bands": ["3-5"],
                "topics": ["fractions"], "license": "CC-BY-4.0"}
    activity = {"title": "Math PD", "description": "x", "format": "in_person", "credit_type": "clock_hours",
                "credit_amount": 2.5, "cost": "10.00", "audience": ["teacher"]}
    session = {"starts_at": "2027-02-01T15:00:00Z", "ends_at": "2027-02-01T17:00:00Z", "capacity": 20,
               "location": "Room 4", "facilitator_ids": [UUID]}
    bodies = [(0, resource), (1, {"title": "New", "topics": []}), (2, {"rating": 5, "comment": "good"}),
              (3, {"rating": 1}), (4, {"next_review_on": "2030-01-15", "note": "ok"}), (5, activity),
              (6, {"status": "published"}), (7, session), (8, {"status": "cancelled"}),
              (9, {"educator_ids": [UUID, DISTRICT]}), (10, {"code": "ABC234"}),
              (11, {"activity_title": "Course", "credit_type": "ceu", "amount": "1.50", "completed_on": "2026-12-01"}),
              (12, {"decision": "approved", "note": "ok"}),
              # micro-credentials: a competency, a definition, a submission, a review, a revocation
              (15, {"name": "Formative assessment", "group": "Instruction",
                    "alignment": {"framework": "LF", "code": "DATA", "url": "https://example.org/s"}}),
              (17, {"competency_id": UUID, "name": "Checks", "description": "d", "credits": 1.5,
                    "criteria": [{"name": "c", "levels": ["a", "b", "c"], "passing_level": 2}],
                    "evidence_required": ["link", "reflection"], "reviewer_ids": [UUID]}),
              (19, {"definition_id": UUID, "recipient": {"email": "a@example.org"},
                    "evidence": [{"kind": "link", "url": "https://example.org/x"}, {"kind": "reflection", "text": "t"},
                                 {"kind": "coaching_observation", "reference_id": UUID}]}),
              (22, {"decision": "return", "scores": [1, 2], "feedback": "more"}),
              (23, {"reason": "plagiarised"})]
    write("fuzz_resources_validate", [bytes([i | (0x80 if i % 2 else 0)]) + json.dumps(b).encode() for i, b in bodies])
    write("fuzz_roster_validate", [b"\x00" + json.dumps({"title_i": True, "enrollment": 420}).encode(),
                                   b"\x81" + json.dumps({"started_teaching_on": "2019-08-15"}).encode(),
                                   b"\x82" + json.dumps({"base_url": "https://sis.example.org/ims/oneroster/rostering/v1p2",
                                                         "token_url": "https://sis.example.org/oauth/token",
                                                         "client_id": "homegrown", "client_secret": "s3cret",
                                                         "scope": None, "use_deltas": False,
                                                         "schedule": {"time": "02:30",
                                                                      "time_zone": "America/Chicago"}}).encode()])

    questions = [
        {"id": "s", "type": "scale", "prompt": "How confident?", "labels": ["1", "2", "3", "4", "5"], "topic": "math"},
        {"id": "r", "type": "retrospective", "prompt": "Before and now", "labels": ["a", "b", "c", "d", "e"]},
        {"id": "one", "type": "single_choice", "prompt": "Pick", "options": ["x", "y"], "required": False},
        {"id": "many", "type": "multiple_choice", "prompt": "Pick", "options": ["x", "y", "z"], "min_picks": 1,
         "max_picks": 2},
        {"id": "rate", "type": "rating", "prompt": "0-10"},
        {"id": "n", "type": "number", "prompt": "Hours", "min": -2.5, "max": 100},
        {"id": "t", "type": "text", "prompt": "Why?", "max_length": 20, "required": False}]
    answers = {"s": 4, "r": {"before": 2, "now": 4}, "one": "x", "many": ["x", "z"], "rate": 10, "n": 99.5,
               "t": "  because  "}
    survey = {"title": "Fall needs", "description": "x", "purpose": "needs_assessment", "mode": "anonymous",
              "audience": {"schools": [UUID], "roles": ["teacher", "coach"], "career_stages": ["new"]},
              "opens_at": "2027-01-15T08:00:00Z", "closes_at": "2027-02-15T08:00:00+01:00", "questions": questions}
    write("fuzz_surveys_validate", [
        b"\x80" + json.dumps(survey).encode(),
        b"\x00" + json.dumps({"title": "t", "purpose": "climate", "audience": {}}).encode(),
        b"\x81" + json.dumps({"status": "open", "opens_at": None, "questions": questions[:2]}).encode(),
        b"\x01" + json.dumps({"title": " ", "mode": "x", "audience": {"roles": []}}).encode(),
        b"\x02" + json.dumps({"answers": answers}).encode(),
        b"\x82" + json.dumps({"answers": {"s": 9, "many": ["x", "x"], "n": "1e999", "zz": 1}}).encode()])
    write("fuzz_surveys_answers", [
        json.dumps(questions).encode() + b"\x00" + json.dumps({"answers": answers}).encode(),
        json.dumps(questions[3:4]).encode() + b"\x00" + json.dumps({"answers": {"many": ["y"]}}).encode(),
        json.dumps(questions[5:]).encode() + b"\x00" + json.dumps({"answers": {"n": 1e308, "t": ""}}).encode(),
        json.dumps([dict(questions[0], id="s"), questions[0]]).encode() + b"\x00{}"])

    goal = {"description": "More student talk", "measure": "minutes of student talk", "baseline": 4, "target": 12.5,
            "due_on": "2027-03-01"}
    steps = [{"description": "Plan turn-and-talk", "due_on": "2027-02-01", "status": "planned"}]
    write("fuzz_coaching_validate", [
        b"\x80" + json.dumps({"coach_id": UUID, "teacher_id": DISTRICT, "kind": "instructional_coaching",
                              "starts_on": "2027-01-15"}).encode(),
        b"\x00" + json.dumps({"teacher_id": DISTRICT, "kind": "peer_coaching"}).encode(),
        b"\x81" + json.dumps({"kind": "new_teacher_mentoring", "ends_on": "2027-06-30"}).encode(),
        b"\x82" + json.dumps({"relationship_id": UUID, "focus": "Discourse", "goal": goal,
                              "action_steps": steps}).encode(),
        b"\x03" + json.dumps({"status": "completed", "goal_met": True, "action_steps": steps * 2}).encode(),
        b"\x83" + json.dumps({"focus": "", "goal": dict(goal, baseline=1e10)}).encode()])

    fixtures = CORPUS.parents[1] / "unit" / "fixtures"
    jwks = json.loads((fixtures / "jwks.json").read_text())
    rsa, ec = jwks["keys"][0], jwks["keys"][1]
    write("fuzz_jwks", [
        (fixtures / "jwks.json").read_bytes(), (fixtures / "jwks-rotated.json").read_bytes(),
        json.dumps({"keys": [ec, dict(ec, kid="ec-2", alg="RS256"), dict(rsa, use="enc"), dict(rsa)]}).encode(),
        json.dumps({"keys": [dict(rsa, n=rsa["n"][:100]), dict(ec, x=ec["y"]), dict(ec, crv="P-384")]}).encode(),
        json.dumps({"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]}).encode(), b'{"keys":[]}', b"[]"])

    write("fuzz_search_query", [b"q=fractions&type=video&limit=5", b"q=%22a b%22 or -c&facets=true",
                                b"review_overdue=true&subject=math&grade_band=3-5&topic=x&license=CC-BY",
                                b"cursor=" + search_cursor(2, 3, 1764633600000000, 12345),
                                b"limit=0&unknown=1&cursor=AQ"])
    write("fuzz_search_cursor", [search_cursor(1, 0, 1764633600000000, 1), search_cursor(2, 3, 5, 2),
                                 search_cursor(3, 0, 20000, 3), search_cursor(2, 0, 1, 4)])
    # a calendar event's title, description, place and link, split at 0x1f
    write("fuzz_calendar", [b"Number talks; grades 3-5, \\ part 1\x1fBring a notebook,\na pencil\x1f"
                            b"Lincoln Elementary, library\x1fhttps://meet.example.org/x?a=1,2",
                            "\u20ac".encode() * 29 + b"\r\n\t\x1f\x1f\x1f"])

    d = generate.District(schools=2, staff=6, students=4)
    files = d.files()
    csvs = [f.encode() if isinstance(f, str) else f for f in files.values()]
    write("fuzz_csv", [b"\x08\x04\x07" + b'a,b\r\n"x,""y""",z\n',
                       b"\x40\x0f\x09" + b"\xef\xbb\xbfh1,h2\r\n1,2\r\n\r\n3,\"4\n5\"\r"] +
          [b"\x40\x0f\x02" + c[:1500] for c in csvs[:2]])
    write("fuzz_manifest", [files["manifest.csv"].encode(), b"propertyName,value\n",
                            b"propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,bulk\n"])
    names = ["orgs.csv", "academicSessions.csv", "roles.csv", "users.csv"]
    write("fuzz_oneroster", [bytes([i]) + files[n].encode()[:4000] for i, n in enumerate(names) if n in files] +
          [bytes([0x80 | i]) + files[n].encode()[:600] for i, n in enumerate(names) if n in files])
    write("fuzz_zip", [generate.zip_bytes(files), generate.invalid_bad_header()[:6000],
                       b"PK\x05\x06" + b"\x00" * 18])

    write("fuzz_analytics_events", analytics_seeds())


def analytics_seeds() -> list[bytes]:
    """Events of the roster and the catalog as analytics reads them (first byte: the topic), and periods."""
    def ev(type_: str, data: dict) -> bytes:
        return json.dumps({"specversion": "1.0", "id": "e-1", "type": type_, "districtid": DISTRICT,
                           "data": {"district_id": DISTRICT, **data}}).encode()
    return [
        b"\x00" + ev("school.upserted", {"id": UUID, "name": "Adams", "status": "active", "locale": "city",
                                          "title_i": True, "poverty_level": "high", "version": 2}),
        b"\x00" + ev("educator.upserted", {"id": UUID, "status": "active", "roles": ["teacher"],
                                            "school_ids": [UUID], "started_teaching_on": "2020-08-01",
                                            "version": 3}),
        b"\x01" + ev("session.scheduled", {"id": UUID, "activity_id": UUID, "starts_at": "2026-02-01T10:00:00Z",
                                            "ends_at": "2026-02-01T12:00:00Z", "status": "registering",
                                            "version": 1}),
        b"\x01" + ev("activity.completed", {"id": UUID, "activity_id": UUID, "educator_id": UUID,
                                             "credit_type": "CEUs", "credits": 0.5,
                                             "completed_at": "2026-02-01T12:00:00Z"}),
        b"\x01" + ev("credit_request.decided", {"id": UUID, "educator_id": UUID, "hours": 6,
                                                 "end_date": "2026-03-15", "status": "approved"}),
        b"\x01" + ev("activity.published", {"id": UUID, "title": "T", "type": "Other", "credit_type": "Hours",
                                             "credits": 3, "delivery_method": None, "status": "published",
                                             "version": 2}),
        b"\x02" + ev("review.created", {}),
        b"\x02" + ev("plc.meeting_held", {"id": UUID, "plc_id": UUID, "held_on": "2026-11-10", "minutes": 45,
                                           "attendance": [UUID, DISTRICT], "activity_id": UUID, "version": 1}),
        b"\x02" + ev("plc.meeting_updated", {"id": UUID, "plc_id": UUID, "held_on": "2026-11-10", "minutes": 45,
                                              "attendance": [], "activity_id": None, "version": 2}),
        b"\x80" + b"2026", b"\x80" + b"2026-Q4", b"\x80" + b"2028-02", b"\x80" + b"SY2025",
    ]


if __name__ == "__main__":
    main()
