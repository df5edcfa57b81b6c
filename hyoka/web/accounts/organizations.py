"""Which organization a plan file belongs to, when it is stored (imports, `hyoka load`, restores).

A `hyoka/1` file names its organization (name and 全国地方公共団体コード). The code decides:
a stored organization of that code is the plan's, and the file's name must be its name (a
different name is a mistake in one of them, refused rather than silently replaced); an
unknown code makes the organization, where the caller may (the command line, run by the
operator). A planner's web import belongs to the planner's organization, so a file naming
another one is refused. A file without a code goes where the caller says.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...core.errors import InputError
from ...core.model import Organization as CoreOrganization
from .models import Department, Organization


def organization_for(org: CoreOrganization, given: Organization | None = None, *, create: bool = True, where: str = "") -> Organization:
    """The stored organization of a plan whose file names *org*; *given* when the caller chose one."""
    place = f"{where}:plan.organization" if where else "plan.organization"
    if given is not None:
        if org.code and org.code != given.code:
            raise InputError.one(
                f"{place}.code",
                f"この計画は別の団体（{org.name} {org.code}）のものです。{given.name}（{given.code}）の計画だけを登録できます",
                f"the plan belongs to another organization ({org.code}); only plans of {given.code} can be stored here",
                org.code,
            )
        found = given
    elif not org.code:
        raise InputError.one(
            f"{place}.code",
            "団体コードがありません（--organization で団体を指定してください）",
            "the plan names no organization code (give --organization)",
        )
    else:
        found = Organization.objects.filter(code=org.code).first()
        if found is None:
            if not create:
                raise InputError.one(f"{place}.code", "この団体は登録されていません", "no such organization", org.code)
            return Organization.objects.create(code=org.code, name=org.name)
    if org.code and org.name and org.name != found.name:
        raise InputError.one(
            f"{place}.name",
            f"団体コード {found.code} の団体名は「{found.name}」です（ファイルでは「{org.name}」）",
            f"organization {found.code} is called {found.name!r}, not {org.name!r}",
            org.name,
        )
    return found


def ensure_departments(organization: Organization, names: Iterable[str]) -> None:
    """The departments a plan names, made in its organization where they are missing."""
    wanted = set(names)
    known = set(Department.objects.filter(organization=organization, name__in=wanted).values_list("name", flat=True))
    Department.objects.bulk_create(Department(organization=organization, name=n) for n in sorted(wanted - known))
