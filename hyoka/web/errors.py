"""The answer to a request that lost its database: 503 and "try again", never a page that could pass for success.

When PostgreSQL restarts or a connection is cut, the request fails with OperationalError
or InterfaceError. Django's plain 500 says nothing useful to the person who was saving;
this page says the failure is temporary and that a save in flight may or may not have
been committed, so they reopen the page to check. It is rendered without the request's
context because the session, the user and the chosen language all live in the database
that is gone. Every other error keeps Django's own 500 page.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_EN = "the database is busy or unreachable; try again in a few seconds"
UNAVAILABLE_JA = "データベースが混み合っているか接続できません。数秒後にもう一度お試しください"


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while the exception is being handled, so sys.exc_info() names it.

    The API answers in JSON whatever happens (its clients parse every answer), so its 503 and 500 are JSON too.
    """
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if request.path.startswith("/api/"):
        code, message, ja = (
            ("unavailable", UNAVAILABLE_EN, UNAVAILABLE_JA) if unavailable else ("server_error", "server error", "サーバーのエラーです")
        )
        response: HttpResponse = JsonResponse(
            {"error": {"code": code, "message": message, "message_ja": ja}},
            status=503 if unavailable else 500,
            json_dumps_params={"ensure_ascii": False},
        )
    elif unavailable:
        response = HttpResponse(render_to_string("unavailable.html"), status=503)
    else:
        return defaults.server_error(request)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
