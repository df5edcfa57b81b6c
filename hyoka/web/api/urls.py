"""/api/v1/…, documented in openapi.json (served at /api/v1/openapi.json).

Ids are matched whole, slashes and line breaks included, so that every request under
/api/v1/ gets an answer in JSON (a 404 of our own), never Django's HTML page.
"""

from django.urls import path, register_converter

from . import views


class AnyText:
    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyText, "api_text")

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("plans", views.plans, name="plans"),
    path("plans/<api_text:plan_id>", views.plan, name="plan"),
    path("indicators/<api_text:ident>", views.indicator, name="indicator"),
    path("<api_text:rest>", views.unknown, name="unknown"),
]
