"""The state feeds (docs/analytics.md, "State feeds"): GET /v1/reports/state/pd-activities.csv and
GET /v1/reports/state/ed-fi over a district whose rows are worked out by hand below. Every CSV header is checked
with ../shared/standards/ceds/check_ceds_names.py and every Ed-Fi document with
../shared/standards/edfi/validate_edfi_pd.py (run from there, never copied). Formula-looking titles, titles too
long or shared for Ed-Fi, the rounding of totalHours, cancelled sessions and days outside the range; the state
reporter reads the feeds and nothing else; districts are isolated; bad ranges are refused naming the parameter.

hg-analytics runs with HG_ANALYTICS_EDFI_NAMESPACE=state.example.org and HG_ANALYTICS_FEED_MAX_ROWS=8
(tests/blackbox/services.py), so the limit is reached here with a few rows."""

from __future__ import annotations

import csv
import io
import json
import os
import pathlib
import re
import subprocess
import sys
import uuid

import pytest
import yaml

from analyticslib import District
from hgtest import Api, assert_json, assert_problem, poll

ROOT = pathlib.Path(__file__).resolve().parents[3]
CSV_PATH = "/v1/reports/state/pd-activities.csv"
EDFI_PATH = "/v1/reports/state/ed-fi"
FEB = {"from": "2026-02-01", "to": "2026-02-28"}
NS = "state.example.org"


def standards_dir() -> pathlib.Path:
    """../shared/standards of the main checkout (a worktree sits one level deeper)."""
    candidates = [os.environ.get("HG_STANDARDS_DIR", ""), ROOT.parent / "shared/standards",
                  ROOT.parent.parent / "shared/standards", pathlib.Path("/work/shared/standards")]
    for c in candidates:
        if c and (pathlib.Path(c) / "edfi/validate_edfi_pd.py").is_file() \
                and (pathlib.Path(c) / "ceds/check_ceds_names.py").is_file():
            return pathlib.Path(c)
    pytest.skip(f"the CEDS and Ed-Fi standard folders are not found (tried {candidates}); set HG_STANDARDS_DIR",
                allow_module_level=True)


STANDARDS = standards_dir()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60)


LONG = "Culturally responsive teaching across the content areas, grades 6 to 12"  # 72 characters
FORMULA = '=HYPERLINK("http://x","click"), now'


@pytest.fixture(scope="module")
def world(analytics_service):
    """One district, February 2026 (all times UTC):

    activity                 sessions (not cancelled)                       attended by
    X "Formative assessment"   S1 02-10 15:00-18:00 (3 h), S2 02-17 15:00-16:30  S1: e1, e2; S2: e1 (S2 completed)
      Hours 3                  (1.5 h, completed), S6 03-03 15:00-17:00 (2 h);    S6: e1, e2 (March: out of range)
                               S5 02-24 cancelled                                S5: e2 (cancelled: left out)
    Y FORMULA, CEUs 0.5        S3 02-20 14:00-14:20 (20 min)                     e2
    Z LONG (72 characters)     S7 02-14 09:00-10:00, S8 02-14 13:00-14:00        e1 at both (one Ed-Fi day)
    W1 "Reading science"       S4 02-12 15:00-17:00                              e3
    W2 "Reading science"       S9 03-05 15:00-16:00 (out of range)               -

    e1 completes X on 02-17. CSV rows in February: S1 e1, S1 e2, S4 e3, S7 e1, S8 e1, S2 e1, S3 e2 (7).
    Ed-Fi events: X (totalHours 3+1.5+2 = 6.5 -> 7, multiple), Y (20 min -> 0), Z (2, multiple), W1 (2, its
    title shared with W2: suffixed); attendances by day: e1/X 02-10, e2/X 02-10, e3/W1 02-12, e1/Z 02-14,
    e1/X 02-17, e2/Y 02-20 (6). February and March: 9 CSV rows and 8 attendances, over the limit of 8 for the CSV.
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    e1, e2, e3 = (d.educator(started="2020-08-15") for _ in range(3))
    x = d.activity("Formative assessment", credit_type="Hours", credits=3)
    y = d.activity(FORMULA, credit_type="CEUs", credits=0.5, type_="SeriesOfWorkshopsTraining")
    z = d.activity(LONG, credit_type="Hours", credits=2)
    w1 = d.activity("Reading science", credit_type="Hours", credits=2)
    w2 = d.activity("Reading science", credit_type="Hours", credits=1)
    s = {}
    s[1] = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T18:00:00Z")
    s[2] = d.session(x, "2026-02-17T15:00:00Z", "2026-02-17T16:30:00Z", status="completed")
    s[5] = d.session(x, "2026-02-24T15:00:00Z", "2026-02-24T17:00:00Z", status="cancelled")
    s[6] = d.session(x, "2026-03-03T15:00:00Z", "2026-03-03T17:00:00Z")
    s[3] = d.session(y, "2026-02-20T14:00:00Z", "2026-02-20T14:20:00Z")
    s[7] = d.session(z, "2026-02-14T09:00:00Z", "2026-02-14T10:00:00Z")
    s[8] = d.session(z, "2026-02-14T13:00:00Z", "2026-02-14T14:00:00Z")
    s[4] = d.session(w1, "2026-02-12T15:00:00Z", "2026-02-12T17:00:00Z")
    s[9] = d.session(w2, "2026-03-05T15:00:00Z", "2026-03-05T16:00:00Z")
    twice = d.attended(s[1], x, e1, "2026-02-10T15:05:00Z")
    d.send("homegrown.resources", twice)  # the same event again: one row
    d.attended(s[1], x, e2, "2026-02-10T15:00:00Z")
    d.attended(s[2], x, e1, "2026-02-17T15:00:00Z")
    d.attended(s[5], x, e2, "2026-02-24T15:00:00Z")
    d.attended(s[6], x, e1, "2026-03-03T15:00:00Z")
    d.attended(s[6], x, e2, "2026-03-03T15:00:00Z")
    d.attended(s[3], y, e2, "2026-02-20T14:00:00Z")
    d.attended(s[7], z, e1, "2026-02-14T09:00:00Z")
    d.attended(s[8], z, e1, "2026-02-14T13:00:00Z")
    d.attended(s[4], w1, e3, "2026-02-12T15:00:00Z")
    d.completed(x, e1, "Hours", 3, "2026-02-17T16:30:00Z")
    admin = d.client("district_admin")
    ids = {"x": x, "y": y, "z": z, "w1": w1, "w2": w2, "e1": e1, "e2": e2, "e3": e3, **{f"s{k}": v for k, v in s.items()}}

    def settled() -> bool:  # every attendance, session and the completion applied
        r = admin.get(CSV_PATH, params={"from": "2026-02-01", "to": "2026-03-31"})
        e = admin.get(EDFI_PATH, params={"from": "2026-03-01", "to": "2026-03-31"})
        return (r.status_code == 400 and e.status_code == 200
                and len(e.json()["professionalDevelopmentEventAttendances"]) == 2
                and len(rows_of(admin.get(CSV_PATH, params=FEB).text)) == 7
                and ",2026-02-17\r\n" in admin.get(CSV_PATH, params=FEB).text)

    assert poll(settled, 60, interval=0.3), admin.get(CSV_PATH, params=FEB).text
    return d, ids


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_headers_are_ceds_names(world, tmp_path):
    d, _ = world
    r = d.client("state_reporter").get(CSV_PATH, params=FEB)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"] == 'attachment; filename="pd-activities.csv"'
    header = next(csv.reader(io.StringIO(r.text, newline="")))
    assert len(header) == 17 and len(set(header)) == 17
    names = tmp_path / "names.txt"
    names.write_text("\n".join(header) + "\n")
    out = run(str(STANDARDS / "ceds/check_ceds_names.py"), str(names))
    assert out.returncode == 0 and out.stdout.count("OK ") == 17 and "UNKNOWN" not in out.stdout, out.stdout
    # The option-set columns carry CEDS codes.
    rows = rows_of(r.text)
    for column in ("Professional Development Activity Type", "Professional Development Activity Credit Type",
                   "Professional Development Session Status", "Professional Development Delivery Method"):
        for value in sorted({row[column] for row in rows}):
            out = run(str(STANDARDS / "ceds/check_ceds_names.py"), "--value", column, value)
            assert out.returncode == 0, (column, value, out.stdout)


def test_csv_rows(world):
    d, i = world
    r = d.client("state_reporter").get(CSV_PATH, params=FEB)
    assert r.text.endswith("\r\n") and "\n" not in r.text.replace("\r\n", "")  # CRLF only

    def row(e, a, title, type_, credit_type, credits, session, day, start, end, status, hours, completed=""):
        return {"Local Education Agency Identifier": d.id, "Staff Member Identifier": i[e],
                "Professional Development Activity Identifier": i[a],
                "Professional Development Activity Title": title, "Professional Development Activity Type": type_,
                "Professional Development Activity Credit Type": credit_type,
                "Professional Development Activity Credits": credits,
                "Professional Development Session Identifier": i[session],
                "Professional Development Session Start Date": day, "Professional Development Session Start Time": start,
                "Professional Development Session End Date": day, "Professional Development Session End Time": end,
                "Professional Development Session Status": status,
                "Professional Development Delivery Method": "Onsite",
                "Professional Development Instructional Delivery Mode": "",
                "Attendance Event Duration Hours": hours,
                "Staff Professional Development Activity Completion Date": completed}

    fa, ws = "OneTimeWorkshopTraining", "SeriesOfWorkshopsTraining"
    s1 = sorted([row("e1", "x", "Formative assessment", fa, "Hours", "3.00", "s1", "2026-02-10", "15:00", "18:00",
                     "Registering", "3.00", "2026-02-17"),
                 row("e2", "x", "Formative assessment", fa, "Hours", "3.00", "s1", "2026-02-10", "15:00", "18:00",
                     "Registering", "3.00")], key=lambda r_: r_["Staff Member Identifier"])
    expected = s1 + [
        row("e3", "w1", "Reading science", fa, "Hours", "2.00", "s4", "2026-02-12", "15:00", "17:00", "Registering",
            "2.00"),
        row("e1", "z", LONG[:60], fa, "Hours", "2.00", "s7", "2026-02-14", "09:00", "10:00", "Registering", "1.00"),
        row("e1", "z", LONG[:60], fa, "Hours", "2.00", "s8", "2026-02-14", "13:00", "14:00", "Registering", "1.00"),
        row("e1", "x", "Formative assessment", fa, "Hours", "3.00", "s2", "2026-02-17", "15:00", "16:30", "Completed",
            "1.50", "2026-02-17"),
        row("e2", "y", FORMULA, ws, "CEUs", "0.50", "s3", "2026-02-20", "14:00", "14:20", "Registering", "0.33"),
    ]
    # The formula-looking title is written quoted with an apostrophe first (read back, the apostrophe stays).
    assert '"\'=HYPERLINK(""http://x"",""click""), now"' in r.text
    got = rows_of(r.text)
    for g in got:
        if g["Professional Development Activity Title"].startswith("'="):
            g["Professional Development Activity Title"] = g["Professional Development Activity Title"][1:]
    assert got == expected


def edfi(client: Api, params: dict) -> dict:
    return assert_json(client.get(EDFI_PATH, params=params), 200)


def validate(doc: dict, tmp_path) -> None:
    """Every document through the Ed-Fi validator: all OK, no warning (nothing non-standard, no attendance of an
    event missing from the feed)."""
    records = doc["professionalDevelopmentEvents"] + doc["professionalDevelopmentEventAttendances"]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(records))
    out = run(str(STANDARDS / "edfi/validate_edfi_pd.py"), str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count(": OK") == len(records), out.stdout
    assert "WARN" not in out.stdout and "FAIL" not in out.stdout, out.stdout


def test_edfi_documents(world, tmp_path):
    d, i = world
    doc = edfi(d.client("state_reporter"), FEB)
    validate(doc, tmp_path)
    ns = f"uri://{NS}/{d.id}"
    assert doc["namespace"] == ns and doc["from"] == "2026-02-01" and doc["to"] == "2026-02-28"
    offered = f"uri://{NS}/ProfessionalDevelopmentOfferedByDescriptor#District"

    def event(title, hours, multiple):
        return {"namespace": ns, "professionalDevelopmentTitle": title,
                "professionalDevelopmentOfferedByDescriptor": offered, "multipleSession": multiple,
                "totalHours": hours}

    long_title = LONG[:49].rstrip() + f" [{i['z'][:8]}]"
    assert len(long_title) <= 60
    expected = {"x": event("Formative assessment", 7, True), "y": event(FORMULA, 0, False),
                "z": event(long_title, 2, True), "w1": event(f"Reading science [{i['w1'][:8]}]", 2, False)}
    assert sorted(doc["professionalDevelopmentEvents"], key=json.dumps) == sorted(expected.values(), key=json.dumps)
    titles = {k: v["professionalDevelopmentTitle"] for k, v in expected.items()}

    def attendance(day, e, a):
        return {"attendanceDate": day,
                "attendanceEventCategoryDescriptor": f"uri://{NS}/AttendanceEventCategoryDescriptor#In Attendance",
                "personReference": {"personId": i[e].replace("-", ""),
                                    "sourceSystemDescriptor": f"uri://{NS}/SourceSystemDescriptor#District"},
                "professionalDevelopmentEventReference": {"namespace": ns, "professionalDevelopmentTitle": titles[a]}}

    assert sorted(doc["professionalDevelopmentEventAttendances"], key=json.dumps) == sorted(
        [attendance("2026-02-10", "e1", "x"), attendance("2026-02-10", "e2", "x"), attendance("2026-02-12", "e3", "w1"),
         attendance("2026-02-14", "e1", "z"), attendance("2026-02-17", "e1", "x"), attendance("2026-02-20", "e2", "y")],
        key=json.dumps)
    # March: X again (its title and hours are the event's, not the range's) and W2, now its title is shared too.
    march = edfi(d.client("district_admin"), {"from": "2026-03-01", "to": "2026-03-31"})
    validate(march, tmp_path)
    assert sorted(e["professionalDevelopmentTitle"] for e in march["professionalDevelopmentEvents"]) == sorted(
        ["Formative assessment", f"Reading science [{i['w2'][:8]}]"])
    assert [e["totalHours"] for e in march["professionalDevelopmentEvents"]
            if e["professionalDevelopmentTitle"] == "Formative assessment"] == [7]
    assert len(march["professionalDevelopmentEventAttendances"]) == 2


def test_row_limit(world):
    """Over HG_ANALYTICS_FEED_MAX_ROWS (8): February and March hold 9 CSV rows (a 400 naming the range); their
    8 Ed-Fi attendances are within it."""
    d, _ = world
    both = {"from": "2026-02-01", "to": "2026-03-31"}
    p = assert_problem(d.client("state_reporter").get(CSV_PATH, params=both), 400, "bad-request")
    assert {e["field"] for e in p["errors"]} == {"from", "to"} and "8 rows" in p["errors"][0]["reason"]
    assert len(edfi(d.client("state_reporter"), both)["professionalDevelopmentEventAttendances"]) == 8


def test_empty_range_and_other_district(world, analytics):
    d, _ = world
    r = d.client("state_reporter").get(CSV_PATH, params={"from": "2025-01-01", "to": "2025-12-31"})
    assert r.status_code == 200 and len(rows_of(r.text)) == 0 and r.text.count("\r\n") == 1
    other = District(analytics)
    r = other.client("state_reporter").get(CSV_PATH, params=FEB)
    assert r.status_code == 200 and rows_of(r.text) == []
    doc = edfi(other.client("state_reporter"), FEB)
    assert doc["professionalDevelopmentEvents"] == [] and doc["professionalDevelopmentEventAttendances"] == []
    assert doc["namespace"] == f"uri://{NS}/{other.id}"


def spec_operations() -> list[tuple[str, str, list[str]]]:
    spec = yaml.safe_load((ROOT / "api-spec/analytics.yaml").read_text())
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "x-roles" in op:
                ops.append((method.upper(), path, op["x-roles"]))
    return ops


def test_state_reporter_reads_the_feeds_and_nothing_else(world):
    d, _ = world
    reporter = d.client("state_reporter")
    ops = spec_operations()
    feeds = {(m, p) for m, p, roles in ops if "state_reporter" in roles}
    assert feeds == {("GET", CSV_PATH), ("GET", EDFI_PATH), ("GET", "/v1/reports/public/participation"),
                     ("GET", "/v1/reports/public/participation.csv"), ("GET", "/v1/reports/public/offerings"),
                     ("GET", "/v1/reports/public/offerings.csv")}
    others = [(m, p) for m, p, roles in ops if "state_reporter" not in roles and roles]
    assert others, "the spec lists other operations"
    for method, path in others:
        url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        assert_problem(reporter.request(method, url, json={}), 403, "forbidden")
    for method, path in feeds:
        assert reporter.request(method, path, params={**FEB, "period": "2026-02"}).status_code == 200


@pytest.mark.parametrize("role", ["teacher", "coach", "school_leader", "teacher_leader", "sis_integration"])
def test_feeds_refused_to_others(world, role):
    d, _ = world
    for path in (CSV_PATH, EDFI_PATH):
        assert_problem(d.client(role).get(path, params=FEB), 403, "forbidden")


def test_feeds_need_a_token(analytics):
    for path in (CSV_PATH, EDFI_PATH):
        assert_problem(analytics(None).get(path, params=FEB), 401, "unauthorized")


@pytest.mark.parametrize("params, fields", [
    ({}, {"from", "to"}), ({"from": "2026-02-01"}, {"to"}), ({"to": "2026-02-01"}, {"from"}),
    ({"from": "2026-02-30", "to": "2026-03-01"}, {"from"}), ({"from": "1999-12-31", "to": "2000-01-01"}, {"from"}),
    ({"from": "2026-03-01", "to": "2026-02-28"}, {"to"}), ({"from": "2026-01-01", "to": "2027-01-02"}, {"to"}),
    ({"from": "2026-02-01", "to": "20260228"}, {"to"}),
])
def test_bad_ranges(world, params, fields):
    d, _ = world
    for path in (CSV_PATH, EDFI_PATH):
        p = assert_problem(d.client("state_reporter").get(path, params=params), 400, "bad-request")
        assert {e["field"] for e in p["errors"]} == fields, p
