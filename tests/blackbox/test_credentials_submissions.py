"""Micro-credentials, part 2: submissions of evidence and their review. The state machine (submitted → awarded or
returned, returned → resubmitted, either → withdrawn; 409 naming the allowed moves), reviewer rules (named on the
definition, never the submitter), scores against the rubric, evidence against the required kinds, history kept
across resubmissions, who reads, events, other districts see nothing."""

from __future__ import annotations

import uuid
from collections import Counter

from catalog_support import District, of_district
from credentials_support import SUBMISSIONS, definition, evidence, review, submit
from hgtest import SPEC, assert_json, assert_problem


def setup(api):
    d = District(api)
    reviewer, other_reviewer, teacher = d.teacher(), d.teacher(), d.teacher()
    made = definition(d, [reviewer.sub, other_reviewer.sub])
    return d, reviewer, other_reviewer, teacher, made


def test_return_resubmit_award_keeps_history(api):
    d, reviewer, _, t, made = setup(api)
    s = submit(t, made["id"])
    assert (s["status"], s["attempt"], s["educator_id"], s["scores"], s["feedback"]) == ("submitted", 1, t.sub, None,
                                                                                          None)
    assert [e["kind"] for e in s["evidence"]] == ["link", "reflection"]
    returned = assert_json(review(reviewer, s["id"], "return", [2, 3], "Add student work from a second lesson."),
                           200)
    assert (returned["status"], returned["scores"], returned["reviewed_by"]) == ("returned", [2, 3], reviewer.sub)
    # Another review of a returned submission: the move is refused, naming the allowed ones.
    p = assert_problem(review(reviewer, s["id"], "award", [3, 3]), 409, "conflict")
    assert p["reason"] == "submission_move_from_returned" and "resubmitted or withdrawn" in p["detail"]
    again = assert_json(t.post(f"{SUBMISSIONS}/{s['id']}/resubmit",
                               json={"evidence": evidence("link", "reflection", "student_work")}), 200)
    assert (again["status"], again["attempt"], len(again["evidence"])) == ("submitted", 2, 3)
    p = assert_problem(t.post(f"{SUBMISSIONS}/{s['id']}/resubmit", json={"evidence": evidence("link", "reflection")}),
                       409, "conflict")
    assert p["reason"] == "submission_move_from_submitted"
    awarded = assert_json(review(reviewer, s["id"], "award", [3, 4], "Clear evidence of adjusting instruction."), 200)
    assert (awarded["status"], awarded["scores"], awarded["attempt"]) == ("awarded", [3, 4], 2)
    assert awarded["awarded_at"] is not None
    SPEC.check("resources.yaml", "MicrocredentialSubmission", awarded)
    assert [(h["event"], h["attempt"]) for h in awarded["history"]] == [
        ("submitted", 1), ("returned", 1), ("submitted", 2), ("awarded", 2)]
    assert awarded["history"][1]["feedback"] == "Add student work from a second lesson."
    assert [e["kind"] for e in awarded["history"][0]["evidence"]] == ["link", "reflection"]
    for action, body in (("withdraw", {}), ("resubmit", {"evidence": evidence("link", "reflection")})):
        p = assert_problem(t.post(f"{SUBMISSIONS}/{s['id']}/{action}", json=body), 409, "conflict")
        assert p["reason"] == "submission_closed"
    assert_problem(review(reviewer, s["id"], "return", [1, 1], "x"), 409, "conflict")
    # One live submission per educator and micro-credential: awarded, a new one is a 409.
    p = assert_problem(t.post(SUBMISSIONS, json={"definition_id": made["id"], "evidence": evidence("link",
                                                                                                   "reflection")}),
                       409, "conflict")
    assert p["reason"] == "submission_exists"


def test_reviewer_rules(api):
    d, reviewer, _, t, made = setup(api)
    s = submit(t, made["id"])
    outsider = d.teacher()
    p = assert_problem(review(outsider, s["id"], "award", [4, 4]), 403, "forbidden")
    assert p["reason"] == "submission_reviewer_only"
    # District admins read but do not review unless named; a named reviewer never reviews their own submission.
    assert_problem(review(d.admin, s["id"], "award", [4, 4]), 403, "forbidden")
    own = submit(reviewer, made["id"])
    p = assert_problem(review(reviewer, own["id"], "award", [4, 4]), 403, "forbidden")
    assert p["reason"] == "submission_reviewer_only"
    # Scores against the rubric: one per criterion, each one of its levels; an award meets every passing level.
    for scores, field, reason in (([3], "scores", "scores_mismatch"), ([3, 3, 3], "scores", "scores_mismatch"),
                                  ([5, 3], "scores[0]", "scores_mismatch"),
                                  ([3, 2], "scores[1]", "score_below_passing")):
        p = assert_problem(review(reviewer, s["id"], "award", scores), 422, "validation-failed")
        assert (p["reason"], [e["field"] for e in p["errors"]]) == (reason, [field]), scores
    p = assert_problem(review(reviewer, s["id"], "return", [0, "3"]), 422, "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"feedback", "scores[0]", "scores[1]"}
    # Nothing was written by the refusals.
    assert assert_json(t.get(f"{SUBMISSIONS}/{s['id']}"), 200)["version"] == 1
    # Below passing may still be returned.
    assert assert_json(review(reviewer, s["id"], "return", [1, 2], "Not yet."), 200)["status"] == "returned"


def test_evidence_rules(api):
    d, _, _, t, made = setup(api)
    cases = [
        ({"definition_id": made["id"]}, {"evidence"}),
        ({"definition_id": made["id"], "evidence": []}, {"evidence"}),
        ({"definition_id": "x", "evidence": [{"kind": "video"}], "extra": 1}, {"definition_id", "evidence[0].kind",
                                                                               "extra"}),
        ({"definition_id": made["id"], "evidence": [{"kind": "link", "url": "javascript:alert(1)"},
                                                    {"kind": "reflection", "text": "", "url": "https://x.org"},
                                                    {"kind": "coaching_observation", "reference_id": "r"}]},
         {"evidence[0].url", "evidence[1].text", "evidence[1].url", "evidence[2].reference_id"}),
        ({"definition_id": made["id"], "evidence": evidence("link") * 21}, {"evidence"}),
    ]
    for body, fields in cases:
        p = assert_problem(t.post(SUBMISSIONS, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p["errors"])
    p = assert_problem(t.post(SUBMISSIONS, json={"definition_id": made["id"], "evidence": evidence("link")}), 422,
                       "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("evidence_missing", ["evidence"])
    p = assert_problem(t.post(SUBMISSIONS, json={"definition_id": str(uuid.uuid4()),
                                                 "evidence": evidence("link", "reflection")}), 422,
                       "validation-failed")
    assert (p["reason"], [e["field"] for e in p["errors"]]) == ("definition_unknown", ["definition_id"])
    # A submitter who is not on the district's roster.
    stranger = d.client(None, "teacher")
    p = assert_problem(stranger.post(SUBMISSIONS, json={"definition_id": made["id"],
                                                        "evidence": evidence("link", "reflection")}), 422,
                       "validation-failed")
    assert p["reason"] == "educator_not_on_roster"
    assert_json(d.admin.patch(f"/v1/credentials/definitions/{made['id']}", json={"status": "retired"}), 200)
    p = assert_problem(t.post(SUBMISSIONS, json={"definition_id": made["id"],
                                                 "evidence": evidence("link", "reflection")}), 409, "conflict")
    assert p["reason"] == "definition_retired"
    assert assert_json(d.admin.get(SUBMISSIONS), 200)["data"] == []


def test_withdraw_and_submit_again(api):
    d, reviewer, _, t, made = setup(api)
    s = submit(t, made["id"])
    p = assert_problem(reviewer.post(f"{SUBMISSIONS}/{s['id']}/withdraw", json={}), 403, "forbidden")
    assert p["reason"] == "submission_submitter_only"
    withdrawn = assert_json(t.post(f"{SUBMISSIONS}/{s['id']}/withdraw", json={}), 200)
    assert withdrawn["status"] == "withdrawn"
    p = assert_problem(review(reviewer, s["id"], "award", [4, 4]), 409, "conflict")
    assert p["reason"] == "submission_closed"
    second = submit(t, made["id"])  # a withdrawn submission is no longer live
    assert second["id"] != s["id"] and second["attempt"] == 1


def test_who_reads_what(api):
    d, reviewer, other_reviewer, t, made = setup(api)
    s = submit(t, made["id"])
    mine = submit(other_reviewer, made["id"])
    for c in (t, reviewer, d.admin):
        assert assert_json(c.get(f"{SUBMISSIONS}/{s['id']}"), 200)["id"] == s["id"]
    other = d.teacher()
    p = assert_problem(other.get(f"{SUBMISSIONS}/{s['id']}"), 403, "forbidden")
    assert p["reason"] == "submission_read_forbidden"

    def listed(c, **params):
        page = assert_json(c.get(SUBMISSIONS, params=params), 200)
        SPEC.check("resources.yaml", "MicrocredentialSubmissionPage", page)
        return [x["id"] for x in page["data"]]

    assert listed(t) == [s["id"]]
    assert listed(other) == []
    assert listed(reviewer) == [mine["id"], s["id"]]
    assert listed(d.admin, educator_id=t.sub) == [s["id"]]
    assert listed(d.admin, status="submitted", definition_id=made["id"]) == [mine["id"], s["id"]]
    assert listed(d.admin, status="awarded") == []
    # educator_id narrows admins' lists only: others see theirs whatever they ask.
    assert listed(other, educator_id=t.sub) == []


def test_other_districts_see_nothing(api):
    d, reviewer, _, t, made = setup(api)
    s = submit(t, made["id"])
    e = District(api)
    outsider = e.teacher()
    assert_problem(outsider.get(f"{SUBMISSIONS}/{s['id']}"), 404, "not-found")
    assert_problem(e.admin.get(f"{SUBMISSIONS}/{s['id']}"), 404, "not-found")
    assert assert_json(e.admin.get(SUBMISSIONS), 200)["data"] == []
    e.on_roster(reviewer.sub)
    reviewer_there = e.client(reviewer.sub, "teacher")
    assert_problem(review(reviewer_there, s["id"], "award", [4, 4]), 404, "not-found")
    p = assert_problem(outsider.post(SUBMISSIONS, json={"definition_id": made["id"],
                                                        "evidence": evidence("link", "reflection")}), 422,
                       "validation-failed")
    assert p["reason"] == "definition_unknown"
    assert assert_json(t.get(f"{SUBMISSIONS}/{s['id']}"), 200)["status"] == "submitted"


def test_events(api, events):
    d, reviewer, _, t, made = setup(api)
    s = submit(t, made["id"])
    assert_json(review(reviewer, s["id"], "return", [1, 1], "More, please."), 200)
    assert_json(t.post(f"{SUBMISSIONS}/{s['id']}/resubmit", json={"evidence": evidence("link", "reflection")}), 200)
    assert_json(review(reviewer, s["id"], "award", [4, 4]), 200)
    assert_problem(review(reviewer, s["id"], "award", [4, 4]), 409, "conflict")  # refused: no event
    kinds = {"submission.submitted", "submission.returned", "submission.resubmitted", "submission.awarded"}
    found = events.collect(match=lambda ev: ev.type in kinds and of_district(d.id)(ev),
                           until=lambda evs: len(evs) >= 4, timeout=30, settle=2.0)
    assert Counter(ev.type for ev in found) == {k: 1 for k in kinds}
    assert {ev.value["subject"] for ev in found} == {s["id"]}


def test_two_reviewers_at_once(api):
    # Both named reviewers decide the same submission at the same moment: one review applies, the other is a 409.
    import threading

    d, reviewer, other_reviewer, t, made = setup(api)
    s = submit(t, made["id"])
    barrier, answers = threading.Barrier(2), {}

    def decide(name, client, decision, feedback):
        barrier.wait()
        answers[name] = review(client, s["id"], decision, [3, 3], feedback)

    threads = [threading.Thread(target=decide, args=("a", reviewer, "award", None)),
               threading.Thread(target=decide, args=("b", other_reviewer, "return", "Needs more."))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [200, 409], {k: (r.status_code, r.text[:200]) for k, r in answers.items()}
    final = assert_json(t.get(f"{SUBMISSIONS}/{s['id']}"), 200)
    assert final["version"] == 2 and len(final["history"]) == 2
    assert final["status"] == ("awarded" if answers["a"].status_code == 200 else "returned")
