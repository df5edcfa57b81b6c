"""Organizations (団体), their users and departments, and the roles (SPEC 1).

One installation may serve many governments. Every plan, department and user belongs to
one organization, and every role acts only within it (``scope`` is where queries are
narrowed to it); the system operator runs the installation and belongs to none.
A department is linked to plans by its name within the organization, because the plans
name the 担当課 on nodes (「産業労働局」); a department user may write only where that
name is assigned.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ...formats.hyoka1 import valid_organization_code


def check_organization_code(code: str) -> None:
    if not valid_organization_code(code):
        raise ValidationError(_("全国地方公共団体コードは検査数字付きの6桁です（例: 140007）"), code="organization_code")


class Organization(models.Model):
    """A government: a prefecture or a municipality, known everywhere by its 全国地方公共団体コード."""

    code = models.CharField(_("全国地方公共団体コード"), max_length=6, unique=True, validators=[check_organization_code])
    name = models.CharField(_("団体名"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("団体")
        verbose_name_plural = _("団体")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Role(models.TextChoices):
    OPERATOR = "operator", _("システム運用者")
    ADMIN = "admin", _("団体管理者")
    PLANNER = "planner", _("企画担当")
    DEPARTMENT = "department", _("担当課")
    REVIEWER = "reviewer", _("推進会議委員")


class Department(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("名称"), max_length=200)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_department_name")]

    def __str__(self) -> str:
        return self.name


def normal_username(name: str) -> str:
    """The one spelling of a user name: NFKC (ｔｈｒｏｔｔｌｅ, 𝐭𝐡𝐫𝐨𝐭𝐭𝐥𝐞 → throttle), case folded, trimmed.

    Applied when a user is saved and when anyone logs in or is counted for throttling, so a
    look-alike of a name is that name (and its failures count together) or no name at all.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


class HyokaUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(**{self.model.USERNAME_FIELD: normal_username(username or "")})


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization, verbose_name=_("団体"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.DEPARTMENT)
    department = models.ForeignKey(Department, verbose_name=_("所属"), null=True, blank=True, on_delete=models.PROTECT)

    objects = HyokaUserManager()

    def clean(self) -> None:
        super().clean()
        self.username = normal_username(self.username)
        if self.role == Role.OPERATOR:
            if self.organization_id is not None:
                raise ValidationError({"organization": _("システム運用者はどの団体にも属しません")})
        elif self.organization_id is None:
            raise ValidationError({"organization": _("団体を選んでください")})
        if self.department_id is not None and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("所属は同じ団体のものを選んでください")})

    def save(self, *args: object, **kwargs: object) -> None:
        self.username = normal_username(self.username)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_operator(self) -> bool:
        """Runs the installation: organizations and their administrators; reads no organization's plans."""
        return self.role == Role.OPERATOR or (self.is_superuser and self.organization_id is None)

    @property
    def is_admin(self) -> bool:
        """The organization's administrator: its users and departments, its audit log, and everything a planner does."""
        return self.organization_id is not None and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_planner(self) -> bool:
        """Planners, and organization administrators who may do everything a planner does."""
        return self.organization_id is not None and (self.role == Role.PLANNER or self.is_admin)

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT and self.department_id is not None and self.organization_id is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER and self.organization_id is not None
