"""/api/v1/: plans, a plan with the evaluation of a year, an indicator with its evaluations.

Read only: GET, HEAD and OPTIONS; anything else is 405. Everything is read from the
published copies of the public site (``public.site``), so an unpublished year does not
exist here: asking for it is 404. Plan ids are unique only within an organization and
indicator ids only within a plan, so the API names a plan ``{organization_code}/{plan_id}``
and an indicator ``{organization_code}/{plan_id}:{indicator_id}`` (plan ids cannot hold a
slash or a colon), as the public site's folders do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, wraps
from importlib import resources
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ...core.errors import InputError
from ...core.wareki import parse_year
from ...site import records
from ...site.plansite import PlanSite
from ..public.site import plan_site, plan_summaries
from . import limits

SAFE = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(SAFE)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, message_ja: str, where: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.message_ja, self.where = status, code, message, message_ja, where


def _json(doc: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(records.to_json(doc), status=status, content_type="application/json; charset=utf-8")


def _error(e: ApiError) -> HttpResponse:
    body: dict[str, Any] = {"code": e.code, "message": e.message, "message_ja": e.message_ja}
    if e.where:
        body["where"] = e.where
    return _json({"error": body}, e.status)


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Retry-After, RateLimit-Limit, RateLimit-Remaining"
    response["Vary"] = "Accept-Encoding"
    return response


def endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Public, read only, rate limited, CORS for GET, errors as JSON."""

    @login_not_required
    @csrf_exempt  # nothing here writes, and a write must get 405, not a CSRF 403
    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE:
            response = _error(ApiError(405, "method_not_allowed", "this API is read only", "この API は読み取り専用です"))
            response["Allow"] = ALLOW
            return _cors(response)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            response["Access-Control-Allow-Methods"] = ALLOW
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        verdict = limits.take(request)
        if not verdict.allowed:
            response = _error(ApiError(429, "rate_limited", "too many requests", "リクエストが多すぎます"))
            response["Retry-After"] = str(verdict.retry_after)
        else:
            try:
                response = _json(view(request, *args, **kwargs))
                response["Cache-Control"] = "public, max-age=60"
            except ApiError as e:
                response = _error(e)
        response["RateLimit-Limit"] = str(verdict.limit)
        response["RateLimit-Remaining"] = str(verdict.remaining)
        return _cors(response)

    return run


def _plan(plan_id: str) -> PlanSite:
    """*plan_id* is ``{organization_code}/{plan_id}``."""
    organization, slash, key = plan_id.partition("/")
    site = plan_site(organization, key) if slash else None
    ps = site.by_root.get(plan_id) if site is not None else None
    if ps is None:
        raise ApiError(
            404,
            "not_found",
            f"no published plan {plan_id!r} (a plan is named {{organization_code}}/{{plan_id}})",
            f"公開されている計画「{plan_id}」はありません（計画は「団体コード/計画id」で指定します）",
            "plan_id",
        )
    return ps


def _year(request: HttpRequest, ps: PlanSite, default: int | None) -> int | None:
    raw = request.GET.get("year")
    if raw is None:
        return default
    try:
        year = parse_year(raw, "year")
    except InputError as e:
        problem = e.problems[0]
        raise ApiError(400, "bad_year", problem.message_en, problem.message, "year") from None
    if year not in ps.years:
        published = ", ".join(map(str, ps.years))
        raise ApiError(
            404, "not_published", f"{year} is not a published year ({published})", f"{year}年度の評価は公表されていません", "year"
        )
    return year


@endpoint
def plans(request: HttpRequest) -> dict[str, Any]:
    return {"format": records.FORMAT, "plans": plan_summaries()}


@endpoint
def plan(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    ps = _plan(plan_id)
    return records.plan_record(ps, _year(request, ps, ps.latest))


@endpoint
def indicator(request: HttpRequest, ident: str) -> dict[str, Any]:
    plan_id, colon, indicator_id = ident.partition(":")
    if not colon:
        raise ApiError(
            404,
            "not_found",
            "an indicator id is {organization_code}/{plan_id}:{indicator_id}",
            "指標の id は「団体コード/計画id:指標id」です",
            "indicator_id",
        )
    ps = _plan(plan_id)
    ind = ps.plan.indicator_by_id.get(indicator_id)
    if ind is None:
        raise ApiError(
            404, "not_found", f"no indicator {indicator_id!r} in {plan_id!r}", f"指標「{indicator_id}」はありません", "indicator_id"
        )
    return records.indicator_record(ps, ind, _year(request, ps, None))


@cache
def _openapi_document() -> dict[str, Any]:
    """The schema is a file of the package, the same for every request: read and parsed once per process."""
    return json.loads((resources.files("hyoka.web.api") / "openapi.json").read_text(encoding="utf-8"))


@endpoint
def openapi(request: HttpRequest) -> dict[str, Any]:
    return _openapi_document()


@endpoint
def unknown(request: HttpRequest, rest: str) -> dict[str, Any]:
    raise ApiError(404, "not_found", f"no such endpoint {rest!r}", "この URL はありません")
