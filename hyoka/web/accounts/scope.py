"""What a user may see: the one place where every query is narrowed to the user's organization.

Views never filter by organization themselves. They fetch a plan with ``plan`` (through the
``plans.views.common.plan_view`` decorator, which every plan URL goes through), list with
``plans``, ``departments``, ``users`` and ``audit_events``; the admin site uses the same
functions. Anything of another organization is simply not there: 404, as if it did not
exist, so nobody learns which plans other governments keep. ``view_key`` is what a page
rendered for a user depends on beyond the plan (a cache of pages must key on it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ..audit.models import AuditEvent
from ..plans.models import Plan
from .models import Department, Organization, User


def organization_id(user: Any) -> int | None:
    """The organization a signed-in user acts in; None for anonymous visitors and the system operator."""
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return None
    return user.organization_id


def plans(user: Any) -> QuerySet[Plan]:
    org = organization_id(user)
    if org is None:
        return Plan.objects.none()
    return Plan.objects.filter(organization_id=org).select_related("organization")


def plan(user: Any, organization_code: str, key: str) -> Plan:
    """The plan a URL names, if it is the user's organization's; else 404."""
    return get_object_or_404(plans(user), organization__code=organization_code, key=key)


def departments(user: Any) -> QuerySet[Department]:
    if getattr(user, "is_authenticated", False) and user.is_operator:
        return Department.objects.select_related("organization")
    return Department.objects.filter(organization_id=organization_id(user) or -1).select_related("organization")


def users(user: Any) -> QuerySet[User]:
    """The users an administrator manages: the operator all of them, an organization's administrator its own."""
    if getattr(user, "is_authenticated", False) and user.is_operator:
        return User.objects.select_related("organization", "department")
    return User.objects.filter(organization_id=organization_id(user) or -1).select_related("organization", "department")


def organizations(user: Any) -> QuerySet[Organization]:
    if getattr(user, "is_authenticated", False) and user.is_operator:
        return Organization.objects.all()
    return Organization.objects.filter(pk=organization_id(user) or -1)


def audit_events(user: Any) -> QuerySet[AuditEvent]:
    """The operator reads every event; an organization's administrator the events of the organization."""
    if getattr(user, "is_authenticated", False) and user.is_operator:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(Q(organization_id=organization_id(user) or -1))


def view_key(user: Any) -> tuple[object, ...]:
    """What a page of a plan may differ by between users: organization, role and department."""
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    return (organization_id(user), user.role, user.is_superuser, user.department_id)
