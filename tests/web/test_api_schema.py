"""The API against its OpenAPI description, with schemathesis calling the WSGI app in-process:
every documented answer has its documented status, content type and schema, on generated input."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

from hyoka.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def database(db):
    """The stored sample plans, inside the test's transaction: like Django's test client, the
    requests must not close the connection that holds it when they finish."""
    cache.clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(HYOKA_API_BURST=100_000):
            yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
# The database fixture is function-scoped on purpose (each example runs in its transaction); a request through the
# whole app is slower than Hypothesis expects of a test function.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_as_its_openapi_file_says(case, database):
    case.call_and_validate()


@pytest.mark.parametrize(
    ("path", "parameters", "query"),
    [
        ("/plans", {}, {}),
        ("/plans/{organization_code}/{plan_id}", {"organization_code": "140007", "plan_id": "kanagawa-sousei-3"}, {}),
        ("/plans/{organization_code}/{plan_id}", {"organization_code": "141003", "plan_id": "kanagawa-sousei-3"}, {}),
        ("/plans/{organization_code}/{plan_id}", {"organization_code": "140007", "plan_id": "kanagawa-dx"}, {"year": "R6"}),
        ("/plans/{organization_code}/{plan_id}", {"organization_code": "140007", "plan_id": "kanagawa-dx"}, {"year": "2023"}),
        (
            "/indicators/{organization_code}/{indicator_id}",
            {"organization_code": "140007", "indicator_id": "kanagawa-sousei-3:1-1-1-k1"},
            {},
        ),
        (
            "/indicators/{organization_code}/{indicator_id}",
            {"organization_code": "140007", "indicator_id": "kanagawa-dx:3-10"},
            {"year": "2024"},
        ),
        ("/openapi.json", {}, {}),
    ],
)
def test_real_plans_and_indicators_answer_as_documented(database, path, parameters, query):
    """Generated ids rarely name a stored plan; these do, so the 200 answers are checked in full."""
    case = schema[path]["GET"].Case(path_parameters=parameters, query=query)
    response = case.call()
    assert response.status_code == (404 if query.get("year") == "2023" else 200)
    case.validate_response(response)
