"""The pages of a refused request, in the site's language, saying what happened and what to do.

Django's own answers are bare English lines (「403 Forbidden」「Bad Request (400)」) that
also lose what the person typed. Each refusal here is a page of the site: 400 (a request
that could not be read, a body over the size limit), 403 (not allowed, or no longer
allowed because the year was closed or submitted meanwhile), 404, 405, 429 and 503. A
refused form's texts are shown on the 403 page in boxes to copy, since the state that
refused them (a year closed under the form) cannot be undone by going back.

The 503 and 500 pages are rendered without the request's context: the session and the
user live in the database, which may be what failed. Their language comes from the
cookie of the language switch alone.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .plans.forms import in_language

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_EN = "the database is busy or unreachable; try again in a few seconds"
UNAVAILABLE_JA = "データベースが混み合っているか接続できません。数秒後にもう一度お試しください"
# What a refused form sent that is not the person's own text.
NOT_TYPED = ("csrfmiddlewaretoken", "base", "next", "part", "year", "status", "confirm", "password", "otp_token")


def _page(request: HttpRequest, status: int, title: str, message: str, **extra: Any) -> HttpResponse:
    return render(request, "errors/page.html", {"code": status, "title": title, "message": message, **extra}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body too large, or a request Django could not read."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20
        message = _("送信された内容が大きすぎます（%(mb)d MB まで）。文章を短くするか、ファイルを分けて送ってください。") % {"mb": limit}
    else:
        message = _("送信された内容を読み取れませんでした。ページを開き直してから、もう一度お試しください。")
    return _page(request, 400, _("リクエストを処理できませんでした"), message)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: why the save was refused (a year closed meanwhile names itself), and what was typed, to copy."""
    problem = getattr(exception, "problem", None)
    message = in_language(problem) if problem is not None else _("この操作を行う権限がありません。")
    typed = _typed(request)
    if typed:
        message += " " + _("入力した内容は保存されていません。下の欄からコピーして、必要なら担当者に伝えてください。")
    return _page(request, 403, _("この操作はできません"), message, typed=typed)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: mostly a form left open past its session; what was typed is given back to copy."""
    message = _("このページの有効期限が切れたため、送信を受け付けられませんでした。ページを開き直してから、もう一度入力してください。")
    return _page(request, 403, _("この操作はできません"), message, typed=_typed(request))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("ページが見つかりません"),
        _("アドレスが正しいか確かめてください。計画や年度が変わったときは、トップページから開き直してください。"),
    )


def _typed(request: HttpRequest) -> list[tuple[str, str]]:
    """The texts a refused POST carried, by field name: what the person would otherwise lose."""
    if request.method != "POST":
        return []
    try:
        data = request.POST
    except RequestDataTooBig:  # too large to have been read: nothing to give back
        return []
    return [(k, v) for k in data for v in data.getlist(k) if k not in NOT_TYPED and v.strip()]


class RefusalPages:
    """Middleware: a bare 405 or 429 of the app (never the JSON API's) becomes the site's page for it."""

    PAGES = {405: "method", 429: "throttled"}

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code not in self.PAGES or response.content or request.path.startswith(("/api/", "/public/")):
            return response
        if response.status_code == 405:
            page = _page(
                request,
                405,
                _("この方法では開けません"),
                _("このアドレスはフォームから送信するためのものです。元のページから操作してください。"),
            )
            page["Allow"] = response.get("Allow", "")
        else:
            page = _page(
                request,
                429,
                _("アクセスが集中しています"),
                _("短い時間に多くのリクエストがありました。しばらく待ってから、もう一度お試しください。"),
            )
            if response.has_header("Retry-After"):
                page["Retry-After"] = response["Retry-After"]
        return page


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while the exception is being handled, so sys.exc_info() names it.

    A lost database (OperationalError, InterfaceError) is 503 and "try again": a save in
    flight may or may not have been committed, so the person reopens the page to check.
    The API answers in JSON whatever happens (its clients parse every answer).
    """
    lost = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if request.path.startswith("/api/"):
        code, message, ja = (
            ("unavailable", UNAVAILABLE_EN, UNAVAILABLE_JA) if lost else ("server_error", "server error", "サーバーのエラーです")
        )
        response: HttpResponse = JsonResponse(
            {"error": {"code": code, "message": message, "message_ja": ja}},
            status=503 if lost else 500,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        with translation.override(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
            body = render_to_string("errors/unavailable.html" if lost else "errors/failed.html", {"lang": translation.get_language()})
        response = HttpResponse(body, status=503 if lost else 500)
    if lost:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
