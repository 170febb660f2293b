"""Events on homegrown.roster: CloudEvents with the full current state, one per changed entity, keyed by
district, subject = entity id; the shapes other services consume."""

from __future__ import annotations

from collections import Counter

from hgtest import UUID_RE, new_district, new_user, parse_time, token
from rosterlib import EDUCATORS, SCHOOLS, SESSIONS, by_sourced_id, generate, import_ok, list_all

SCHOOL_KEYS = {"id", "district_id", "sourced_id", "name", "identifier", "status", "locale", "title_i",
               "poverty_level", "enrollment", "updated_at", "version"}
EDUCATOR_KEYS = {"id", "district_id", "sourced_id", "given_name", "family_name", "email", "username",
                 "user_master_identifier", "status", "roles", "assigned_roles",
                 "school_ids", "started_teaching_on", "new_teacher", "updated_at", "version"}


def test_first_import_emits_one_event_per_entity(roster, roster_events):
    district = new_district()
    import_ok(roster(token(district, new_user(), ["sis_integration"])), generate.valid())
    evs = roster_events.collect(match=lambda e: e.value.get("districtid") == district,
                                until=lambda evs: len(evs) >= 66, timeout=20, settle=2.0)
    assert Counter(e.type for e in evs) == {"school.upserted": 3, "academic_session.upserted": 3,
                                            "educator.upserted": 60}
    assert len({e.subject for e in evs}) == 66 and len({e.value["id"] for e in evs}) == 66

    a = roster(token(district, new_user(), ["district_admin"]))
    current = {x["id"]: x for x in list_all(a, SCHOOLS) + list_all(a, EDUCATORS) + list_all(a, SESSIONS)}
    for e in evs:
        v = e.value
        assert v["specversion"] == "1.0" and v["source"] == "/homegrown/roster", v
        assert v["datacontenttype"] == "application/json" and v["districtid"] == district
        assert UUID_RE.match(v["id"]) and e.key == district
        parse_time(v["time"])
        assert v["subject"] == v["data"]["id"]
        assert v["data"] == current[v["subject"]], "event data is not the entity's full current state"
        if e.type.startswith("school."):
            assert set(v["data"]) == SCHOOL_KEYS
        if e.type.startswith("educator."):
            assert set(v["data"]) == EDUCATOR_KEYS
    # no event for the district org (not a school), none for students
    schools = by_sourced_id(list_all(a, SCHOOLS))
    assert {e.subject for e in evs if e.type == "school.upserted"} == {s["id"] for s in schools.values()}
