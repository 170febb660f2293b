"""Rebuild of the read models (POST /v1/analytics/rebuild, GET /v1/analytics/rebuilds/{id}, hg-analytics
--rebuild): every topic replayed from the beginning into a shadow schema and swapped in while the live consumer
runs. The rebuilt tables equal the live ones row by row (after a kill -9 in the middle of a live stream); a
rebuild during writes loses nothing; one at a time (409); district admins only; a rebuild's progress is shown
to the district that asked only.

The stream is of events shaped as the services write them (analyticslib.py), with PLC meetings recorded
through the real hg-coaching at the same time. The tables compared are derived as hg-analytics derives them (common/rebuild.h): every table of the schema but
the kit's bookkeeping and those whose comment starts with hg:not-rebuilt, so a new read model is compared too.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

from analyticslib import WAIT, District, participation
from test_analytics_plc_hours import Plc
from hgtest import PG_URL, assert_json, assert_problem, poll

REBUILD = "/v1/analytics/rebuild"
PERIOD = "2026-Q1"
TABLES_SQL = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              " WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
              " AND c.relname <> ALL ('{schema_migrations,outbox,idempotency_keys,identities}'::text[])"
              " AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'hg:not-rebuilt%' ORDER BY 1")


def psql(sql: str) -> str:
    return subprocess.run(["psql", PG_URL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True, check=True, timeout=120).stdout


def read_models() -> dict[str, list[str]]:
    """Every read-model table, each row as text, sorted (processed_events without its processing time)."""
    tables = psql(TABLES_SQL).split()
    assert {"schools", "educators", "attendance", "coaching_cycles", "survey_results", "processed_events"} <= set(
        tables), tables
    out = {}
    for t in tables:
        cols = "event_id, topic, outcome" if t == "processed_events" else "*"
        out[t] = psql(f"SELECT x::text FROM (SELECT {cols} FROM analytics.{t}) x ORDER BY 1").splitlines()
    return out


def all_applied(events: list[dict]) -> bool:
    ids = ",".join(f"'{e['id']}'" for e in events)
    return int(psql(f"SELECT count(*) FROM analytics.processed_events WHERE event_id IN ({ids})")) == len(events)


def oids() -> str:
    """The read-model tables' object ids: a swap gives new ones (so an equality is not a rebuild that did nothing)."""
    return psql("SELECT string_agg(c.oid::text, ',' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = 'analytics' AND c.relname IN"
                " ('attendance', 'educators', 'processed_events', 'survey_results')").strip()


def rebuild(admin) -> dict:
    """POST, then wait for its end; the finished rebuild."""
    r = assert_json(admin.post(REBUILD), 202)
    assert r["state"] == "running" and r["scope"] == "all_districts"
    loc = f"/v1/analytics/rebuilds/{r['id']}"
    done = poll(lambda: (x := assert_json(admin.get(loc), 200))["state"] != "running" and x, 180)
    assert done["state"] == "succeeded", done
    return done


def stream(d: District, n: int, stop: threading.Event | None = None) -> None:
    """A live stream over every consumed topic: schools, educators, a catalog activity with sessions and
    attendance, completions, coaching cycles with feedback and time, a survey with its results."""
    s = d.school(f"School {uuid.uuid4().hex[:6]}", locale="city", title_i=True, poverty="high")
    a = d.activity("Rebuild workshop")
    sess = d.session(a, "2026-02-02T14:00:00Z", "2026-02-02T16:00:00Z")
    sv = d.survey("Needs", "needs_assessment")
    for i in range(n):
        if stop is not None and stop.is_set():
            break
        t = d.educator(schools=[s], started="2018-09-01")
        d.attended(sess, a, t, "2026-02-02T14:00:00Z")
        if i % 3 == 0:
            d.completed(a, t, "Hours", 2, "2026-02-02T16:00:00Z")
            c = d.cycle(t, "2026-02-03T09:00:00Z")
            d.cycle(t, "2026-02-03T09:00:00Z", cid=c, status="completed", goal_met=True,
                    closed_at="2026-03-01T09:00:00Z")
            d.feedback(c, t, 60, "2026-02-10T10:00:00Z")
            d.time_logged(t, 30, "2026-02-10")
        if i % 10 == 0:
            d.school("Renamed", locale="rural", sid=s)  # a newer version of the school
    d.survey("Needs", "needs_assessment", sid=sv, status="closed", audience_size=20,
             opened_at="2026-01-05T00:00:00Z", closed_at="2026-01-20T00:00:00Z")
    d.results(sv, "2026-01-20T00:00:00Z", 20, 12, 12, {}, {"math": 3.5})


def test_rebuilt_tables_equal_the_live_ones_after_a_kill9(analytics, analytics_service, coaching_service):
    d = District(analytics)
    admin = d.client("district_admin")
    # PLC meetings recorded through the real hg-coaching (its plc.* events) during the stream too
    d.school_a = d.school("Adams", locale="city")
    people = [d.educator(schools=[d.school_a], started="2015-08-01") for _ in range(3)]
    x = d.activity("PLC hours", type_="P2P")
    plc = Plc(d, coaching_service.url, people[0], people[1:])
    writer = threading.Thread(target=stream, args=(d, 120))
    meetings = threading.Thread(target=lambda: [plc.meet(f"2026-02-{10 + i:02d}", 30 + i, people, x)
                                                for i in range(6)])
    writer.start()
    meetings.start()
    time.sleep(1.0)
    analytics_service.kill9()  # in the middle of the live stream
    time.sleep(0.5)
    analytics_service.start()
    writer.join(120)
    meetings.join(120)
    assert poll(lambda: all_applied(d.sent), WAIT), "the restarted consumer did not catch up"
    assert poll(lambda: psql(f"SELECT count(*) FROM analytics.plc_meetings WHERE district_id = '{d.id}'").strip()
                == "6", WAIT), "the PLC meetings did not reach analytics"
    before, tables_before = read_models(), oids()
    sessions = {e["data"]["session_id"] for e in d.sent if e["type"] == "attendance.recorded"}
    assert len([r for r in before["attendance"] if any(s in r for s in sessions)]) == 120
    assert len([r for r in before["plc_meetings"] if d.id in r]) == 6

    first = rebuild(admin)
    assert oids() != tables_before
    assert first["events_total"] >= len(d.sent) and first["events_applied"] >= first["events_total"]
    assert first["phase"] == "done" and first["finished_at"] and first["error"] is None
    after = read_models()
    for t in before:
        assert after[t] == before[t], f"{t} differs after the rebuild"
    # the 120 who attended and the PLC's 3, whose meetings linked to an activity count as PD hours
    assert participation(admin, PERIOD)["overall"]["participants"] == 123

    # The operator's command, while the service runs: the same tables again, exit status 0.
    cmd = subprocess.run([str(analytics_service.binary), "--rebuild"], env=analytics_service.env,
                         capture_output=True, text=True, timeout=300)
    assert cmd.returncode == 0, cmd.stdout + cmd.stderr
    assert "swapped in" in cmd.stdout + cmd.stderr
    again = read_models()
    for t in before:
        assert again[t] == before[t], f"{t} differs after hg-analytics --rebuild"


def test_a_rebuild_during_writes_loses_nothing(analytics, analytics_service):
    d = District(analytics)
    admin = d.client("district_admin")
    stop = threading.Event()
    writer = threading.Thread(target=stream, args=(d, 400, stop))
    answers: list[int] = []

    def read() -> None:  # figures read all along: the swap must not fail them (a reader locks table by table)
        reader = d.client("district_admin")
        while not stop.is_set():
            for path in ("/v1/analytics/participation", "/v1/analytics/coaching", "/v1/reports/public/offerings"):
                answers.append(reader.get(path, params={"period": PERIOD}).status_code)

    readers = [threading.Thread(target=read) for _ in range(2)]
    writer.start()
    for t in readers:
        t.start()
    time.sleep(0.5)
    r = assert_json(admin.post(REBUILD), 202)
    busy = admin.post(REBUILD)  # a second while the first runs
    assert_problem(busy, 409, "conflict")
    assert busy.json()["reason"] == "rebuild_running"
    loc = f"/v1/analytics/rebuilds/{r['id']}"
    done = poll(lambda: (x := assert_json(admin.get(loc), 200))["state"] != "running" and x, 180)
    assert done["state"] == "succeeded", done
    time.sleep(0.5)
    stop.set()
    writer.join(120)
    for t in readers:
        t.join(60)
    assert answers and set(answers) == {200}, {a: answers.count(a) for a in set(answers)}
    assert poll(lambda: all_applied(d.sent), WAIT)
    educators = len({e["data"]["id"] for e in d.sent if e["type"] == "educator.upserted"})
    rows = psql(f"SELECT count(*) FROM analytics.attendance WHERE district_id = '{d.id}'")
    assert int(rows) == educators
    assert participation(admin, PERIOD)["overall"]["participants"] == educators
    assert psql("SELECT count(*) FROM pg_namespace WHERE nspname IN ('analytics_rebuild', 'analytics_retired')"
                ).strip() == "0"


def test_roles_and_districts(analytics, analytics_service):
    d = District(analytics)
    for role in ("teacher", "school_leader", "coach", "state_reporter"):
        c = d.client(role)
        assert_problem(c.post(REBUILD), 403, "forbidden")
        assert_problem(c.get(f"/v1/analytics/rebuilds/{uuid.uuid4()}"), 403, "forbidden")
    assert_problem(analytics(None).post(REBUILD), 401, "unauthorized")
    admin = d.client("district_admin")
    done = rebuild(admin)
    other = District(analytics).client("district_admin")
    assert_problem(other.get(f"/v1/analytics/rebuilds/{done['id']}"), 404, "not-found")
    assert_problem(admin.get(f"/v1/analytics/rebuilds/{uuid.uuid4()}"), 404, "not-found")
    assert_problem(admin.get("/v1/analytics/rebuilds/not-a-uuid"), 404, "not-found")
