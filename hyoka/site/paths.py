"""Where each page and file of the site lives, and the relative link from one to another.

Links are relative so the same files work from a CDN, a sub-folder of any web server,
the web app's /public/ prefix or straight from the disk (file://). Japanese pages are
at the root, English ones under en/ with the same paths; data files are shared.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ..core.model import Plan

ENGLISH = "en"
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


def slug(ident: str) -> str:
    """A file name for a node or indicator id: the id itself when safe, else a stable hash."""
    if SAFE.match(ident) and not ident.endswith("."):
        return ident
    return "id-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]


def organization_dir(name: str, code: str) -> str:
    """The folder of an organization's plans: its 全国地方公共団体コード (a plan file may lack one: then a hash of the name).

    Plan ids are unique within an organization only, so every plan lives under its organization.
    """
    return code or "org-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def plan_root(name: str, code: str, plan_id: str) -> str:
    """Where a plan's pages and data live: ``<organization>/<plan id>``; the functions below take it as *plan_id*."""
    return f"{organization_dir(name, code)}/{plan_id}"


def of_plan(plan: Plan) -> str:
    """``plan_root`` of a plan."""
    return plan_root(plan.organization.name, plan.organization.code, plan.id)


def in_language(path: str, lang: str) -> str:
    return f"{ENGLISH}/{path}" if lang == ENGLISH else path


def plan_folders(plan_id: str) -> tuple[str, str, str]:
    """The folders that hold everything of a plan: its Japanese pages, its English pages, its data."""
    return plan_id, in_language(plan_id, ENGLISH), data(plan_id, "").rstrip("/")


def home() -> str:
    return "index.html"


def search() -> str:
    return "search.html"


def plan_home(plan_id: str) -> str:
    return f"{plan_id}/index.html"


def plan_page(plan_id: str, name: str) -> str:
    """tree.html, indicators.html, method.html of a plan."""
    return f"{plan_id}/{name}.html"


def node_page(plan_id: str, node_id: str) -> str:
    return f"{plan_id}/nodes/{slug(node_id)}.html"


def indicator_page(plan_id: str, indicator_id: str) -> str:
    return f"{plan_id}/indicators/{slug(indicator_id)}.html"


def data(plan_id: str, name: str) -> str:
    return f"data/{plan_id}/{name}"


def _own_name(plan_id: str) -> str:
    return plan_id.rsplit("/", 1)[-1]


def hyoka1_file(plan_id: str) -> str:
    return data(plan_id, f"{_own_name(plan_id)}.hyoka1.json")


def evaluation_file(plan_id: str, year: int) -> str:
    return data(plan_id, f"evaluation-{year}.json")


def package_zip(plan_id: str) -> str:
    return data(plan_id, f"{_own_name(plan_id)}-csv.zip")


def package_file(plan_id: str, name: str) -> str:
    return data(plan_id, f"csv/{name}")


def indicator_data(plan_id: str, indicator_id: str, suffix: str) -> str:
    return data(plan_id, f"indicators/{slug(indicator_id)}.{suffix}")


def node_data(plan_id: str, node_id: str, suffix: str) -> str:
    return data(plan_id, f"nodes/{slug(node_id)}.{suffix}")


def asset(name: str) -> str:
    return f"assets/{name}"


def relative(target: str, current: str) -> str:
    """The link from the page at *current* to *target* (both relative to the site root, without ..)."""
    return _relative(target, current.rpartition("/")[0])


@lru_cache(maxsize=8192)
def _relative(target: str, folder: str) -> str:
    """A page links to its plan's pages, files and assets from its folder: most links of a site are made again and again."""
    here = folder.split("/") if folder else []
    there = target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])
