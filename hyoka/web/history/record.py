"""Writing the change log; every edit path calls ``record`` in the same transaction as the edit."""

from __future__ import annotations

from ..accounts.models import User
from ..plans.models import Plan
from .models import Change


def record(
    plan: Plan,
    user: User | None,
    kind: str,
    subject: str,
    *,
    old: str = "",
    new: str = "",
    why: str = "",
    indicator_key: str = "",
    node_key: str = "",
    year: int | None = None,
    warnings: str = "",
) -> Change:
    return Change.objects.create(
        plan=plan,
        user=user,
        kind=kind,
        subject=subject,
        old=old,
        new=new,
        why=why,
        indicator_key=indicator_key,
        node_key=node_key,
        year=year,
        warnings=warnings,
    )
