"""Who may write what (SPEC 1), decided on the server for every request.

Views call these before reading a form, so a department user who edits a URL or a
hidden field to reach another department's indicator gets 403 and nothing changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ...core.model import Node as CoreNode
from ...core.model import Plan as CorePlan
from ..plans import models as m
from ..workflow.models import Submission
from .models import User


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def department_of(user: User) -> str | None:
    return user.department.name if user.is_department and user.department else None


def cycle_is_open(plan: m.Plan, year: int) -> bool:
    return m.Cycle.objects.filter(plan=plan, year=year, status=m.CycleStatus.OPEN).exists()


def locked_for(plan: m.Plan, year: int, department: str) -> bool:
    """A department's entries are read-only while its submission waits or after it was accepted."""
    sub = Submission.objects.filter(plan=plan, year=year, department__name=department).first()
    return sub is not None and sub.locks_department


def may_manage(user: User) -> bool:
    """Planners (and admins) open and close cycles, accept or return, and edit anything."""
    return user.is_planner


def may_enter(user: User, plan: m.Plan, year: int, departments: list[str]) -> bool:
    """Values and 一次評価 texts of something assigned to *departments* in *year*."""
    if user.is_planner:
        return True
    dept = department_of(user)
    return dept is not None and dept in departments and cycle_is_open(plan, year) and not locked_for(plan, year, dept)


def may_review(user: User, node: CoreNode) -> bool:
    """二次評価 is written on the nodes given to the council: the top level (基本目標)."""
    return node.parent is None and (user.is_reviewer or user.is_planner)


def departments_under(core: CorePlan, node: CoreNode) -> set[str]:
    return {d for n in [node, *core.descendants(node.id)] for d in n.departments}


def may_answer(user: User, core: CorePlan, node: CoreNode) -> bool:
    """The departments working under a 基本目標 may answer the council's comments."""
    if node.parent is not None:
        return False
    if user.is_planner:
        return True
    dept = department_of(user)
    return dept is not None and dept in departments_under(core, node)
