"""Helpers of the PD budget tests (tests/blackbox/test_budget_*.py): funding sources and charges through the API."""

from __future__ import annotations

from catalog_support import District
from hgtest import SPEC, assert_json

SOURCES = "/v1/catalog/funding-sources"
SETTINGS = "/v1/catalog/budget-settings"
RELEASES = "/v1/catalog/releases"
REPORT = "/v1/catalog/budget-report"


def source(d: District, name: str, allocation: int, year: int = 2027, **extra) -> dict:
    s = assert_json(d.admin.post(SOURCES, json={"name": name, "fiscal_year": year, "allocation_cents": allocation,
                                                **extra}), 201)
    SPEC.check("resources.yaml", "FundingSource", s)
    return s


def charge_body(activity_id: str, amount: int, category: str = "materials", kind: str = "actual", **extra) -> dict:
    return {"activity_id": activity_id, "category": category, "kind": kind, "amount_cents": amount, **extra}


def charge(client, source_id: str, activity_id: str, amount: int, category: str = "materials", kind: str = "actual",
           **extra):
    return client.post(f"{SOURCES}/{source_id}/costs", json=charge_body(activity_id, amount, category, kind, **extra))


def charged(client, source_id: str, activity_id: str, amount: int, category: str = "materials",
            kind: str = "actual", **extra) -> dict:
    r = charge(client, source_id, activity_id, amount, category, kind, **extra)
    c = assert_json(r, 201)
    SPEC.check("resources.yaml", "Cost", c)
    assert r.headers["Location"] == f"/v1/catalog/costs/{c['id']}"
    return c
