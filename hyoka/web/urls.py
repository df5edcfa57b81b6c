"""URL map: every page needs a login (LoginRequiredMiddleware) except login, language choice, /public/ and /api/v1/.

A plan is named by its organization's code and its key (plan keys are unique within an
organization only), and every plan URL's view fetches it through ``accounts.scope``.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from .accounts.views import LoginView, PasswordChangeView
from .audit.views import audit_log
from .plans.views import council, downloads, entry, grid, pages, rules, setup, upload
from .renders import views as renders
from .workflow import correct, cycles
from .workflow import views as workflow


class OrganizationCode:
    """全国地方公共団体コード: six digits."""

    regex = r"[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrganizationCode, "org")
plan = "plans/<org:org>/<str:plan_key>/"
handler400 = "hyoka.web.errors.bad_request"
handler403 = "hyoka.web.errors.forbidden"
handler404 = "hyoka.web.errors.not_found"
handler500 = "hyoka.web.errors.server_error"

urlpatterns = [
    path("", pages.home, name="home"),
    path("plans/new/", setup.new_plan_page, name="new_plan_page"),
    path("plans/new/template.xlsx", setup.template, name="plan_template"),
    path("plans/import/", setup.new_plan, name="import_plan"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(plan, pages.tree, name="tree"),
    path(plan + "nodes/<str:node_key>/", pages.node, name="node"),
    path(plan + "nodes/<str:node_key>/texts/", entry.text_edit, name="text_edit"),
    path(plan + "nodes/<str:node_key>/edit/", setup.node_edit, name="node_edit"),
    path(plan + "indicators/<str:indicator_key>/edit/", setup.indicator_edit, name="indicator_edit"),
    path(plan + "nodes/<str:node_key>/review/", council.review_edit, name="review_edit"),
    path(plan + "nodes/<str:node_key>/answer/", council.answer_edit, name="answer_edit"),
    path(plan + "indicators/<str:indicator_key>/", pages.indicator, name="indicator"),
    path(plan + "indicators/<str:indicator_key>/value/", entry.value_edit, name="value_edit"),
    path(plan + "indicators/<str:indicator_key>/preview/", entry.preview, name="preview"),
    path(plan + "indicators/<str:indicator_key>/target/", entry.target_edit, name="target_edit"),
    path(plan + "summary/", pages.summary, name="summary"),
    path(plan + "council/", council.council, name="council"),
    path(plan + "history/", pages.history, name="history"),
    path(plan + "rules/", rules.rules, name="rules"),
    path(plan + "export.json", pages.export, name="export"),
    path(plan + "report.<str:fmt>", renders.report, name="report"),
    path(plan + "reports/<int:rendering_id>/", renders.progress, name="rendering"),
    path(plan + "workbook.xlsx", downloads.workbook, name="workbook"),
    path(plan + "internal.zip", downloads.internal_data, name="internal_data"),
    path(plan + "inbox/", workflow.inbox, name="inbox"),
    path(plan + "inbox/review.xlsx", workflow.inbox_review, name="inbox_review"),
    path(plan + "entry/", grid.grid, name="grid"),
    path(plan + "entry/texts/", grid.texts_grid, name="texts_grid"),
    path(plan + "submit/", workflow.submit, name="submit"),
    path(plan + "withdraw/", workflow.withdraw, name="withdraw"),
    path(plan + "submissions/<int:submission_id>/decide/", workflow.decide, name="decide"),
    path(plan + "cycles/open/", cycles.cycle_open, name="cycle_open"),
    path(plan + "cycles/close/", cycles.cycle_close, name="cycle_close"),
    path(plan + "cycles/publish/", cycles.cycle_publish, name="cycle_publish"),
    path(plan + "cycles/unpublish/", cycles.cycle_unpublish, name="cycle_unpublish"),
    path(plan + "indicators/<str:indicator_key>/correct/", correct.correct_value, name="correct_value"),
    path(plan + "upload/", upload.upload, name="upload"),
    path(plan + "upload/apply/", upload.upload_apply, name="upload_apply"),
    path("audit/", audit_log, name="audit"),
    path("admin/", admin.site.urls),
    path("public/", include("hyoka.web.public.urls")),
    path("api/v1/", include("hyoka.web.api.urls")),
]
