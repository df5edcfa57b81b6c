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
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while the exception is being handled, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
