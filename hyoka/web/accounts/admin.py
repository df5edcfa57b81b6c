"""The admin site is for the admin role only: managing users and departments (SPEC 1)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Department, User


@admin.register(User)
class HyokaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("hyoka"), {"fields": ("role", "department")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("hyoka"), {"fields": ("role", "department")}))
    list_display = ("username", "role", "department", "is_active", "last_login")
    list_filter = ("role", "department", "is_active")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ("name",)


def admin_only(request) -> bool:
    """Only the admin role enters the admin site; other signed-in users get 403, not a second login page."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (user.is_active and user.is_admin and user.is_staff):
        raise PermissionDenied
    return True


admin.site.has_permission = admin_only
admin.site.site_header = _("hyoka 管理")
