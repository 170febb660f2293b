"""A survey whose audience is a catalog session's registrants (audience.session_id): hg-surveys reads the real
hg-resources' registration events (registration.created, .promoted, .cancelled on homegrown.resources) into its
own read model. People register through the resources API; a registrant (a seat, not the waitlist) responds,
a waitlisted educator and one not registered are refused with the reason, a cancellation and the promotion it
causes move who may respond, the invited count (response rate) is the registrants', and a bad session id is
named in the 422."""

from __future__ import annotations

import uuid

from catalog_support import District as CatalogDistrict
from hgtest import assert_json, assert_problem, poll
from surveyslib import ANSWERS, SURVEYS, District, psql


def registrations_applied(district: str, session: str, want: dict[str, str]) -> bool:
    """hg-surveys holds these educators' registrations of the session with these statuses."""
    rows = psql(f"SELECT educator_id, status FROM session_registrations WHERE district_id = '{district}'"
                f" AND session_id = '{session}'")
    have = {e: s for e, s in rows}
    return all(have.get(e) == s for e, s in want.items())


def on_surveys_roster(district: str, educators: list[str]) -> bool:
    rows = psql(f"SELECT count(*) FROM roster_educators WHERE district_id = '{district}'"
                f" AND educator_id IN ({','.join(repr(e) for e in educators)})")
    return int(rows[0][0]) == len(educators)


def test_a_sessions_registrants_are_its_audience(api, surveys):
    d = District(surveys)
    catalog = CatalogDistrict(api, id=d.id, admin_id=d.admin_id)
    first, second, waiting, outsider = (str(uuid.uuid4()) for _ in range(4))
    people = [first, second, waiting, outsider]
    catalog.on_roster(*people)  # both services read the same roster events
    assert poll(lambda: on_surveys_roster(d.id, people), 60, 0.2), "hg-surveys did not apply the roster events"
    activity = catalog.activity()
    session = catalog.session(activity["id"], capacity=2)["id"]
    regs = {sub: catalog.register(catalog.client(sub, "teacher"), session) for sub in (first, second, waiting)}
    assert [regs[s]["status"] for s in (first, second, waiting)] == ["registered", "registered", "waitlisted"]
    assert poll(lambda: registrations_applied(d.id, session, {first: "registered", second: "registered",
                                                               waiting: "waitlisted"}), 60, 0.2), \
        "hg-surveys did not apply the registration events"

    # a bad session id is named; the audience round trips
    p = assert_problem(d.admin.post(SURVEYS, json={"title": "E", "purpose": "session_evaluation",
                                                   "audience": {"session_id": "nope"}}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["audience.session_id"], p
    s = d.open(purpose="session_evaluation", audience={"session_id": session.upper()})
    assert s["audience"] == {"session_id": session} and s["audience_size"] == 2

    def respond(sub: str):
        return d.client(sub, "teacher").post(f"{SURVEYS}/{s['id']}/responses", json={"answers": ANSWERS})

    assert assert_json(respond(first), 201)["survey_id"] == s["id"]
    for sub in (waiting, outsider):  # the waitlist and someone not registered: refused with the reason
        assert assert_problem(respond(sub), 403, "forbidden")["reason"] == "not_in_audience", sub

    # the second registrant cancels: the waitlisted one is promoted (both events reach hg-surveys)
    r = catalog.client(second, "teacher").delete(f"/v1/catalog/registrations/{regs[second]['id']}")
    assert r.status_code in (200, 204), r.text
    assert poll(lambda: registrations_applied(d.id, session, {second: "cancelled", waiting: "registered"}), 60,
                0.2), "hg-surveys did not apply the cancellation and the promotion"
    assert assert_problem(respond(second), 403, "forbidden")["reason"] == "not_in_audience"
    assert_json(respond(waiting), 201)

    # another district's survey naming the same session has no registrant
    other = District(surveys)
    o = other.open(purpose="session_evaluation", audience={"session_id": session})
    assert o["audience_size"] == 0
    r = other.client(first, "teacher").post(f"{SURVEYS}/{o['id']}/responses", json={"answers": ANSWERS})
    assert assert_problem(r, 403, "forbidden")["reason"] == "not_in_audience"

    # the response rate counts the registrants when the survey opened (2) and the two responses
    assert_json(d.patch(s["id"], {"status": "closed"}), 200)
    rate = assert_json(d.admin.get(f"{SURVEYS}/{s['id']}/results"), 200)["response_rate"]
    assert (rate["invited"], rate["responded"]) == (2, 2)
