"""Serves the pages and downloads of the public site for anyone, read only."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from .site import site_for

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".zip": "application/zip",
}


@login_not_required
@require_safe
def page(request: HttpRequest, path: str = "") -> HttpResponse:
    if path == "" or path.endswith("/"):
        path += "index.html"
    site = site_for(path)
    data = site.render(path) if site is not None else None
    if data is None:
        raise Http404(path)
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path else ""
    response = HttpResponse(data, content_type=TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=300"
    return response
