"""Users, their role (SPEC 1) and their department.

A department is linked to plans by its name, because the plans name the 担当課 on
nodes (「産業労働局」); a department user may write only where that name is assigned.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("システム管理者")
    PLANNER = "planner", _("企画担当")
    DEPARTMENT = "department", _("担当課")
    REVIEWER = "reviewer", _("推進会議委員")


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("所属")
        verbose_name_plural = _("所属")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.DEPARTMENT)
    department = models.ForeignKey(Department, verbose_name=_("所属"), null=True, blank=True, on_delete=models.PROTECT)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_planner(self) -> bool:
        """Planners, and admins who may do everything a planner does."""
        return self.role == Role.PLANNER or self.is_admin

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT and self.department_id is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER


class LoginFailure(models.Model):
    """One failed login, counted per username and address to refuse guessing for a while."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "address", "at"])]
