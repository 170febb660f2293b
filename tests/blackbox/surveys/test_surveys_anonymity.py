"""Anonymous by construction: after 50 anonymous responses, someone who connects to the database as the service
does tries to join the answers to the educators -- by ids, times, transaction ids, physical order, sequences,
and by watching which rows change at each submission -- and fails: every way narrows a respondent down to a group
of at least RESPONSE_MIX (5) answer sets at best. Nothing of the answers reaches the log, an event or the stored
idempotent answer with anything that names the educator."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

import pytest

from hgtest import LOG_DIR, Api, assert_json, never_logged
from surveyslib import SURVEYS, District, Roster, psql

MIX = 5
N = 50
QUESTIONS = [
    {"id": "n", "type": "number", "prompt": "A number only you give", "min": 0, "max": 1000},
    {"id": "why", "type": "text", "prompt": "A sentence only you write", "max_length": 100},
    {"id": "useful", "type": "scale", "prompt": "Useful", "labels": ["1", "2", "3", "4", "5"]},
]


@pytest.fixture(scope="module")
def anonymous_survey(surveys_service):
    """An anonymous survey that 50 educators of two schools answered one after another; the answer sets' ids
    after each submission; who answered what (the test knows it; the database must not tell)."""
    d = District(lambda bearer: Api(surveys_service.url, bearer))
    roster = Roster(d.id)
    schools = [str(uuid.uuid4()), str(uuid.uuid4())]
    educators = [str(uuid.uuid4()) for _ in range(N)]
    roster.send(*[roster.educator(e, [schools[i % 2]]) for i, e in enumerate(educators)])
    roster.wait_applied(N)
    s = d.open(mode="anonymous", purpose="climate", questions=QUESTIONS)
    secret = {}
    snapshots = []
    for i, e in enumerate(educators):
        sentence = f"secret-{uuid.uuid4().hex[:12]}"
        never_logged(sentence)
        secret[e] = (i, sentence)
        r = d.client(e, "teacher").post(f"{SURVEYS}/{s['id']}/responses",
                                        json={"answers": {"n": i, "why": sentence, "useful": 1 + i % 5}},
                                        headers={"Idempotency-Key": f"k-{i}"})
        assert_json(r, 201)
        snapshots.append({row[0]: int(row[1]) for row in psql(
            f"SELECT id, (answers->>'n')::int FROM answer_sets WHERE survey_id = '{s['id']}'")})
    return d, s, educators, secret, snapshots


def answer_rows(survey_id: str, order: str) -> list[list[str]]:
    return psql(f"SELECT (answers->>'n')::int, xmin::text::bigint, id FROM answer_sets"
                f" WHERE survey_id = '{survey_id}' ORDER BY {order}")


def participant_rows(survey_id: str, order: str) -> list[list[str]]:
    return psql(f"SELECT educator_id, xmin::text::bigint, coalesce(answers::text, '') FROM participants"
                f" WHERE survey_id = '{survey_id}' ORDER BY {order}")


def test_nothing_shared_by_construction(anonymous_survey):
    _, s, _, _, _ = anonymous_survey
    # what the tables hold: no educator, no time, no sequence with the answers; no answers with the educator
    cols = psql("SELECT column_name, data_type, coalesce(column_default, '') FROM information_schema.columns"
                " WHERE table_schema = 'surveys' AND table_name = 'answer_sets'")
    for name, dtype, default in cols:
        assert "educator" not in name and "time" not in dtype and dtype != "date", (name, dtype)
        assert "nextval" not in default, (name, default)
    for name, dtype, default in psql("SELECT column_name, data_type, coalesce(column_default, '')"
                                     " FROM information_schema.columns"
                                     " WHERE table_schema = 'surveys' AND table_name = 'participants'"):
        assert "time" not in dtype and "nextval" not in default, (name, dtype)
    assert all(a == "" for _, _, a in participant_rows(s["id"], "educator_id"))
    # ids: random (version 4), never an educator's
    rows = answer_rows(s["id"], "id")
    assert len(rows) == N
    assert all(r[2][14] == "4" for r in rows)
    educators = {p[0] for p in participant_rows(s["id"], "educator_id")}
    assert not educators & {r[2] for r in rows}


def test_transaction_ids_narrow_to_groups_of_at_least_five(anonymous_survey):
    _, s, _, _, _ = anonymous_survey
    groups: dict[int, int] = {}
    for _, xmin, _ in answer_rows(s["id"], "id"):
        groups[int(xmin)] = groups.get(int(xmin), 0) + 1
    assert min(groups.values()) >= MIX, groups
    # joining a respondent's row to the answer sets written by the same transaction finds none, or a group
    for _, xmin, _ in participant_rows(s["id"], "educator_id"):
        assert groups.get(int(xmin), 0) in (0,) or groups[int(xmin)] >= MIX


def rank_join_hits(answers: list[list[str]], participants: list[list[str]], secret: dict) -> int:
    """Pairs the i-th answer set with the i-th participant and counts the pairs that are right."""
    return sum(1 for a, p in zip(answers, participants) if secret[p[0]][0] == int(a[0]))


def test_physical_order_and_id_order_do_not_line_up(anonymous_survey):
    _, s, _, secret, _ = anonymous_survey
    participants = participant_rows(s["id"], "ctid")
    by_ctid = rank_join_hits(answer_rows(s["id"], "ctid"), participants, secret)
    by_id = rank_join_hits(answer_rows(s["id"], "id"), participants, secret)
    by_xmin = rank_join_hits(answer_rows(s["id"], "xmin::text::bigint, ctid"),
                             participant_rows(s["id"], "xmin::text::bigint"), secret)
    # Without mixing each of these would pair all 50; in random order within groups of 5-9 about 10 pair by luck.
    assert by_ctid <= N // 2 and by_id <= N // 2 and by_xmin <= N // 2, (by_ctid, by_id, by_xmin)


def test_watching_each_submission_narrows_to_groups(anonymous_survey):
    """An observer who lists the answer sets' ids after every submission: each submission changes the ids of at
    least five rows (or all of them, before five exist), so the new answer set is one of a group."""
    _, _, _, _, snapshots = anonymous_survey
    previous: dict[str, int] = {}
    for i, snap in enumerate(snapshots):
        new_ids = set(snap) - set(previous)
        assert len(new_ids) >= min(MIX, i + 1), (i, len(new_ids))
        previous = snap


def test_nothing_in_logs_events_or_stored_answers(anonymous_survey, surveys_events):
    d, s, educators, secret, _ = anonymous_survey
    log = (LOG_DIR / "hg-surveys.log").read_text(encoding="utf-8", errors="replace")
    stored = " ".join(r[0] for r in psql(f"SELECT coalesce(body, '') FROM idempotency_keys"
                                         f" WHERE district_id = '{d.id}'"))
    events = surveys_events.collect(lambda e: e.key == d.id and e.type == "response.submitted",
                                    lambda evs: len(evs) >= N, timeout=30)
    assert len(events) == N
    payloads = " ".join(json.dumps(e.value) for e in events)
    for e in educators:
        assert e not in payloads
    for _, sentence in secret.values():
        assert sentence not in log and sentence not in stored and sentence not in payloads


def test_idempotency_keys_cannot_be_matched_to_answers(anonymous_survey):
    """The Idempotency-Key row keeps the educator (its subject) and a hash of the request: a plain digest of the
    body could be matched by anyone who knows (or tries every) answer. The hash is keyed by a secret of the
    service's process: the digest of each educator's exact request is nowhere in the table."""
    d, s, educators, secret, _ = anonymous_survey
    path = f"{SURVEYS}/{s['id']}/responses"
    rows = psql(f"SELECT subject, request_hash, coalesce(body, '') FROM idempotency_keys"
                f" WHERE district_id = '{d.id}' AND idem_key LIKE 'k-%'")
    assert len(rows) == N
    assert len({r[1].split(":")[0] for r in rows}) == 1
    stored = " ".join(r[1] for r in rows)
    for e in educators:
        i, sentence = secret[e]
        body = json.dumps({"answers": {"n": i, "why": sentence, "useful": 1 + i % 5}}).encode()
        for digest in (hashlib.sha256(b"POST\n" + path.encode() + b"\n" + body).hexdigest(),
                       hashlib.sha256(body).hexdigest()):
            assert digest not in stored
    for subject, request_hash, body in rows:
        assert re.fullmatch(r"[0-9a-f]{8}:[0-9a-f]{64}", request_hash), request_hash
        assert '"answers"' not in body and subject in educators
