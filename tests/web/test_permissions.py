"""Every endpoint against every role (SPEC 1): the URL patterns come from the resolver, so a new
endpoint without a row in the matrix fails; refused requests change nothing.

ROUTES says what a GET and an empty POST get on every URL pattern; ENDPOINTS posts real
data to every write and checks that the allowed roles change something and the others get 403.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice
from opencycle import COUNCIL_YEAR, OTHER_ORG, PUBLISHED_YEAR
from snapshot import snapshot
from webforms import stored_base, targets_base

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.web.accounts.models import Department, User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.renders.models import Rendering
from hyoka.web.workflow.models import Submission

PLAN = "kanagawa-sousei-3"
YEAR = 2025
OWN_INDICATOR = "1-3-1-k1"  # 産業労働局 (sangyo)
OTHER_INDICATOR = "3-2-1-k1"  # 福祉子どもみらい局 (fukushi)


@dataclass(frozen=True)
class Endpoint:
    name: str
    allowed: frozenset[str]
    request: Callable[[Client, m.Plan], object]


def _upload_file(plan: m.Plan, indicator: str) -> io.BytesIO:
    doc = plan_to_dict(core_plan(plan))
    for ind in doc["indicators"]:
        if ind["id"] == indicator:
            ind["values"][str(YEAR)] = {"value": "50.5%"}
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = f"{plan.key}.json"
    return f


def _new_plan_file(plan: m.Plan) -> io.BytesIO:
    doc = plan_to_dict(core_plan(plan))
    doc["plan"]["id"] = "imported-copy"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "imported-copy.json"
    return f


def _apply(indicator: str, year: int = YEAR, form: dict[str, str] | None = None) -> Callable[[Client, m.Plan], object]:
    def run(c: Client, plan: m.Plan) -> object:
        # The preview is made by the planner in the same session shape; apply is what is checked.
        session = c.session
        session["hyoka-upload"] = {
            "plan": plan.key,
            "revision": m.Plan.objects.get(pk=plan.pk).revision,
            "filename": "x.json",
            "changes": [
                {
                    "indicator": indicator,
                    "part": "",
                    "year": year,
                    "kind": "added",
                    "old": "",
                    "new": "50.5%（確定）",
                    "text": "50.5%",
                    "status": "confirmed",
                    "expected": "",
                    "note": "",
                }
            ],
        }
        session.save()
        return c.post(f"/plans/{plan.organization.code}/{plan.key}/upload/apply/", form or {"why": "matrix"})

    return run


MEMBERS = frozenset({"admin", "planner", "sangyo", "fukushi", "reviewer"})  # Kanagawa's people
EVERYONE = MEMBERS | {"operator"}  # and the system operator, who belongs to no organization
MANAGERS = frozenset({"admin", "planner"})
ADMINS = frozenset({"admin", "operator"})
DEPARTMENTS = frozenset({"sangyo", "fukushi"})
NOBODY: frozenset[str] = frozenset()  # a published year, or the council outside its window: refused for every role


def _at(p: m.Plan, rest: str) -> str:
    return f"/plans/{p.organization.code}/{p.key}/{rest}"


def _submit_then_withdraw(c: Client, plan: m.Plan) -> HttpResponse:
    """A department submits and takes its submission back before any decision (others are refused both)."""
    c.post(_at(plan, "submit/"), {"year": YEAR})
    return c.post(_at(plan, "withdraw/"), {"year": YEAR})


ENDPOINTS = [
    Endpoint(
        "value_own",
        MANAGERS | {"sangyo"},
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/indicators/{OWN_INDICATOR}/value/",
            {"year": YEAR, "value": "５０.０%", "status": "confirmed"},
        ),
    ),
    Endpoint(
        "value_other",
        MANAGERS | {"fukushi"},
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/indicators/{OTHER_INDICATOR}/value/",
            {"year": YEAR, "value": "3,900 施設", "status": "confirmed"},
        ),
    ),
    Endpoint(
        "value_closed_year",
        MANAGERS,
        lambda c, p: c.post(
            _at(p, f"indicators/{OWN_INDICATOR}/value/"),
            {"year": COUNCIL_YEAR, "value": "99%", "status": "confirmed", "why": "x", "confirm": "on"}  # far from the year before
            | {"base": stored_base(p, OWN_INDICATOR, COUNCIL_YEAR)},
        ),
    ),
    Endpoint(
        "value_published_year",
        NOBODY,
        lambda c, p: c.post(
            _at(p, f"indicators/{OWN_INDICATOR}/value/"), {"year": PUBLISHED_YEAR, "value": "99%", "status": "confirmed", "why": "x"}
        ),
    ),
    Endpoint(
        "target_published_year",
        NOBODY,
        lambda c, p: c.post(
            _at(p, f"indicators/{OWN_INDICATOR}/target/"), {"target_year": PUBLISHED_YEAR, "target": "52.0％", "why": "改定"}
        ),
    ),
    Endpoint(
        "texts_published_year",
        NOBODY,
        lambda c, p: c.post(_at(p, "nodes/1-3-1-1/texts/"), {"year": PUBLISHED_YEAR, "results": "成果", "issues": "課題"}),
    ),
    Endpoint(
        "target",
        MANAGERS,
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/indicators/{OWN_INDICATOR}/target/",
            {"target_year": YEAR, "target": "52.0％", "why": "改定", "base": targets_base(p, OWN_INDICATOR)},
        ),
    ),
    Endpoint(
        "rules",
        MANAGERS,
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/rules/", {"spec": '{"preset": "kanagawa-sousei", "name": "改定"}', "why": "改定"}
        ),
    ),
    Endpoint(
        "texts",
        MANAGERS | {"sangyo"},
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/nodes/1-3-1-1/texts/", {"year": YEAR, "results": "成果", "issues": "課題"}
        ),
    ),
    Endpoint(
        "submit", frozenset({"sangyo", "fukushi"}), lambda c, p: c.post(f"/plans/{p.organization.code}/{p.key}/submit/", {"year": YEAR})
    ),
    Endpoint(
        "accept",
        MANAGERS,
        lambda c, p: c.post(
            f"/plans/{p.organization.code}/{p.key}/submissions/{Submission.objects.get(plan=p, year=YEAR).pk}/decide/", {"action": "accept"}
        ),
    ),
    Endpoint(
        "cycle_open",
        MANAGERS,
        lambda c, p: c.post(f"/plans/{p.organization.code}/{p.key}/cycles/open/", {"year": 2026, "due": "2027-05-31"}),
    ),
    Endpoint("submit_withdraw", DEPARTMENTS, _submit_then_withdraw),
    Endpoint("cycle_open_published", NOBODY, lambda c, p: c.post(_at(p, "cycles/open/"), {"year": PUBLISHED_YEAR})),
    Endpoint("cycle_close", MANAGERS, lambda c, p: c.post(f"/plans/{p.organization.code}/{p.key}/cycles/close/", {"year": YEAR})),
    Endpoint("cycle_close_published", NOBODY, lambda c, p: c.post(_at(p, "cycles/close/"), {"year": PUBLISHED_YEAR})),
    Endpoint("publish", MANAGERS, lambda c, p: c.post(_at(p, "cycles/publish/"), {"year": COUNCIL_YEAR, "reason": "速報として公表"})),
    Endpoint("publish_open_year", NOBODY, lambda c, p: c.post(_at(p, "cycles/publish/"), {"year": YEAR, "reason": "速報"})),
    Endpoint("unpublish", MANAGERS, lambda c, p: c.post(_at(p, "cycles/unpublish/"), {"year": PUBLISHED_YEAR, "reason": "誤り"})),
    Endpoint("unpublish_unpublished", NOBODY, lambda c, p: c.post(_at(p, "cycles/unpublish/"), {"year": YEAR, "reason": "誤り"})),
    Endpoint(
        "correct",
        MANAGERS,
        lambda c, p: c.post(
            _at(p, f"indicators/{OWN_INDICATOR}/correct/"),
            {"year": PUBLISHED_YEAR, "value": "49.0%", "status": "confirmed", "reason": "集計誤り"},
        ),
    ),
    Endpoint(
        "correct_unpublished",
        NOBODY,
        lambda c, p: c.post(
            _at(p, f"indicators/{OWN_INDICATOR}/correct/"), {"year": YEAR, "value": "49.0%", "status": "confirmed", "reason": "x"}
        ),
    ),
    Endpoint(
        "review",
        MANAGERS | {"reviewer"},
        lambda c, p: c.post(_at(p, "nodes/1/review/"), {"year": COUNCIL_YEAR, "grade": "概ね順調に進んでいます", "comments": "意見"}),
    ),
    *(
        Endpoint(
            f"review_{when}",
            NOBODY,
            lambda c, p, year=year: c.post(
                _at(p, "nodes/1/review/"), {"year": year, "grade": "概ね順調に進んでいます", "comments": "意見"}
            ),
        )
        for when, year in (("open_year", YEAR), ("published_year", PUBLISHED_YEAR), ("no_cycle", 2030), ("no_cycle_1999", 1999))
    ),
    Endpoint(
        "answer", MANAGERS | {"sangyo"}, lambda c, p: c.post(_at(p, "nodes/1/answer/"), {"year": COUNCIL_YEAR, "answer": "対応します"})
    ),
    *(
        Endpoint(
            f"answer_{when}", NOBODY, lambda c, p, year=year: c.post(_at(p, "nodes/1/answer/"), {"year": year, "answer": "対応します"})
        )
        for when, year in (("open_year", YEAR), ("published_year", PUBLISHED_YEAR), ("no_cycle", 2030))
    ),
    Endpoint(
        "upload_preview",
        MANAGERS | {"sangyo", "fukushi"},
        lambda c, p: c.post(f"/plans/{p.organization.code}/{p.key}/upload/", {"file": _upload_file(p, OWN_INDICATOR)}),
    ),
    Endpoint("upload_apply_own", MANAGERS | {"sangyo"}, _apply(OWN_INDICATOR)),
    Endpoint("upload_apply_published", MANAGERS, _apply(OWN_INDICATOR, PUBLISHED_YEAR, {"why": "matrix", "correction": "県統計の確定"})),
    Endpoint(
        "admin_add_user",
        ADMINS,
        lambda c, p: c.post(
            "/admin/accounts/user/add/",
            {
                "username": "new-user",
                "password1": "a-Long-pass-4321",
                "password2": "a-Long-pass-4321",
                "role": "department",
                "organization": p.organization_id,  # the operator's form asks for it; an organization's administrator's gives its own
            },
        ),
    ),
    Endpoint("import_plan", MANAGERS, lambda c, p: c.post("/plans/import/", {"file": _new_plan_file(p)})),
    Endpoint(
        "admin_departments",
        ADMINS,
        lambda c, p: c.post("/admin/accounts/department/add/", {"name": "新しい局", "organization": p.organization_id}),
    ),
    Endpoint(
        "admin_add_organization",
        frozenset({"operator"}),
        lambda c, p: c.post("/admin/accounts/organization/add/", {"code": "131016", "name": "千代田区"}),
    ),
]


LOGIN = "login"  # a redirect to a login page (the app's, or the admin site's for its own pages)
ANONYMOUS = "anonymous"
Outcome = dict[str, int | str]


def outcome(
    ok: int | str = 200,
    allowed: frozenset[str] = EVERYONE,
    refused: int | str = 403,
    anonymous: int | str = LOGIN,
    operator: int | str | None = None,
) -> Outcome:
    """What each role (and an anonymous visitor) gets: *ok* for the *allowed* roles, *refused* for the others.

    *operator*, when given, is what the system operator gets: on a plan's URL that is 404, as the
    operator is in no organization, and no plan is theirs to read.
    """
    out = {role: ok if role in allowed else refused for role in EVERYONE} | {ANONYMOUS: anonymous}
    return out | ({"operator": operator} if operator is not None else {})


def in_plan(ok: int | str = 200, allowed: frozenset[str] = MEMBERS, refused: int | str = 403) -> Outcome:
    """A URL of one of Kanagawa's plans: the operator is in no organization, so for them it does not exist."""
    return outcome(ok, allowed, refused, operator=404)


@dataclass(frozen=True)
class Route:
    """One URL pattern with a concrete URL, what a GET and an empty POST get, and the write tests (ENDPOINTS) that post real data.

    The URL may name ``{plan}``, ``{submission}``, ``{user}``, ``{department}``, ``{group}`` and ``{content_type}``.
    An empty POST never changes anything: a write needs its fields, and those are tried in ENDPOINTS.
    """

    pattern: str
    url: str
    get: Outcome
    post: Outcome
    writes: tuple[str, ...] = ()


P = "plans/<org:org>/<str:plan_key>/"
ADMIN = ADMINS
OPERATOR = frozenset({"operator"})
PAGE = outcome()  # every signed-in user reads it (a POST to a page that only reads is refused: NOT_ALLOWED)
NOT_ALLOWED = outcome(405)
PUBLIC = outcome(anonymous=200)
PUBLIC_GONE = outcome(404, anonymous=404)
READ_ONLY = outcome(405, anonymous=405)
ADMIN_PAGE = outcome(allowed=ADMIN)
ENTRY = MANAGERS | {"sangyo"}  # 1-3-1 belongs to 産業労働局
UPLOADERS = MANAGERS | {"sangyo", "fukushi"}

ROUTES = [
    Route("", "/", PAGE, NOT_ALLOWED),
    Route("plans/import/", "/plans/import/", outcome(302, MANAGERS), outcome(400, MANAGERS), ("import_plan",)),
    Route("plans/new/", "/plans/new/", outcome(allowed=MANAGERS), NOT_ALLOWED),
    Route("plans/new/template.xlsx", "/plans/new/template.xlsx", outcome(400, MANAGERS), NOT_ALLOWED),
    Route("accounts/password/", "/accounts/password/", PAGE, outcome(400)),
    Route(P + "entry/", "/plans/{org}/{plan}/entry/", in_plan(allowed=UPLOADERS, refused=404), in_plan(405)),
    Route(P + "entry/texts/", "/plans/{org}/{plan}/entry/texts/", in_plan(allowed=UPLOADERS, refused=404), in_plan(405)),
    Route(P + "nodes/<str:node_key>/edit/", "/plans/{org}/{plan}/nodes/1-3-1/edit/", in_plan(allowed=MANAGERS), in_plan(400, MANAGERS)),
    Route(
        P + "indicators/<str:indicator_key>/edit/",
        "/plans/{org}/{plan}/indicators/1-3-1-k1/edit/",
        in_plan(allowed=MANAGERS),
        in_plan(400, MANAGERS),
    ),
    Route("accounts/login/", "/accounts/login/", outcome(302, anonymous=200), outcome(302, anonymous=200)),
    Route("accounts/logout/", "/accounts/logout/", NOT_ALLOWED, outcome(LOGIN)),
    Route("i18n/setlang/", "/i18n/setlang/", outcome(302, anonymous=302), outcome(302, anonymous=302)),
    Route(P, "/plans/{org}/{plan}/", in_plan(), in_plan(405)),
    Route(P + "nodes/<str:node_key>/", "/plans/{org}/{plan}/nodes/1-3/", in_plan(), in_plan(405)),
    Route(
        P + "nodes/<str:node_key>/texts/",
        "/plans/{org}/{plan}/nodes/1-3-1-1/texts/",
        in_plan(allowed=ENTRY),
        in_plan(404),
        ("texts", "texts_published_year"),
    ),
    Route(
        P + "nodes/<str:node_key>/review/",
        "/plans/{org}/{plan}/nodes/1/review/",
        in_plan(405),
        in_plan(404),
        ("review", "review_open_year", "review_published_year", "review_no_cycle", "review_no_cycle_1999"),
    ),
    Route(
        P + "nodes/<str:node_key>/answer/",
        "/plans/{org}/{plan}/nodes/1/answer/",
        in_plan(405),
        in_plan(404),
        ("answer", "answer_open_year", "answer_published_year", "answer_no_cycle"),
    ),
    Route(P + "indicators/<str:indicator_key>/", "/plans/{org}/{plan}/indicators/1-3-1-k1/", in_plan(), in_plan(405)),
    Route(
        P + "indicators/<str:indicator_key>/value/",
        "/plans/{org}/{plan}/indicators/1-3-1-k1/value/",
        in_plan(405),
        in_plan(404),
        ("value_own", "value_other", "value_closed_year", "value_published_year"),
    ),
    Route(
        P + "indicators/<str:indicator_key>/preview/",
        "/plans/{org}/{plan}/indicators/1-3-1-k1/preview/?year=2025&value=50",
        in_plan(),
        in_plan(405),
    ),
    Route(
        P + "indicators/<str:indicator_key>/target/",
        "/plans/{org}/{plan}/indicators/1-3-1-k1/target/",
        in_plan(405),
        in_plan(404, MANAGERS),
        ("target", "target_published_year"),
    ),
    Route(P + "summary/", "/plans/{org}/{plan}/summary/", in_plan(), in_plan(405)),
    Route(P + "council/", "/plans/{org}/{plan}/council/", in_plan(), in_plan(405)),
    Route(P + "history/", "/plans/{org}/{plan}/history/", in_plan(), in_plan(405)),
    Route(P + "rules/", "/plans/{org}/{plan}/rules/", in_plan(), in_plan(400, MANAGERS), ("rules",)),
    Route(P + "export.json", "/plans/{org}/{plan}/export.json", in_plan(), in_plan(405)),
    Route(P + "report.<str:fmt>", "/plans/{org}/kanagawa-dx/report.html?year=2024", in_plan(302), in_plan(405)),  # to its progress page
    Route(P + "reports/<int:rendering_id>/", "/plans/{org}/{plan}/reports/{rendering}/", in_plan(), in_plan(405)),
    Route(P + "report.<str:fmt>", "/plans/{org}/kanagawa-dx/report.exe?year=2024", in_plan(404), in_plan(405)),
    Route(P + "workbook.xlsx", "/plans/{org}/{plan}/workbook.xlsx?year=2025", in_plan(), in_plan(405)),
    Route(
        P + "workbook.xlsx",
        "/plans/{org}/{plan}/workbook.xlsx?year=2025&department=福祉子どもみらい局",
        in_plan(allowed=MANAGERS | {"fukushi"}),
        in_plan(405),
    ),
    Route(P + "internal.zip", "/plans/{org}/{plan}/internal.zip", in_plan(), in_plan(405)),
    Route(P + "inbox/", "/plans/{org}/{plan}/inbox/", in_plan(), in_plan(405)),
    Route(P + "inbox/review.xlsx", "/plans/{org}/{plan}/inbox/review.xlsx?year=2025&flagged=on", in_plan(), in_plan(405)),
    Route(P + "submit/", "/plans/{org}/{plan}/submit/", in_plan(allowed=DEPARTMENTS), in_plan(404), ("submit",)),
    Route(P + "withdraw/", "/plans/{org}/{plan}/withdraw/", in_plan(405), in_plan(404, DEPARTMENTS), ("submit_withdraw",)),
    Route(
        P + "submissions/<int:submission_id>/decide/",
        "/plans/{org}/{plan}/submissions/{submission}/decide/",
        in_plan(allowed=MANAGERS),
        in_plan(302, MANAGERS),
        ("accept",),
    ),
    Route(
        P + "cycles/open/",
        "/plans/{org}/{plan}/cycles/open/",
        in_plan(allowed=MANAGERS),
        in_plan(400, MANAGERS),  # a form without its year: refused beside the field
        ("cycle_open", "cycle_open_published"),
    ),
    Route(
        P + "cycles/close/",
        "/plans/{org}/{plan}/cycles/close/",
        in_plan(allowed=MANAGERS),
        in_plan(404, MANAGERS),
        ("cycle_close", "cycle_close_published"),
    ),
    Route(
        P + "cycles/publish/",
        "/plans/{org}/{plan}/cycles/publish/",
        in_plan(allowed=MANAGERS),
        in_plan(404, MANAGERS),
        ("publish", "publish_open_year"),
    ),
    Route(
        P + "cycles/unpublish/",
        "/plans/{org}/{plan}/cycles/unpublish/",
        in_plan(allowed=MANAGERS),
        in_plan(404, MANAGERS),
        ("unpublish", "unpublish_unpublished"),
    ),
    Route(
        P + "indicators/<str:indicator_key>/correct/",
        "/plans/{org}/{plan}/indicators/1-3-1-k1/correct/?year=2024",
        in_plan(allowed=MANAGERS),
        in_plan(404, MANAGERS),
        ("correct", "correct_unpublished"),
    ),
    Route(P + "upload/", "/plans/{org}/{plan}/upload/", in_plan(allowed=UPLOADERS), in_plan(400, UPLOADERS), ("upload_preview",)),
    Route(
        P + "upload/apply/",
        "/plans/{org}/{plan}/upload/apply/",
        in_plan(405),
        in_plan(302, UPLOADERS),
        ("upload_apply_own", "upload_apply_published"),
    ),
    Route("audit/", "/audit/?kind=denied", ADMIN_PAGE, NOT_ALLOWED),
    Route("admin/", "/admin/", ADMIN_PAGE, ADMIN_PAGE),
    Route("admin/login/", "/admin/login/", outcome(302, ADMIN, anonymous=200), outcome(200, ADMIN, anonymous=200)),
    Route("admin/logout/", "/admin/logout/", outcome(405, ADMIN), outcome(LOGIN, ADMIN)),
    Route("admin/password_change/", "/admin/password_change/", ADMIN_PAGE, ADMIN_PAGE),
    Route("admin/password_change/done/", "/admin/password_change/done/", ADMIN_PAGE, outcome(405, ADMIN)),
    Route("admin/autocomplete/", "/admin/autocomplete/", outcome(403), outcome(405, ADMIN)),  # no field asked for
    Route("admin/jsi18n/", "/admin/jsi18n/", ADMIN_PAGE, outcome(405, ADMIN)),
    Route("admin/r/<path:content_type_id>/<path:object_id>/", "/admin/r/{content_type}/{user}/", outcome(404, ADMIN), outcome(404, ADMIN)),
    Route("admin/^(?P<app_label>axes|otp_totp|accounts|auth)/$", "/admin/accounts/", ADMIN_PAGE, ADMIN_PAGE),
    Route("admin/(?P<url>.*)$", "/admin/nowhere/", outcome(404, ADMIN), outcome(404, ADMIN)),
    Route("admin/accounts/user/<id>/password/", "/admin/accounts/user/{user}/password/", ADMIN_PAGE, ADMIN_PAGE),
    Route("admin/accounts/user/add/", "/admin/accounts/user/add/", ADMIN_PAGE, ADMIN_PAGE, ("admin_add_user",)),
    Route("admin/accounts/department/add/", "/admin/accounts/department/add/", ADMIN_PAGE, ADMIN_PAGE, ("admin_departments",)),
    Route("admin/auth/group/add/", "/admin/auth/group/add/", outcome(allowed=OPERATOR), outcome(allowed=OPERATOR)),
    Route(
        "admin/accounts/organization/add/",
        "/admin/accounts/organization/add/",
        outcome(allowed=OPERATOR),
        outcome(allowed=OPERATOR),
        ("admin_add_organization",),
    ),
    *(
        Route(f"admin/{model}/{pattern}", f"/admin/{model}/{url}", outcome(ok, who), outcome(ok, who))
        for model, key, allowed in (
            ("auth/group", "{group}", OPERATOR),  # permission groups and organizations are the installation's
            ("accounts/organization", "{organization}", OPERATOR),
            ("accounts/user", "{user}", ADMIN),
            ("accounts/department", "{department}", ADMIN),
        )
        for pattern, url, ok, who in (
            ("", "", 200, allowed),
            ("<path:object_id>/history/", f"{key}/history/", 200, allowed),
            ("<path:object_id>/delete/", f"{key}/delete/", 200, allowed),  # an empty POST asks again, deletes nothing
            ("<path:object_id>/change/", f"{key}/change/", 200, allowed),
            ("<path:object_id>/", f"{key}/", 302, ADMIN),  # to …/change/, which decides
        )
    ),
    # The login counters (django-axes) and the authenticator devices (django-otp) are the installation's: the operator's.
    *(
        Route(f"admin/{model}/{pattern}", f"/admin/{model}/{url}", outcome(ok, who), outcome(ok, who))
        for model in ("axes/accessattempt", "axes/accesslog", "axes/accessfailurelog", "otp_totp/totpdevice")
        for pattern, url, ok, who in (
            ("", "", 200, OPERATOR),
            ("add/", "add/", 403 if model.startswith("axes") else 200, OPERATOR),  # axes keeps its counters itself
            ("<path:object_id>/history/", "999999/history/", 302, ADMIN),  # no such row: back to the index, for any administrator
            ("<path:object_id>/delete/", "999999/delete/", 302, OPERATOR),
            ("<path:object_id>/change/", "999999/change/", 302, OPERATOR),
            ("<path:object_id>/", "999999/", 302, ADMIN),  # to …/change/, which decides
        )
    ),
    Route(
        "admin/otp_totp/totpdevice/<int:pk>/config/",
        "/admin/otp_totp/totpdevice/{device}/config/",
        outcome(allowed=OPERATOR),
        outcome(allowed=OPERATOR),
    ),
    Route(
        "admin/otp_totp/totpdevice/<int:pk>/qrcode/",
        "/admin/otp_totp/totpdevice/{device}/qrcode/",
        outcome(allowed=OPERATOR),
        outcome(allowed=OPERATOR),
    ),
    Route("public/", "/public/", PUBLIC, READ_ONLY),
    Route("public/<path:path>", "/public/140007/kanagawa-dx/index.html", PUBLIC, READ_ONLY),
    Route("public/<path:path>", "/public/data/search-index.json", PUBLIC, READ_ONLY),
    Route("public/<path:path>", "/public/141003/kanagawa-sousei-3/index.html", PUBLIC, READ_ONLY),  # Yokohama's, same key
    Route("public/<path:path>", "/public/142034/hiratsuka-juten/index.html", PUBLIC_GONE, READ_ONLY),  # no published cycle
    Route("api/v1/openapi.json", "/api/v1/openapi.json", PUBLIC, READ_ONLY),
    Route("api/v1/plans", "/api/v1/plans", PUBLIC, READ_ONLY),
    Route("api/v1/plans/<api_text:plan_id>", "/api/v1/plans/140007/kanagawa-dx", PUBLIC, READ_ONLY),
    Route("api/v1/plans/<api_text:plan_id>", "/api/v1/plans/kanagawa-dx", PUBLIC_GONE, READ_ONLY),  # a plan is named with its organization
    Route("api/v1/plans/<api_text:plan_id>", "/api/v1/plans/142034/hiratsuka-juten", PUBLIC_GONE, READ_ONLY),
    Route("api/v1/indicators/<api_text:ident>", "/api/v1/indicators/140007/kanagawa-dx:{dx_indicator}", PUBLIC, READ_ONLY),
    Route("api/v1/<api_text:rest>", "/api/v1/nowhere", PUBLIC_GONE, READ_ONLY),
]


def url_patterns(patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "") -> Iterator[str]:
    """Every URL pattern of the project, as the resolver joins them (admin site and included apps too)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


@pytest.fixture
def ids(open_cycle: m.Plan) -> dict[str, object]:
    group = Group.objects.create(name="閲覧者")
    return {
        "org": open_cycle.organization.code,
        "organization": open_cycle.organization_id,
        "plan": open_cycle.key,
        "submission": Submission.objects.get(plan=open_cycle, year=YEAR).pk,
        "user": User.objects.get(username="sangyo").pk,
        "department": Department.objects.get(organization__code="140007", name="産業労働局").pk,
        "group": group.pk,
        "device": TOTPDevice.objects.create(user=User.objects.get(username="sangyo"), name="認証アプリ").pk,
        "content_type": ContentType.objects.get_for_model(User).pk,
        "dx_indicator": m.Indicator.objects.filter(plan__key="kanagawa-dx").order_by("position")[0].key,
        "rendering": Rendering.objects.create(plan=open_cycle, revision=open_cycle.revision, year=YEAR, fmt="pdf").pk,
    }


def _client(role: str) -> Client:
    c = Client()
    if role != ANONYMOUS:
        c.force_login(User.objects.get(username=role))
    return c


def _matches(response: HttpResponse, expected: int | str) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "login" in response["Location"]
    return response.status_code == expected


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    """A new endpoint without a row here fails this test, and so does a row for an endpoint that is gone."""
    patterns = set(url_patterns())
    rows = {r.pattern for r in ROUTES}
    print(f"{len(patterns)} URL patterns, {len(rows)} in the matrix")
    assert sorted(patterns - rows) == [], "endpoints without a row in ROUTES"
    assert sorted(rows - patterns) == [], "rows for endpoints that no longer exist"
    writes = [w for r in ROUTES for w in r.writes]
    assert sorted(writes) == sorted(e.name for e in ENDPOINTS), "every write test belongs to exactly one route"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.url)
def test_every_role_on_every_endpoint(ids: dict[str, object], route: Route) -> None:
    """GET and an empty POST, as each role and anonymously: the status in the matrix, and nothing changed."""
    url = route.url.format(**ids)
    assert resolve(url.split("?")[0]).route == route.pattern or route.pattern.startswith("admin/")
    before = snapshot()
    wrong = []
    for role in [*sorted(EVERYONE), ANONYMOUS]:
        for method, expected in (("GET", route.get[role]), ("POST", route.post[role])):
            c = _client(role)
            response = c.get(url) if method == "GET" else c.post(url)
            print(f"{method} {url} as {role}: {response.status_code} {response.get('Location', '')} (expected {expected})")
            if not _matches(response, expected):
                wrong.append((method, role, response.status_code, expected))
    assert wrong == []
    assert not _changed(before), "a GET or an empty POST changed something"


def _changed(before: tuple[object, ...]) -> bool:
    return snapshot() != before


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_permission_matrix(open_cycle: m.Plan, client_for: Callable[[str], Client], endpoint: Endpoint, role: str) -> None:
    client = client_for(role)
    before = snapshot()
    response = endpoint.request(client, open_cycle)
    print(f"{endpoint.name} as {role}: {response.status_code}")
    if role in endpoint.allowed:
        assert response.status_code in (200, 302), (endpoint.name, role, response.status_code)
        assert _changed(before) or endpoint.name == "upload_preview", "an allowed write changed nothing"
    else:
        # A plan's URL does not exist for the operator, who is in no organization.
        in_a_plan = endpoint.name not in {*IN_OWN_ORGANIZATION, "import_plan"}
        refused = 404 if role == "operator" and in_a_plan else 403
        assert response.status_code == refused, (endpoint.name, role, response.status_code)
        assert not _changed(before)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_visitors_are_sent_to_login(open_cycle: m.Plan, endpoint: Endpoint) -> None:
    before = snapshot()
    response = endpoint.request(Client(), open_cycle)
    print(f"{endpoint.name} anonymous: {response.status_code} {response.get('Location', '')}")
    assert response.status_code == 302 and "login" in response["Location"]
    assert not _changed(before)


def test_a_form_field_cannot_reach_another_departments_series(open_cycle: m.Plan, client_for: Callable[[str], Client]) -> None:
    """The part field names a series of another indicator: not found, and nothing is written."""
    client = client_for("sangyo")
    response = client.post(
        f"/plans/140007/{PLAN}/indicators/{OWN_INDICATOR}/value/", {"year": YEAR, "value": "1", "part": "elementary", "status": "confirmed"}
    )
    assert response.status_code == 404
    assert not m.Value.objects.filter(series__indicator__plan=open_cycle, year=YEAR).exists()


def test_department_cannot_apply_an_upload_touching_another_department(open_cycle: m.Plan, client_for: Callable[[str], Client]) -> None:
    before = snapshot()
    response = _apply(OTHER_INDICATOR)(client_for("sangyo"), open_cycle)
    assert response.status_code == 403
    assert not _changed(before)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_write_needs_the_csrf_token(open_cycle: m.Plan, endpoint: Endpoint) -> None:
    """A role allowed to write, posting from another site (no CSRF token): 403 and nothing changed."""
    role = sorted(endpoint.allowed or MEMBERS)[0]
    c = Client(enforce_csrf_checks=True)
    c.force_login(User.objects.get(username=role))
    before = snapshot()
    response = endpoint.request(c, open_cycle)
    print(f"{endpoint.name} as {role} without a CSRF token: {response.status_code}")
    assert response.status_code == 403
    assert not _changed(before)


def test_the_login_form_needs_the_csrf_token(password: str, db: None) -> None:
    """Login CSRF: another site cannot sign a visitor in under the attacker's account."""
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "planner", "password": password})
    print(f"login without a CSRF token: {response.status_code}")
    assert response.status_code == 403


# --- Two organizations: nothing of Yokohama's is within reach of Kanagawa's people -------------------------------------

OWN_PLACEHOLDERS = ("{org}", "{plan}", "{submission}", "{user}", "{department}")  # what belongs to an organization


@pytest.fixture
def other_ids(ids: dict[str, object]) -> dict[str, object]:
    """The same placeholders naming Yokohama's objects: its plan (of the same key), submission, user and department."""
    other = m.Plan.objects.select_related("organization").get(organization__code=OTHER_ORG, key=PLAN)
    return ids | {
        "org": OTHER_ORG,
        "plan": other.key,
        "submission": Submission.objects.get(plan=other, year=YEAR).pk,
        "user": User.objects.get(username="y-sangyo").pk,
        "department": Department.objects.get(organization=other.organization, name="産業労働局").pk,
    }


def across(route: Route, role: str, method: str) -> int | str:
    """What a role of Kanagawa gets at the URL of Yokohama's object: as if it did not exist.

    A plan's URL is 404 for everyone (the view never runs); the admin site does not find another
    organization's user or department (it sends the administrator back to its index, or 404 for a
    password form). The system operator manages every organization's people, so for them those
    are their own rows.
    """
    if role == ANONYMOUS:
        return route.get[ANONYMOUS] if method == "GET" else route.post[ANONYMOUS]
    if "{plan}" in route.url or "{org}" in route.url:
        return 404
    own = route.get[role] if method == "GET" else route.post[role]
    if role != "admin" or own in (403, 404) or route.pattern.endswith("<path:object_id>/"):
        return own  # the last: Django's redirect to the change form, which then decides
    return 404 if route.pattern.endswith("/password/") else 302


@pytest.mark.parametrize("route", [r for r in ROUTES if any(k in r.url for k in OWN_PLACEHOLDERS)], ids=lambda r: r.url)
def test_no_role_reaches_another_organizations_objects(other_ids: dict[str, object], route: Route) -> None:
    """Every URL that names an organization's object, with Yokohama's, as each of Kanagawa's roles: 404 and nothing changed."""
    url = route.url.format(**other_ids)
    before = snapshot()
    wrong = []
    for role in [*sorted(EVERYONE), ANONYMOUS]:
        for method in ("GET", "POST"):
            expected = across(route, role, method)
            c = _client(role)
            response = c.get(url) if method == "GET" else c.post(url)
            print(f"{method} {url} as {role} of Kanagawa: {response.status_code} {response.get('Location', '')} (expected {expected})")
            if not _matches(response, expected):
                wrong.append((method, role, response.status_code, expected))
            if response.status_code == 302 and role == "admin" and not route.pattern.endswith("<path:object_id>/"):
                assert response["Location"] == "/admin/", "another organization's object is shown to the administrator"
    assert wrong == []
    assert not _changed(before), "a request about another organization's object changed something"


IN_OWN_ORGANIZATION = {"admin_add_user", "admin_departments", "admin_add_organization"}  # they write where the writer belongs


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.name not in IN_OWN_ORGANIZATION], ids=lambda e: e.name)
def test_no_write_reaches_another_organization(open_cycle: m.Plan, role: str, endpoint: Endpoint) -> None:
    """Each write with real data, aimed at Yokohama's plan of the same key (its value, texts, review, submission, upload,
    cycle, rules, plan file) by each of Kanagawa's roles: refused, and nothing anywhere changed."""
    other = m.Plan.objects.select_related("organization").get(organization__code=OTHER_ORG, key=PLAN)
    before = snapshot()
    response = endpoint.request(_client(role), other)
    print(f"{endpoint.name} on Yokohama's plan as {role} of Kanagawa: {response.status_code}")
    if endpoint.name == "import_plan":  # Yokohama's plan file: refused beside the file field, for those who may import
        assert response.status_code == (400 if role in MANAGERS else 403)
    else:
        assert response.status_code == 404
    assert not _changed(before)


def test_an_administrator_cannot_change_another_organizations_people(ids: dict[str, object]) -> None:
    """Kanagawa's administrator posts Yokohama's user as their own administrator, and a department into Kanagawa's user."""
    yokohama = User.objects.get(username="y-sangyo")
    admin = _client("admin")
    before = snapshot()
    change = {"username": "y-sangyo", "role": "admin", "is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-01"}
    response = admin.post(f"/admin/accounts/user/{yokohama.pk}/change/", change | {"date_joined_1": "00:00:00"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    foreign = Department.objects.get(organization__code=OTHER_ORG, name="産業労働局")
    sangyo = User.objects.get(username="sangyo")
    page = admin.post(f"/admin/accounts/user/{sangyo.pk}/change/", change | {"username": "sangyo", "department": foreign.pk})
    assert page.status_code == 200 and "department" in page.context["adminform"].form.errors
    assert not _changed(before)
    users = admin.get("/admin/accounts/user/").context["cl"].result_list
    assert {u.organization.code for u in users} == {"140007"}, "the list shows only the administrator's organization"


def test_every_plan_url_fetches_its_plan_through_the_scope() -> None:
    """The one place that scopes a plan (accounts.scope via plans.views.common.plan_view) is on every URL with a plan."""

    def walk(patterns: list[URLPattern | URLResolver]) -> Iterator[URLPattern]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            else:
                yield p

    plan_urls = [p for p in walk(get_resolver().url_patterns) if "plan_key" in str(p.pattern)]
    print(f"{len(plan_urls)} URL patterns name a plan")
    assert len(plan_urls) >= 20
    assert [str(p.pattern) for p in plan_urls if not getattr(p.callback, "scoped_plan", False)] == []


def test_one_plan_key_in_two_organizations_is_two_plans(client_for: Callable[[str], Client]) -> None:
    """Kanagawa's and Yokohama's kanagawa-sousei-3: each organization's people see their own; the public site and the API
    keep them apart under their organization codes."""
    kanagawa = client_for("planner").get(f"/plans/140007/{PLAN}/")
    yokohama = client_for("y-planner").get(f"/plans/{OTHER_ORG}/{PLAN}/")
    assert kanagawa.context["plan"].organization.code == "140007" and yokohama.context["plan"].organization.code == OTHER_ORG
    assert "横浜市" not in kanagawa.content.decode() and "横浜市" in yokohama.content.decode()
    assert client_for("y-planner").get(f"/plans/140007/{PLAN}/").status_code == 404
    public = Client()
    own = public.get(f"/public/{OTHER_ORG}/{PLAN}/index.html").content.decode()
    assert "横浜市の総合戦略" in own and "横浜市の総合戦略" not in public.get(f"/public/140007/{PLAN}/index.html").content.decode()
    api = json.loads(public.get(f"/api/v1/plans/{OTHER_ORG}/{PLAN}").content)
    assert api["plan"]["organization"] == {"name": "横浜市", "code": OTHER_ORG}
    listed = json.loads(public.get("/api/v1/plans").content)["plans"]
    assert sorted(p["organization"]["code"] for p in listed if p["id"] == PLAN) == ["140007", OTHER_ORG]
    home = public.get("/public/index.html").content.decode()
    assert home.index("神奈川県") < home.index("横浜市"), "the public home groups plans under their organizations"
