"""``hyoka publish``: write the whole site into a folder, as plain files for any web server.

The site is written beside the target and moved into place at the end, so a reader
never sees half a site, and files of an earlier publication (a year since withdrawn,
an indicator since removed) cannot survive into the new one. A folder that is not an
earlier site is never deleted.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from ..core.model import Plan
from .render import Site

MARKER = ".hyoka-site"


@dataclass(frozen=True)
class Published:
    folder: Path
    files: int
    bytes: int
    pages: int


def publish(plans: list[Plan], folder: str | Path) -> Published:
    out = Path(folder)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError.one(
            str(out),
            "出力先が空でなく、以前に hyoka publish で作ったサイトでもありません",
            "the output folder is neither empty nor an earlier hyoka site",
        )
    site = Site(plans)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        total = pages = 0
        folders: set[Path] = set()
        for path, produce in site.files.items():
            target = staging / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            data = produce()
            target.write_bytes(data)
            total += len(data)
            pages += path.endswith(".html")
        (staging / MARKER).write_text("hyoka publish\n", encoding="utf-8")
        staging.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Published(out, len(site.files), total, pages)
