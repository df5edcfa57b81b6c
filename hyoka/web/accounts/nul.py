"""Requests whose path or parameters hold a NUL byte are refused with 400 before any view runs.

No text anyone types contains NUL, and PostgreSQL refuses it in every string it is
given, so a filter or a field with one would otherwise end in a database error (500)
in whichever query met it first. Uploaded files are bytes and are not looked at here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "リクエストに使えない文字（NUL）が含まれています。"
MESSAGE_EN = "the request contains a NUL character"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    parameters = [request.GET] if request.method not in ("POST", "PUT", "PATCH") else [request.GET, request.POST]
    return any("\x00" in key or any("\x00" in v for v in values) for params in parameters for key, values in params.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_nul(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            error = {"code": "bad_request", "message": MESSAGE_EN, "message_ja": MESSAGE}
            return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponse(f"{MESSAGE}\n{MESSAGE_EN}\n", status=400, content_type="text/plain; charset=utf-8")
