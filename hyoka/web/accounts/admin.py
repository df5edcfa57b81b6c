"""The admin site: the system operator manages organizations and every user; an organization's
administrator manages the users and departments of the organization, and nothing else.

What each administrator sees and may choose comes from ``scope``, as everywhere else: another
organization's user or department is not in the lists, cannot be opened by its id, and cannot
be chosen in a form. Only the operator makes operators, superusers or groups.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import scope
from .login import AdminLoginForm
from .models import Department, Organization, Role, User


def _in_organization(form: type[forms.ModelForm], request: HttpRequest) -> type[forms.ModelForm]:
    """The form of an organization's administrator puts the object in the organization before the model checks it."""
    if request.user.is_operator:
        return form
    mine = request.user.organization_id

    class InOrganization(form):  # type: ignore[misc, valid-type]
        def _post_clean(self) -> None:
            self.instance.organization_id = mine
            super()._post_clean()

        def _get_validation_exclusions(self) -> set[str]:
            return super()._get_validation_exclusions() - {"organization"}  # names are unique within the organization

    return InOrganization


def _administers(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and (user.is_operator or user.is_admin))


class ScopedAdmin(admin.ModelAdmin):
    """Objects of the administrator's organization only; the operator sees all of them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _administers(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]


@admin.register(User)
class HyokaUserAdmin(ScopedAdmin, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("hyoka"), {"fields": ("organization", "role", "department")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("hyoka"), {"fields": ("organization", "role", "department")}))
    list_display = ("username", "organization", "role", "department", "is_active", "last_login")
    list_filter = ("role", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return scope.users(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_operator:
            return fieldsets
        # An organization's administrator gives roles within it; superuser status, groups and permissions are the operator's.
        hidden = {"is_superuser", "groups", "user_permissions", "organization"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_operator:
            role = form.base_fields.get("role")
            if role is not None:
                role.choices = [(v, label) for v, label in Role.choices if v != Role.OPERATOR]
        department = form.base_fields.get("department")
        if department is not None:
            department.queryset = scope.departments(request.user)
        organization = form.base_fields.get("organization")
        if organization is not None:
            organization.queryset = scope.organizations(request.user)
        return _in_organization(form, request)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_operator and (obj.role == Role.OPERATOR or obj.is_superuser):
            raise PermissionDenied  # not offered on the form; a forged post is refused
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    search_fields = ("name",)
    list_display = ("name", "organization")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return scope.departments(request.user)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if request.user.is_operator else ("organization",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> type[forms.ModelForm]:
        return _in_organization(super().get_form(request, obj, change=change, **kwargs), request)


class OperatorOnly(admin.ModelAdmin):
    """The installation's own records: organizations and permission groups are the operator's."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _administers(request) and request.user.is_operator

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]


@admin.register(Organization)
class OrganizationAdmin(OperatorOnly):
    list_display = ("code", "name")
    search_fields = ("code", "name")


admin.site.unregister(Group)


@admin.register(Group)
class HyokaGroupAdmin(OperatorOnly, GroupAdmin):
    pass


def admin_only(request: HttpRequest) -> bool:
    """Only administrators enter the admin site; other signed-in users get 403, not a second login page."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not _administers(request):
        raise PermissionDenied
    return True


admin.site.has_permission = admin_only
admin.site.login_form = AdminLoginForm  # the same throttle, names and codes as the app's login
admin.site.login_template = "accounts/login.html"
admin.site.site_header = _("hyoka 管理")
