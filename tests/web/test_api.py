"""The read-only API: plans, a plan's evaluation of a published year, an indicator; 405, 429, CORS."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from hyoka.core.engine import evaluate
from hyoka.samples import load_sample
from hyoka.site import records
from hyoka.web.api.models import Bucket
from hyoka.web.public.site import public_site


@pytest.fixture
def api(db) -> Client:
    cache.clear()  # a fresh rate-limit bucket for every test
    return Client()


def _get(client: Client, path: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = client.get(f"/api/v1/{path}", params)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.status_code, json.loads(response.content)


def test_plans_lists_only_plans_with_a_published_evaluation(api):
    status, doc = _get(api, "plans")
    assert status == 200
    assert {(p["organization"]["code"], p["id"]): p["published_years"] for p in doc["plans"]} == {
        ("140007", "kanagawa-dx"): [2024],
        ("140007", "kanagawa-sousei-3"): [2024],
        ("141003", "kanagawa-sousei-3"): [2024],  # Yokohama's plan of the same id
    }
    status, doc = _get(api, "plans/142034/hiratsuka-juten")
    assert status == 404 and doc["error"]["code"] == "not_found"


def test_the_list_of_plans_read_from_rows_is_what_each_built_plan_says(api):
    """The list is made from the plans' rows (building a country's plans would take minutes); each
    entry must be exactly the summary of the built, published plan, as a plan's own answer gives it."""
    _status, doc = _get(api, "plans")
    built = [records.plan_summary(ps) for ps in public_site().plans]
    assert doc["plans"] == json.loads(json.dumps(built)) and len(built) == 3
    for entry in doc["plans"]:
        _status, own = _get(api, f"plans/{entry['organization']['code']}/{entry['id']}")
        assert {k: own["plan"][k] for k in entry} == entry


def test_a_plan_carries_the_evaluation_of_its_newest_published_year(api):
    status, doc = _get(api, "plans/140007/kanagawa-sousei-3")
    assert status == 200 and doc["year"] == 2024
    ev = evaluate(load_sample("kanagawa-sousei-3"), 2024)
    rates = {i["id"]: i["rate"] for i in doc["evaluation"]["indicators"]}
    for ind_id, result in ev.indicators.items():
        if result.rate is not None and result.rate.value is not None:
            assert Decimal(rates[ind_id]) == result.rate.value
    grades = {n["id"]: n["label"] for n in doc["evaluation"]["nodes"] if n["explanation"]}
    assert grades == {k: r.grade.label for k, r in ev.nodes.items() if r.grade is not None}


@pytest.mark.parametrize(
    ("year", "status", "code"), [("令和6年度", 200, None), ("R6", 200, None), ("2025", 404, "not_published"), ("abc", 400, "bad_year")]
)
def test_the_year_is_read_as_people_write_it_and_must_be_published(api, year, status, code):
    got, doc = _get(api, "plans/140007/kanagawa-dx", year=year)
    assert got == status
    if code:
        assert doc["error"]["code"] == code and doc["error"]["where"] == "year"
    else:
        assert doc["year"] == 2024


def test_an_indicator_is_named_organization_plan_colon_indicator(api):
    status, doc = _get(api, "indicators/140007/kanagawa-dx:1-1")
    assert status == 200 and doc["id"] == "140007/kanagawa-dx:1-1"
    assert doc["plan"] == {
        "id": "kanagawa-dx",
        "name": load_sample("kanagawa-dx").name,
        "organization": "神奈川県",
        "organization_code": "140007",
    }
    assert _get(api, "indicators/kanagawa-dx:1-1")[0] == 404  # without its organization a plan id names nothing
    assert doc["indicator"]["id"] == "1-1" and [e["year"] for e in doc["evaluations"]] == [2024]
    assert doc["evaluations"][0]["judgement"]["symbol"] in {"◎", "○", "△", "■", "―"}
    assert _get(api, "indicators/1-1")[0] == 404
    assert _get(api, "indicators/140007/kanagawa-dx:no-such")[0] == 404
    assert _get(api, "indicators/142034/hiratsuka-juten:" + load_sample("hiratsuka-juten").indicators[0].id)[0] == 404
    assert _get(api, "no/such/endpoint")[0] == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_with_405(api, method):
    response = getattr(api, method)("/api/v1/plans/140007/kanagawa-dx", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"


def test_cors_preflight_allows_reading_only(api):
    response = api.options("/api/v1/plans", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@override_settings(HYOKA_API_BURST=3, HYOKA_API_RATE_PER_MINUTE=6)
def test_a_client_over_its_rate_gets_429_with_retry_after_and_others_do_not(api):
    statuses = [api.get("/api/v1/plans").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/plans")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 10
    assert json.loads(response.content)["error"]["code"] == "rate_limited"
    assert api.get("/api/v1/plans", REMOTE_ADDR="127.0.0.2").status_code == 200


@override_settings(HYOKA_API_BURST=3, HYOKA_API_RATE_PER_MINUTE=6)  # a full refill: 30 s, quiet past 90 s
def test_a_new_address_drops_the_buckets_of_addresses_gone_quiet_and_a_known_one_drops_none(api):
    api.get("/api/v1/plans")
    Bucket.objects.create(address="10.0.0.1", tokens=0, stamp=time.time() - 91)
    Bucket.objects.create(address="10.0.0.2", tokens=0, stamp=time.time() - 80)
    for _ in range(3):
        api.get("/api/v1/plans")  # a known address, every time the same queries
    assert set(Bucket.objects.values_list("address", flat=True)) == {"127.0.0.1", "10.0.0.1", "10.0.0.2"}
    api.get("/api/v1/plans", REMOTE_ADDR="127.0.0.3")
    assert set(Bucket.objects.values_list("address", flat=True)) == {"127.0.0.1", "10.0.0.2", "127.0.0.3"}


def test_the_api_and_public_pages_need_no_login_but_the_editors_pages_do(api):
    assert api.get("/api/v1/openapi.json").status_code == 200
    assert api.get("/public/").status_code == 200
    assert api.get("/public/140007/kanagawa-dx/index.html").status_code == 200
    assert api.get("/plans/140007/kanagawa-dx/").status_code == 302


def test_a_locked_database_is_answered_in_json(api, monkeypatch):
    """The API answered 「database is locked」 with the HTML error page; its clients parse JSON, so it is JSON, with Retry-After."""
    from django.db import OperationalError

    from hyoka.web.api import views

    def locked() -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "plan_summaries", locked)
    api.raise_request_exception = False
    response = api.get("/api/v1/plans")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "unavailable" and response["Retry-After"] == "5"
